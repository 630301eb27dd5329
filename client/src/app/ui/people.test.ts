import { describe, expect, it } from 'vitest';
import type { User } from '@outpost/shared';
import { peopleYouFirst } from './people';

const user = (id: string, name: string) => ({ id, name }) as User;

describe('peopleYouFirst', () => {
  it('lists you first as "(you)", then the others in their order', () => {
    const users = [user('a', 'Ana'), user('b', 'Ben'), user('c', 'Cy')];
    expect(peopleYouFirst(users, 'b')).toEqual([
      { id: 'b', label: 'Ben (you)' },
      { id: 'a', label: 'Ana' },
      { id: 'c', label: 'Cy' },
    ]);
  });

  it('lists everyone by name when you are not among them (not synced yet)', () => {
    expect(peopleYouFirst([user('a', 'Ana')], 'z')).toEqual([{ id: 'a', label: 'Ana' }]);
  });
});
