import { serverAccessSchema, userSchema, type ServerAccess, type User } from '@outpost/shared';
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
  /** What the server last said this role may reach (`GET /api/v1/me`); absent until it has. */
  access: z.optional(serverAccessSchema),
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
    /**
     * Remember a freshly verified user and make it current. What the server let it reach is
     * kept while its role is the same (a new role waits for the server's word).
     */
    signedIn(user: User, mode: Account['mode'], access?: ServerAccess): void {
      const s = store.getSnapshot();
      const before = s.accounts.find((a) => a.user.id === user.id);
      const kept = access ?? (before?.user.role === user.role ? before.access : undefined);
      const others = s.accounts.filter((a) => a.user.id !== user.id);
      save({
        accounts: [
          { user, mode, lastUsedAt: now().toISOString(), ...(kept ? { access: kept } : {}) },
          ...others,
        ],
        currentUserId: user.id,
      });
    },
    /** Record what the server says `userId` may reach; nothing changes when it is the same. */
    setAccess(userId: string, access: ServerAccess): void {
      const s = store.getSnapshot();
      const account = s.accounts.find((a) => a.user.id === userId);
      if (!account || account.access?.externalData === access.externalData) return;
      save({
        ...s,
        accounts: s.accounts.map((a) => (a === account ? { ...a, access } : a)),
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
