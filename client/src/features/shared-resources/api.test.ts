import { describe, expect, it } from 'vitest';
import {
  fetchResourcePage,
  pagePath,
  ResourceResponseError,
  statusOf,
  type FetchJson,
} from './api';

const row = {
  id: 'a1',
  name: 'Drill',
  data: { kind: 'equipment' },
  createdAt: '2024-01-01T00:00:00.000Z',
};

describe('shared-resources api', () => {
  it('builds page paths with only the parameters in use', () => {
    expect(pagePath({ q: '', kind: '' }, undefined)).toBe(
      '/api/v1/external-data/shared-resources?limit=100',
    );
    expect(pagePath({ q: 'a&b', kind: 'vendor' }, 'c/1')).toBe(
      '/api/v1/external-data/shared-resources?limit=100&q=a%26b&kind=vendor&cursor=c%2F1',
    );
  });

  it('parses a page and passes the abort signal through', async () => {
    const seen: { path: string; signal?: AbortSignal | undefined }[] = [];
    const fetchJson: FetchJson = async (path, init) => {
      seen.push({ path, signal: init?.signal });
      return { data: [row], nextCursor: null, total: 1, stale: false };
    };
    const signal = new AbortController().signal;
    const page = await fetchResourcePage(fetchJson, { q: '', kind: '' }, undefined, signal);
    expect(page.data).toEqual([row]);
    expect(seen[0]?.signal).toBe(signal);
  });

  it('refuses an answer that does not match the contract', async () => {
    const fetchJson: FetchJson = async () => ({
      data: [{ ...row, name: '' }],
      nextCursor: null,
      stale: false,
    });
    await expect(
      fetchResourcePage(fetchJson, { q: '', kind: '' }, undefined),
    ).rejects.toBeInstanceOf(ResourceResponseError);
  });

  it('reads an HTTP status from errors that carry one', () => {
    expect(statusOf(Object.assign(new Error('x'), { status: 403 }))).toBe(403);
    expect(statusOf(new Error('x'))).toBeNull();
  });
});
