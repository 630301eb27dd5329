import {
  can,
  isInvitation,
  memberActivitySchema,
  roleSchema,
  type MemberActivity,
  type Role,
  type User,
  type UserFields,
} from '@outpost/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSyncStatus, useUsers } from '../../data';
import { orgLabel } from '../auth/token-org';
import { useEngine } from '../engine/context';
import { confirmAction, type ConfirmRequest, type ConfirmWatch } from '../ui/confirm';
import { relativeTime } from '../ui/format';
import { RoleOptions } from '../ui/RoleOptions';
import { Skeleton } from '../ui/Skeleton';
import { toasts } from '../ui/toasts';
import { unavailableProps, unavailableSelectProps } from '../ui/unavailable';
import { useFocusWhenRowGoes } from '../ui/focus-row-gone';
import {
  failureText,
  offlineWaitText,
  Unanswered,
  wentOffline,
  type AskedAction,
} from './members/failure';
import { InviteForm } from './members/InviteForm';
import { useDocumentTitle } from '../ui/use-document-title';

/** The line saying why inviting, role changes and removals wait for the connection. */
const OFFLINE_REASON = 'members-offline';

/** What a row's controls say while its change is on its way (announced politely). */
const SAVING = 'Saving…';

/** The element in a row saying why its controls wait (saving, removed). */
const rowReasonId = (u: User) => `member-${u.id}-state`;

/** How often an open Members tab asks again when each member was last seen. */
const SEEN_EVERY_MS = 60_000;

/** Whoever the shared permission table lets update users manages members. */
function canManageMembers(role: Role): boolean {
  return can(role, 'update', 'user');
}

/**
 * Member management for admins: the org's members and the people invited who have not signed in
 * yet (from the replica), their role and when they were last seen (from the server), and an
 * invitation form. Invitations, role changes and removals go through the REST API, so the
 * server's engine applies, audits and syncs them like any other write; they need a connection.
 */
