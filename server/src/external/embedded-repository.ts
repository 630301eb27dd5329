import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SharedResource } from '@outpost/shared';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  idCandidates,
  substringPattern,
  type ResourceCriteria,
  type ResourceListQuery,
  type ResourcePage,
  type SharedResourceRepository,
} from './repository.js';
import type { DocumentValidator } from './validate.js';

/** The sample dataset shipped with the server (made by `scripts/generate-sample-data.ts`). */
export const SAMPLE_DATASET_FILE = fileURLToPath(
  new URL('./sample/shared-resources.json', import.meta.url),
);

export async function loadDataset(file: string = SAMPLE_DATASET_FILE): Promise<unknown[]> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array of shared resources`);
  return parsed;
}

/**
 * Serves the same read-only interface as the MongoDB source from documents held in memory,
 * so a fresh install has something to browse. Documents are validated once, when loaded.
 */
export class EmbeddedRepository implements SharedResourceRepository {
  readonly kind = 'embedded' as const;
  readonly #rows: SharedResource[];
  readonly #validator: DocumentValidator;

  constructor(documents: readonly unknown[], validator: DocumentValidator) {
    this.#validator = validator;
    const rows: SharedResource[] = [];
    const seen = new Set<string>();
    for (const doc of documents) {
      const row = validator.parse(doc);
      // A duplicate id would make cursor pagination skip or repeat rows; keep the first.
      if (row && !seen.has(row.id)) {
        seen.add(row.id);
        rows.push(row);
      }
    }
    this.#rows = rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get invalidCount(): number {
    return this.#validator.invalidCount;
  }

  async list(query: ResourceListQuery): Promise<ResourcePage> {
    const start = query.after === undefined ? 0 : this.#firstAfter(decodeCursor(query.after).id);
    const matches = matcher(query);
    const items: SharedResource[] = [];
    for (let i = start; i < this.#rows.length; i++) {
      const row = this.#rows[i]!;
      if (!matches(row)) continue;
      if (items.length === query.limit) {
        return { items, nextCursor: encodeCursor({ id: items[items.length - 1]!.id, t: 'str' }) };
      }
      items.push(row);
    }
    return { items, nextCursor: null };
  }

  async get(id: string): Promise<SharedResource | null> {
    for (const candidate of idCandidates(id)) {
      const row = this.#rows[this.#firstAfter(candidate, true)];
      if (row && row.id === candidate) return row;
    }
    return null;
  }

  async count(criteria: ResourceCriteria): Promise<number> {
    const matches = matcher(criteria);
    let n = 0;
    for (const row of this.#rows) if (matches(row)) n++;
    return n;
  }

  async close(): Promise<void> {}

  /** Index of the first row with id > `id` (or >= when `inclusive`): binary search. */
  #firstAfter(id: string, inclusive = false): number {
    let lo = 0;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const midId = this.#rows[mid]!.id;
      if (midId < id || (!inclusive && midId === id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Serves an `EmbeddedRepository` it gets only when asked: the sample dataset loaded on first
 * use, or a data file re-read when it changed (`FileRepository`).
 */
export abstract class DeferredRepository implements SharedResourceRepository {
  abstract readonly kind: 'embedded' | 'file';

  protected constructor(protected readonly validator: DocumentValidator) {}

  /** The documents as they are to be served now. */
  protected abstract repo(): Promise<EmbeddedRepository>;

  get invalidCount(): number {
    return this.validator.invalidCount;
  }

  async list(query: ResourceListQuery): Promise<ResourcePage> {
    return (await this.repo()).list(query);
  }

  async get(id: string): Promise<SharedResource | null> {
    return (await this.repo()).get(id);
  }

  async count(criteria: ResourceCriteria): Promise<number> {
    return (await this.repo()).count(criteria);
  }

  async close(): Promise<void> {}
}

/**
 * The shipped sample dataset, read and validated on its first request instead of at start:
 * parsing its 1.5 MB and checking every document was ~35 ms of an idle cold start (130–160 ms
 * loaded) and memory held for as long as the server runs, by servers whose users may never open
 * Resources. `open` still checks the file is there, so a broken install does not start.
 * Concurrent first requests share one load; a load that fails is tried again by the next one.
 */
export class LazyEmbeddedRepository extends DeferredRepository {
  readonly kind = 'embedded' as const;
  #loading: Promise<EmbeddedRepository> | null = null;

  private constructor(
    private readonly file: string,
    validator: DocumentValidator,
    private readonly onLoad: (repo: EmbeddedRepository) => void,
  ) {
    super(validator);
  }

  static async open(
    validator: DocumentValidator,
    onLoad: (repo: EmbeddedRepository) => void,
    file: string = SAMPLE_DATASET_FILE,
  ): Promise<LazyEmbeddedRepository> {
    await access(file);
    return new LazyEmbeddedRepository(file, validator, onLoad);
  }

  /** Whether a request has loaded the dataset yet. */
  get loaded(): boolean {
    return this.#loading !== null;
  }

  protected repo(): Promise<EmbeddedRepository> {
    this.#loading ??= loadDataset(this.file).then(
      (documents) => {
        const repo = new EmbeddedRepository(documents, this.validator);
        this.onLoad(repo);
        return repo;
      },
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }
}

function matcher(criteria: ResourceCriteria): (row: SharedResource) => boolean {
  const pattern = criteria.q ? substringPattern(criteria.q) : null;
  const kind = criteria.filter?.kind;
  return (row) =>
    (!pattern || pattern.test(row.name)) && (kind === undefined || row.data['kind'] === kind);
}
