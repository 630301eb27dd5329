import type {
  ClientId,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  SyncCredential,
} from '@outpost/shared';

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
  createCredential(clientId: ClientId, ctx: CallContext): Promise<SyncCredential>;
  revokeCredential(id: string, ctx: CallContext): Promise<void>;
}

/** A session token and the user (our user id) it was issued to. */
export interface TokenInfo {
  token: string;
  userId: string;
}
