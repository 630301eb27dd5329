/// <reference types="vite/client" />

/** Injected by vite.config.ts (`define`). */
declare const __APP_VERSION__: string;

interface ImportMetaEnv {
  /** When set, sign-in goes through Clerk (loaded lazily); otherwise the dev sign-in screen. */
  readonly VITE_CLERK_PUBLISHABLE_KEY?: string;
}

/** Background Sync (Chromium): not in TypeScript's lib yet. */
interface SyncManager {
  register(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}
interface ServiceWorkerRegistration {
  readonly sync?: SyncManager;
}
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}
interface ServiceWorkerGlobalScopeEventMap {
  sync: SyncEvent;
}
