import { describe, expect, it } from 'vitest';
import type { ClientId, EntityId } from '@outpost/shared';
import {
  addedToArchivedText,
  conflictRestoreWords,
  changedSince,
  conflictWinnerWords,
  describeMutation,
  groupLostToProject,
  holdsLostValue,
  lostTaskText,
  netLostToDelete,
  netLostToProject,
  noticeText,
  projectLostText,
  lostValuesText,
  typedTextLabel,
  refusedTaskCreates,
  refusedWrite,
} from './notice-text';

// The words the engine wrote into `notice.message` before they moved here (eb5d438^).
describe('noticeText', () => {
  it('words every kind as the engine did', () => {
    const mutation = { type: 'task.delete', id: 3, hlc: 'h', entityId: 'e' };
    expect(
      noticeText({ kind: 'rejected', detail: { mutation, code: 'forbidden', reason: 'no' } }),
    ).toBe('The server refused deleting a task: no. The change was undone.');
    // Named: the task from the name this device knows, ids in the reason by their names.
    const edit = {
      type: 'task.update',
      entityId: '01a232ea-0000-7000-8000-000000000001',
      fields: { assigneeId: '01a232ea-0000-7000-8000-000000000002' },
    };
    const names = (id: string) => (id === edit.entityId ? 'Approve spend' : null);
    const refused = {
      kind: 'rejected' as const,
      detail: {
        mutation: edit,
        code: 'validation',
        reason: `assigneeId: user ${edit.fields.assigneeId} is deleted`,
      },
    };
    expect(noticeText(refused, names)).toBe(
      'The server refused editing the task “Approve spend”: the member is deleted. The change was undone.',
    );
    // The reader is "you" in a reason.
    expect(noticeText(refused, names, edit.fields.assigneeId)).toBe(
      'The server refused editing the task “Approve spend”: you are deleted. The change was undone.',
    );
    expect(
      noticeText({
        kind: 'rejected',
        detail: { mutation: { type: 'task.create', entityId: 'x', fields: { title: 'Buy' } } },
      }),
    ).toBe('The server refused creating the task “Buy”: no reason given. The change was undone.');
    expect(noticeText({ kind: 'rejected', detail: { entity: 'project', reason: null } })).toBe(
      'The server refused a change to a project: no reason given. The change was undone.',
    );
    expect(
      noticeText({ kind: 'evicted', detail: { serverLastMutationId: 4, keptChanges: 1 } }),
    ).toBe(
      'This device\u2019s offline data was older than the server\u2019s record of it (restored or partly cleared). It is being downloaded again. 1 unsent change is kept and will be sent. Changes made on this device after that copy was taken and never sent cannot be recovered.',
    );
    expect(noticeText({ kind: 'evicted', detail: { lostChanges: 1 } })).toBe(
      'This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server, but 1 change made on this device that had not been sent yet was lost.',
    );
    expect(noticeText({ kind: 'sync-blocked', detail: { expected: 3 } })).toMatch(
      /^The server has not received some of this device’s earlier changes/,
    );
    expect(noticeText({ kind: 'resynced', detail: { removed: 2, keptChanges: 0 } })).toBe(
      'This device was away longer than the server keeps deletions, so it downloaded the workspace again: 2 items deleted elsewhere meanwhile were removed here. Nothing unsent was lost.',
    );
    expect(
      noticeText({ kind: 'update-required', detail: { which: 'client_too_old', message: 'Old' } }),
    ).toBe('Old');
    expect(noticeText({ kind: 'quota', detail: { error: 'x' } })).toMatch(/out of storage space/);
    const conflict = {
      activityId: 'a',
      entity: 'task',
      entityId: 'e',
      field: 'title',
      mine: 'Mine',
      theirs: 'Theirs',
      deleted: false,
      winner: null,
      at: '2026-12-01T00:00:00.000Z',
    };
    expect(noticeText({ kind: 'conflict', detail: conflict })).toBe(
      'Your task title \u201cMine\u201d was replaced by \u201cTheirs\u201d, written elsewhere after yours.',
    );
    const { theirs: _, ...deleted } = { ...conflict, deleted: true };
    expect(noticeText({ kind: 'conflict', detail: deleted })).toBe(
      'Your edit of a task\u2019s title (\u201cMine\u201d) was lost: the task was deleted.',
    );
  });

  it('names mutations', () => {
    expect(describeMutation('project.update')).toBe('editing a project');
    expect(describeMutation('task.create')).toBe('creating a task');
  });
});

