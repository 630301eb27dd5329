import { useMemo } from 'react';
import { SharedResourcesBrowser, type FetchJson } from '../../features/shared-resources';
import { useEngine } from '../engine/context';
import { OFFLINE_COPY_HEADER } from '../pwa/caches';
import { useDocumentTitle } from '../ui/use-document-title';

class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** `allowed`: this server lets the session's role read the library (`GET /api/v1/me`). */
export default function ResourcesScreen({ allowed }: { allowed: boolean }) {
  useDocumentTitle('Resources');
  const { session } = useEngine();
  const fetchJson = useMemo<FetchJson>(
    () => async (path, init) => {
      // Offline the token cannot be refreshed: send the request anyway, so the service worker
      // can answer from its copy of the pages already seen.
      const token = await session.getToken().catch(() => null);
      const res = await fetch(path, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const message =
          typeof body === 'object' &&
          body !== null &&
          'error' in body &&
          typeof body.error === 'string'
            ? body.error
            : `HTTP ${res.status}`;
        throw new HttpStatusError(message, res.status);
      }
      // An answer the service worker served from its copy: the browser may still say "online".
      if (res.headers.has(OFFLINE_COPY_HEADER) && typeof body === 'object' && body !== null) {
        return { ...body, offlineCopy: true };
      }
      return body;
    },
    [session],
  );

  if (!allowed) {
    return (
      <section className="panel" aria-labelledby="resources-heading">
        <h2 id="resources-heading">Shared resources</h2>
        <p role="status">
          The shared resources library is not available for your role ({session.user.role}) in this
          workspace. Ask an admin if you need something from it.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="resources-heading" className="stack">
      <h2 id="resources-heading">Shared resources</h2>
      <SharedResourcesBrowser fetchJson={fetchJson} heading={false} />
    </section>
  );
}
