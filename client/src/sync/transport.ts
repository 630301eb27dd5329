import type { PullRequest, PullResponse, PushRequest, PushResponse } from '@outpost/shared';

/**
 * What the sync loop needs from the network. `createHttpTransport` is the real one; tests
 * pass an in-memory one. Every call names the user it acts for: a transport whose current
 * token belongs to someone else refuses (IdentityMismatchError) instead of sending.
 */
export interface CallContext {
  userId: string;
  signal?: AbortSignal | undefined;
}

export interface SyncTransport {
  push(req: PushRequest, ctx: CallContext): Promise<PushResponse>;
  pull(req: PullRequest, ctx: CallContext): Promise<PullResponse>;
}

/** A session token and the user (our user id) it was issued to. */
export interface TokenInfo {
  token: string;
  userId: string;
}
