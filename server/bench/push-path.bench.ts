/**
 * `pnpm --filter @outpost/server bench:push-path` — where the server's part of a
 * device-to-device write goes (issue 17): one writer pushes N single task creates 50 ms apart
 * over keep-alive HTTP to the full app (real SQLite with the default SQLITE_SYNCHRONOUS=FULL,
 * dev-mode auth), a second user's socket (protocol ≥ 5) receives the pokes. Per push, in this
 * one process's clock: received → authenticated → body parsed (zod) → committed (fsync
 * included) → carried changes read → poke frame at the reader, and → answer at the writer.
 * Beside it, a bare SQLite FULL commit of two rows in the same run (the floor of a commit);
 * then the same pushes over the writer's own socket (protocol 6), the engine's path when open.
 * The org first gets `SEED` (default 1,000: a full activity window) task creates, so the
 * activity window read before each poke walks what it walks in an org with some history.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type Mutation,
} from '@outpost/shared';
import { buildTestApp } from '../test/helpers/app.js';
import { devToken } from '../test/helpers/auth.js';
import { WsTestClient } from '../test/helpers/ws-client.js';

const N = Number(process.env['N'] ?? 200);
const SEED = Number(process.env['SEED'] ?? 1_000);
const GAP_MS = 50;
const now = () => performance.now();

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const row = (what: string, xs: number[]) =>
  console.log(
    `| ${what.padEnd(44)} | ${f(pct(xs, 50)).padStart(6)} | ${f(pct(xs, 95)).padStart(6)} | ${f(pct(xs, 99)).padStart(6)} |`,
  );

/** One keep-alive POST; resolves when the whole answer arrived. */
function post(agent: http.Agent, url: string, token: string, body: unknown): Promise<string> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function bareCommits(n: number): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bare-'));
  const db = new Database(path.join(dir, 'x.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id integer primary key, v text)');
  const ins = db.prepare('insert into t (v) values (?)');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    db.transaction(() => {
      ins.run('x'.repeat(600));
      ins.run('y'.repeat(900));
    })();
    out.push(now() - t);
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

interface Marks {
  received?: number;
  authed?: number;
  parsed?: number;
  committed?: number;
  /** The real-time layer's commit listener asked for the carried changes (`engine.carry`). */
  carrying?: number;
  carried?: number;
  sent?: number;
}

/**
 * Pushes over the writer's own socket (one frame each, answered on it), a second user's socket
 * receiving the pokes: socket → engine (parse, token, throttle), engine → committed, and from
 * the commit to the poke at the reader and to the answer at the writer.
 */
async function socketLeg(
  url: string,
  engine: Awaited<ReturnType<typeof buildTestApp>>['engine'],
  writerToken: string,
  readerToken: string,
  projectId: string,
): Promise<Record<string, number[]>> {
  const clientId = newClientId();
  const hlc = new HybridLogicalClock(clientId);
  const writer = await WsTestClient.join(url, { token: writerToken, clientId });
  const reader = await WsTestClient.join(url, { token: readerToken, clientId: newClientId() });
  const pokeAt = new Map<number, number>();
  // Before the client's own listener, which wakes `until`.
  reader.ws.prependListener('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { type: string; cursor?: number };
    if (msg.type === 'poke') pokeAt.set(msg.cursor!, now());
  });
  let started = 0;
  let committed = 0;
  const push = engine.push.bind(engine);
  engine.push = (...args) => ((started = now()), (committed = 0), push(...args));
  const carryMs: number[] = [];
  const carry = engine.carry;
  engine.carry = async (...args) => {
    const at = now();
    // Called by the real-time layer's commit listener (registered first), before ours below.
    committed ||= at;
    const out = await carry(...args);
    carryMs.push(now() - at);
    return out;
  };
  const off = engine.onCommit(() => {
    committed ||= now();
  });
  const rows = { sent: [] as number[], started: [] as number[], committed: [] as number[] };
  const answers: { at: number; cursor: number }[] = [];
  const t0 = now();
  for (let i = 0; i < N; i++) {
    const wait = t0 + i * GAP_MS - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const request = {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'task.create',
          id: i + 1,
          entityId: newEntityId(),
          hlc: hlc.now(),
          fields: {
            projectId,
            title: `socket task ${i}`,
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: null,
          },
        },
      ],
    };
    rows.sent.push(now());
    writer.send({ type: 'push', n: i, request });
    const answer = await writer.waitFor((m) => m.type === 'pushed' && m.n === i);
    answers.push({ at: now(), cursor: answer.type === 'pushed' ? answer.response.cursor : -1 });
    rows.started.push(started);
    rows.committed.push(committed);
  }
  const last = answers.at(-1)!.cursor;
  // A poke carries the head after the commit's activity too: the first at or past the answer's.
  const poked = (cursor: number) => {
    let at: number | undefined;
    for (const [c, t] of pokeAt) if (c >= cursor && (at === undefined || t < at)) at = t;
    return at;
  };
  await reader.until(() => (poked(last) !== undefined ? true : undefined), 5_000, 'last poke');
  off();
  engine.push = push;
  engine.carry = carry;
  writer.close();
  reader.close();
  const each = (f: (i: number) => number | undefined) =>
    rows.sent.flatMap((_, i) => {
      const v = f(i);
      return v === undefined ? [] : [v];
    });
  return {
    'frame sent → engine push (parse, token, limit)': each((i) => rows.started[i]! - rows.sent[i]!),
    'engine push → committed (fsync)': each((i) => rows.committed[i]! - rows.started[i]!),
    'committed → activity window read (for the poke)': carryMs,
    'committed → poke at the reader': each((i) => {
      const at = poked(answers[i]!.cursor);
      return at === undefined ? undefined : at - rows.committed[i]!;
    }),
    'committed → answer at the writer': each((i) => answers[i]!.at - rows.committed[i]!),
    'frame sent → poke at the reader': each((i) => {
      const at = poked(answers[i]!.cursor);
      return at === undefined ? undefined : at - rows.sent[i]!;
    }),
  };
}

