import { lostToDelete, type Activity } from '@outpost/shared';
import { Fragment, useId, useState, type ReactNode } from 'react';
import type { Burst } from './bursts';
import { CutQuote } from '../../ui/CutQuote';
import { timeLabel } from '../../ui/format';
import { reasonText } from '../../ui/reason-text';
import {
  actorName,
  actorOf,
  describeActivity,
  describeChange,
  describeConflict,
  projectOf,
  rowName,
  subjectText,
  type Lookup,
} from './describe';

const NOUN: Record<Activity['entity'], string> = {
  task: 'task',
  project: 'project',
  user: 'member',
  activity: 'activity',
  'shared-resource': 'shared resource',
};

/** An update lists this many changed fields, then says how many more. */
const MAX_LINES = 6;
/** A burst names this many rows inline before "Show all". */
const PREVIEW = 3;

/**
 * “Name”: a task or project still here is a link to it (the feed was a dead end, as in a mail
 * digest); a deleted one is plain text.
 */
function Quoted({
  activity: a,
  name,
  lookup,
  wraps = false,
  after = '',
}: {
  activity: Activity;
  name: string;
  lookup: Lookup;
  /** A task's title wraps as plain text (a burst's full list, one title per line, thousands). */
  wraps?: boolean;
  /** Punctuation right after the ” (a list's ","), kept on the quote's line. */
  after?: string;
}) {
  const to =
    a.entityId && (a.entity === 'task' || a.entity === 'project')
      ? (lookup.open?.(a.entity, a.entityId) ?? null)
      : null;
  const shown = to ? <a href={to}>{name}</a> : name;
  // One line at most: a long name (a task's title may run to 500 characters) is cut rather than
  // wrapping the entry to seven lines on a phone; its link, text and tooltip keep the whole name.
  return a.entity === 'project' || (a.entity === 'task' && !wraps) ? (
    <CutQuote title={`“${name}”`} after={after}>
      {shown}
    </CutQuote>
  ) : (
    <>
      “{shown}”{after}
    </>
  );
}

/**
 * "in Launch" for a task whose project is known, its name a link to the project while it is still
 * here (plain text once deleted), as a task's or project's name in the sentence is. One line at
 * most: a long name is cut with an ellipsis (its whole text is still read out, and shown in the
 * tooltip) rather than wrapping the entry to four lines on a phone.
 */
function ProjectContext({ projectId, lookup }: { projectId: string | null; lookup: Lookup }) {
  const name = projectId ? lookup.name(projectId) : null;
  if (!projectId || !name) return null;
  const to = lookup.open?.('project', projectId) ?? null;
  return (
    <>
      {' '}
      <span className="muted activity-project" title={`in ${name}`}>
        · in {to ? <a href={to}>{name}</a> : name}
      </span>
    </>
  );
}

function Line({ children, at, badge }: { children: ReactNode; at: string; badge?: ReactNode }) {
  return (
    <div className="row activity-line">
      <span className="grow">{children}</span>
      {badge}
      <time className="muted" dateTime={at}>
        {timeLabel(new Date(at))}
      </time>
    </div>
  );
}

