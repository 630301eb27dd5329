/**
 * A server entry for the checker's own test: the real app with one mechanism broken, per org,
 * so one process serves every variant (and a healthy control). Never used outside tests.
 * - orgs named `…fault-duplicate…`: a replayed mutation is applied again instead of being
 *   answered `duplicate` (the per-client last mutation id is ignored for the request's ids);
 * - orgs named `…fault-sequence…`: a pull page leaves out its second change, as if a later
 *   seq had become visible before an earlier one committed.
 * (The third variant, a replica whose rebase drops pending writes, is client-side: see
 * `ReplicaOptions.rebase`.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientId, OrgId, PushRequest } from '@outpost/shared';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/engine/types.js';
import type { ClientRecord, Store, StoreTx } from '../../src/store/types.js';

const request = new AsyncLocalStorage<{ orgId: OrgId; firstId: number }>();

/** A proxy that overrides some members and forwards the rest bound to the target. */
function override<T extends object>(target: T, members: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in members) return (members as Record<PropertyKey, unknown>)[key];
      const v = Reflect.get(t, key, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

function faultyTx(tx: StoreTx): StoreTx {
  return override(tx, {
    async getClient(clientId: ClientId): Promise<ClientRecord | null> {
      const real = await tx.getClient(clientId);
      const ctx = request.getStore();
      if (!real || !ctx || !ctx.orgId.includes('fault-duplicate')) return real;
      return { ...real, lastMutationId: Math.min(real.lastMutationId, ctx.firstId - 1) };
    },
    async putClient(client: ClientRecord): Promise<void> {
      // Keep the real progress, so only the replay is wrong, not everything after it.
      const real = await tx.getClient(client.clientId);
      await tx.putClient({
        ...client,
        lastMutationId: Math.max(client.lastMutationId, real?.lastMutationId ?? 0),
      });
    },
  });
}

function faultyStore(store: Store): Store {
  return override(store, {
    transact: <T>(fn: (tx: StoreTx) => Promise<T>) => store.transact((tx) => fn(faultyTx(tx))),
    async changes(orgId: OrgId, afterSeq: number, limit: number) {
      const page = await store.changes(orgId, afterSeq, limit);
      return orgId.includes('fault-sequence') && page.length >= 3
        ? page.filter((_, i) => i !== 1)
        : page;
    },
  });
}

const config = loadConfig();
const app = await buildApp(config, { wrapStore: faultyStore });
const push = app.engine.push.bind(app.engine);
app.engine.push = (actor: Actor, req: PushRequest) =>
  request.run({ orgId: actor.orgId, firstId: req.mutations[0]?.id ?? 0 }, () => push(actor, req));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: config.HOST, port: config.PORT });
const addr = app.server.address();
const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
console.log(`Outpost is running at http://${config.HOST}:${port} (faulty test server)`);