describe('conflictWinnerWords', () => {
  const me = '01a232ea-0000-7000-8000-00000000000a' as EntityId;
  const ben = '01a232ea-0000-7000-8000-00000000000b' as EntityId;
  const device = '01a232ea-0000-7000-8000-0000000000d1' as ClientId;

  it('offers to keep theirs when another person won', () => {
    expect(conflictWinnerWords({ winner: { userId: ben, clientId: device } }, me, 'Ben')).toEqual({
      byWhom: 'Ben',
      whose: 'Ben\u2019s',
      how: 'edited',
      useMine: 'Use mine',
      keepTheirs: 'Keep theirs',
    });
    // Nobody the device can name.
    expect(conflictWinnerWords({ winner: null }, me, null)).toMatchObject({
      whose: null,
      how: 'written elsewhere',
      keepTheirs: 'Keep theirs',
    });
  });

  it('names the reader’s own other device, not “theirs”, when that device won', () => {
    expect(conflictWinnerWords({ winner: { userId: me, clientId: device } }, me, 'Ana')).toEqual({
      byWhom: 'you, on another device,',
      whose: 'your other device\u2019s',
      how: 'edited',
      useMine: 'Use this device\u2019s',
      keepTheirs: 'Keep the other device\u2019s',
    });
  });

  it('names the reader’s own write through the API as such', () => {
    expect(conflictWinnerWords({ winner: { userId: me, clientId: null } }, me, 'Ana')).toEqual({
      byWhom: 'you, through the API,',
      whose: 'your',
      how: 'written through the API',
      useMine: 'Use this device\u2019s',
      keepTheirs: 'Keep the API edit',
    });
  });

  it('says where the reader’s own winning write was made in the notice’s plain text', () => {
    const conflict = {
      activityId: 'a',
      entity: 'task',
      entityId: 'e',
      field: 'title',
      mine: 'Mine',
      theirs: 'Theirs',
      deleted: false,
      winner: { userId: me, clientId: device },
      at: '2026-12-01T00:00:00.000Z',
    };
    expect(noticeText({ kind: 'conflict', detail: conflict }, () => null, me)).toBe(
      'Your task title \u201cMine\u201d was replaced by \u201cTheirs\u201d, written on your other device after yours.',
    );
    expect(noticeText({ kind: 'conflict', detail: conflict }, () => null, ben)).toBe(
      'Your task title \u201cMine\u201d was replaced by \u201cTheirs\u201d, written elsewhere after yours.',
    );
  });
});

describe('changedSince (a conflict notice says a third value written since)', () => {
  const title = { field: 'title', mine: 'Launch', theirs: 'Launch v2', deleted: false };
  it('gives the value now when it is neither mine nor the winner’s', () => {
    expect(changedSince(title, { title: 'Launch v3' })).toEqual({ now: 'Launch v3' });
    expect(changedSince(title, { title: 'Launch v2' })).toBeNull();
    expect(changedSince(title, { title: 'Launch' })).toBeNull();
    expect(changedSince(title, undefined)).toBeNull();
    expect(changedSince({ ...title, deleted: true }, { title: 'Launch v3' })).toBeNull();
  });
  it('compares empties as the merge rules do', () => {
    const due = { field: 'dueDate', mine: '2026-12-24', theirs: null, deleted: false };
    expect(changedSince(due, {})).toBeNull();
    expect(changedSince(due, { dueDate: '2026-12-31' })).toEqual({ now: '2026-12-31' });
  });
});

describe('holdsLostValue (a conflict notice that no longer applies goes)', () => {
  const title = { field: 'title', mine: 'Launch', deleted: false };
  it('is true once the field holds the lost value again, false while the winner’s stays', () => {
    expect(holdsLostValue(title, { title: 'Launch v2' })).toBe(false);
    expect(holdsLostValue(title, { title: 'Launch' })).toBe(true);
    // A third value (someone wrote again) is not mine either.
    expect(holdsLostValue(title, { title: 'Launch v3' })).toBe(false);
  });
  it('compares as the merge rules do: an empty value lost is held by null or an absent field', () => {
    const nobody = { field: 'assigneeId', mine: null, deleted: false };
    expect(holdsLostValue(nobody, { assigneeId: null })).toBe(true);
    expect(holdsLostValue(nobody, {})).toBe(true);
    expect(holdsLostValue(nobody, { assigneeId: 'u1' })).toBe(false);
  });
  it('is false while the row is read or not here, and for an edit lost to a delete', () => {
    expect(holdsLostValue(title, undefined)).toBe(false);
    expect(holdsLostValue(title, null)).toBe(false);
    expect(holdsLostValue({ ...title, deleted: true }, { title: 'Launch' })).toBe(false);
  });
});

