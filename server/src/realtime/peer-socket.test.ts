import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  OPEN,
  prepareTextFrame,
  sendBounded,
  writeWhole,
  type PeerSocket,
  type PreparedFrame,
} from './peer-socket.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

/** A real `ws` server socket (as @fastify/websocket hands it over) and its client. */
async function connectedPair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  servers.push(wss);
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  if (client.readyState !== OPEN) await once(client, 'open');
  return { server, client };
}

/** The next `n` messages the client reads, as text, each with whether it came binary. */
function nextMessages(client: WebSocket, n: number): Promise<[string, boolean][]> {
  const got: [string, boolean][] = [];
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      got.push([data.toString('utf8'), isBinary]);
      if (got.length === n) {
        client.off('message', onMessage);
        resolve(got);
      }
    };
    client.on('message', onMessage);
  });
}

describe('prepareTextFrame', () => {
  // RFC 6455 §5.2: FIN + opcode 1, no mask bit, then a 7-bit length, or 126 and 16 bits, or
  // 127 and 64 bits, network byte order.
  it.each([
    [0, [0x81, 0]],
    [1, [0x81, 1]],
    [125, [0x81, 125]],
    [126, [0x81, 126, 0, 126]],
    [1_428, [0x81, 126, 0x05, 0x94]],
    [65_535, [0x81, 126, 0xff, 0xff]],
    [65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])('frames %i bytes of text behind the header %j', (size, header) => {
    const payload = Buffer.alloc(size, 'a');
    const frame = prepareTextFrame(payload);
    expect(frame.payload).toBe(payload);
    expect([...frame.wire.subarray(0, header.length)]).toEqual(header);
    expect(frame.wire.subarray(header.length).equals(payload)).toBe(true);
  });
});

describe('writeWhole', () => {
  it('writes a prepared frame to a ws socket, read by its peer as one text message in order with ws sends', async () => {
    const { server, client } = await connectedPair();
    const poke = prepareTextFrame(Buffer.from('{"type":"poke","cursor":7}'));
    const big = prepareTextFrame(Buffer.from(JSON.stringify({ pad: 'é'.repeat(900) })));
    const huge = prepareTextFrame(Buffer.from(JSON.stringify({ pad: 'x'.repeat(70_000) })));
    const got = nextMessages(client, 5);
    expect(writeWhole(server, poke.wire)).toBe(true);
    server.send('{"type":"pong","t":1}');
    expect(writeWhole(server, big.wire)).toBe(true);
    server.send(Buffer.from('{"type":"pong","t":2}'), { binary: false });
    expect(writeWhole(server, huge.wire)).toBe(true);
    expect(await got).toEqual([
      ['{"type":"poke","cursor":7}', false],
      ['{"type":"pong","t":1}', false],
      [big.payload.toString('utf8'), false],
      ['{"type":"pong","t":2}', false],
      [huge.payload.toString('utf8'), false],
    ]);
  });

  it('writes nothing while the ws sender holds a message back, nor to a socket that is not ws', async () => {
    const { server } = await connectedPair();
    const sender = (server as unknown as { _sender: { _state: number } })._sender;
    sender._state = 1; // as while a compressed message is deflating
    expect(writeWhole(server, prepareTextFrame(Buffer.from('{}')).wire)).toBe(false);
    sender._state = 0;
    expect(writeWhole(fakeSocket([]), prepareTextFrame(Buffer.from('{}')).wire)).toBe(false);
  });
});

function fakeSocket(sent: unknown[]): PeerSocket {
  return {
    readyState: OPEN,
    bufferedAmount: 0,
    send: (data: string | Buffer, options?: { binary: boolean }) => void sent.push([data, options]),
    close: () => {},
    terminate: () => {},
    ping: () => {},
  };
}

describe('sendBounded', () => {
  it("sends a prepared frame's payload as text through a socket's own send when it cannot write whole", () => {
    const sent: unknown[] = [];
    const frame: PreparedFrame = prepareTextFrame(Buffer.from('{"type":"poke","cursor":1}'));
    expect(sendBounded(fakeSocket(sent), frame, 1024)).toBe(true);
    expect(sent).toEqual([[frame.payload, { binary: false }]]);
  });
});
