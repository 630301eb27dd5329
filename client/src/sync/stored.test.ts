import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { syncCredentialSchema, userSchema } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { orgId } from './offline-page.test-kit';
import { openReplica } from './replica';
import { getStored, setStored } from './stored';

const userId = '0190a0b0-0000-7000-8000-0000000000ee';
const user = userSchema.parse({
  id: userId,
  orgId,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 1,
  email: 'ada@example.com',
  name: 'Ada',
  role: 'admin',
  externalId: 'user_ada',
});
const credential = syncCredentialSchema.parse({
  id: 'cred1',
  credential: 'osc_abc.def',
  clientId: '0190a0b0-0000-7000-8000-0000000000bb',
  expiresAt: '2026-12-31T00:00:00.000Z',
});

describe('what the engine stores for the app alone (@outpost/sync/stored)', () => {
  const open = () =>
    openReplica({ userId, orgId, user, indexedDB: new IDBFactory(), IDBKeyRange, sentinel: null });

  it('reads back the user openReplica kept and the credential the app stored', async () => {
    const replica = await open();
    expect(await getStored(replica.db, 'user')).toEqual(user);
    expect(await getStored(replica.db, 'credential')).toBeUndefined();
    await setStored(replica.db, 'credential', credential);
    expect(await getStored(replica.db, 'credential')).toEqual(credential);
    replica.close();
  });

  it('reads a value that no longer fits its schema (an older version wrote it) as absent', async () => {
    const replica = await open();
    await replica.db.meta.put({ key: 'credential', value: { ...credential, credential: 'abc' } });
    await replica.db.meta.put({ key: 'user', value: { ...user, role: 'owner' } });
    expect(await getStored(replica.db, 'credential')).toBeUndefined();
    expect(await getStored(replica.db, 'user')).toBeUndefined();
    replica.close();
  });
});
