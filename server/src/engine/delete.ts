import {
  applyDelete,
  deletedWithProjectReason,
  type HlcString,
  type RowEntity,
} from '@outpost/shared';
import type { StoredRow } from '../store/types.js';
import { recordState } from './rows.js';
import type { Attribution, TxWriter } from './writer.js';

const CASCADE_PAGE = 500;

/**
 * Tombstones a row and records it (`delete`, plus `conflict` for edits stamped after the
 * delete). Deleting a project also deletes its live tasks, at the same clock and in the same
 * transaction, so no replica keeps tasks of a project that no longer exists. Returns the
 * written row, or null when nothing changed (it was already deleted at a later clock).
 */
export async function deleteRow(
  w: TxWriter,
  who: Attribution,
  entity: RowEntity,
  prev: StoredRow,
  hlc: HlcString,
  reason: string | null = null,
): Promise<Record<string, unknown> | null> {
  const result = applyDelete(recordState(prev), hlc);
  const data = await w.recordWrite(who, entity, prev.id, prev, result, reason);
  if (entity === 'project' && result.changed.length > 0) {
    for (;;) {
      // Each deleted task drops out of the live list, so always read the first page.
      const tasks = await w.tx.listRows({
        orgId: w.orgId,
        entity: 'task',
        filter: { projectId: prev.id },
        afterId: null,
        limit: CASCADE_PAGE,
      });
      for (const task of tasks) {
        await deleteRow(w, who, 'task', task, hlc, deletedWithProjectReason(prev.id));
      }
      if (tasks.length < CASCADE_PAGE) break;
    }
  }
  return data;
}
