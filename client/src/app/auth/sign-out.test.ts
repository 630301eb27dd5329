// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { queryCacheKey } from '../../data/queryClient';
import type { Accounts } from './accounts';
import type { Session } from './session';
import { signOutOfDevice } from './sign-out';

describe('signing out of the device', () => {
  afterEach(() => localStorage.clear());

  it('wipes the replica, then the persisted query cache of that user only', async () => {
    localStorage.setItem(queryCacheKey('u1'), '{}');
    localStorage.setItem(queryCacheKey('u2'), '{}');
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
    expect(localStorage.getItem(queryCacheKey('u1'))).toBeNull();
    expect(localStorage.getItem(queryCacheKey('u2'))).toBe('{}');
    expect(forgotten).toEqual(['u1']);
  });
});
