import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  WS_CLOSE,
  wsDownSchema,
  type ClientId,
  type EntityId,
  type OrgId,
} from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { devToken } from './helpers/auth.js';
import { stampedBy } from './helpers/stamps.js';

const ORG = 'org_socket_refusals' as OrgId;

/**
 * A raw socket: every frame the server sends is kept as text and checked against the
 * protocol's own schema here (a frame the schema refuses fails the test, not the listener).
 */
class RawSocket {
  readonly frames: string[] = [];
  closed: { code: number; reason: string } | null = null;
  readonly #waiters = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(data.toString('utf8'));
      this.#wakeAll();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.#wakeAll();
    });
    ws.on('error', () => {});
  }

  #wakeAll(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  get messages(): unknown[] {
    return this.frames.map((f) => JSON.parse(f) as unknown);
  }

  /** Sends text (a string or bytes sent as a text frame) or, with `binary`, a binary frame. */
  send(frame: string | Buffer, binary = false): void {
    this.ws.send(frame, { binary });
  }

  /** Resolves once `probe` returns a value; fails after 5 s, saying what came instead. */
  until<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `no ${what}: got ${JSON.stringify(this.frames)} ${JSON.stringify(this.closed)}`,
          ),
        );
      }, 5_000);
      this.#waiters.add(check);
      check();
    });
  }

  waitFor(pred: (m: Record<string, unknown>) => boolean, what: string): Promise<unknown> {
    return this.until(
      () => (this.messages as Record<string, unknown>[]).find((m) => pred(m)),
      what,
    );
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed ?? undefined, 'close');
  }

  /** Still open and answering: a ping gets its pong. */
  async expectOpen(): Promise<void> {
    const t = Math.random();
    this.send(JSON.stringify({ type: 'ping', t }));
    await this.waitFor((m) => m['type'] === 'pong' && m['t'] === t, 'pong');
  }
}

