import { useQuery } from '@tanstack/react-query';
import { EXTERNAL_DATA_READERS, meResponseSchema, type ServerAccess } from '@outpost/shared';
import { queryKeys } from '../../data';
import type { Session } from './session';

/**
 * What the server lets this session's role reach beyond the org's data, as `GET /api/v1/me`
 * says (server data: the persisted query cache keeps the last answer for offline starts, and
 * it is asked again as other server data is). Until the server has answered, or when it cannot
 * say: the server's default roles (`EXTERNAL_DATA_READERS`).
 */
export function useServerAccess(session: Session): ServerAccess {
  const { data } = useQuery({
    queryKey: queryKeys.me(session.user.orgId, session.user.id),
    queryFn: ({ signal }) => fetchAccess(session, signal),
  });
  return data ?? { externalData: EXTERNAL_DATA_READERS.includes(session.user.role) };
}

class MeRequestError extends Error {
  override name = 'MeRequestError';
  constructor(readonly status: number) {
    super(`GET /api/v1/me answered HTTP ${status}`);
  }
}

async function fetchAccess(session: Session, signal: AbortSignal): Promise<ServerAccess> {
  const res = await fetch('/api/v1/me', {
    headers: { authorization: `Bearer ${await session.getToken()}` },
    signal,
  });
  if (!res.ok) throw new MeRequestError(res.status);
  const me = meResponseSchema.parse(await res.json());
  if (me.user.id !== session.user.id) throw new Error('GET /api/v1/me answered for another user');
  return me.access;
}