describe('netLostToDelete (what a delete took of the edits made here)', () => {
  const lost = (field: string, mine: unknown) => ({
    activityId: 'a',
    version: 9,
    entity: 'task' as const,
    entityId: 't1',
    field,
    mine,
    deleted: true,
    winner: null,
    at: '2026-12-06T00:00:00.000Z',
  });
  const history = [
    { action: 'delete' as const, version: 8, changes: [{ field: 'title', from: 'Fix the fence' }] },
    {
      action: 'update' as const,
      version: 5,
      changes: [{ field: 'title', from: 'Fix', to: 'Fix the fence' }],
    },
    {
      action: 'create' as const,
      version: 3,
      changes: [
        { field: 'title', to: 'Fix' },
        { field: 'status', to: 'todo' },
        { field: 'dueDate', to: null },
      ],
    },
    // Written after the delete (cannot be, but is not read as the value it held).
    {
      action: 'update' as const,
      version: 12,
      changes: [{ field: 'status', from: 'todo', to: 'done' }],
    },
  ];
  it('says each field once, with its last value', () => {
    const said = netLostToDelete([lost('title', 'A'), lost('title', 'B')], history);
    expect(said.map((c) => [c.field, c.mine])).toEqual([['title', 'B']]);
  });
  it('leaves out a field whose last value is what the row held when deleted (a tick, then its undo)', () => {
    expect(netLostToDelete([lost('status', 'done'), lost('status', 'todo')], history)).toEqual([]);
    const said = netLostToDelete(
      [lost('status', 'done'), lost('status', 'todo'), lost('title', 'C')],
      history,
    );
    expect(said.map((c) => c.field)).toEqual(['title']);
    // The newest value set before the delete, not the first.
    expect(netLostToDelete([lost('title', 'Fix the fence')], history)).toEqual([]);
    expect(netLostToDelete([lost('title', 'Fix')], history)).toHaveLength(1);
    // An empty value travels as null or is absent.
    expect(netLostToDelete([lost('dueDate', undefined)], history)).toEqual([]);
  });
  it('keeps a field whose value before is not known here', () => {
    expect(netLostToDelete([lost('notes', 'x')], history)).toHaveLength(1);
    expect(netLostToDelete([lost('status', 'todo')], [])).toHaveLength(1);
  });
});

describe('netLostToProject (what a project’s delete took of the edits made here)', () => {
  const lost = (entityId: string, field: string, mine: unknown) => ({
    activityId: 'a',
    version: 9,
    entity: 'task' as const,
    entityId,
    field,
    mine,
    deleted: true,
    winner: null,
    at: '2026-12-06T00:00:00.000Z',
  });
  const held = [
    { action: 'delete' as const, version: 8, changes: [{ field: 'title', from: 'Dig' }] },
    {
      action: 'create' as const,
      version: 3,
      changes: [
        { field: 'title', to: 'Dig' },
        { field: 'status', to: 'todo' },
      ],
    },
  ];
  const histories = new Map([
    ['t1', held],
    ['t2', held],
  ]);
  it('leaves out a task whose edits came to nothing (a tick, then its undo), and says the rest once', () => {
    const said = netLostToProject(
      [
        { taskId: 't1', details: [lost('t1', 'status', 'done'), lost('t1', 'status', 'todo')] },
        { taskId: 't2', details: [lost('t2', 'title', 'A'), lost('t2', 'title', 'B')] },
      ],
      histories,
    );
    expect(said.map((t) => [t.taskId, t.details.map((d) => [d.field, d.mine])])).toEqual([
      ['t2', [['title', 'B']]],
    ]);
  });
  it('is empty when no task lost anything', () => {
    const undone = (id: string) => ({
      taskId: id,
      details: [lost(id, 'status', 'done'), lost(id, 'status', 'todo')],
    });
    expect(netLostToProject([undone('t1'), undone('t2')], histories)).toEqual([]);
  });
  it('keeps the edits of a task whose history is not here', () => {
    expect(
      netLostToProject([{ taskId: 't3', details: [lost('t3', 'status', 'todo')] }], histories),
    ).toHaveLength(1);
  });
});

