import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { Notice } from '@outpost/sync';
import { useDeletedWithProject, useEntityNames, useStatusOf } from '../../data';
import { useEngine } from '../engine/context';
import {
  conflictDetailSchema,
  groupLostToDelete,
  groupLostToProject,
  noticeIds,
  noticeText,
  refusedTaskCreates,
} from '../engine/notice-text';
import { ConflictNotice } from './ConflictNotice';
import { NoticeStack } from './NoticeStack';
import { RefusedTaskNotice } from './RefusedTaskNotice';
import { ProjectLostNotice } from './ProjectLostNotice';
import { LeftBehindNotice, type LeftBehind } from './LeftBehindNotice';
import { orgLabel } from '../auth/token-org';
import { ArchivedMeanwhile } from './ArchivedMeanwhile';
import { KeptRefusedNotices, UnsavedTextNotices } from './UnsavedTextNotice';
import { useInset } from '../ui/insets';
import { useFocusBackWhenGone } from '../ui/focus-back';
import {
  describeWrite,
  lostWrites,
  withLostWrites,
  type UnsentWrite,
} from '../engine/unsent-journal';

const TONE: Record<Notice['kind'], 'warn' | 'bad' | 'info'> = {
  rejected: 'bad',
  conflict: 'warn',
  evicted: 'bad',
  quota: 'bad',
  'update-required': 'info',
  'sync-blocked': 'bad',
  resynced: 'info',
};

/**
 * Rejections, conflicts, eviction, quota and version notices from the engine, as toasts above
 * the status bar (they arrive asynchronously and must not push the page around). Storage
 * that is not persistent is explained only in the sync inspector (with a button to ask the
 * browser to keep the data), not on every screen.
 */
export function Notices({
  leftBehind,
  onLeftBehindDone,
}: {
  leftBehind: LeftBehind | null;
  onLeftBehindDone(): void;
}) {
  const { client, session, unsentBeforeEviction } = useEngine();
  const notices = useSyncExternalStore(client.notices.subscribe, client.notices.getSnapshot);
  const protocol = useStatusOf(client.status, (s) => s.protocol);
  // Rows the notices mention, named from this device's copy (a refused edit says which task).
  const names = useEntityNames(useMemo(() => notices.flatMap(noticeIds), [notices]));
  const name = (id: string) => names?.get(id) ?? null;
  // The notices float over the page's end: the page gets as much room again below its end
  // (styles.css, .app), so what they cover — on a short page, the only rows there are — can be
  // scrolled up above them instead of staying under them until each is answered.
  // Edits of one row lost to its delete (one per field) are one notice, said by the first.
  const lostTogether = useMemo(() => groupLostToDelete(notices), [notices]);
  // Edits of several tasks lost to their project's delete are one notice, for the project
  // (which project's delete took each task: its delete, once read).
  const projectOf = useDeletedWithProject(useMemo(() => deletedTaskIds(notices), [notices]));
  const lostToProject = useMemo(
    () => groupLostToProject(notices, (id) => projectOf?.get(id) ?? null),
    [notices, projectOf],
  );
  // A task added here and refused (with its edits, refused with it) is one notice, to get it back.
  const refusedTasks = useMemo(() => refusedTaskCreates(notices), [notices]);
  const region = useRef<HTMLDivElement>(null);
  useInset('bottom', region, '--notices-height');
  // A notice answered from the keyboard (its OK, Keep theirs) takes focus with it: given back.
  useFocusBackWhenGone(region);

  return (
    <div ref={region} aria-label="Notices" role="region" className="notices">
      {leftBehind && (
        <LeftBehindNotice
          leftBehind={leftBehind}
          now={orgLabel(session.user.orgId)}
          onDismiss={onLeftBehindDone}
        />
      )}
      {protocol !== 'ok' && (
        <div className="notice info" role="alert">
          <div>
            <p>
              {protocol === 'client_too_old'
                ? 'This version of the app is too old for the server. Reload to update — your unsent changes are kept.'
                : 'The server is older than this app. Your changes stay on this device until the server is updated.'}
            </p>
          </div>
          {protocol === 'client_too_old' && (
            <button type="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          )}
        </div>
      )}
      {/* Hands text a closed page kept, refused at this start, to the unsaved-text notices. */}
      <KeptRefusedNotices />
      {/* On a phone the newest (the last) shows, the others under "2 more notices". */}
      <NoticeStack>
        <ArchivedMeanwhile />
        {notices.map(one)}
        <UnsavedTextNotices />
      </NoticeStack>
    </div>
  );

  /** One notice as it shows (null: said by another, or not read yet). */
  function one(n: Notice) {
    const conflict = n.kind === 'conflict' ? conflictDetailSchema.safeParse(n.detail) : null;
    if (conflict?.success) {
      // Until it is known which project each deleted task went with, they wait (no flicker).
      if (conflict.data.deleted && conflict.data.entity === 'task' && !projectOf) return null;
      const project = lostToProject.get(n.id);
      if (project === null) return null; // said by its project's first notice
      if (project)
        return (
          <ProjectLostNotice
            key={n.id}
            lost={project}
            onDone={() => {
              for (const id of project.ids) client.notices.dismiss(id);
            }}
          />
        );
      const group = lostTogether.get(n.id);
      if (group === null) return null; // said by its row's first notice
      return (
        <ConflictNotice
          key={n.id}
          detail={conflict.data}
          also={group?.map((g) => g.detail)}
          onDone={() => {
            client.notices.dismiss(n.id);
            for (const g of group ?? []) client.notices.dismiss(g.id);
          }}
        />
      );
    }
    // An eviction's count is never below the list of lost writes shown with it.
    const lost = n.kind === 'evicted' ? lostWrites(unsentBeforeEviction, n.detail) : [];
    const message = noticeText(withLostWrites(n, lost), name, session.user.id);
    const refused = refusedTasks.get(n.id);
    if (refused === null) return null; // said by its task's create
    if (refused)
      return (
        <RefusedTaskNotice
          key={n.id}
          message={message}
          refused={refused}
          onDone={() => {
            client.notices.dismiss(n.id);
            for (const id of refused.also) client.notices.dismiss(id);
          }}
        />
      );
    return (
      <div
        key={n.id}
        className={`notice ${TONE[n.kind]}`}
        role={TONE[n.kind] === 'bad' ? 'alert' : 'status'}
        data-kind={n.kind}
      >
        <div>
          <p>{message}</p>
          {n.kind === 'evicted' && <LostWrites writes={lost} />}
        </div>
        <button
          type="button"
          aria-label={`Dismiss: ${message}`}
          onClick={() => client.notices.dismiss(n.id)}
        >
          Dismiss
        </button>
      </div>
    );
  }
}

/** The tasks whose edits were lost to their deletion (to learn which went with a project). */
function deletedTaskIds(notices: readonly Notice[]): string[] {
  return notices.flatMap((n) => {
    if (n.kind !== 'conflict') return [];
    const c = conflictDetailSchema.safeParse(n.detail);
    return c.success && c.data.deleted && c.data.entity === 'task' ? [c.data.entityId] : [];
  });
}

/** Which writes an eviction lost, by title, so the user knows what to redo. */
function LostWrites({ writes }: { writes: readonly UnsentWrite[] }) {
  if (writes.length === 0) return null;
  return (
    <ul aria-label="Lost changes" className="lost-writes">
      {writes.map((w) => (
        <li key={w.mutationId}>
          “{w.label}” ({describeWrite(w.type)})
        </li>
      ))}
    </ul>
  );
}
