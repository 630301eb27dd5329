import {
  can,
  memberActivitySchema,
  roleSchema,
  type MemberActivity,
  type Role,
  type User,
} from '@outpost/shared';
import { useCallback, useEffect, useState } from 'react';
import { useUsers } from '../../data';
import { useEngine } from '../engine/context';
import { confirmAction } from '../ui/confirm';
import { relativeTime } from '../ui/format';
import { Skeleton } from '../ui/Skeleton';

/** Whoever the shared permission table lets update users manages members. */
function canManageMembers(role: Role): boolean {
  return can(role, 'update', 'user');
}

/**
 * Member management for admins: the org's members (from the replica), their role and when they
 * were last seen (from the server). Role changes and removals go through the REST API, so the
 * server's engine applies, audits and syncs them like any other write.
 */
export default function MembersScreen() {
  const { session, client } = useEngine();
  const users = useUsers();
  const [activity, setActivity] = useState<MemberActivity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const call = useCallback(
    async (path: string, init: RequestInit = {}): Promise<unknown> => {
      const token = await session.getToken();
      const res = await fetch(path, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
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

  useEffect(() => {
    if (!canManageMembers(session.user.role)) return;
    let cancelled = false;
    call('/api/v1/members/last-seen')
      .then((body) => !cancelled && setActivity(memberActivitySchema.parse(body)))
      .catch((err: unknown) => !cancelled && setError(messageOf(err)));
    return () => {
      cancelled = true;
    };
  }, [call, session.user.role]);

  if (!canManageMembers(session.user.role)) {
    return (
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <p role="status">Only an admin of {session.user.orgId} manages members.</p>
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

  const clerkRoles = activity?.roleSource === 'clerk';
  const members = [...(users.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="members-heading" className="stack">
      <h2 id="members-heading">Members</h2>
      {clerkRoles && (
        <p className="muted" id="roles-note">
          Roles are managed in Clerk: change them in your organization&rsquo;s settings there.
          Outpost takes them from Clerk.
        </p>
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
                  <span className="muted"> {u.email}</span>
                </span>
                <span className="muted member-seen">
                  {seen ? `seen ${relativeTime(seen)}` : activity ? 'never seen' : ''}
                </span>
                <select
                  aria-label={`Role of ${u.name}`}
                  value={u.role}
                  disabled={self || clerkRoles || busy === u.id}
                  aria-describedby={clerkRoles ? 'roles-note' : undefined}
                  title={
                    clerkRoles
                      ? 'Roles are managed in Clerk'
                      : self
                        ? 'Another admin changes your role'
                        : undefined
                  }
                  onChange={(e) =>
                    void write(u, 'change the role of', {
                      method: 'PATCH',
                      body: JSON.stringify({ role: roleSchema.parse(e.target.value) }),
                    })
                  }
                >
                  {roleSchema.options.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                {!self && (
                  <button
                    type="button"
                    disabled={busy === u.id}
                    onClick={() =>
                      void confirmAction({
                        title: `Remove ${u.name}?`,
                        message: `${u.name} leaves ${session.user.orgId}; their devices stop syncing at once.`,
                        confirmLabel: 'Remove',
                        danger: true,
                      }).then((ok) => {
                        if (ok) return write(u, 'remove', { method: 'DELETE' });
                      })
                    }
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
