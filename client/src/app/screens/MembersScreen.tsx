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
import { confirmAction } from '../ui/confirm';
import { relativeTime } from '../ui/format';
import { RoleOptions } from '../ui/RoleOptions';
import { Skeleton } from '../ui/Skeleton';
import { toasts } from '../ui/toasts';
import { unavailableProps, unavailableSelectProps } from '../ui/unavailable';
import { InviteForm } from './members/InviteForm';

/** The line saying why inviting, role changes and removals wait for the connection. */
const OFFLINE_REASON = 'members-offline';

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
  const { session, client } = useEngine();
  const users = useUsers();
  const { online } = useSyncStatus();
  const [activity, setActivity] = useState<MemberActivity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const inviteButton = useRef<HTMLButtonElement>(null);
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
        throw new Error('the server could not be reached. Try again when you are online.');
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
        .catch((err: unknown) => !cancelled && setError(messageOf(err)));
    void load();
    const every = setInterval(() => void load(), SEEN_EVERY_MS);
    return () => {
      cancelled = true;
      clearInterval(every);
    };
  }, [call, manages, online, joined]);

  if (!manages) {
    return (
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <p role="status">Only an admin of this workspace manages members.</p>
      </section>
    );
  }

  async function write(user: User, what: string, init: RequestInit) {
    setBusy(user.id);
    setError(null);
    try {
      await call(`/api/v1/primary-data/users/${encodeURIComponent(user.id)}`, init);
      // The server's change reaches this replica with the next pull.
      client.syncNow();
    } catch (err) {
      setError(`Could not ${what} ${user.name}: ${messageOf(err)}`);
    } finally {
      setBusy(null);
    }
  }

  async function invite(fields: UserFields) {
    try {
      await call('/api/v1/primary-data/users', { method: 'POST', body: JSON.stringify(fields) });
    } catch (err) {
      throw new Error(`Could not invite ${fields.name}: ${messageOf(err)}`);
    }
    client.syncNow();
    closeInvite();
    toasts.show({
      message: `Invited ${fields.name}. They join when they sign in with ${fields.email}.`,
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

  function roleSelect(u: User, self: boolean) {
    // Offline it keeps focus and the reason, and no key or press changes the role (see
    // `unavailableSelectProps`); who may never change it here is `disabled` outright.
    return (
      <select
        aria-label={`Role of ${u.name}`}
        value={u.role}
        disabled={self || clerkRoles || busy === u.id}
        {...unavailableSelectProps(offline, OFFLINE_REASON, clerkRoles ? 'roles-note' : undefined)}
        title={
          clerkRoles
            ? 'Roles are managed in Clerk'
            : self
              ? 'Another admin changes your role'
              : undefined
        }
        onChange={(e) => {
          if (offline) return;
          void write(u, 'change the role of', {
            method: 'PATCH',
            body: JSON.stringify({ role: roleSchema.parse(e.target.value) }),
          });
        }}
      >
        <RoleOptions />
      </select>
    );
  }

  return (
    <section aria-labelledby="members-heading" className="stack">
      <div className="row members-head">
        <h2 id="members-heading">Members</h2>
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
      {error && <p role="alert">{error}</p>}
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
                  {self
                    ? online
                      ? 'online now'
                      : 'offline'
                    : seen
                      ? `seen ${relativeTime(seen)}`
                      : activity
                        ? 'never seen'
                        : ''}
                </span>
                {roleSelect(u, self)}
                {!self && (
                  <button
                    type="button"
                    disabled={busy === u.id}
                    {...unavailableProps(offline, OFFLINE_REASON)}
                    onClick={() => {
                      if (offline) return;
                      void confirmAction({
                        title: `Remove ${u.name}?`,
                        message: `${u.name} leaves ${orgLabel(session.user.orgId)}; their devices stop syncing at once.`,
                        confirmLabel: 'Remove',
                        danger: true,
                      }).then((ok) => {
                        if (ok) return write(u, 'remove', { method: 'DELETE' });
                      });
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
                  invited {relativeTime(u.createdAt)} · not signed in yet
                </span>
                {roleSelect(u, false)}
                <button
                  type="button"
                  disabled={busy === u.id}
                  {...unavailableProps(offline, OFFLINE_REASON)}
                  onClick={() => {
                    if (offline) return;
                    void confirmAction({
                      title: `Revoke the invitation for ${u.name}?`,
                      message: `Signing in with ${u.email} will no longer join ${orgLabel(session.user.orgId)}.`,
                      confirmLabel: 'Revoke invitation',
                      danger: true,
                    }).then((ok) => {
                      if (ok) return write(u, 'revoke the invitation for', { method: 'DELETE' });
                    });
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
