import { anySignal } from './platform';
import { withoutChanges } from './pokes';
import type {
  Change,
  ErrorDetails,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
} from '@outpost/shared';
import { check, type Check, type CheckIssue } from './check';
import {
  BadCursorError,
  ResyncRequiredError,
  HttpError,
  IdentityMismatchError,
  MutationGapError,
  NetworkError,
  NotSignedInError,
  ProtocolVersionError,
  ResponseParseError,
} from './errors';
import type { CallContext, SyncTransport, TokenInfo } from './transport';

export interface HttpTransportOptions {
  /** Origin (and optional path prefix) of the server, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The current session token and whose it is; null when signed out. */
  getToken: () => Promise<TokenInfo | null>;
  fetch?: typeof fetch;
  /** Per-request timeout (ms); a hung request becomes a retryable NetworkError. */
  timeoutMs?: number;
}

const PARSE_SLICE = 100;

/** Lets the browser run other tasks (input, rendering) before we continue. */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Push/pull over HTTP per docs/protocol.md; responses zod-parsed, failures typed. */
export function createHttpTransport(options: HttpTransportOptions): SyncTransport {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** POST `body` to `path`; the answer checked by `schema`. */
  async function post<T>(
    path: string,
    body: unknown,
    schema: Check<T>,
    ctx: CallContext,
  ): Promise<T> {
    const auth = await options.getToken();
    if (!auth) throw new NotSignedInError();
    // Never send one user's queued writes under another user's token.
    if (auth.userId !== ctx.userId) {
      throw new IdentityMismatchError(
        `The session belongs to user ${auth.userId}, not ${ctx.userId}; refusing to sync`,
      );
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? anySignal([ctx.signal, timeout]) : timeout;
    const failed = (err: unknown) =>
      ctx.signal?.aborted
        ? err
        : new NetworkError(
            timeout.aborted
              ? `POST ${path}: no answer within ${timeoutMs} ms`
              : `POST ${path} failed: ${err instanceof Error ? err.message : String(err)}`,
            err,
          );
    let res: Response;
    try {
      res = await fetchFn(`${base}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw failed(err);
    }
    // The timeout covers the body too: an answer cut off or stalled is the network's failure
    // (retryable), not an empty body to parse.
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw failed(err);
    }
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (err) {
        if (res.ok) throw new ResponseParseError(`${path}: response is not JSON`, err);
      }
    }
    if (!res.ok) throw toHttpError(res.status, json, path, res.headers.get('retry-after'));
    let parsed = schema.safeParse(json);
    // A push answer whose echo this client cannot read (a newer server's rows) still answers.
    const bare = parsed.success ? null : withoutChanges(json);
    if (bare) parsed = schema.safeParse(bare);
    if (!parsed.success)
      throw new ResponseParseError(
        `${path}: unexpected response shape: ${described(parsed.error.issues)}`,
        parsed.error,
      );
    return parsed.data;
  }

  return {
    push: (req: PushRequest, ctx: CallContext): Promise<PushResponse> =>
      post('/sync/push', req, check.pushResponse, ctx),
    pull: async (req: PullRequest, ctx: CallContext): Promise<PullResponse> => {
      // Validate the envelope first, then the changes in slices with a yield between them:
      // one page of a large initial sync parsed in one go is a long main-thread task.
      const envelope = await post('/sync/pull', req, check.pullEnvelope, ctx);
      const changes: Change[] = [];
      for (let i = 0; i < envelope.changes.length; i += PARSE_SLICE) {
        if (i > 0) await yieldToMain();
        const slice = check.changes.safeParse(envelope.changes.slice(i, i + PARSE_SLICE));
        if (!slice.success)
          throw new ResponseParseError(
            `/sync/pull: unexpected change shape: ${described(slice.error.issues, i)}`,
            slice.error,
          );
        changes.push(...slice.data);
      }
      return { ...envelope, changes };
    },
  };
}

/** The longest wait a `Retry-After` is followed for (a longer one is read as this). */
const RETRY_AFTER_MAX_MS = 10 * 60_000;

/**
 * How long the server asked to wait: `Retry-After` in seconds or as an HTTP date, else a body's
 * `details.retryAfterSeconds` (a socket push's refusal carries only the body). Null: it did not say.
 */
export function retryAfterMs(
  header: string | null,
  details: unknown,
  now = Date.now(),
): number | null {
  let ms: number | null = null;
  if (header !== null && /^\s*\d+\s*$/.test(header)) ms = Number(header) * 1000;
  else if (header !== null && Number.isFinite(Date.parse(header))) ms = Date.parse(header) - now;
  else if (typeof details === 'object' && details !== null && 'retryAfterSeconds' in details) {
    const seconds = details.retryAfterSeconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds)) ms = seconds * 1000;
  }
  return ms === null ? null : Math.min(Math.max(0, ms), RETRY_AFTER_MAX_MS);
}

export function toHttpError(
  status: number,
  json: unknown,
  path: string,
  retryAfter: string | null = null,
): HttpError {
  // Codes and their detail schemas come from the shared table (`shared/src/protocol/error.ts`).
  const body = check.errorBody.safeParse(json);
  const coded = body.success ? codedError(status, body.data) : null;
  const message = body.success ? body.data.error : `${path} answered HTTP ${status}`;
  switch (coded?.code) {
    case 'CLIENT_TOO_OLD':
      return new ProtocolVersionError(message, 'client_too_old');
    case 'SERVER_TOO_OLD':
      return new ProtocolVersionError(message, 'server_too_old');
    case 'MUTATION_GAP':
      return new MutationGapError(message, coded.details.expected);
    case 'BAD_CURSOR':
      return new BadCursorError(message);
    case 'RESYNC_REQUIRED':
      return new ResyncRequiredError(message);
    default:
      // Unknown to this version (or details that do not fit): still an error with its code.
      return new HttpError(
        message,
        status,
        body.success ? body.data.code : `HTTP_${status}`,
        body.success ? body.data.details : undefined,
        retryAfterMs(retryAfter, body.success ? body.data.details : undefined),
      );
  }
}

type SyncErrorCode = keyof typeof check.errors;

/**
 * A sync error code whose status and details match the shared table (`SYNC_ERROR_CODES`,
 * read as `parseErrorOf` does), or null: a proxy's error, a newer server's, a body not ours.
 */
function codedError(
  status: number,
  body: { code: string; details?: unknown },
): { [C in SyncErrorCode]: { code: C; details: ErrorDetails<C> } }[SyncErrorCode] | null {
  if (!Object.hasOwn(check.errors, body.code)) return null;
  const code = body.code as SyncErrorCode;
  const entry = check.errors[code];
  if (entry.status !== status) return null;
  const details = (entry.details as Check<unknown>).safeParse(body.details);
  return details.success ? ({ code, details: details.data } as never) : null;
}

/**
 * The first issues as `path: expectation` (`changes.130.row.createdAt: Invalid ISO datetime`);
 * `slice`, the index of a slice of changes in the page, makes their paths the page's.
 */
function described(issues: readonly CheckIssue[], slice?: number): string {
  const path = (p: readonly PropertyKey[]) =>
    (slice === undefined ? p : ['changes', (p[0] as number) + slice, ...p.slice(1)])
      .map(String)
      .join('.') || '(the body)';
  const shown = issues.slice(0, 3).map((i) => `${path(i.path)}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
}
