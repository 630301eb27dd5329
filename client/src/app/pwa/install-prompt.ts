import { createStore, type Store } from '../ui/store';

/** Chromium's `beforeinstallprompt` event (not in lib.dom). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface InstallPrompt extends Store<{ canInstall: boolean; installed: boolean }> {
  install(): Promise<'accepted' | 'dismissed' | 'unavailable'>;
}

/** Keeps the deferred install prompt so the app can offer "Install" in its own UI. */
export function captureInstallPrompt(win: Window = window): InstallPrompt {
  let deferred: BeforeInstallPromptEvent | null = null;
  const standalone = win.matchMedia?.('(display-mode: standalone)').matches ?? false;
  const store = createStore({ canInstall: false, installed: standalone });
  win.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    store.set({ canInstall: true, installed: false });
  });
  win.addEventListener('appinstalled', () => {
    deferred = null;
    store.set({ canInstall: false, installed: true });
  });
  return {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    async install() {
      if (!deferred) return 'unavailable';
      const event = deferred;
      deferred = null;
      await event.prompt();
      const { outcome } = await event.userChoice;
      store.set({ canInstall: false, installed: outcome === 'accepted' });
      return outcome;
    },
  };
}
