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
 * One behaviour for every source: the embedded dataset and MongoDB run the same cases.
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

    it('refuses a forged cursor with BAD_CURSOR', async () => {
      const repo = await make(docs);
      await expect(repo.list({ after: 'garbage', limit: 5 })).rejects.toMatchObject({
        code: 'BAD_CURSOR',
      });
    });
  });
}
