// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pendingDeletesKey } from '../../data';
import { queryCacheKey } from '../../data/queryClient';
import { keptEditsKey } from '../engine/kept-edits';
import { unsentJournalKeys } from '../engine/unsent-journal';
import { rememberSort } from '../screens/tasks/sort';
import { watchAdded } from '../shell/archived-meanwhile';
import { toldKey } from '../shell/assigned-to-you';
import type { Accounts } from './accounts';
import type { IdentityProvider } from './provider';
import type { Session } from './session';
import { CredentialRequestError } from '../pwa/sync-credential';
import {
  SignOutError,
  signOutOfDevice,
  signOutReason,
  StepTimeout,
  type SignOutOptions,
} from './sign-out';

/** What the app keeps in localStorage for `userId` in `orgId`, written as each part writes it. */
function keep(orgId: string, userId: string): string[] {
  for (const key of [
    queryCacheKey(userId),
    ...unsentJournalKeys(userId),
    pendingDeletesKey(userId),
    keptEditsKey(userId),
  ])
    localStorage.setItem(key, '{}');
  localStorage.setItem(`outpost-replica:${userId}`, '{}');
  localStorage.setItem(toldKey(orgId, userId), '[]');
  watchAdded({ orgId, userId }, 't1');
  rememberSort({ orgId, userId }, 'p1', 'due');
  return Object.keys(localStorage).filter((k) => k.includes(userId));
}

describe('signing out of the device', () => {
  afterEach(() => localStorage.clear());

  it('wipes the replica, then everything kept in localStorage for that user only', async () => {
    const mine = keep('o1', 'u1');
    const theirs = keep('o1', 'u2');
    // An order remembered before orders were kept per person: nobody's to keep.
    localStorage.setItem('outpost-sort:o1:p1', 'title');
    localStorage.setItem('unrelated', 'x');
    expect(mine).toHaveLength(9);
    const forgotten: string[] = [];
    let cacheAtWipe: string | null = null;
    await signOutOfDevice({
      session: { user: { id: 'u1' } } as Session,
      accounts: { forget: (id: string) => void forgotten.push(id) } as unknown as Accounts,
      provider: null,
      wipe: () => {
        cacheAtWipe = localStorage.getItem(queryCacheKey('u1'));
        return Promise.resolve();
      },
    });
    expect(cacheAtWipe).toBe('{}');
    expect(Object.keys(localStorage).sort()).toEqual([...theirs, 'unrelated'].sort());
    expect(forgotten).toEqual(['u1']);
  });

  it("in Clerk mode also forgets the same person's other orgs, each with what it kept", async () => {
    keep('o1', 'u1');
    keep('o2', 'u3');
    const others = keep('o1', 'u2');
    const wiped: string[] = [];
    const forgotten = new Set<string>();
    let signedOut = false;
    const account = (id: string, externalId: string) => ({
      mode: 'clerk',
      user: { id, externalId },
    });
    await signOutOfDevice({
      session: { user: { id: 'u1', externalId: 'ext-a' } } as Session,
      accounts: {
        forget: (id: string) => void forgotten.add(id),
        getSnapshot: () => ({
          accounts: [account('u1', 'ext-a'), account('u3', 'ext-a'), account('u2', 'ext-b')].filter(
            (a) => !forgotten.has(a.user.id),
          ),
        }),
      } as unknown as Accounts,
      provider: { signOut: () => Promise.resolve(void (signedOut = true)) } as IdentityProvider,
      wipe: () => Promise.resolve(),
      wipeOther: (id) => Promise.resolve(void wiped.push(id)),
    });
    expect(wiped).toEqual(['u3']);
    expect(signedOut).toBe(true);
    expect(Object.keys(localStorage).sort()).toEqual(others.sort());
  });

  describe('a step that fails or never answers stops sign-out, saying which, never hanging', () => {
    afterEach(() => vi.useRealTimers());

    /** Options recording what each step did; `forgotten` is the accounts list's forgetting. */
    function recording(overrides: Partial<SignOutOptions> = {}) {
      const did: string[] = [];
      const options: SignOutOptions = {
        session: { user: { id: 'u1', externalId: 'ext-a' } } as Session,
        accounts: {
          forget: (id: string) => void did.push(`forget ${id}`),
          getSnapshot: () => ({ accounts: [] }),
        } as unknown as Accounts,
        provider: null,
        wipe: () => Promise.resolve(void did.push('wipe')),
        timeoutMs: 10_000,
        ...overrides,
      };
      return { did, options };
    }
    const never = () => new Promise<never>(() => undefined);

    it('a revoke that never answers stops at the limit with nothing removed, its request aborted; going on from the wipe signs out', async () => {
      vi.useFakeTimers();
      let aborted = false;
      const { did, options } = recording({
        revoke: (signal) => {
          signal.addEventListener('abort', () => (aborted = true));
          return never();
        },
      });
      const result = signOutOfDevice(options).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10_000);
      const err = await result;
      expect(err).toBeInstanceOf(SignOutError);
      expect((err as SignOutError).step).toBe('revoke');
      expect((err as SignOutError).cause).toBeInstanceOf(StepTimeout);
      expect(aborted).toBe(true);
      expect(did).toEqual([]);
      // "Sign out anyway": past the revoke.
      await signOutOfDevice(options, 'wipe');
      expect(did).toEqual(['wipe', 'forget u1']);
    });

    it('a failed wipe keeps the account listed, to try again', async () => {
      const { did, options } = recording({ wipe: () => Promise.reject(new Error('disk gone')) });
      const err = await signOutOfDevice(options).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'SignOutError', step: 'wipe', message: 'disk gone' });
      expect(did).toEqual([]);
    });

    it('Clerk not answering its sign-out stops after the wipe; trying again ends the session without wiping twice', async () => {
      vi.useFakeTimers();
      let answer = never;
      let ended = 0;
      const { did, options } = recording({
        provider: { signOut: () => answer().then(() => void ended++) },
      });
      const result = signOutOfDevice(options).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await result).toMatchObject({ name: 'SignOutError', step: 'provider' });
      expect(did).toEqual(['wipe', 'forget u1']);
      answer = () => Promise.resolve() as Promise<never>;
      await signOutOfDevice(options, 'provider');
      expect(ended).toBe(1);
      expect(did).toEqual(['wipe', 'forget u1']);
    });
  });

  it("says why a step stopped in the reader's words, never the browser's bare network error", () => {
    const offline = new TypeError('Failed to fetch');
    const reason = (step: SignOutError['step'], cause: unknown) =>
      signOutReason(new SignOutError(step, cause));
    expect(reason('provider', offline)).toBe('Clerk could not be reached');
    expect(reason('provider', new TypeError('Load failed'))).toBe('Clerk could not be reached');
    expect(reason('revoke', offline)).toBe('the server could not be reached');
    expect(reason('provider', new StepTimeout(10_000))).toBe('Clerk did not answer in time');
    expect(reason('revoke', new StepTimeout(10_000))).toBe('the server did not answer in time');
    expect(reason('revoke', new CredentialRequestError('nope', 503))).toBe(
      'the server answered with an error (HTTP 503)',
    );
    // What Clerk or IndexedDB said is theirs to say.
    expect(reason('provider', new Error('Session not found'))).toBe('Session not found');
    expect(reason('wipe', new DOMException('', 'UnknownError'))).toBe('UnknownError');
    expect(reason('wipe', new Error('disk gone'))).toBe('disk gone');
  });
});
