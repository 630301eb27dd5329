import type { Activity, PullResponse } from '@outpost/shared';
import type { Replica } from './replica';

export interface ActivityNotice {
  id: string;
  kind: 'conflict' | 'rejected';
  message: string;
  detail: Activity;
}

/**
 * Notices raised by pulled audit entries concerning this user: a concurrent write lost a
 * last-writer-wins race (`conflict`), or a mutation of this device was refused while we
 * were not looking (e.g. the push answer was lost in a crash).
 */
export function activityNotices(page: PullResponse, replica: Replica): ActivityNotice[] {
  const out: ActivityNotice[] = [];
  for (const c of page.changes) {
    if (c.entity !== 'activity' || c.deleted) continue;
    const a = c.row;
    if (a.action === 'conflict' && a.actorId === replica.userId) {
      const fields = a.changes.map((ch) => ch.field).join(', ');
      out.push({
        id: `conflict:${a.id}`,
        kind: 'conflict',
        message: `A concurrent edit to the same ${a.entity} (${fields}) was resolved; the losing value is kept in the activity log.`,
        detail: a,
      });
    } else if (
      a.action === 'rejected' &&
      a.clientId === replica.clientId &&
      a.mutationId !== null
    ) {
      out.push({
        // Same id as the push-result notice, so a rejection is reported once.
        id: `rejected:${replica.clientId}:${a.mutationId}`,
        kind: 'rejected',
        message: `The server refused a change to a ${a.entity}: ${a.reason ?? 'no reason given'}. The change was undone.`,
        detail: a,
      });
    }
  }
  return out;
}
