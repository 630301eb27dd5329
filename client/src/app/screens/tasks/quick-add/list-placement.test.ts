import { describe, expect, it } from 'vitest';
import { BELOW, placeList } from './list-placement';

describe('placeList', () => {
  it('opens under the form when the list fits there, even with more room above', () => {
    expect(placeList({ above: 500, below: 200 }, 200)).toEqual(BELOW);
  });

  it('opens above the field when only that side holds it (a phone keyboard under the form)', () => {
    expect(placeList({ above: 160, below: 20 }, 150)).toEqual({ side: 'above', maxHeight: null });
  });

  it('takes the roomier side, scrolling, when neither holds it whole', () => {
    expect(placeList({ above: 120, below: 20 }, 300)).toEqual({ side: 'above', maxHeight: 120 });
    expect(placeList({ above: 80, below: 140.6 }, 300)).toEqual({ side: 'below', maxHeight: 140 });
  });

  it('keeps room for one person at least', () => {
    expect(placeList({ above: -10, below: 12 }, 300)).toEqual({ side: 'below', maxHeight: 56 });
  });
});
