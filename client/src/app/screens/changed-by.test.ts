import type { Activity } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { changedBy, lastWriter } from './changed-by';

const activity = (over: Partial<Activity>): Activity =>
  ({
    id: 'x',
    action: 'update',
    actorId: null,
    clientId: null,
    changes: [],
    ...over,
  }) as Activity;

describe('lastWriter', () => {
  it('is the newest write of that value to that field, a conflict by its winner', () => {
    const history = [
      activity({ actorId: 'b' as never, changes: [{ field: 'notes', to: 'Ship v2' }] }),
      activity({
        action: 'conflict',
        changes: [
          {
            field: 'title',
            to: 'Ship v2',
            lost: 'Ship',
            winner: { userId: 'c' as never, clientId: 'c1' as never },
          },
        ],
      }),
      activity({
        actorId: 'a' as never,
        clientId: 'a1' as never,
        changes: [{ field: 'title', to: 'Ship v2' }],
      }),
    ];
    expect(lastWriter(history, 'title', 'Ship v2')).toEqual({ userId: 'c', clientId: 'c1' });
    expect(lastWriter(history.slice(2), 'title', 'Ship v2')).toEqual({
      userId: 'a',
      clientId: 'a1',
    });
    expect(lastWriter(history, 'title', 'Ship v3')).toBeNull();
  });
});

describe('changedBy', () => {
  const me = { userId: 'me', clientId: 'here' };
  const name = (id: string) => (id === 'a' ? 'Ana' : null);
  it('names a member, the reader elsewhere, or nobody it can tell', () => {
    expect(changedBy({ userId: 'a' as never, clientId: null }, me, name)).toEqual({
      kind: 'person',
      name: 'Ana',
    });
    expect(changedBy({ userId: 'me' as never, clientId: 'there' as never }, me, name)).toEqual({
      kind: 'you',
      where: 'device',
    });
    expect(changedBy({ userId: 'me' as never, clientId: 'here' as never }, me, name)).toEqual({
      kind: 'you',
      where: 'tab',
    });
    expect(changedBy({ userId: 'me' as never, clientId: null }, me, name)).toEqual({
      kind: 'you',
      where: 'api',
    });
    expect(changedBy({ userId: 'z' as never, clientId: null }, me, name)).toEqual({
      kind: 'unknown',
    });
    expect(changedBy(null, me, name)).toEqual({ kind: 'unknown' });
  });
});