describe('socket frames are refused clearly and change nothing', () => {
  let t: TestApp;
  let url: string;
  let token: string;
  let userId: string;
  const sockets: RawSocket[] = [];
  const clock = new HybridLogicalClock('socket-refusals');

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/v1/sync/ws`;
    const dev = await devToken(t.app, { email: 'sr@example.com', orgId: ORG, role: 'admin' });
    token = dev.token;
    userId = dev.user.id;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.ws.terminate();
  });
  afterAll(() => t.close());

  async function open(): Promise<RawSocket> {
    const ws = new WebSocket(url);
    const socket = new RawSocket(ws);
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return socket;
  }

  /** A socket past welcome, with its client id. */
  async function joined(): Promise<{ socket: RawSocket; clientId: string }> {
    const socket = await open();
    const clientId = newClientId();
    socket.send(
      JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId, token }),
    );
    await socket.waitFor((m) => m['type'] === 'welcome', 'welcome');
    return { socket, clientId };
  }

  const project = (id: number, name = 'P', entityId = newEntityId()) => ({
    id,
    type: 'project.create',
    entityId,
    hlc: clock.now(),
    fields: { name, description: '', status: 'active', ownerId: userId },
  });
  const pushFrame = (clientId: string, mutations: unknown[], n: unknown = 0) =>
    JSON.stringify({
      type: 'push',
      n,
      request: {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: stampedBy(clientId, mutations),
      },
    });

  function expectFramesFitSchema(socket: RawSocket): void {
    for (const frame of socket.frames)
      expect(wsDownSchema.safeParse(JSON.parse(frame)).success, frame).toBe(true);
  }

  describe('a frame that is not a message of the protocol closes 4002 after an error frame naming why', () => {
    const cases: [string, (clientId: string) => string | Buffer, RegExp, boolean?][] = [
      ['text that is not JSON', () => '{"type":', /^the message is not valid JSON$/],
      ['a binary frame', () => Buffer.from('{"type":"ping","t":1}'), /^binary frames/, true],
      [
        'a text frame whose bytes are not UTF-8',
        () => Buffer.from([0x7b, 0xff, 0x7d]),
        /^the message is not UTF-8 text$/,
      ],
      [
        'a text frame holding an encoded surrogate (not UTF-8)',
        () =>
          Buffer.concat([
            Buffer.from('{"type":"ping","t":1,"x":"'),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from('"}'),
          ]),
        /^the message is not UTF-8 text$/,
      ],
      ['JSON null', () => 'null', /^Invalid message: \(the whole value\) .*expected object/],
      ['a JSON array', () => '[]', /^Invalid message: \(the whole value\) .*expected object/],
      ['a JSON string', () => '"ping"', /^Invalid message: \(the whole value\) /],
      ['an unknown type', () => '{"type":"bogus"}', /^Invalid message: \/type /],
      [
        'a ping with an unknown field',
        () => '{"type":"ping","t":1,"x":2}',
        /^Invalid message: \/x Unrecognized key: "x"$/,
      ],
      [
        'a ping whose t is a string',
        () => '{"type":"ping","t":"1"}',
        /^Invalid message: \/t .*received string/,
      ],
      [
        'a ping whose t overflows to Infinity',
        () => '{"type":"ping","t":1e400}',
        /^Invalid message: \/t Too big: too large a number to read at all/,
      ],
      [
        'an auth with an unknown field',
        () => JSON.stringify({ type: 'auth', token, x: 1 }),
        /^Invalid message: \/x Unrecognized key/,
      ],
      [
        'a push whose n is negative',
        (c) => pushFrame(c, [project(1)], -1),
        /^Invalid message: \/n /,
      ],
      [
        'a push whose n is a string',
        (c) => pushFrame(c, [project(1)], '0'),
        /^Invalid message: \/n /,
      ],
      [
        'a push whose n is past 2^53',
        (c) => pushFrame(c, [project(1)], 2 ** 53),
        /^Invalid message: \/n Too big/,
      ],
      [
        'a push whose n overflows',
        (c) => pushFrame(c, [project(1)]).replace('"n":0', '"n":1e400'),
        /^Invalid message: \/n /,
      ],
      [
        'a second hello',
        (c) =>
          JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: c, token }),
        /^hello was already received$/,
      ],
    ];
    it.each(cases)('%s', async (_name, frame, message, binary) => {
      const { socket, clientId } = await joined();
      const head = await t.engine.head(ORG);
      socket.send(frame(clientId), binary);
      const closed = await socket.waitClosed();
      expect(closed.code).toBe(WS_CLOSE.invalidMessage);
      const error = socket.messages.at(-1) as { type: string; code: string; message: string };
      expect(error).toMatchObject({ type: 'error', code: 'invalid_message' });
      expect(error.message).toMatch(message);
      expectFramesFitSchema(socket);
      expect(await t.engine.head(ORG)).toBe(head);
    });

    it('before welcome too: a hello with an unknown field or a huge protocol version', async () => {
      for (const [hello, message] of [
        [
          {
            type: 'hello',
            protocolVersion: PROTOCOL_VERSION,
            clientId: newClientId(),
            token,
            extra: 1,
          },
          /^Invalid message: \/extra Unrecognized key: "extra"$/,
        ],
        [
          {
            type: 'hello',
            protocolVersion: String(PROTOCOL_VERSION),
            clientId: newClientId(),
            token,
          },
          // A string is no version: the rule is named (not zod's "expected number").
          /^Invalid message: \/protocolVersion must be a sync protocol version: a whole number from 1 to 10000$/,
        ],
      ] as const) {
        const socket = await open();
        socket.send(JSON.stringify(hello));
        expect((await socket.waitClosed()).code).toBe(WS_CLOSE.invalidMessage);
        expect((socket.messages.at(-1) as { message: string }).message).toMatch(message);
      }
      const socket = await open();
      socket.send(
        `{"type":"hello","protocolVersion":1e400,"clientId":"${newClientId()}","token":"x"}`,
      );
      expect((await socket.waitClosed()).code).toBe(WS_CLOSE.invalidMessage);
      expect((socket.messages.at(-1) as { message: string }).message).toMatch(
        /\/protocolVersion Too big: too large a number to read at all/,
      );
    });
  });

  describe('a hello is refused for its client id as a push is, before welcome', () => {
    const hello = (clientId: string, as = token) =>
      JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId, token: as });

    it('a client id the server has not seen, in upper case, closes 4002 naming /clientId; nothing is bound', async () => {
      const upper = newClientId().toUpperCase();
      const socket = await open();
      socket.send(hello(upper));
      const closed = await socket.waitClosed();
      expect(closed.code).toBe(WS_CLOSE.invalidMessage);
      expect(socket.messages).toEqual([
        {
          type: 'error',
          code: 'invalid_message',
          message:
            'Invalid message: /clientId must be a UUID in lower case, as newClientId makes it',
        },
      ]);
      expectFramesFitSchema(socket);
      // Nothing was bound: the same UUID in lower case is still a new client, and says hello.
      const lower = await open();
      lower.send(hello(upper.toLowerCase()));
      await lower.waitFor((m) => m['type'] === 'welcome', 'welcome');
    });

    it('a client id bound in upper case before the refusal still says hello', async () => {
      const upper = newClientId().toUpperCase();
      const store = new SqliteStore({ dataDir: t.dataDir });
      try {
        await store.transact((tx) =>
          tx.putClient({
            clientId: upper as ClientId,
            userId: userId as EntityId,
            orgId: ORG,
            externalId: null,
            lastMutationId: 0,
          }),
        );
      } finally {
        await store.close();
      }
      const socket = await open();
      socket.send(hello(upper));
      await socket.waitFor((m) => m['type'] === 'welcome', 'welcome');
    });

    it("another user's client id closes 4003, as that user's pushes are refused 403", async () => {
      // A client id is bound to its user once it pushes (a hello binds nothing).
      const { socket: first, clientId } = await joined();
      first.send(pushFrame(clientId, [project(1)]));
      await first.waitFor((m) => m['type'] === 'pushed', 'pushed');
      const other = await devToken(t.app, { email: 'sr2@example.com', orgId: ORG, role: 'admin' });
      const socket = await open();
      socket.send(hello(clientId, other.token));
      expect((await socket.waitClosed()).code).toBe(WS_CLOSE.forbidden);
      expect(socket.messages.at(-1)).toEqual({
        type: 'error',
        code: 'forbidden',
        message: 'This client id belongs to another user or org: use a client id of your own',
      });
    });
  });

  describe('a push the schema refuses is push-failed 400 pointing into the frame; nothing applied, the socket stays open', () => {
    const cases: [string, (clientId: string, entityId: EntityId) => string, string, RegExp][] = [
      [
        'an unknown key beside the request',
        (c, e) =>
          pushFrame(c, [project(1, 'P', e)]).replace('{"type":"push"', '{"x":1,"type":"push"'),
        '/x',
        /^Unrecognized key: "x"$/,
      ],
      [
        'an unknown key in the request',
        (c, e) => pushFrame(c, [project(1, 'P', e)]).replace('"mutations":', '"x":1,"mutations":'),
        '/request/x',
        /^Unrecognized key/,
      ],
      [
        'an unknown key in a mutation',
        (c, e) => pushFrame(c, [{ ...project(1, 'P', e), x: 1 }]),
        '/request/mutations/0/x',
        /^Unrecognized key/,
      ],
      [
        'an unknown field',
        (c, e) => pushFrame(c, [{ ...project(1, 'P', e), fields: { ...project(1).fields, x: 1 } }]),
        '/request/mutations/0/fields/x',
        /^Unrecognized key/,
      ],
      [
        "an unknown key in an update's base",
        (c, e) =>
          pushFrame(c, [
            {
              id: 1,
              type: 'project.update',
              entityId: e,
              hlc: clock.now(),
              fields: { name: 'Q' },
              base: { name: null, bogus: null },
            },
          ]),
        '/request/mutations/0/base/bogus',
        /^Unrecognized key: "bogus"$/,
      ],
      [
        'a base clock for a field the update does not write',
        (c, e) =>
          pushFrame(c, [
            {
              id: 1,
              type: 'project.update',
              entityId: e,
              hlc: clock.now(),
              fields: { name: 'Q' },
              base: { name: null, status: null },
            },
          ]),
        '/request/mutations/0/base/status',
        /^not written by this mutation/,
      ],
      [
        'a new client id in upper case (the engine refuses it, pointing into the frame)',
        (c, e) => pushFrame(c.toUpperCase(), [project(1, 'P', e)]),
        '/request/clientId',
        /^must be a UUID in lower case/,
      ],
      [
        "a stamp naming another client than the push's (the engine refuses it, pointing into the frame)",
        (c, e) => pushFrame(c, [project(1, 'P', e)]).replace(`-${c}"`, `-${newClientId()}"`),
        '/request/mutations/0/hlc',
        /^must end in this push's client id/,
      ],
      [
        'an unknown field spelled as a lone surrogate',
        (c, e) => pushFrame(c, [project(1, 'P', e)]).replace('"name":', '"\\ud800":1,"name":'),
        '/request/mutations/0/fields/\ud800',
        /^Unrecognized key: "\\ud800"$/,
      ],
      [
        'a request that is null',
        (c) => pushFrame(c, []).replace(/"request":.*\}$/, '"request":null}'),
        '/request',
        /expected object, received null/,
      ],
      [
        'fields that are an array',
        (c, e) => pushFrame(c, [{ ...project(1, 'P', e), fields: [] }]),
        '/request/mutations/0/fields',
        /expected object, received array/,
      ],
      [
        'an unknown mutation type',
        (c, e) => pushFrame(c, [{ ...project(1, 'P', e), type: 'project.explode' }]),
        '/request/mutations/0/type',
        /discriminator/,
      ],
      [
        'a mutation id of 1e308',
        (c, e) => pushFrame(c, [project(1, 'P', e)]).replace('"id":1,', '"id":1e308,'),
        '/request/mutations/0/id',
        /Too big/,
      ],
      [
        'a mutation id of 0',
        (c, e) => pushFrame(c, [project(0, 'P', e)]),
        '/request/mutations/0/id',
        /Too small/,
      ],
      [
        'two mutations with one id',
        (c, e) => pushFrame(c, [project(1, 'P', e), project(1, 'Q', newEntityId())]),
        '/request/mutations',
        /strictly increasing/,
      ],
      [
        'a name of one letter and 5,000 combining marks',
        (c, e) => pushFrame(c, [project(1, `e${'\u0301'.repeat(5000)}`, e)]),
        '/request/mutations/0/fields/name',
        /Too big/,
      ],
    ];
    it.each(cases)('%s', async (_name, frame, path, message) => {
      const { socket, clientId } = await joined();
      const head = await t.engine.head(ORG);
      const entityId = newEntityId();
      socket.send(frame(clientId, entityId));
      const failed = (await socket.waitFor((m) => m['type'] === 'push-failed', 'push-failed')) as {
        status: number;
        error: { code: string; error: string; details: { path: string; message: string }[] };
      };
      expect(failed).toMatchObject({ n: 0, status: 400, error: { code: 'VALIDATION' } });
      const issue = failed.error.details.find((d) => d.path === path);
      expect(issue, JSON.stringify(failed.error.details)).toBeDefined();
      expect(issue!.message).toMatch(message);
      await socket.expectOpen();
      expectFramesFitSchema(socket);
      expect(await t.engine.head(ORG)).toBe(head);
      expect(await t.engine.get(ORG, 'project', entityId)).toBeNull();
    });
  });

  describe('text in a valid push', () => {
    it('a NUL or an unpaired surrogate is a per-mutation rejection: no row, the socket stays open', async () => {
      for (const name of ['a\u0000b', 'a\ud800b', 'b\udc00']) {
        const { socket, clientId } = await joined();
        const entityId = newEntityId();
        socket.send(pushFrame(clientId, [project(1, name, entityId)]));
        const pushed = await socket.waitFor((m) => m['type'] === 'pushed', 'pushed');
        expect(pushed).toMatchObject({
          n: 0,
          response: {
            lastMutationId: 1,
            results: [
              {
                id: 1,
                status: 'rejected',
                code: 'validation',
                reason: expect.stringMatching(/^name: Invalid text/),
              },
            ],
          },
        });
        await socket.expectOpen();
        expectFramesFitSchema(socket);
        expect(await t.engine.get(ORG, 'project', entityId)).toBeNull();
      }
    });

    it('U+2028, a right-to-left override and a long grapheme cluster within the limit are kept as written', async () => {
      for (const name of ['a\u2028b', '\u202eevil.txt', `e${'\u0301'.repeat(199)}`, '👩🏽‍💻 and ﷽']) {
        const { socket, clientId } = await joined();
        const entityId = newEntityId();
        socket.send(pushFrame(clientId, [project(1, name, entityId)]));
        expect(await socket.waitFor((m) => m['type'] === 'pushed', 'pushed')).toMatchObject({
          response: { results: [{ id: 1, status: 'applied' }] },
        });
        expectFramesFitSchema(socket);
        expect(await t.engine.get(ORG, 'project', entityId)).toMatchObject({ name });
      }
    });

    it('a mutation id sent again in a later push is a duplicate: the first write stands', async () => {
      const { socket, clientId } = await joined();
      const first = project(1, 'First');
      socket.send(pushFrame(clientId, [first], 0));
      socket.send(pushFrame(clientId, [project(1, 'Second', first.entityId)], 1));
      expect(
        await socket.waitFor((m) => m['type'] === 'pushed' && m['n'] === 1, 'pushed 1'),
      ).toMatchObject({
        response: { results: [{ id: 1, status: 'duplicate' }] },
      });
      expect(await t.engine.get(ORG, 'project', first.entityId)).toMatchObject({ name: 'First' });
    });
  });
});
