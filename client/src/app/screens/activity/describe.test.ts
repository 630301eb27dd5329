import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Activity } from '@outpost/shared';
import {
  activityText,
  dayLabel,
  describeChange,
  describeConflict,
  historyText,
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

  it("says a task's own history in the feed's words, the task implied", () => {
    const me: Lookup = { ...lookup, me: 'u2' };
    const say = (over: Partial<Record<keyof Activity, unknown>>) => historyText(activity(over), me);
    expect(say({ actorId: 'u2', changes: [{ field: 'status', from: 'todo', to: 'done' }] })).toBe(
      'You completed this task',
    );
    expect(say({ changes: [{ field: 'assigneeId', from: null, to: 'u2' }] })).toBe(
      'Ana assigned it to you',
    );
    expect(say({ changes: [{ field: 'projectId', from: 'p0', to: 'p1' }] })).toBe(
      'Ana moved it to Launch',
    );
    expect(say({ changes: [{ field: 'dueDate', from: null, to: '2026-12-05' }] })).toBe(
      'Ana set its due date to Sat, Dec 5',
    );
    expect(say({ changes: [{ field: 'title', from: 'Old', to: 'New' }] })).toBe(
      'Ana renamed “Old” to “New”',
    );
    expect(say({ changes: [{ field: 'title', to: 'New' }] })).toBe(
      'Ana changed the title to “New”',
    );
    expect(
      say({
        changes: [
          { field: 'status', from: 'todo', to: 'done' },
          { field: 'notes', from: '', to: 'ok' },
        ],
      }),
    ).toBe('Ana completed this task · notes: empty → “ok”');
    expect(say({ action: 'create', changes: [{ field: 'assigneeId', to: 'u2' }] })).toBe(
      'Ana added this task for you',
    );
    expect(say({ action: 'delete' })).toBe('Ana deleted this task');
    expect(say({ action: 'rejected' })).toBeNull();
  });

  it('says values in words: status labels, readable dates, names for ids', () => {
    expect(describeChange({ field: 'status', from: 'todo', to: 'done' }, lookup)).toBe(
      'status: To do → Completed',
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
    ).toBe('Ben’s status Completed replaced Ana’s In progress');
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

  it('says each create, update and delete as a person would, none as a generic change', () => {
    const people: Lookup = {
      name: (id) =>
        ({ u1: 'Ana', u2: 'Bo', me: 'Cy', t1: 'Book venue', p1: 'Launch', p2: 'Side' })[id] ?? null,
      projectOf: () => 'p1',
      me: 'me',
    };
    const say = (over: Partial<Record<keyof Activity, unknown>>) =>
      activityText(activity(over), people);
    const task = (...changes: unknown[]) => say({ changes });
    const project = (...changes: unknown[]) => say({ entity: 'project', entityId: 'p1', changes });
    const member = (over: Partial<Record<keyof Activity, unknown>>) =>
      say({ entity: 'user', entityId: 'u2', ...over });

    // Tasks: created with whom and when, completed, reopened, started, moved back.
    expect(
      say({
        action: 'create',
        changes: [
          { field: 'title', to: 'Book venue' },
          { field: 'assigneeId', to: 'u2' },
          { field: 'dueDate', to: '2026-12-04' },
        ],
      }),
    ).toBe('Ana added “Book venue” for Bo, due Fri, Dec 4');
    expect(say({ action: 'create', changes: [{ field: 'assigneeId', to: 'me' }] })).toBe(
      'Ana added “Book venue” for you',
    );
    expect(say({ action: 'create', changes: [{ field: 'dueDate', to: '2027-01-08' }] })).toBe(
      'Ana added “Book venue”, due Fri, Jan 8, 2027',
    );
    expect(task({ field: 'status', from: 'doing', to: 'done' })).toBe('Ana completed “Book venue”');
    expect(task({ field: 'status', from: 'done', to: 'todo' })).toBe('Ana reopened “Book venue”');
    expect(task({ field: 'status', from: 'todo', to: 'doing' })).toBe('Ana started “Book venue”');
    expect(task({ field: 'status', from: 'doing', to: 'todo' })).toBe(
      'Ana moved “Book venue” back to To do',
    );
    // Assigned, taken, unassigned; moved, renamed, due dates, notes; deleted.
    expect(task({ field: 'assigneeId', from: null, to: 'u2' })).toBe(
      'Ana assigned “Book venue” to Bo',
    );
    expect(task({ field: 'assigneeId', from: 'u2', to: 'me' })).toBe(
      'Ana assigned “Book venue” to you',
    );
    expect(task({ field: 'assigneeId', from: null, to: 'u1' })).toBe('Ana took “Book venue”');
    expect(task({ field: 'assigneeId', from: 'u2', to: null })).toBe(
      'Ana unassigned Bo from “Book venue”',
    );
    expect(task({ field: 'projectId', from: 'p1', to: 'p2' })).toBe(
      'Ana moved “Book venue” to Side',
    );
    expect(task({ field: 'title', from: 'Venue', to: 'Book venue' })).toBe(
      'Ana renamed “Venue” to “Book venue”',
    );
    expect(task({ field: 'dueDate', from: null, to: '2026-12-04' })).toBe(
      'Ana set the due date of “Book venue” to Fri, Dec 4',
    );
    expect(task({ field: 'dueDate', from: '2026-12-04', to: '2026-12-11' })).toBe(
      'Ana moved the due date of “Book venue” to Fri, Dec 11',
    );
    expect(task({ field: 'dueDate', from: '2026-12-04', to: null })).toBe(
      'Ana cleared the due date of “Book venue”',
    );
    expect(task({ field: 'notes', from: '', to: 'Call first' })).toBe(
      'Ana edited the notes of “Book venue”',
    );
    expect(say({ action: 'delete', changes: [{ field: 'title', from: 'Book venue' }] })).toBe(
      'Ana deleted “Book venue”',
    );
    // The lead change is said; the other fields are left for the lines below it.
    expect(
      task(
        { field: 'dueDate', from: null, to: '2026-12-04' },
        { field: 'status', from: 'doing', to: 'done' },
      ),
    ).toBe('Ana completed “Book venue”');

    // Projects: created, archived, unarchived, renamed, owner, description, deleted.
    expect(say({ action: 'create', entity: 'project', entityId: 'p1' })).toBe(
      'Ana created the project “Launch”',
    );
    expect(project({ field: 'status', from: 'active', to: 'archived' })).toBe(
      'Ana archived the project “Launch”',
    );
    expect(project({ field: 'status', from: 'archived', to: 'active' })).toBe(
      'Ana unarchived the project “Launch”',
    );
    expect(project({ field: 'name', from: 'Lunch', to: 'Launch' })).toBe(
      'Ana renamed the project “Lunch” to “Launch”',
    );
    expect(project({ field: 'ownerId', from: 'u1', to: 'u2' })).toBe(
      'Ana made Bo the owner of the project “Launch”',
    );
    expect(project({ field: 'description', from: '', to: 'Q1' })).toBe(
      'Ana edited the description of the project “Launch”',
    );
    expect(say({ action: 'delete', entity: 'project', entityId: 'p1' })).toBe(
      'Ana deleted the project “Launch”',
    );

    // Members: invited, joined, role, renamed, email, removed.
    expect(member({ action: 'create', changes: [{ field: 'role', to: 'manager' }] })).toBe(
      'Ana invited Bo as a manager',
    );
    expect(member({ action: 'create', actorId: 'u2', reason: 'first sign-in' })).toBe(
      'Bo joined the team',
    );
    expect(member({ changes: [{ field: 'role', from: 'member', to: 'admin' }] })).toBe(
      'Ana made Bo an admin',
    );
    expect(
      member({ entityId: 'me', changes: [{ field: 'role', from: 'admin', to: 'member' }] }),
    ).toBe('Ana made you a member');
    expect(member({ actorId: 'u2', changes: [{ field: 'name', from: 'B', to: 'Bo' }] })).toBe(
      'Bo renamed themselves to Bo',
    );
    expect(member({ changes: [{ field: 'email', from: 'b@x.io', to: 'bo@x.io' }] })).toBe(
      'Ana gave Bo the email “bo@x.io”',
    );
    expect(member({ action: 'delete' })).toBe('Ana removed Bo from the team');

    // Every field a task, project or member has is said in its own words.
    const fields = {
      task: ['title', 'notes', 'status', 'assigneeId', 'dueDate', 'projectId'],
      project: ['name', 'description', 'status', 'ownerId'],
      user: ['name', 'email', 'role'],
    };
    const sample: Record<string, [unknown, unknown]> = {
      status: ['todo', 'done'],
      dueDate: [null, '2026-12-04'],
      assigneeId: [null, 'u2'],
      ownerId: ['u1', 'u2'],
      projectId: ['p1', 'p2'],
      role: ['member', 'admin'],
    };
    for (const [entity, list] of Object.entries(fields))
      for (const field of list) {
        const [from, to] =
          entity === 'project' && field === 'status'
            ? ['active', 'archived']
            : (sample[field] ?? ['a', 'b']);
        expect(
          say({
            entity,
            entityId: entity === 'task' ? 't1' : 'p1',
            changes: [{ field, from, to }],
          }),
          `${entity}.${field}`,
        ).not.toMatch(/ changed /);
      }
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
