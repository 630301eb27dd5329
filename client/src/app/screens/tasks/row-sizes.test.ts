import { describe, expect, it } from 'vitest';
import { RowSizes } from './row-sizes';

describe('the estimated height of rows not measured yet', () => {
  it('is the height measured most often, not the last one measured', () => {
    const sizes = new RowSizes(48);
    expect(sizes.typical).toBe(48);
    // A phone: most rows carry their meta under the title (68 px), one in seven wraps (109 px).
    for (let i = 0; i < 70; i++) sizes.add(i % 7 === 3 ? 109 : 68);
    expect(sizes.typical).toBe(68);
    sizes.add(109);
    expect(sizes.typical).toBe(68);
  });

  it('follows a new width once its rows are most of the recent measures', () => {
    const sizes = new RowSizes(48);
    for (let i = 0; i < 500; i++) sizes.add(68);
    for (let i = 0; i < 16; i++) sizes.add(48);
    expect(sizes.typical).toBe(68);
    sizes.add(48);
    expect(sizes.typical).toBe(48);
  });
});
