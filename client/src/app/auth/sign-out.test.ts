// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { queryCacheKey } from '../../data/queryClient';
import { unsentJournalKeys } from '../engine/unsent-journal';
import type { Accounts } from './accounts';
import type { Session } from './session';
import { signOutOfDevice } from './sign-out';

describe('signing out of the device', () => {
  afterEach(() => localStorage.clear());

  it('wipes the replica, then the persisted query cache and unsent journal of that user only', async () => {
    for (const id of ['u1', 'u2'])
      for (const key of [queryCacheKey(id), ...unsentJournalKeys(id)])
        localStorage.setItem(key, '{}');
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
    for (const key of [queryCacheKey('u1'), ...unsentJournalKeys('u1')])
      expect(localStorage.getItem(key)).toBeNull();
    for (const key of [queryCacheKey('u2'), ...unsentJournalKeys('u2')])
      expect(localStorage.getItem(key)).toBe('{}');
    expect(forgotten).toEqual(['u1']);
  });
});
