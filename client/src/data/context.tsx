// The data hooks read the sync client from the app's one engine context.
export { useSyncClient } from '../app/engine/context';
