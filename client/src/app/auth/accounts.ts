import { userSchema, type User } from '@outpost/shared';
import { z } from 'zod/mini';
import { createStore } from '../ui/store';

/**
 * Identities that signed in on this device. The app opens offline with the last one (SPEC:
 * "the app opens and works with the last signed-in identity"); an org switcher lists the
 * others. Only the verified user row is kept — never a token.
 */
const accountSchema = z.object({
  user: userSchema,
  mode: z.enum(['dev', 'clerk']),
  lastUsedAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

const stateSchema = z.object({
  accounts: z.array(accountSchema),
  currentUserId: z.nullable(z.string()),
});
export type AccountsState = z.infer<typeof stateSchema>;

const KEY = 'outpost.accounts.v1';
const EMPTY: AccountsState = { accounts: [], currentUserId: null };

/** localStorage may hold anything (an older version, a hand edit): parse it, never trust it. */
function load(storage: Storage): AccountsState {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return EMPTY;
    const parsed = stateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY;
  } catch {
    return EMPTY;
  }
}

export function createAccounts(
  storage: Storage = localStorage,
  now: () => Date = () => new Date(),
) {
  const store = createStore<AccountsState>(load(storage));
  const save = (next: AccountsState) => {
    storage.setItem(KEY, JSON.stringify(next));
    store.set(next);
  };
  // Another tab signed in or out: follow it.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key === KEY) store.set(load(storage));
    });
  }
  return {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    current(): Account | null {
      const s = store.getSnapshot();
      return s.accounts.find((a) => a.user.id === s.currentUserId) ?? null;
    },
    /** Remember a freshly verified user and make it current. */
    signedIn(user: User, mode: Account['mode']): void {
      const s = store.getSnapshot();
      const others = s.accounts.filter((a) => a.user.id !== user.id);
      save({
        accounts: [{ user, mode, lastUsedAt: now().toISOString() }, ...others],
        currentUserId: user.id,
      });
    },
    switchTo(userId: string): void {
      const s = store.getSnapshot();
      if (!s.accounts.some((a) => a.user.id === userId)) return;
      save({ ...s, currentUserId: userId });
    },
    /** Sign-out forgets the identity on this device (its local data is wiped by the engine). */
    forget(userId: string): void {
      const s = store.getSnapshot();
      save({
        accounts: s.accounts.filter((a) => a.user.id !== userId),
        currentUserId: s.currentUserId === userId ? null : s.currentUserId,
      });
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
