import { userSchema, type User } from '@outpost/shared';
import { z } from 'zod/mini';
import { createStore } from '../ui/store';
import { ACCOUNTS_KEY } from './accounts-key';

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

const KEY = ACCOUNTS_KEY;
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
  const removedElsewhere = new Set<(userIds: readonly string[]) => void>();
  // Another tab signed in or out: follow it. Those it removed are told first (see
  // `onRemovedElsewhere`), while this tab still shows what they leave.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key !== KEY) return;
      const next = load(storage);
      const gone = store
        .getSnapshot()
        .accounts.filter((a) => !next.accounts.some((n) => n.user.id === a.user.id))
        .map((a) => a.user.id);
      if (gone.length > 0) for (const l of [...removedElsewhere]) l(gone);
      store.set(next);
    });
  }
  return {
    subscribe: store.subscribe,
    /**
     * Calls `listener` with the identities another tab removed from this device (signed out
     * there), to tell them from this tab's own sign-out, which goes on in this tab's workspace.
     */
    onRemovedElsewhere(listener: (userIds: readonly string[]) => void): () => void {
      removedElsewhere.add(listener);
      return () => removedElsewhere.delete(listener);
    },
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
