import { useEffect, useSyncExternalStore } from 'react';
import { EXTERNAL_DATA_READERS, meResponseSchema, type ServerAccess } from '@outpost/shared';
import type { Accounts } from './accounts';
import type { Session } from './session';

/**
 * What the server lets this session's role reach beyond the org's data, as `GET /api/v1/me`
 * last said (remembered with the account, so an offline start offers the same). Before the
 * server has answered once: the server's default roles (`EXTERNAL_DATA_READERS`).
 */
export function useServerAccess(session: Session, accounts: Accounts): ServerAccess {
  const stored = useSyncExternalStore(
    accounts.subscribe,
    () => accounts.getSnapshot().accounts.find((a) => a.user.id === session.user.id)?.access,
  );
  useEffect(() => {
    const stop = new AbortController();
    const ask = () => {
      if (!navigator.onLine) return;
      void askServer(session, stop.signal).then((access) => {
        if (access && !stop.signal.aborted) accounts.setAccess(session.user.id, access);
      });
    };
    ask();
    // A role's access changes with the server's configuration: ask again on each reconnect.
    window.addEventListener('online', ask);
    return () => {
      stop.abort();
      window.removeEventListener('online', ask);
    };
  }, [session, accounts]);
  return stored ?? { externalData: EXTERNAL_DATA_READERS.includes(session.user.role) };
}

/** The server's `access` for this session's user, or undefined when it cannot say now. */
async function askServer(session: Session, signal: AbortSignal): Promise<ServerAccess | undefined> {
  try {
    const res = await fetch('/api/v1/me', {
      headers: { authorization: `Bearer ${await session.getToken()}` },
      signal,
    });
    if (!res.ok) return undefined;
    const me = meResponseSchema.safeParse(await res.json());
    // An older server (no `access`), or an answer for someone else: keep what we had.
    return me.success && me.data.user.id === session.user.id ? me.data.access : undefined;
  } catch {
    return undefined;
  }
}