async function main(): Promise<void> {
  const marks: Marks[] = [];
  let current: Marks = {};
  const t = await buildTestApp({ LOG_LEVEL: 'error', RATE_LIMIT_MAX: '100000000' }, (app) => {
    app.addHook('onRequest', async (req) => {
      if (req.url.endsWith('/sync/push')) marks.push((current = { received: now() }));
    });
    app.addHook('preValidation', async (req) => {
      if (req.url.endsWith('/sync/push')) current.authed = now();
    });
    app.addHook('preHandler', async (req) => {
      if (req.url.endsWith('/sync/push')) current.parsed = now();
    });
    app.addHook('onSend', async (req) => {
      if (req.url.endsWith('/sync/push')) current.sent = now();
    });
  });
  try {
    const engine = t.engine;
    // The real-time layer's listener (registered first) reads the activity window for the
    // poke synchronously as it is called: "committed" is taken there, before that read.
    engine.onCommit(() => {
      current.committed ??= now();
    });
    const carry = engine.carry.bind(engine);
    engine.carry = async (...args) => {
      current.committed ??= now();
      current.carrying = now();
      const out = await carry(...args);
      current.carried = now();
      return out;
    };
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const writer = await devToken(t.app, { email: 'w@bench.test', orgId: 'org_pp', role: 'admin' });
    const reader = await devToken(t.app, { email: 'r@bench.test', orgId: 'org_pp', role: 'admin' });
    const socket = await WsTestClient.join(url, { token: reader.token, clientId: newClientId() });
    const pokeAt = new Map<number, number>();
    socket.ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as { type: string; cursor?: number };
      if (msg.type === 'poke') pokeAt.set(msg.cursor!, now());
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const clientId = newClientId();
    const hlc = new HybridLogicalClock(clientId);
    const projectId = newEntityId();
    let id = 0;
    const push = (m: Omit<Mutation, 'id'>) =>
      post(agent, `${url}/api/v1/sync/push`, writer.token, {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [{ ...m, id: ++id }],
      });
    await push({
      type: 'project.create',
      entityId: projectId,
      hlc: hlc.now(),
      fields: { name: 'Push path', description: '', status: 'active', ownerId: writer.user.id },
    } as Omit<Mutation, 'id'>);
    for (let i = 0; i < SEED; i += 100) {
      const mutations = Array.from({ length: Math.min(100, SEED - i) }, (_, j) => ({
        type: 'task.create',
        id: ++id,
        entityId: newEntityId(),
        hlc: hlc.now(),
        fields: {
          projectId,
          title: `seeded ${i + j}`,
          notes: '',
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      }));
      await post(agent, `${url}/api/v1/sync/push`, writer.token, {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations,
      });
    }
    marks.length = 0;
    const sent: number[] = [];
    const answered: number[] = [];
    const cursors: number[] = [];
    const t0 = now();
    for (let i = 0; i < N; i++) {
      const wait = t0 + i * GAP_MS - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(now());
      const text = await push({
        type: 'task.create',
        entityId: newEntityId(),
        hlc: hlc.now(),
        fields: {
          projectId,
          title: `task ${i}`,
          notes: '',
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      } as Omit<Mutation, 'id'>);
      answered.push(now());
      cursors.push((JSON.parse(text) as { cursor: number }).cursor);
    }
    await socket.until(() => (pokeAt.has(cursors.at(-1)!) ? true : undefined), 5_000, 'last poke');
    agent.destroy();
    const overSocket = await socketLeg(url, engine, writer.token, reader.token, projectId);
    socket.close();
    const phase = (a: keyof Marks | 'start', b: keyof Marks | 'poke' | 'answer') =>
      marks.flatMap((m, i) => {
        const from = a === 'start' ? sent[i]! : m[a];
        const to = b === 'poke' ? pokeAt.get(cursors[i]!) : b === 'answer' ? answered[i] : m[b];
        return from === undefined || to === undefined ? [] : [to - from];
      });
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `\nserver push path, ${N} single-task pushes ${GAP_MS} ms apart to an org of ${SEED} tasks, load ${load}\n`,
    );
    console.log(`| ${'phase (ms)'.padEnd(44)} |    p50 |    p95 |    p99 |`);
    console.log(`|${'-'.repeat(46)}|--------|--------|--------|`);
    row('request sent → received (HTTP)', phase('start', 'received'));
    row('received → authenticated', phase('received', 'authed'));
    row('authenticated → body parsed (zod)', phase('authed', 'parsed'));
    row('parsed → committed (transaction, fsync)', phase('parsed', 'committed'));
    row('committed → carried changes read (activity window)', phase('carrying', 'carried'));
    row('carried read → poke at the reader socket', phase('carried', 'poke'));
    row('committed → answer serialized', phase('committed', 'sent'));
    row('answer serialized → at the writer', phase('sent', 'answer'));
    row('request sent → poke at the reader', phase('start', 'poke'));
    row('request sent → answer at the writer', phase('start', 'answer'));
    row('(baseline: bare SQLite FULL commit, 2 rows)', bareCommits(N));
    console.log(
      `\nthe same over the writer's socket (protocol 6), as the engine pushes when it is open\n`,
    );
    console.log(`| ${'phase (ms)'.padEnd(44)} |    p50 |    p95 |    p99 |`);
    console.log(`|${'-'.repeat(46)}|--------|--------|--------|`);
    for (const [what, xs] of Object.entries(overSocket)) row(what, xs);
  } finally {
    await t.close();
  }
}

await main();
