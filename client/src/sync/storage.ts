import type { StorageManagerLike } from './platform';
import type { SyncStatus } from './status';

/**
 * Reads `navigator.storage` (and asks for persistent storage when `requestPersist`). Null
 * when unavailable: the storage APIs are advisory, a browser that refuses them still syncs.
 */
export async function readStorage(
  storage: StorageManagerLike | null,
  requestPersist: boolean,
): Promise<SyncStatus['storage']> {
  if (!storage) return null;
  try {
    const persisted =
      requestPersist && storage.persist
        ? await storage.persist()
        : ((await storage.persisted?.()) ?? false);
    const est = storage.estimate ? await storage.estimate() : {};
    return { persisted, usage: est.usage ?? null, quota: est.quota ?? null };
  } catch {
    return null;
  }
}