describe('refusedWrite', () => {
  it('reads the row and fields from our push’s mutation, else from the pulled audit entry', () => {
    const mutation = { type: 'task.update', id: 3, entityId: 't1', fields: { projectId: 'p2' } };
    expect(refusedWrite({ kind: 'rejected', detail: { mutation, code: 'VALIDATION' } })).toEqual({
      row: 't1',
      fields: ['projectId'],
    });
    const del = { type: 'task.delete', id: 4, entityId: 't2' };
    expect(refusedWrite({ kind: 'rejected', detail: { mutation: del } })).toEqual({
      row: 't2',
      fields: null,
    });
    const audit = { entity: 'task', entityId: 't3', changes: [{ field: 'status', to: 'done' }] };
    expect(refusedWrite({ kind: 'rejected', detail: audit })).toEqual({
      row: 't3',
      fields: ['status'],
    });
    expect(refusedWrite({ kind: 'rejected', detail: { entityId: null, changes: [] } })).toBeNull();
    expect(refusedWrite({ kind: 'conflict', detail: { entityId: 't1' } })).toBeNull();
  });
});

describe('conflictRestoreWords (the sync inspector’s restore button)', () => {
  const me = '01a232ea-0000-7000-8000-00000000000a' as EntityId;
  const ben = '01a232ea-0000-7000-8000-00000000000b' as EntityId;
  const here = '01a232ea-0000-7000-8000-0000000000d1' as ClientId;
  const laptop = '01a232ea-0000-7000-8000-0000000000d2' as ClientId;

  it('says “Use mine” when another person won', () => {
    expect(
      conflictRestoreWords(
        { winner: { userId: ben, clientId: laptop }, loser: { userId: me, clientId: here } },
        me,
        here,
      ),
    ).toBe('Use mine');
  });

  it('uses the notice’s words on the device that lost to the reader’s own other device or API', () => {
    const loser = { userId: me, clientId: here };
    expect(
      conflictRestoreWords({ winner: { userId: me, clientId: laptop }, loser }, me, here),
    ).toBe('Use this device\u2019s');
    expect(conflictRestoreWords({ winner: { userId: me, clientId: null }, loser }, me, here)).toBe(
      conflictWinnerWords({ winner: { userId: me, clientId: null } }, me, null).useMine,
    );
  });

  it('names the copy it brings back on the reader’s other devices', () => {
    // Read on the device that won: the value that lost was written on the other one.
    expect(
      conflictRestoreWords(
        { winner: { userId: me, clientId: here }, loser: { userId: me, clientId: laptop } },
        me,
        here,
      ),
    ).toBe('Use the other device\u2019s');
    expect(
      conflictRestoreWords(
        { winner: { userId: me, clientId: here }, loser: { userId: me, clientId: null } },
        me,
        here,
      ),
    ).toBe('Use the API edit');
  });
});

describe('refusedTaskCreates', () => {
  const task = '01a232ea-0000-7000-8000-000000000001';
  const project = '01a232ea-0000-7000-8000-000000000002';
  const ben = '01a232ea-0000-7000-8000-000000000003';
  const refused = (id: string, mutation: object) => ({
    id,
    kind: 'rejected' as const,
    detail: { mutation, code: 'validation', reason: `projectId: project ${project} is deleted` },
  });
  const create = {
    type: 'task.create',
    id: 4,
    entityId: task,
    fields: {
      projectId: project,
      title: 'Order chairs',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    },
  };

  it('gives the refused task every field it had: the create’s, then its later edits’', () => {
    const notices = [
      refused('n2', {
        type: 'task.update',
        id: 6,
        entityId: task,
        fields: { dueDate: '2026-12-24' },
      }),
      refused('n1', create),
      refused('n3', { type: 'task.update', id: 5, entityId: task, fields: { notes: 'Forty' } }),
      refused('n4', { type: 'task.update', id: 7, entityId: task, fields: { assigneeId: ben } }),
    ];
    const out = refusedTaskCreates(notices);
    expect(out.get('n1')).toEqual({
      taskId: task,
      projectId: project,
      task: {
        title: 'Order chairs',
        notes: 'Forty',
        status: 'todo',
        assigneeId: ben,
        dueDate: '2026-12-24',
      },
      also: ['n3', 'n2', 'n4'],
    });
    expect(out.get('n2')).toBeNull();
    expect(out.get('n3')).toBeNull();
    expect(lostTaskText(out.get('n1')!.task, (id) => (id === ben ? 'Ben' : null))).toBe(
      'Order chairs\nAssignee: Ben\nDue: 2026-12-24\n\nForty',
    );
  });

  it('leaves a refused edit of a task that exists as its own notice', () => {
    const edit = refused('n1', {
      type: 'task.update',
      id: 3,
      entityId: task,
      fields: { notes: 'x' },
    });
    const del = refused('n2', { type: 'task.delete', id: 4, entityId: task });
    expect(refusedTaskCreates([edit, del]).size).toBe(0);
  });
});

