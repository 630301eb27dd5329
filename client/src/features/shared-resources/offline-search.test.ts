import { describe, expect, it } from 'vitest';
import type { SharedResource } from './api';
import { cachedMatches } from './offline-search';

const r = (id: string, name: string, kind = 'dataset'): SharedResource => ({
  id,
  name,
  data: { kind },
  createdAt: '2026-11-30T00:00:00.000Z',
});

describe('a search answered from what the device holds', () => {
  const pages = [
    [r('b', 'River Gauge North', 'sensor'), r('a', 'Harbour map')],
    // The same resource from another search and from its detail: counted once.
    [r('b', 'River Gauge North', 'sensor'), r('c', 'river  gauge south', 'sensor')],
    [r('a', 'Harbour map')],
  ];

  it("matches names as the server does (trimmed, spaces collapsed, any case), in the server's order", () => {
    const found = cachedMatches(pages, { q: '  RIVER gauge ', kind: '' });
    expect(found.matches.map((m) => m.id)).toEqual(['b']);
    expect(found.held).toBe(3);
    expect(cachedMatches(pages, { q: 'gauge', kind: '' }).matches.map((m) => m.id)).toEqual([
      'b',
      'c',
    ]);
  });

  it('filters by kind, and says when nothing held matches', () => {
    expect(cachedMatches(pages, { q: '', kind: 'sensor' }).matches.map((m) => m.id)).toEqual([
      'b',
      'c',
    ]);
    expect(cachedMatches(pages, { q: 'bridge', kind: '' })).toEqual({ matches: [], held: 3 });
    expect(cachedMatches([], { q: 'x', kind: '' })).toEqual({ matches: [], held: 0 });
  });
});
