/**
 * This device's storage as the sync inspector shows it (`navigator.storage`): whether the
 * browser keeps the offline data (the replica, unsent writes included) or may clear it when
 * space runs low, and how much is used. Not the engine's: it syncs either way.
 */
export interface DeviceStorage {
  persisted: boolean;
  usage: number | null;
  quota: number | null;
}

/** `navigator.storage`, as far as the app uses it. */
export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

function browserStorage(): StorageManagerLike | null {
  const nav = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator;
  return nav?.storage ?? null;
}

/**
 * Reads the device's storage, first asking for persistent storage when `requestPersist` (at
 * start, and from the inspector's button). Null when unavailable: the storage APIs are
 * advisory, and a browser that refuses them still syncs.
 */
export async function readDeviceStorage(
  requestPersist: boolean,
  storage: StorageManagerLike | null = browserStorage(),
): Promise<DeviceStorage | null> {
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
