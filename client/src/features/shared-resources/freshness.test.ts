import { describe, expect, it } from 'vitest';
import { ago, freshnessOf } from './freshness';

const base = { staleAgeMs: null, online: true, refreshFailed: false, hasData: true };

describe('freshnessOf', () => {
  it('is live when fresh data is shown online', () => {
    expect(freshnessOf(base)).toEqual({ kind: 'live' });
  });
  it('labels an offline copy when the device is offline', () => {
    expect(freshnessOf({ ...base, online: false }).kind).toBe('offline');
  });
  it('labels a stale server copy with its age', () => {
    expect(freshnessOf({ ...base, staleAgeMs: 5 * 60_000 })).toEqual({
      kind: 'stale',
      text: expect.stringContaining('5 min ago'),
    });
  });
  it('labels shown data stale when a refresh failed', () => {
    expect(freshnessOf({ ...base, refreshFailed: true }).kind).toBe('stale');
  });
  it('shows nothing while there is no data yet', () => {
    expect(freshnessOf({ ...base, online: false, hasData: false })).toEqual({ kind: 'live' });
  });
  it('formats ages', () => {
    expect(ago(10_000)).toBe('less than a minute ago');
    expect(ago(3 * 3600_000)).toBe('3 h ago');
    expect(ago(72 * 3600_000)).toBe('3 days ago');
  });
});
