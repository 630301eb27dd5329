import { z } from 'zod/mini';
import {
  changeSchema,
  errorBodySchema,
  parseErrorOf,
  SYNC_ERROR_CODES,
  pullResponseSchema,
  pushResponseSchema,
  syncCredentialSchema,
  type Change,
  type ClientId,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SyncCredential,
} from '@outpost/shared';
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
const pullEnvelopeSchema = z.extend(pullResponseSchema, { changes: z.array(z.unknown()) });
const changesSchema = z.array(changeSchema);

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

  async function call<S extends z.ZodMiniType>(
    method: 'POST' | 'DELETE',
    path: string,
    body: unknown,
    schema: S | null,
    ctx: CallContext,
  ): Promise<z.infer<S>> {
    const auth = await options.getToken();
    if (!auth) throw new NotSignedInError();
    // Never send one user's queued writes under another user's token.
    if (auth.userId !== ctx.userId) {
      throw new IdentityMismatchError(
        `The session belongs to user ${auth.userId}, not ${ctx.userId}; refusing to sync`,
      );
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetchFn(`${base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${auth.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      throw new NetworkError(
        `${method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`,
        err,
      );
    }
    let json: unknown = undefined;
    const text = await res.text().catch(() => '');
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (err) {
        if (res.ok) throw new ResponseParseError(`${path}: response is not JSON`, err);
      }
    }
    if (!res.ok) throw toHttpError(res.status, json, path);
    if (schema === null) return undefined as z.infer<S>;
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ResponseParseError(
        `${path}: unexpected response shape: ${parsed.error.message}`,
        parsed.error,
      );
    return parsed.data;
  }

  return {
    push: (req: PushRequest, ctx: CallContext): Promise<PushResponse> =>
      call('POST', '/sync/push', req, pushResponseSchema, ctx),
    pull: async (req: PullRequest, ctx: CallContext): Promise<PullResponse> => {
      // Validate the envelope first, then the changes in slices with a yield between them:
      // one page of a large initial sync parsed in one go is a long main-thread task.
      const envelope = await call('POST', '/sync/pull', req, pullEnvelopeSchema, ctx);
      const changes: Change[] = [];
      for (let i = 0; i < envelope.changes.length; i += PARSE_SLICE) {
        if (i > 0) await yieldToMain();
        const slice = changesSchema.safeParse(envelope.changes.slice(i, i + PARSE_SLICE));
        if (!slice.success)
          throw new ResponseParseError(
            `/sync/pull: unexpected change shape: ${slice.error.message}`,
            slice.error,
          );
        changes.push(...slice.data);
      }
      return { ...envelope, changes };
    },
    createCredential: (clientId: ClientId, ctx: CallContext): Promise<SyncCredential> =>
      call('POST', '/sync/credentials', { clientId }, syncCredentialSchema, ctx),
    revokeCredential: async (id: string, ctx: CallContext): Promise<void> => {
      await call('DELETE', `/sync/credentials/${encodeURIComponent(id)}`, undefined, null, ctx);
    },
  };
}

export function toHttpError(status: number, json: unknown, path: string): HttpError {
  // Codes and their detail schemas come from the shared table (`shared/src/protocol/error.ts`).
  const coded = parseErrorOf(SYNC_ERROR_CODES, status, json);
  const body = errorBodySchema.safeParse(json);
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
      );
  }
}