describe('groupLostToProject', () => {
  const project = '01a232ea-0000-7000-8000-00000000000a';
  const winner = {
    userId: '01a232ea-0000-7000-8000-00000000000b',
    clientId: '9b2f3c4d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  };
  const lost = (id: string, entityId: string, field: string, entity = 'task') => ({
    id,
    kind: 'conflict' as const,
    detail: {
      activityId: `a-${id}`,
      entity,
      entityId,
      field,
      mine: 'x',
      deleted: true,
      winner,
      at: '2026-12-03T00:00:00.000Z',
    },
  });
  const projectOf = (id: string) => (id.startsWith('t') ? project : null);

  it('makes the edits of several tasks of one deleted project one notice', () => {
    const notices = [
      lost('n1', 't1', 'notes'),
      lost('n2', 't2', 'dueDate'),
      lost('n3', 't1', 'title'),
      lost('n4', 'u1', 'notes'),
    ];
    const out = groupLostToProject(notices, projectOf);
    const group = out.get('n1');
    expect(group?.projectId).toBe(project);
    expect(group?.tasks.map((t) => [t.taskId, t.details.map((d) => d.field)])).toEqual([
      ['t1', ['notes', 'title']],
      ['t2', ['dueDate']],
    ]);
    expect(group?.ids).toEqual(['n1', 'n2', 'n3']);
    expect(out.get('n2')).toBeNull();
    expect(out.get('n3')).toBeNull();
    // A task not deleted with a project keeps its own notice.
    expect(out.has('n4')).toBe(false);
  });

  it('leaves one task’s edits to that task’s notice', () => {
    const out = groupLostToProject(
      [lost('n1', 't1', 'notes'), lost('n2', 't1', 'title')],
      projectOf,
    );
    expect(out.size).toBe(0);
  });
});

describe('addedToArchivedText', () => {
  const g = { projectId: 'p', projectName: 'Studio', by: 'Ana', titles: ['Paint walls'] };
  it('names one task, and counts several', () => {
    expect(addedToArchivedText(g)).toBe(
      '“Paint walls” was added to “Studio”, which Ana archived meanwhile',
    );
    expect(addedToArchivedText({ ...g, by: null, titles: ['A', 'B', 'C'] })).toBe(
      '3 tasks were added to “Studio”, which someone archived meanwhile',
    );
  });
});

describe('projectLostText (the project-lost notice’s sentence)', () => {
  it('names one task left after the net-change filter, never “1 of its tasks”', () => {
    expect(projectLostText('ben', 'Garden', ['Plant'])).toBe(
      'Ben deleted the project “Garden”; your changes to “Plant” were not applied.',
    );
    expect(projectLostText('someone', null, [null])).toBe(
      'Someone deleted the project; your changes to one of its tasks were not applied.',
    );
  });
  it('counts several', () => {
    expect(projectLostText('Ben', 'Garden', ['Plant', null, 'Water'])).toBe(
      'Ben deleted the project “Garden”; your changes to 3 of its tasks were not applied.',
    );
    expect(
      projectLostText(
        'Ben',
        'Garden',
        Array.from({ length: 1200 }, () => null),
      ),
    ).toContain('your changes to 1,200 of its tasks');
  });
});

describe('lostValuesText and typedTextLabel (a lost task’s values, said as the reader’s)', () => {
  it('says the values were the reader’s, not the task’s old ones', () => {
    expect(lostValuesText([{ label: 'status', value: 'In progress' }])).toBe(
      'you had set its status to In progress',
    );
    expect(
      lostValuesText([
        { label: 'status', value: 'In progress' },
        { label: 'due date', value: 'Dec 24' },
      ]),
    ).toBe('you had set its status to In progress and its due date to Dec 24');
  });
  it('labels the typed text as what the reader changed it to', () => {
    expect(typedTextLabel('title')).toBe('You had changed its title to');
  });
});
