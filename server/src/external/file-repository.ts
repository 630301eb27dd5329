import { open, stat } from 'node:fs/promises';
import { DeferredRepository, EmbeddedRepository } from './embedded-repository.js';
import { TransientSourceError } from './resilience.js';
import type { DocumentValidator } from './validate.js';

export interface FileRepositoryLog {
  info(obj: object, msg: string): void;
}

/** What identifies one version of the file: a replaced (renamed-over) or rewritten file differs. */
interface Version {
  ino: number;
  size: number;
  mtimeMs: number;
}

const sameVersion = (a: Version, b: Version) =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * The embedded source over a JSON file of shared-resource documents (`EXTERNAL_DATA_FILE`), so
 * a self-hosted install can serve its own export and refresh it without a restart: every read
 * checks the file's inode, size and mtime, and re-reads and re-validates it when they change.
 *
 * A file that cannot be read or parsed fails the read with a transient error rather than
 * quietly serving the previous copy from memory: the source really is broken, and the caller's
 * retry / circuit breaker / stale-copy path is what tells clients so (`stale: true`). The next
 * read tries the file again, so fixing it recovers without a restart.
 */
export class FileRepository extends DeferredRepository {
  readonly kind = 'file' as const;
  #current: { version: Version; repo: EmbeddedRepository };
  /** One reload at a time: concurrent reads of a changed file share it. */
  #reloading: Promise<EmbeddedRepository> | null = null;

  private constructor(
    readonly file: string,
    validator: DocumentValidator,
    private readonly log: FileRepositoryLog,
    initial: { version: Version; repo: EmbeddedRepository },
  ) {
    super(validator);
    this.#current = initial;
  }

  /** Loads the file once; throws (with the file named) when it is missing or malformed, so a misconfigured server does not start. */
  static async open(
    file: string,
    validator: DocumentValidator,
    log: FileRepositoryLog,
  ): Promise<FileRepository> {
    const initial = await readVersion(file, validator);
    log.info(
      { file, documents: initial.documents, invalid: initial.invalid },
      'external data: EXTERNAL_DATA_FILE loaded',
    );
    return new FileRepository(file, validator, log, initial);
  }

  protected async repo(): Promise<EmbeddedRepository> {
    let now: Version;
    try {
      now = toVersion(await stat(this.file));
    } catch (err) {
      throw unreadable(this.file, err);
    }
    if (sameVersion(now, this.#current.version)) return this.#current.repo;
    this.#reloading ??= readVersion(this.file, this.validator)
      .then((next) => {
        this.#current = next;
        this.log.info(
          { file: this.file, documents: next.documents, invalid: next.invalid },
          'external data: EXTERNAL_DATA_FILE changed and was reloaded',
        );
        return next.repo;
      })
      .finally(() => {
        this.#reloading = null;
      });
    return this.#reloading;
  }
}

/**
 * Reads one version of the file. The version is taken from the open handle, so it describes
 * the bytes read even if the file is replaced meanwhile (the next read then sees a new version).
 * Documents are validated as in the embedded source; invalid ones are skipped and counted again
 * on every reload, since each reload is a new read of the source.
 */
async function readVersion(
  file: string,
  validator: DocumentValidator,
): Promise<{ version: Version; repo: EmbeddedRepository; documents: number; invalid: number }> {
  let version: Version;
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      version = toVersion(await handle.stat());
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw unreadable(file, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Also what a reader sees mid-write of a non-atomic export; the next read tries again.
    throw new TransientSourceError(
      `EXTERNAL_DATA_FILE ${file} is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new TransientSourceError(
      `EXTERNAL_DATA_FILE ${file} must hold a JSON array of shared resources`,
    );
  }
  const before = validator.invalidCount;
  const repo = new EmbeddedRepository(parsed, validator);
  return { version, repo, documents: parsed.length, invalid: validator.invalidCount - before };
}

function toVersion(s: { ino: number; size: number; mtimeMs: number }): Version {
  return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

function unreadable(file: string, err: unknown): TransientSourceError {
  const code = (err as NodeJS.ErrnoException).code;
  return new TransientSourceError(
    `EXTERNAL_DATA_FILE ${file} cannot be read${code ? ` (${code})` : ''}`,
  );
}
