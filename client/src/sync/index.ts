/**
 * Public API of the client sync engine (see README.md in this folder). Code outside
 * client/src/sync imports from here only (eslint `no-restricted-imports`).
 */
export {
  createSyncClient,
  type SyncClient,
  type SyncClientOptions,
  type PokeOptions,
} from './client';
export type { BroadcastLike, StorageManagerLike, EnvironmentLike } from './platform';
export type { TabMessage } from './tabs';
export {
  openReplica,
  openStoredReplica,
  deleteReplica,
  type Replica,
  type OpenReplicaOptions,
  type StoredReplica,
} from './replica';
export { createHttpTransport, type HttpTransportOptions } from './http-transport';
export { pushBatch, type PushOutcome } from './push';
export {
  connectPokes,
  pokeUrl,
  type ConnectPokesOptions,
  type WebSocketLike,
  type PokeSocketState,
} from './pokes';
export type { SyncTransport, TokenInfo, CallContext } from './transport';
export type { SyncStatus, ProtocolState, DownloadProgress, StatusAction } from './status';
export type { Notice, NoticeKind, PushRecord, ConflictDetail } from './notices';
export type { ReadableStore } from './store';
export type { NewProject, NewTask } from './local-writes';
export type { OutboxEntry, BaseRow, WriteRecord } from './db';
export { readOutboxEntries } from './outbox-ids';
export { unsentBatch as readUnsentEntries } from './outbox';
export { OutpostDb, databaseName, DB_SCHEMA_VERSION } from './db';
export { unclocked, materialize } from './records';
export { initialStatus, statusReducer } from './status';
export { leaderLockName, LEADER_LOCK_PREFIX, type LockManagerLike } from './leader';
export { backoffDelay, MAX_BACKOFF_MS, type Timers } from './timers';
export { queryCacheKey, type KeyValueStorage } from './sentinel';
export * from './errors';