export default function MembersScreen() {
  useDocumentTitle('Members');
  const { session, client } = useEngine();
  const users = useUsers();
  const { online } = useSyncStatus();
  const [activity, setActivity] = useState<MemberActivity | null>(null);
  // `offline`: the connection went mid-request; cleared once it is back (the list then shows).
  const [error, setError] = useState<{ text: string; offline: boolean } | null>(null);
  // Rows whose change is on its way ("Saving…"), or which the server removed and the replica
  // still lists ("Removed"): their controls stay in place, keep focus, and do nothing.
  const [rowState, setRowState] = useState<ReadonlyMap<string, string>>(new Map());
  // The same, at once (a second press in the same render sends nothing).
  const sending = useRef(new Set<string>());
  // A role picked and being saved, shown until the replica has it (or a newer version of the row).
  const [picked, setPicked] = useState<Readonly<Record<string, { role: Role; version: number }>>>(
    {},
  );
  const [inviting, setInviting] = useState(false);
  const inviteButton = useRef<HTMLButtonElement>(null);
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhenRowGoes(section, () => heading.current);
  const manages = canManageMembers(session.user.role);

  const call = useCallback(
    async (path: string, init: RequestInit = {}): Promise<unknown> => {
      const token = await session.getToken();
      const res = await fetch(path, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      }).catch(() => {
        throw new Unanswered();
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const message = (body as { error?: unknown } | null)?.error;
        throw new Error(typeof message === 'string' ? message : `HTTP ${res.status}`);
      }
      return body;
    },
    [session],
  );

  // Asked again when the connection comes back (offline, the list is the replica's alone), when
  // someone joins (an invitation just accepted), and each minute while open (the server records
  // "seen" at most once a minute).
  const joined = users.data?.filter((u) => !isInvitation(u)).length ?? 0;
  useEffect(() => {
    if (!manages || !online) return;
    let cancelled = false;
    const load = () =>
      call('/api/v1/members/last-seen')
        .then((body) => !cancelled && setActivity(memberActivitySchema.parse(body)))
        .catch((err: unknown) => !cancelled && setError({ text: messageOf(err), offline: false }));
    void load();
    const every = setInterval(() => void load(), SEEN_EVERY_MS);
    return () => {
      cancelled = true;
      clearInterval(every);
    };
  }, [call, manages, online, joined]);

  // Back online, "you're offline, it may not have gone through" has done its job: the list syncs.
  useEffect(() => {
    if (online) setError((e) => (e?.offline ? null : e));
  }, [online]);

  // What the replica now holds ends a picked role and a removed row's wait.
  useEffect(() => {
    const rows = new Map<string, User>((users.data ?? []).map((u) => [u.id, u]));
    setPicked((p) => {
      const left = Object.entries(p).filter(([id, pick]) => {
        const u = rows.get(id);
        return sending.current.has(id) || (u && u.role !== pick.role && u.version === pick.version);
      });
      return left.length === Object.keys(p).length ? p : Object.fromEntries(left);
    });
    setRowState((m) => {
      const left = [...m].filter(([id]) => rows.has(id) || sending.current.has(id));
      return left.length === m.size ? m : new Map(left);
    });
  }, [users.data]);

  if (!manages) {
    return (
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <p role="status">Only an admin of this workspace manages members.</p>
      </section>
    );
  }

  function setRow(id: string, words: string | null) {
    setRowState((m) => {
      const next = new Map(m);
      if (words === null) next.delete(id);
      else next.set(id, words);
      return next;
    });
  }

  /**
   * Sends one row's change. Meanwhile its controls say "Saving…" and do nothing (focus stays
   * where it is); the answer brings them back, except after a removal: the row is gone for the
   * server, so they wait ("Removed") until the replica drops it, and nothing is sent twice.
   */
  async function write(user: User, what: string, init: RequestInit, done?: string) {
    if (sending.current.has(user.id)) return;
    sending.current.add(user.id);
    setRow(user.id, SAVING);
    setError(null);
    try {
      await call(`/api/v1/primary-data/users/${encodeURIComponent(user.id)}`, init);
      // The server's change reaches this replica with the next pull.
      client.syncNow();
      setRow(user.id, done ?? null);
    } catch (err) {
      const offlineNow = !navigator.onLine;
      setError({
        text: failureText(what, user.name, err, offlineNow),
        offline: wentOffline(err, offlineNow),
      });
      setRow(user.id, null);
      setPicked(({ [user.id]: _, ...rest }) => rest);
    } finally {
      sending.current.delete(user.id);
    }
  }

  /**
   * Remove / Revoke: asks first; the open question's confirm waits while offline, saying which
   * action on whom needs the connection (Cancel works).
   */
  function removeAfterAsking(
    user: User,
    question: ConfirmRequest,
    what: AskedAction,
    done: string,
  ) {
    const followOnline: ConfirmWatch = (update) => {
      const tell = () =>
        update({
          ...question,
          unavailable: client.status.getSnapshot().online
            ? undefined
            : offlineWaitText(what, user.name),
        });
      tell();
      return client.status.subscribe(tell);
    };
    void confirmAction(question, followOnline).then((ok) => {
      if (ok) return write(user, what, { method: 'DELETE' }, done);
    });
  }

  async function invite(fields: UserFields) {
    try {
      await call('/api/v1/primary-data/users', { method: 'POST', body: JSON.stringify(fields) });
    } catch (err) {
      throw new Error(failureText('invite', fields.name, err, !navigator.onLine));
    }
    client.syncNow();
    closeInvite();
    toasts.show({
      message: `Invited “${fields.name}” to sign in with “${fields.email}”.`,
      durationMs: 6000,
    });
  }

  function closeInvite() {
    setInviting(false);
    // Back where the person was, not at the top of the page.
    queueMicrotask(() => inviteButton.current?.focus());
  }

  // Roles and invitations come from Clerk in Clerk mode; until the server says, the session's.
  const clerkRoles = activity ? activity.roleSource === 'clerk' : session.mode === 'clerk';
  // By name already (`readUsers`).
  const everyone = users.data ?? [];
  const members = everyone.filter((u) => !isInvitation(u));
  const invited = everyone.filter(isInvitation);
  const offline = !online;

  /** While a row waits (saving, removed) or the connection is gone, its controls do nothing. */
  function waits(u: User): boolean {
    return offline || rowState.has(u.id) || sending.current.has(u.id);
  }
  /** The element saying why: the row's own state first, then the offline line. */
  function reasonOf(u: User): string {
    return rowState.has(u.id) ? rowReasonId(u) : OFFLINE_REASON;
  }

  function roleSelect(u: User, self: boolean) {
    // Offline or saving it keeps focus and the reason, and no key or press changes the role
    // (see `unavailableSelectProps`); who may never change it here is `disabled` outright.
    return (
      <select
        aria-label={`Role of ${u.name}`}
        value={picked[u.id]?.role ?? u.role}
        disabled={self || clerkRoles}
        {...unavailableSelectProps(waits(u), reasonOf(u), clerkRoles ? 'roles-note' : undefined)}
        title={
          clerkRoles
            ? 'Roles are managed in Clerk'
            : self
              ? 'Another admin changes your role'
              : undefined
        }
        onChange={(e) => {
          if (waits(u)) return;
          const role = roleSchema.parse(e.target.value);
          // Shown while it is saved (the replica still has the old role until the next pull).
          setPicked((p) => ({ ...p, [u.id]: { role, version: u.version } }));
          void write(u, 'change the role of', {
            method: 'PATCH',
            body: JSON.stringify({ role }),
          });
        }}
      >
        <RoleOptions />
      </select>
    );
  }

  return (
    <section ref={section} aria-labelledby="members-heading" className="stack">
      <div className="row members-head">
        <h2 id="members-heading" ref={heading} tabIndex={-1}>
          Members
        </h2>
        {!clerkRoles && !inviting && (
          // Offline it looks and acts unavailable, the reason tied to it. `aria-disabled`, not
          // `disabled`: a disabled button drops keyboard focus to the page when the connection goes.
          <button
            ref={inviteButton}
            type="button"
            className="primary"
            {...unavailableProps(offline, OFFLINE_REASON)}
            onClick={() => {
              if (!offline) setInviting(true);
            }}
          >
            Invite someone
          </button>
        )}
      </div>
      {clerkRoles && (
        <p className="muted" id="roles-note">
          Roles are managed in Clerk: change them in your organization&rsquo;s settings there, and
          invite people from there too. Outpost takes them from Clerk; someone invited appears here
          when they first sign in.
        </p>
      )}
      {offline && (
        <p className="notice warn" role="status" id={OFFLINE_REASON}>
          You&rsquo;re offline. Inviting people, changing roles and removing members need a
          connection.
        </p>
      )}
      {inviting && !clerkRoles && (
        <InviteForm
          users={users.data ?? []}
          offline={offline}
          offlineReasonId={OFFLINE_REASON}
          onInvite={invite}
          onClose={closeInvite}
        />
      )}
      {error && (
        <p role="alert" className={`notice ${error.offline ? 'warn' : 'bad'}`}>
          {error.text}
        </p>
      )}
      {users.data === undefined ? (
        <Skeleton label="Loading members" rows={4} />
      ) : (
        <ul className="list panel" aria-label="Members">
          {members.map((u) => {
            const self = u.id === session.user.id;
            const seen = activity?.lastSeen[u.id];
            return (
              <li key={u.id} className="member-row">
                <span className="member-who">
                  <strong>{u.name}</strong>
                  {self && <span className="muted"> (you)</span>}
                  <Email email={u.email} />
                </span>
                <span className="muted member-seen">
                  {/* You are here now: your own row says so rather than "seen 36 s ago". */}
                  {!rowState.has(u.id) &&
                    (self
                      ? online
                        ? 'online now'
                        : 'offline'
                      : seen
                        ? `seen ${relativeTime(seen)}`
                        : activity
                          ? 'never seen'
                          : '')}
                  <RowState id={rowReasonId(u)} words={rowState.get(u.id)} />
                </span>
                {roleSelect(u, self)}
                {!self && (
                  <button
                    type="button"
                    {...unavailableProps(waits(u), reasonOf(u))}
                    onClick={() => {
                      if (waits(u)) return;
                      removeAfterAsking(
                        u,
                        {
                          title: `Remove ${u.name}?`,
                          message: `${u.name} leaves ${orgLabel(session.user.orgId)}; their devices stop syncing at once, and the tasks assigned to them become unassigned.`,
                          confirmLabel: 'Remove',
                          danger: true,
                        },
                        'remove',
                        'Removed',
                      );
                    }}
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {invited.length > 0 && (
        <>
          <h3 id="invited-heading">Invited ({invited.length})</h3>
          <ul className="list panel" aria-labelledby="invited-heading">
            {invited.map((u) => (
              <li key={u.id} className="member-row">
                <span className="member-who">
                  <strong>{u.name}</strong>
                  <Email email={u.email} />
                </span>
                <span className="muted member-seen">
                  {!rowState.has(u.id) &&
                    `invited ${relativeTime(u.createdAt)} · not signed in yet`}
                  <RowState id={rowReasonId(u)} words={rowState.get(u.id)} />
                </span>
                {roleSelect(u, false)}
                <button
                  type="button"
                  {...unavailableProps(waits(u), reasonOf(u))}
                  onClick={() => {
                    if (waits(u)) return;
                    removeAfterAsking(
                      u,
                      {
                        title: `Revoke the invitation for ${u.name}?`,
                        message: `Signing in with ${u.email} will no longer join ${orgLabel(session.user.orgId)}, and the tasks assigned to ${u.name} become unassigned.`,
                        confirmLabel: 'Revoke invitation',
                        danger: true,
                      },
                      'revoke the invitation for',
                      'Invitation revoked',
                    );
                  }}
                >
                  Revoke invitation
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * A row's state (saving, removed), said politely as it changes: always in the row, empty when
 * there is nothing to say, so a screen reader hears it come. Its controls are described by it.
 */
function RowState({ id, words }: { id: string; words: string | undefined }) {
  return (
    <span id={id} aria-live="polite">
      {words}
    </span>
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An email on one line: it goes under the name when the row is narrow, and one too long for
 * the line ends in an ellipsis, the full address in its tooltip (screen readers read it all).
 * It broke anywhere, a hyphen included ("ana@walk-" / "mx7h.example.com").
 */
function Email({ email }: { email: string }) {
  return (
    <>
      {' '}
      <span className="muted member-email" title={email}>
        {email}
      </span>
    </>
  );
}
