/** Public API of the client sync engine (see README.md in this folder). */
export {
  createSyncClient,
  type SyncClient,
  type SyncClientOptions,
  type BroadcastLike,
  type StorageManagerLike,
  type EnvironmentLike,
  type TabMessage,
} from './client';
export { openReplica, deleteReplica, type Replica, type OpenReplicaOptions } from './replica';
export { createHttpTransport, type HttpTransportOptions } from './http-transport';
export {
  connectPokes,
  pokeUrl,
  type ConnectPokesOptions,
  type WebSocketLike,
  type PokeSocketState,
} from './pokes';
export type { SyncTransport, TokenInfo, CallContext } from './transport';
export type { SyncStatus, ProtocolState } from './status';
export type { Notice, NoticeKind, PushRecord } from './notices';
export type { ReadableStore } from './store';
export type { NewProject, NewTask } from './local-writes';
export type { OutboxEntry, BaseRow } from './db';
export { OutpostDb, databaseName, DB_SCHEMA_VERSION } from './db';
export type { LockManagerLike } from './leader';
export type { Timers } from './timers';
export { queryCacheKey, type KeyValueStorage } from './sentinel';
export * from './errors';
