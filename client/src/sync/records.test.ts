import {
  HybridLogicalClock,
  newClientId,
  orgIdSchema,
  type EntityId,
  type HlcString,
  type Mutation,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import type { BaseRow } from './db';
import {
  baseFromMirror,
  clocked,
  materialize,
  packClocks,
  unclocked,
  unpackClocks,
} from './records';

const orgId = orgIdSchema.parse('acme');
const clock = new HybridLogicalClock(newClientId(), {
  now: () => Date.parse('2026-11-30T10:00:00Z'),
});
const id = '0190a0b0-0000-7000-8000-0000000000t1' as EntityId;
const projectId = '0190a0b0-0000-7000-8000-0000000000p1' as EntityId;

function serverTask(title: string, hlc: HlcString): BaseRow {
  return {
    entity: 'task',
    id,
    row: {
      id,
      orgId,
      createdAt: '2026-11-30T09:00:00.000Z',
      updatedAt: '2026-11-30T09:00:00.000Z',
      version: 3,
      projectId,
      title,
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    },
    clocks: { projectId: hlc, title: hlc, notes: hlc, status: hlc, assigneeId: hlc, dueDate: hlc },
    deleted: null,
    seq: 3,
  };
}

describe('field clocks on mirror rows', () => {
  it('pack the most common clock under * and round-trip', () => {
    const a = clock.now();
    const b = clock.now();
    const clocks = { projectId: a, title: b, notes: a, status: a, assigneeId: a, dueDate: a };
    const packed = packClocks(clocks);
    expect(packed).toEqual({ '*': a, title: b });
    expect(unpackClocks('task', packed)).toEqual(clocks);
    expect(packClocks({})).toEqual({});
  });

  it('a mirror row without pending writes turns back into the server row it came from', () => {
    const base = serverTask('Draft', clock.now());
    const row = clocked(base.row, base.clocks);
    expect(baseFromMirror('task', row)).toEqual(base);
    expect(unclocked(row)).toEqual(base.row);
  });
});

describe('materialize', () => {
  it('shows pending writes on top of the server row, keeping its identity', () => {
    const base = serverTask('Draft', clock.now());
    const edit: Mutation = {
      type: 'task.update',
      id: 1 as never,
      hlc: clock.now(),
      entityId: id,
      fields: { title: 'Final' },
      base: { title: base.clocks.title! },
    };
    const row = materialize('task', id, orgId, base, [edit])!;
    expect(unclocked(row)).toMatchObject({ id, title: 'Final', version: 3, status: 'todo' });
    expect(row.$c).toEqual({ '*': base.clocks.notes, title: edit.hlc });
  });

  it('is null for a deleted row and for an update whose create the replica never saw', () => {
    const base = serverTask('Draft', clock.now());
    const del: Mutation = { type: 'task.delete', id: 2 as never, hlc: clock.now(), entityId: id };
    expect(materialize('task', id, orgId, base, [del])).toBeNull();
    const orphan: Mutation = {
      type: 'task.update',
      id: 3 as never,
      hlc: clock.now(),
      entityId: id,
      fields: { title: 'x' },
      base: { title: null },
    };
    expect(materialize('task', id, orgId, undefined, [orphan])).toBeNull();
  });
});
