import { describe, expect, it } from 'vitest';
import type { SharedResourceRepository } from '../src/external/repository.js';
import { sampleDocs } from './external-fixtures.js';

/** 103 valid documents (ids r0000…r0102) plus these malformed ones, in the source's own shape. */
export const CONTRACT_MALFORMED: unknown[] = [
  { id: 'r0050x', name: '', data: {}, createdAt: '2024-01-01T00:00:00Z' },
  { id: 'r0051x', name: 'No date', data: { kind: 'equipment' } },
  { id: 'r0052x', name: 'Without data', createdAt: '2024-01-01T00:00:00Z' },
];
export const CONTRACT_VALID = sampleDocs(103);

/**
 * One behaviour for every source: the embedded dataset, the file and MongoDB run the same cases.
 * `make` receives the documents (valid and malformed, mixed) and returns a repository over them.
 */
export function repositoryContract(
  name: string,
  make: (docs: unknown[]) => Promise<SharedResourceRepository>,
): void {
  describe(`shared-resources repository contract: ${name}`, () => {
    // Stored out of order: the repository, not the seed, must provide the order.
    const docs = [...CONTRACT_VALID, ...CONTRACT_MALFORMED].reverse();

    it('pages through every valid document once, in id order, skipping and counting malformed ones', async () => {
      const repo = await make(docs);
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await repo.list({ after, limit: 10 }, undefined);
        seen.push(...page.items.map((r) => r.id));
        after = page.nextCursor ?? undefined;
        pages++;
        if (pages > 50) throw new Error('pagination does not terminate');
      } while (after);
      expect(seen).toEqual(CONTRACT_VALID.map((d) => d.id));
      expect(repo.invalidCount).toBe(CONTRACT_MALFORMED.length);
    });

    it('searches names case-insensitively and literally, and filters by kind', async () => {
      const repo = await make(docs);
      const expected = CONTRACT_VALID.filter((d) => d.name.startsWith('Drill'));
      const page = await repo.list({ q: 'dRiLL', limit: 200 });
      expect(page.items.map((r) => r.id)).toEqual(expected.map((d) => d.id));
      expect(page.nextCursor).toBeNull();
      expect(await repo.count({ q: 'drill' })).toBe(expected.length);
      expect(await repo.count({ q: 'drill', filter: { kind: 'equipment' } })).toBe(
        expected.filter((d) => d.data['kind'] === 'equipment').length,
      );
      expect(await repo.count({ q: '.*' })).toBe(0);
    });

    it('paginates a filtered search without gaps', async () => {
      const repo = await make(docs);
      const expected = CONTRACT_VALID.filter(
        (d) => d.name.startsWith('Manual') && d.data['kind'] === 'document',
      );
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await repo.list({
          q: 'manual',
          filter: { kind: 'document' },
          after,
          limit: 7,
        });
        seen.push(...page.items.map((r) => r.id));
        after = page.nextCursor ?? undefined;
      } while (after);
      expect(seen).toEqual(expected.map((d) => d.id));
    });

    it('gets a document by id; null for unknown or malformed ones', async () => {
      const repo = await make(docs);
      expect(await repo.get('r0003')).toEqual(CONTRACT_VALID[3]);
      expect(await repo.get('nope')).toBeNull();
      expect(await repo.get('r0051x')).toBeNull();
    });

    it("ids are exact text, but an ObjectId's text (24 hex digits) names its document in either case", async () => {
      const at = '2024-01-01T00:00:00.000Z';
      const lower = '65a0000000000000000000ab';
      const upper = '65A0000000000000000000CD';
      const twin = '65a0000000000000000000ef';
      const repo = await make([
        ...docs,
        { id: lower, name: 'Lower hex', data: {}, createdAt: at },
        { id: upper, name: 'Upper hex', data: {}, createdAt: at },
        { id: twin, name: 'Twin, lower', data: {}, createdAt: at },
        { id: twin.toUpperCase(), name: 'Twin, upper', data: {}, createdAt: at },
      ]);
      // Found in any case, and served as the source stores it.
      for (const asked of [lower, lower.toUpperCase(), '65a0000000000000000000Ab'])
        expect(await repo.get(asked), asked).toMatchObject({ id: lower, name: 'Lower hex' });
      expect(await repo.get(upper.toLowerCase())).toMatchObject({ id: upper, name: 'Upper hex' });
      // Two spellings stored: the id as given wins.
      expect(await repo.get(twin)).toMatchObject({ name: 'Twin, lower' });
      expect(await repo.get(twin.toUpperCase())).toMatchObject({ name: 'Twin, upper' });
      // Any other id is text: another case is another id.
      expect(await repo.get('R0003')).toBeNull();
      expect(await repo.get('r0003')).toEqual(CONTRACT_VALID[3]);
      // 23 or 25 hex digits are not an ObjectId's text.
      expect(await repo.get(lower.slice(1).toUpperCase())).toBeNull();
    });

    it('refuses a forged cursor with BAD_CURSOR', async () => {
      const repo = await make(docs);
      await expect(repo.list({ after: 'garbage', limit: 5 })).rejects.toMatchObject({
        code: 'BAD_CURSOR',
      });
    });
  });
}
