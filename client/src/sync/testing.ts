/**
 * `@outpost/sync/testing`: what the engine's integration tests (client/test) reach beyond the
 * public entry (`index.ts`), which holds what an app uses. An app meets these errors by name
 * (`status.lastError`, `status.protocol`), never as classes: here are the typed errors a
 * stand-in server throws as the HTTP transport would, and the pure pieces tests hold the
 * engine to, the status a store starts from and its reducer, the poke socket on its own (the engine opens
 * it itself when given `pokes`), and a local write's native requests (the app's task views must
 * read back what they place). Kept out of the entry: each export named there is bytes in
 * every app's bundle.
 */
export {
  BadCursorError,
  IdentityMismatchError,
  isQuotaError,
  MutationGapError,
  ProtocolVersionError,
} from './errors';
export { materialize } from './records';
export { connectPokes } from './pokes';
export { placeNative } from './native-writes';
export { initialStatus, statusReducer } from './status';
