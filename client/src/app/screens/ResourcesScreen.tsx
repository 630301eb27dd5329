import { useEngine } from '../engine/context';

/** Roles the server lets read external data by default (EXTERNAL_DATA_ROLES); it still decides. */
const ALLOWED = new Set(['admin', 'manager']);

export default function ResourcesScreen() {
  const { session } = useEngine();
  if (!ALLOWED.has(session.user.role)) {
    return (
      <section className="panel" aria-labelledby="resources-heading">
        <h2 id="resources-heading">Shared resources</h2>
        <p role="status">
          The shared resources library is not available for your role ({session.user.role}). Ask an admin or a manager of{' '}
          {session.user.orgId} if you need something from it.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="resources-heading" className="stack">
      <h2 id="resources-heading">Shared resources</h2>
      {/* TODO(H6): mount SharedResourcesBrowser from features/shared-resources once it lands. */}
      <p className="muted">The shared resources browser is not available in this build yet.</p>
    </section>
  );
}
