/**
 * Public API of the client sync engine (see README.md in this folder). Code outside
 * client/src/sync imports from here only (eslint `no-restricted-imports`).
 */
// First: the database module, and so Dexie, comes before the engine's modules in a bundle.
// Dexie is ~150 kB of text; placed amid the engine it parted code that repeats the same names
// beyond gzip's 32 kB window (the engine bundle's gzip: -411 B library mode, -318 B shipped).
export { OutpostDb, databaseName } from './db';
export { getMeta, setMeta } from './meta';
export {
  createSyncClient,
  type SyncClient,
  type SyncClientOptions,
  type PokeOptions,
} from './client';
export type { BroadcastLike, EnvironmentLike } from './platform';
export { anySignal, defaultEnvironment } from './platform';
export type { TabMessage } from './tabs';
export { openReplica, deleteReplica, type Replica, type OpenReplicaOptions } from './replica';
export { observeNativeWrites, type NativeWrite, type NativeWritesListener } from './native-writes';
export { createHttpTransport, type HttpTransportOptions } from './http-transport';
export { pushBatch, type PushOutcome } from './push';
export { pokeUrl, type ConnectPokesOptions, type WebSocketLike } from './pokes';
export type { SyncTransport, TokenInfo, CallContext } from './transport';
export type { SyncStatus, ProtocolState, DownloadProgress, StatusAction } from './status';
export type { Notice, NoticeKind, PushRecord, ConflictDetail } from './notices';
export type { ReadableStore } from './store';
export type { NewProject, NewTask } from './local-writes';
export type { OutboxEntry, BaseRow, WriteRecord } from './db';
export { readOutboxEntries, readRecords as readOutboxRecords } from './outbox-ids';
export { unsentBatch as readUnsentEntries } from './outbox';
export { unclocked } from './records';
export { leaderLockName, type LockManagerLike } from './leader';
export { backoffDelay, realTimers, type Timers } from './timers';
export type { KeyValueStorage } from './sentinel';
export {
  SyncError,
  NetworkError,
  HttpError,
  NotSignedInError,
  NotFoundError,
  ValidationError,
} from './errors';
