import type { SyncClient } from '@outpost/sync';

/** What a removed member is told when they try to add or change something. */
export const REMOVED_REFUSAL =
  'You were removed from this organization: nothing can be added or changed here until an admin adds you again.';

/** A write refused on this device because its user was removed from the org. */
export class RemovedError extends Error {
  override name = 'RemovedError';
  constructor() {
    super(REMOVED_REFUSAL);
  }
}

export type Writes = Pick<
  SyncClient,
  | 'createProject'
  | 'updateProject'
  | 'deleteProject'
  | 'createTask'
  | 'createTasks'
  | 'updateTask'
  | 'updateTasks'
  | 'deleteTask'
>;

export const WRITES: readonly (keyof Writes)[] = [
  'createProject',
  'updateProject',
  'deleteProject',
  'createTask',
  'createTasks',
  'updateTask',
  'updateTasks',
  'deleteTask',
];

type AnyWrite = (...args: unknown[]) => Promise<unknown>;

/** A copy of `client` with each of its local writes (`WRITES`) passed through `wrap`. */
export function wrapWrites<C extends Writes>(client: C, wrap: (write: AnyWrite) => AnyWrite): C {
  const wrapped = { ...client };
  for (const name of WRITES)
    (wrapped as Record<string, unknown>)[name] = wrap(client[name] as AnyWrite);
  return wrapped;
}

/**
 * The client with its writes refused once the server said this user was removed (403
 * `MEMBER_REMOVED`): a write made now could never be sent, and would only add to what the
 * person loses at sign-out. `told` says why (a toast), whichever screen wrote. Writes are
 * allowed again once a sync succeeds (an admin added them back); a network error meanwhile
 * (offline) does not lift it.
 */
export function refuseWritesWhenRemoved<C extends Writes & Pick<SyncClient, 'status'>>(
  client: C,
  told: (message: string) => void,
): C {
  let removed = false;
  const check = () => {
    const { lastError } = client.status.getSnapshot();
    if (lastError?.code === 'MEMBER_REMOVED') removed = true;
    else if (lastError === null) removed = false;
  };
  check();
  client.status.subscribe(check);
  return wrapWrites(client, (write) => (...args) => {
    if (removed) {
      told(REMOVED_REFUSAL);
      return Promise.reject(new RemovedError());
    }
    return write(...args);
  });
}
