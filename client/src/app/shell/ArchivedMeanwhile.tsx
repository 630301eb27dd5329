import { useState } from 'react';
import { useAddedToArchived, useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { href } from './router';

/** Tasks already told about (answered), per user: told once, not again after a reload. */
const toldKey = (userId: string) => `outpost-archived-told:${userId}`;
const MAX_TOLD = 200;

function readTold(userId: string): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(toldKey(userId)) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Tasks added on this device (offline, say) to a project someone archived before they reached
 * the server. The server takes tasks in an archived project (an archived project is still read
 * and written; only the app offers no "Add a task…" there), so they were added: the reader is
 * told once, after sync — "“X” was added to “P”, which Ana archived meanwhile" — with a link to
 * the project, where the task can be finished or moved out.
 */
export function ArchivedMeanwhile() {
  const { session } = useEngine();
  const me = session.user.id;
  // Creates the server recorded since a little before this tab opened (a clock a little off
  // misses none; those already told are remembered).
  const [since] = useState(() => new Date(Date.now() - 3_600_000).toISOString());
  const added = useAddedToArchived(since);
  const users = useUsers().data;
  const [told, setTold] = useState(() => readTold(me));
  const fresh = (added ?? []).filter((a) => !told.includes(a.taskId));
  if (fresh.length === 0) return null;
  const dismiss = (taskId: string) => {
    const next = [...readTold(me).filter((id) => id !== taskId), taskId].slice(-MAX_TOLD);
    try {
      localStorage.setItem(toldKey(me), JSON.stringify(next));
    } catch {
      // Storage full or blocked: told for this tab only.
    }
    setTold(next);
  };
  return (
    <>
      {fresh.map((a) => {
        const who =
          a.archivedBy === me
            ? 'you'
            : (users?.find((u) => u.id === a.archivedBy)?.name ?? 'someone');
        const message = `“${a.title}” was added to “${a.projectName}”, which ${who} archived meanwhile.`;
        return (
          <div
            key={a.taskId}
            className="notice info"
            role="status"
            data-kind="archived-meanwhile"
            data-testid="archived-meanwhile"
          >
            <div>
              <p>
                {message} <a href={href({ name: 'project', id: a.projectId })}>Open project</a>
              </p>
            </div>
            <button
              type="button"
              aria-label={`Dismiss: ${message}`}
              onClick={() => dismiss(a.taskId)}
            >
              Dismiss
            </button>
          </div>
        );
      })}
    </>
  );
}
