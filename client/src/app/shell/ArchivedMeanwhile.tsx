import { useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { addedToArchivedText, type AddedToArchivedGroup } from '../engine/notice-text';
import { useArchivedMeanwhile } from './archived-meanwhile';
import { href, useRoute } from './router';

/**
 * Tasks added here (offline, say) into a project someone archived before they reached the
 * server: one notice per project, after the sync — "“X” was added to “P”, which Ana archived
 * meanwhile · Open project" — answered by opening the project or by Dismiss, in any tab.
 */
export function ArchivedMeanwhile() {
  const { session } = useEngine();
  const { added, dismiss } = useArchivedMeanwhile();
  const users = useUsers().data;
  const route = useRoute();
  if (added.length === 0) return null;
  const me = session.user.id;
  const groups = new Map<string, AddedToArchivedGroup & { ids: string[] }>();
  for (const a of added) {
    const by =
      a.archivedBy === null
        ? null
        : a.archivedBy === me
          ? 'you'
          : (users?.find((u) => u.id === a.archivedBy)?.name ?? null);
    const g = groups.get(a.projectId);
    if (g) {
      g.ids.push(a.taskId);
      g.titles = [...g.titles, a.title];
      g.by ??= by;
    } else
      groups.set(a.projectId, {
        projectId: a.projectId,
        projectName: a.projectName,
        by,
        titles: [a.title],
        ids: [a.taskId],
      });
  }
  return (
    <>
      {[...groups.values()].map((g) => {
        const message = addedToArchivedText(g);
        // On the project's own screen there is nowhere to open: the notice says what happened.
        const here = route.name === 'project' && route.id === g.projectId;
        return (
          <div
            key={g.projectId}
            className="notice info"
            role="status"
            data-kind="archived-meanwhile"
            data-testid="archived-meanwhile"
          >
            <div>
              <p>
                {message}
                {!here && (
                  <>
                    {' · '}
                    <a
                      className="nowrap"
                      href={href({ name: 'project', id: g.projectId })}
                      onClick={() => dismiss(g.ids)}
                    >
                      Open project
                    </a>
                  </>
                )}
              </p>
              {g.titles.length > 1 && (
                <ul aria-label="Tasks added" className="lost-writes">
                  {g.titles.map((t, i) => (
                    <li key={g.ids[i]}>“{t}”</li>
                  ))}
                </ul>
              )}
            </div>
            <button type="button" aria-label={`Dismiss: ${message}`} onClick={() => dismiss(g.ids)}>
              Dismiss
            </button>
          </div>
        );
      })}
    </>
  );
}
