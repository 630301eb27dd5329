import type { Activity } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { collapseBursts } from './bursts';
import type { Lookup } from './describe';

const lookup: Lookup = {
  name: () => null,
  projectOf: (id) => (id.startsWith('b') ? 'p2' : 'p1'),
};

let n = 0;
function activity(over: Partial<Record<keyof Activity, unknown>>): Activity {
  n++;
  return {
    id: `a${n}`,
    orgId: 'org_x',
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    version: n,
    actorId: 'u1',
    action: 'create',
    entity: 'task',
    entityId: `t${n}`,
    changes: [],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...over,
  } as unknown as Activity;
}

const shape = (entries: ReturnType<typeof collapseBursts>) =>
  entries.map((e) => (e.kind === 'burst' ? `${e.action}×${e.items.length}` : e.activity.action));

describe('collapseBursts', () => {
  it('folds a run of creates by one person in one project into one entry, keeping order', () => {
    const items = [
      activity({ action: 'update' }),
      ...Array.from({ length: 5 }, () => activity({})),
      activity({ action: 'delete' }),
    ];
    const out = collapseBursts(items, lookup);
    expect(shape(out)).toEqual(['update', 'create×5', 'delete']);
    expect(out[1]).toMatchObject({ projectId: 'p1' });
  });

  it('leaves short runs alone', () => {
    expect(shape(collapseBursts([activity({}), activity({})], lookup))).toEqual([
      'create',
      'create',
    ]);
  });

  it('splits on another person, project, kind of row, reason, or a long pause', () => {
    const three = (over: Partial<Record<keyof Activity, unknown>>) =>
      Array.from({ length: 3 }, () => activity(over));
    const items = [
      ...three({}),
      ...three({ actorId: 'u2' }),
      ...three({ entityId: 'b1' }),
      ...three({ entity: 'project' }),
      ...three({ reason: 'first sign-in' }),
    ];
    expect(shape(collapseBursts(items, lookup))).toEqual([
      'create×3',
      'create×3',
      'create×3',
      'create×3',
      'create×3',
    ]);
    const apart = [
      activity({ createdAt: '2026-11-30T10:30:00.000Z' }),
      activity({ createdAt: '2026-11-30T10:15:00.000Z' }),
      activity({ createdAt: '2026-11-30T10:00:00.000Z' }),
    ];
    expect(shape(collapseBursts(apart, lookup))).toEqual(['create', 'create', 'create']);
  });

  it('folds a bulk change (the same change by one person), not different changes or conflicts', () => {
    const update = (to: string, more: object[] = []) =>
      activity({ action: 'update', changes: [{ field: 'status', from: 'todo', to }, ...more] });
    const done = Array.from({ length: 4 }, () => update('done'));
    expect(shape(collapseBursts(done, lookup))).toEqual(['update×4']);
    // Completed, started, completed-with-notes: each says something different.
    const mixed = [
      update('done'),
      update('doing'),
      update('done', [{ field: 'notes', from: '', to: 'x' }]),
      update('doing'),
    ];
    expect(shape(collapseBursts(mixed, lookup))).toEqual(['update', 'update', 'update', 'update']);
    const renames = Array.from({ length: 3 }, () =>
      activity({ action: 'update', changes: [{ field: 'title', from: 'a', to: 'b' }] }),
    );
    expect(shape(collapseBursts(renames, lookup))).toEqual(['update', 'update', 'update']);
    const conflicts = Array.from({ length: 3 }, () => activity({ action: 'conflict' }));
    expect(shape(collapseBursts(conflicts, lookup))).toEqual(['conflict', 'conflict', 'conflict']);
  });
});
