import { userSchema } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { createAccounts } from './accounts';
import { hasCurrentAccount } from './accounts-key';

/** An in-memory Storage (the tests run in Node). */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(initial));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

const user = (id: string, orgId: string) =>
  userSchema.parse({
    id,
    orgId,
    email: 'ana@example.com',
    name: 'Ana',
    role: 'admin',
    externalId: `dev|${id}`,
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    version: 1,
  });
const A = '0190a0b0-0000-7000-8000-00000000000a';
const B = '0190a0b0-0000-7000-8000-00000000000b';

describe('accounts on this device', () => {
  it('remembers signed-in users across restarts and opens as the last one', () => {
    const storage = memoryStorage();
    const first = createAccounts(storage);
    first.signedIn(user(A, 'acme'), 'dev');
    first.signedIn(user(B, 'globex'), 'dev');
    const restarted = createAccounts(storage);
    expect(restarted.current()?.user.id).toBe(B);
    expect(restarted.getSnapshot().accounts.map((a) => a.user.orgId)).toEqual(['globex', 'acme']);
  });

  it('switches only to a known account and forgets one on sign-out', () => {
    const accounts = createAccounts(memoryStorage());
    accounts.signedIn(user(A, 'acme'), 'dev');
    accounts.signedIn(user(B, 'globex'), 'dev');
    accounts.switchTo('0190a0b0-0000-7000-8000-0000000000ff');
    expect(accounts.current()?.user.id).toBe(B);
    accounts.switchTo(A);
    expect(accounts.current()?.user.id).toBe(A);
    accounts.forget(A);
    expect(accounts.current()).toBeNull();
    expect(accounts.getSnapshot().accounts.map((a) => a.user.id)).toEqual([B]);
  });

  it('treats unreadable or outdated stored data as no accounts instead of trusting it', () => {
    for (const raw of [
      'not json',
      JSON.stringify({ accounts: [{ user: { id: 1 } }], currentUserId: null }),
      JSON.stringify([]),
    ]) {
      const accounts = createAccounts(memoryStorage({ 'outpost.accounts.v1': raw }));
      expect(accounts.getSnapshot()).toEqual({ accounts: [], currentUserId: null });
      expect(accounts.current()).toBeNull();
    }
  });

  it('is read early as signed in exactly while an account is current (the workspace chunk asked for)', () => {
    const storage = memoryStorage();
    expect(hasCurrentAccount(storage)).toBe(false);
    const accounts = createAccounts(storage);
    accounts.signedIn(user(A, 'acme'), 'dev');
    expect(hasCurrentAccount(storage)).toBe(true);
    accounts.forget(A);
    expect(hasCurrentAccount(storage)).toBe(false);
    for (const raw of ['{not json', '[]', 'null', '{"currentUserId":5}'])
      expect(hasCurrentAccount(memoryStorage({ 'outpost.accounts.v1': raw }))).toBe(false);
  });
});
