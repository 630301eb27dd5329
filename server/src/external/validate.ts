import { sharedResourceSchema, type SharedResource } from '@outpost/shared';

export interface InvalidDocumentLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Narrows a source document to a `SharedResource`, or counts and logs it and returns null.
 * A bad document in someone else's database must never reach a client, nor fail the page.
 */
export class DocumentValidator {
  #invalid = 0;

  constructor(
    private readonly log: InvalidDocumentLog,
    /** Extra sink (a prom-client counter's `inc`) when metrics are available. */
    private readonly onInvalid: (() => void) | null = null,
  ) {}

  get invalidCount(): number {
    return this.#invalid;
  }

  parse(candidate: unknown): SharedResource | null {
    const result = sharedResourceSchema.safeParse(candidate);
    if (result.success) return result.data;
    this.#invalid += 1;
    this.onInvalid?.();
    this.log.warn(
      {
        id: idOf(candidate),
        issues: result.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      },
      'external document failed validation and was skipped',
    );
    return null;
  }
}

function idOf(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null || !('id' in candidate)) return null;
  const id = (candidate as { id: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 200) : null;
}
