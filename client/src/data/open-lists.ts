import { useEffect, useMemo, useState } from 'react';
import type { TaskStatus } from '@outpost/shared';
import { useSyncClient } from './context';
import { taskIdList } from './id-lists';
import { afterPaint } from './idle';
import { useTaskCounts, useTaskHead, useTaskIds } from './task-hooks';
import type { TaskCounts, TaskHead } from './reads';

/** A project's lists as its screen opens them (see `useOpenTaskLists`). */
export interface OpenTaskLists {
  doing: readonly string[] | undefined;
  todo: readonly string[] | undefined;
  /** Read only while Completed is shown. */
  done: readonly string[] | undefined;
  /** The first rows of the open sections, while their id lists are not read. */
  head: TaskHead | undefined;
  /**
   * The project's per-status counts (hidden ones left out): from the index while the id lists
   * are being read, then the lengths of the id lists themselves.
   */
  counts: TaskCounts | undefined;
}

/**
 * A project's task lists, first screen first: the head of each open section (a few rows, by
 * the index with a limit) is read and painted before the sections' full id lists are asked for.
 * IndexedDB answers one database's requests in turn, so a project's 8,000 ids asked for at once
 * held the head and the counts back behind them (~130 ms of a 10,000-task project's first
 * rows), and laying out 8,000 items came before the first row too. Lists still held in memory
 * (a project left less than a while ago) are used at once; `now` (a sorted list: the head is
 * in creation order) reads the ids at once.
 */
export function useOpenTaskLists(
  projectId: string,
  { showCompleted, now = false }: { showCompleted: boolean; now?: boolean },
): OpenTaskLists {
  const { replica } = useSyncClient();
  const held = (status: TaskStatus) =>
    taskIdList(replica.db, projectId, status).getSnapshot() !== undefined;
  // The project whose head has been painted (the screen is keyed by project; this is in case).
  const [painted, setPainted] = useState<string | null>(null);
  const all = now || painted === projectId;
  const doing = useTaskIds(projectId, 'doing', all || held('doing')).data;
  const todo = useTaskIds(projectId, 'todo', all || held('todo')).data;
  // Read (ids only) once the head is painted even while Completed is folded: its count then
  // comes from it too (below).
  const doneIds = useTaskIds(projectId, 'done', all || held('done')).data;
  const done = showCompleted ? doneIds : undefined;
  const head = useTaskHead(projectId, !doing || !todo);
  // Once the three id lists are read, the counts are their lengths: they change in the same
  // render as the lists, patched from the rows a commit wrote (task-view.ts). A live count of
  // the index read the counts again after every change to the project — a read transaction,
  // then a second render of the list after the change was shown. Until then (the first
  // screen), the count of the index.
  const listed = useMemo(
    (): TaskCounts | undefined =>
      doing && todo && doneIds
        ? { doing: doing.length, todo: todo.length, done: doneIds.length }
        : undefined,
    [doing, todo, doneIds],
  );
  const indexed = useTaskCounts(projectId, listed === undefined).data;
  const counts = listed ?? indexed;
  const headIn = head.data !== undefined || head.failed;
  useEffect(() => {
    if (all || !headIn) return;
    return afterPaint(() => setPainted(projectId));
  }, [all, headIn, projectId]);
  return { doing, todo, done, head: head.data, counts };
}
