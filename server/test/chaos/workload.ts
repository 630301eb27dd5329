import { userSchema, type EntityId, type OrgId, type Role } from '@outpost/shared';
import { z } from 'zod';
import { checkRebase } from './checker.js';
import type { Cluster } from './cluster.js';
import { postJson } from './http.js';
import type { Rng } from './random.js';
import { SimReplica } from './replica.js';

const devToken = z.object({ token: z.string(), user: userSchema });

export interface Person {
  name: string;
  role: Role;
  /** Device clock offset (ms); negative = behind. */
  skewMs?: number;
}

/** The cast of every workload: different users, one member (deletes refused), one clock behind. */
export const PEOPLE: readonly Person[] = [
  { name: 'ana', role: 'admin' },
  { name: 'ben', role: 'manager', skewMs: -90 * 60_000 },
  { name: 'mia', role: 'member' },
  { name: 'cy', role: 'manager' },
];

export interface Org {
  orgId: OrgId;
  replicas: SimReplica[];
  projects: EntityId[];
}

async function signIn(url: string, orgId: OrgId, p: Person) {
  const res = await postJson(`${url}/api/v1/auth/dev-token`, {
    email: `${p.name}.${orgId.toLowerCase().replace(/_/g, '-')}@example.com`,
    name: p.name,
    orgId,
    role: p.role,
  });
  if (res.status !== 200)
    throw new Error(`dev-token: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return devToken.parse(res.json);
}

/** Runs one harness request (the soak passes its purge gate here); by default just runs it. */
export type Step = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: Step = (fn) => fn();

/** Signs the cast into a new org; the admin creates a project with a few tasks; all sync. */
export async function setUpOrg(
  cluster: Cluster,
  orgId: OrgId,
  options: {
    people?: readonly Person[];
    rebase?: boolean;
    resyncKeepsPending?: boolean;
    step?: Step;
  } = {},
): Promise<Org> {
  const step = options.step ?? direct;
  const replicas: SimReplica[] = [];
  for (const p of options.people ?? PEOPLE) {
    const { token, user } = await step(() => cluster.call((url) => signIn(url, orgId, p)));
    replicas.push(
      new SimReplica({
        name: p.name,
        role: p.role,
        orgId,
        userId: user.id as EntityId,
        token,
        ...(p.skewMs !== undefined ? { skewMs: p.skewMs } : {}),
        ...(options.rebase !== undefined ? { rebase: options.rebase } : {}),
        ...(options.resyncKeepsPending !== undefined
          ? { resyncKeepsPending: options.resyncKeepsPending }
          : {}),
      }),
    );
  }
  const admin = replicas[0]!;
  const project = admin.createProject('Shared');
  for (const title of ['shared 1', 'shared 2', 'shared 3']) admin.createTask(project, title);
  await flush(cluster, replicas, step);
  return { orgId, replicas, projects: [project] };
}

/**
 * Brings every replica online and syncs until each outbox is empty and every replica has
 * pulled the same head — what "once everyone has synced" means. Throws if it cannot. Each
 * request is its own `step`, so a purge may land between them (a pull behind it resyncs).
 */
export async function flush(
  cluster: Cluster,
  replicas: readonly SimReplica[],
  step: Step = direct,
): Promise<void> {
  for (const r of replicas) r.online = true;
  // Everyone's outbox reaches the server first; then each pull brings back everything.
  for (const r of replicas) {
    for (let attempt = 0; r.outbox.length > 0; attempt++) {
      if (attempt > 200)
        throw new Error(`${r.name}: outbox did not drain (${r.outbox.length} left)`);
      const out = await step(async () => r.push(await cluster.anyUrl(), { size: 100 }));
      // A gap means our oldest unacked is already processed: a pull acknowledges it.
      if (out !== 'ok') await step(async () => r.pull(await cluster.anyUrl(), 500));
    }
  }
  for (const r of replicas) {
    for (
      let attempt = 0;
      (await step(async () => r.pull(await cluster.anyUrl(), 500))) !== 'ok';
      attempt++
    )
      if (attempt > 50) throw new Error(`${r.name}: could not pull`);
  }
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma'];
const STATUSES = ['todo', 'doing', 'done'];

/** One local write: a create, a field edit or a delete, on a shared task or one's own. */
export function localWrite(r: SimReplica, org: Org, rng: Rng): void {
  const live = r.liveTasks();
  const own = live.filter((id) =>
    r.journal.some((m) => m.type === 'task.create' && m.entityId === id),
  );
  const roll = rng.next();
  if (roll < 0.2 || live.length === 0) {
    r.createTask(rng.pick(org.projects), `${r.name} ${rng.pick(WORDS)}`);
    return;
  }
  const target = own.length > 0 && rng.chance(0.4) ? rng.pick(own) : rng.pick(live);
  if (roll < 0.85) {
    const field = rng.pick(['title', 'notes', 'status'] as const);
    const value =
      field === 'status' ? rng.pick(STATUSES) : `${field} ${rng.pick(WORDS)} ${rng.int(100)}`;
    r.editTask(target, field, value);
  } else {
    r.deleteTask(target);
  }
}

/** What the network does to one replica in one step. */
export async function networkStep(
  r: SimReplica,
  cluster: Cluster,
  rng: Rng,
  onPush?: (slot: number, send: () => Promise<unknown>) => Promise<unknown>,
): Promise<string> {
  const slot = rng.int(cluster.size);
  const roll = rng.next();
  const push = (options: Parameters<SimReplica['push']>[1]) => {
    const send = () => r.push(cluster.url(slot), options);
    return onPush ? onPush(slot, send) : send();
  };
  if (roll < 0.35) {
    // A normal push of the oldest unacknowledged; sometimes the answer is lost on the way back.
    await push({ size: 1 + rng.int(8), loseAnswer: rng.chance(0.15) });
    return 'push';
  }
  if (roll < 0.6) {
    const out = await r.pull(cluster.url(slot), 1 + rng.int(60));
    if (out === 'ok') r.problems.push(...checkRebase(r));
    return 'pull';
  }
  if (roll < 0.7) {
    // A duplicated delivery: a batch sent earlier arrives again.
    if (r.sent.length > 0) await push({ mutations: rng.pick(r.sent) });
    return 'replay';
  }
  if (roll < 0.78) {
    // A reordered delivery: a later slice of the outbox arrives before the earlier one.
    if (r.outbox.length > 1) {
      const from = 1 + rng.int(r.outbox.length - 1);
      await push({ mutations: r.outbox.slice(from, from + 1 + rng.int(4)) });
    }
    return 'reorder';
  }
  if (roll < 0.9) {
    r.online = !r.online;
    return r.online ? 'online' : 'offline';
  }
  r.restartTab();
  return 'restart';
}
