import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Activity } from '@outpost/shared';
import {
  dayLabel,
  describeChange,
  describeConflict,
  groupByDay,
  learn,
  matches,
  projectOf,
  type Lookup,
} from './describe';

const lookup: Lookup = {
  name: (id) => ({ u1: 'Ana', p1: 'Launch' })[id] ?? null,
  projectOf: (id) => (id === 't1' ? 'p1' : null),
};

function activity(over: Partial<Record<keyof Activity, unknown>>): Activity {
  return {
    id: 'a',
    orgId: 'org_x',
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    version: 1,
    actorId: 'u1',
    action: 'update',
    entity: 'task',
    entityId: 't1',
    changes: [],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...over,
  } as unknown as Activity;
}

describe('activity feed wording', () => {
  // A browser in American English (Node has no `navigator`: dates would follow the machine's LANG).
  beforeEach(() => vi.stubGlobal('navigator', { language: 'en-US' }));
  afterEach(() => vi.unstubAllGlobals());

  it('says values in words: status labels, readable dates, names for ids', () => {
    expect(describeChange({ field: 'status', from: 'todo', to: 'done' }, lookup)).toBe(
      'status: To do → Done',
    );
    expect(describeChange({ field: 'dueDate', from: null, to: '2026-12-03' }, lookup)).toBe(
      'due date: empty → Dec 3, 2026',
    );
    expect(describeChange({ field: 'assigneeId', from: null, to: 'u1' }, lookup)).toBe(
      'assignee: nobody → Ana',
    );
  });

  it('says whose value a conflict kept and whose it lost, values in words', () => {
    const [ana, ben] = [
      { userId: 'u1' as never, clientId: null },
      { userId: 'u2' as never, clientId: null },
    ];
    const withBen: Lookup = { ...lookup, name: (id) => (id === 'u2' ? 'Ben' : lookup.name(id)) };
    expect(
      describeConflict(
        { field: 'status', lost: 'doing', to: 'done', wonHlc: 'x', winner: ben, loser: ana },
        withBen,
        false,
      ),
    ).toBe('Ben’s status Done replaced Ana’s In progress');
    expect(
      describeConflict(
        { field: 'title', lost: 'A', wonHlc: 'x', winner: ben, loser: ana },
        withBen,
        true,
      ),
    ).toBe('Ben deleted it; Ana’s title “A” was lost');
    // A server stamp names nobody, and the line still starts with a capital.
    expect(
      describeConflict(
        {
          field: 'dueDate',
          lost: '2026-12-03',
          to: null,
          wonHlc: 'x',
          winner: ana,
          loser: { userId: null, clientId: null },
        },
        withBen,
        false,
      ),
    ).toBe('Ana’s due date empty replaced someone’s Dec 3, 2026');
  });

  it('learns a deleted row’s name from its delete and a task’s project from its create', () => {
    const { names, projects } = learn([
      activity({ id: 'd', action: 'delete', changes: [{ field: 'title', from: 'Old name' }] }),
      activity({
        id: 'c',
        action: 'create',
        changes: [
          { field: 'title', to: 'First name' },
          { field: 'projectId', to: 'p1' },
        ],
      }),
    ]);
    expect(names.get('t1')).toBe('Old name');
    expect(projects.get('t1')).toBe('p1');
  });

  it('filters by project, person and kind, and groups by local day, newest first', () => {
    const a = activity({});
    expect(matches(a, { projectId: 'p1', personId: '', kind: 'all' }, lookup)).toBe(true);
    expect(matches(a, { projectId: 'p2', personId: '', kind: 'all' }, lookup)).toBe(false);
    expect(matches(a, { projectId: '', personId: 'u2', kind: 'all' }, lookup)).toBe(false);
    // t1 is in p1 now; created in p9, its create belongs to p9 (where it happened).
    const created = activity({
      action: 'create',
      changes: [{ field: 'projectId', to: 'p9' }],
    });
    expect(projectOf(created, lookup)).toBe('p9');
    expect(matches(created, { projectId: 'p9', personId: '', kind: 'all' }, lookup)).toBe(true);
    expect(matches(created, { projectId: 'p1', personId: '', kind: 'all' }, lookup)).toBe(false);
    expect(matches(a, { projectId: '', personId: '', kind: 'delete' }, lookup)).toBe(false);
    expect(
      matches(
        activity({ action: 'access-denied' }),
        { projectId: '', personId: '', kind: 'problem' },
        lookup,
      ),
    ).toBe(true);
    const now = new Date(2026, 10, 30, 12);
    const groups = groupByDay([
      activity({ id: '1', createdAt: new Date(2026, 10, 30, 9).toISOString() }),
      activity({ id: '2', createdAt: new Date(2026, 10, 29, 20).toISOString() }),
      activity({ id: '3', createdAt: new Date(2026, 10, 29, 8).toISOString() }),
    ]);
    expect(groups.map((g) => [dayLabel(g.day, now), g.items.length])).toEqual([
      ['Today', 1],
      ['Yesterday', 2],
    ]);
    // Older days are spelled out, with their year only when it is not this one.
    expect(dayLabel('2026-11-23', now)).toBe('Monday, November 23');
    expect(dayLabel('2025-11-24', now)).toBe('Monday, November 24, 2025');
  });
});