export function ActivityItem({ activity: a, lookup }: { activity: Activity; lookup: Lookup }) {
  const actor = <strong>{actorName(a, lookup)}</strong>;
  const you = a.actorId !== null && a.actorId === lookup.me;
  const name = rowName(a, lookup);
  const subject = name ? (
    <>
      the {NOUN[a.entity]} <Quoted activity={a} name={name} lookup={lookup} />
    </>
  ) : (
    `a ${NOUN[a.entity]}`
  );
  const said = describeActivity(a, lookup);
  const joined = said?.alone === true;
  // A task or project is named as a link to it; a member by their name ("you", "themselves").
  const named = said?.name ?? name;
  const saidSubject =
    named && (a.entity === 'task' || a.entity === 'project') ? (
      <>
        {a.entity === 'project' && 'the project '}
        <Quoted activity={a} name={named} lookup={lookup} />
      </>
    ) : (
      subjectText(a, lookup, named)
    );
  const sentence = said ? (
    joined ? (
      <>
        <strong>{actorOf(a, lookup)}</strong> {said.verb}
      </>
    ) : (
      <>
        {actor} {said.verb} {saidSubject}
        {said.tail}
      </>
    )
  ) : a.action === 'conflict' ? (
    // A conflict blames nobody: its lines say whose value was kept and whose was lost.
    <>Edits collided on {subject}</>
  ) : a.action === 'rejected' ? (
    <>
      {you ? <strong>Your</strong> : <>{actor}’s</>} change to {subject} was refused
    </>
  ) : (
    <>
      {actor} {you ? 'were' : 'was'} refused access to {subject}
    </>
  );
  const lines =
    a.action === 'conflict'
      ? a.changes.map((c) => describeConflict(c, lookup, lostToDelete(a)))
      : a.action === 'update' || a.action === 'rejected'
        ? (said?.rest ?? a.changes).slice(0, MAX_LINES).map((c) => describeChange(c, lookup))
        : [];
  const more = a.action === 'update' ? (said?.rest ?? a.changes).length - MAX_LINES : 0;
  if (more > 0) lines.push(`and ${more} more ${more === 1 ? 'field' : 'fields'}`);
  const badge =
    a.action === 'conflict' ? (
      <span className="badge pending">conflict</span>
    ) : a.action === 'rejected' || a.action === 'access-denied' ? (
      <span className="badge bad">refused</span>
    ) : null;
  // A conflict's own lines say what happened; its reason is the merge rule, not news.
  const why = a.reason && !joined && a.action !== 'conflict' ? a.reason : null;
  return (
    <li className="stack activity-item" data-action={a.action}>
      <Line at={a.createdAt} badge={badge}>
        {sentence}
        {a.entity === 'task' && <ProjectContext projectId={projectOf(a, lookup)} lookup={lookup} />}
      </Line>
      {why && <p className="muted">Why: {reasonText(why, lookup.name, lookup.me)}</p>}
      {lines.length > 0 && (
        <ul className="muted activity-changes">
          {lines.map((l, i) => (
            <li key={i} data-testid={a.action === 'conflict' ? 'conflict-line' : undefined}>
              {l}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** "Ana created 250 tasks · in Launch", a few names, and every name on demand. */
export function BurstItem({ burst, lookup }: { burst: Burst; lookup: Lookup }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const first = burst.items[0]!;
  const count = burst.items.length;
  const noun = `${NOUN[first.entity]}s`;
  // A bulk change says what it did once: "You completed 2,083 tasks", "Ana assigned 5 tasks to Bo".
  const said = burst.action === 'update' ? describeActivity(first, lookup) : null;
  const verb = said
    ? said.verb
    : burst.action === 'delete'
      ? 'deleted'
      : first.entity === 'task'
        ? 'added'
        : 'created';
  const names = burst.items.map((a) => rowName(a, lookup));
  const quoted = (i: number, wraps = false, after = '') => {
    const n = names[i];
    return n ? (
      <Quoted activity={burst.items[i]!} name={n} lookup={lookup} wraps={wraps} after={after} />
    ) : (
      `an unnamed ${NOUN[first.entity]}${after}`
    );
  };
  return (
    <li className="stack activity-item" data-action={burst.action} data-burst={count}>
      <Line at={first.createdAt}>
        <strong>{actorName(first, lookup)}</strong> {verb} {count.toLocaleString()} {noun}
        {said?.tail}
        {first.entity === 'task' && <ProjectContext projectId={burst.projectId} lookup={lookup} />}
      </Line>
      {first.reason && (
        <p className="muted">Why: {reasonText(first.reason, lookup.name, lookup.me)}</p>
      )}
      <p className="muted">
        {burst.items.slice(0, PREVIEW).map((a, i, shown) => (
          <Fragment key={a.id}>
            {i > 0 && ' '}
            {/* The comma on its name's line: after a name that filled its line it wrapped alone. */}
            {quoted(i, false, i < shown.length - 1 ? ',' : '')}
          </Fragment>
        ))}
        {/* Every name said already (a burst of PREVIEW or fewer): no list to show them again. */}
        {count > PREVIEW && (
          <>
            {` and ${count - PREVIEW} more `}
            <button
              type="button"
              className="link"
              aria-expanded={open}
              aria-controls={listId}
              onClick={() => setOpen((o) => !o)}
            >
              {open ? 'Hide the list' : `Show all ${count.toLocaleString()}`}
            </button>
          </>
        )}
      </p>
      {count > PREVIEW && (
        <ul id={listId} className="muted activity-changes" hidden={!open}>
          {open && burst.items.map((a, i) => <li key={a.id}>{quoted(i, true)}</li>)}
        </ul>
      )}
    </li>
  );
}
