import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type PushResponse, type WsDown } from '@outpost/shared';
import type { Actor } from '../engine/types.js';
import { SocketPushes } from './socket-push.js';

/** An answer whose echo holds `n` copies of one small activity entry. */
function answer(n: number): PushResponse {
  const change = { seq: 1, entity: 'activity', entityId: 'a', row: {}, clocks: {}, deleted: null };
  return {
    protocolVersion: PROTOCOL_VERSION,
    lastMutationId: 1,
    results: [{ id: 1 as never, status: 'applied' }],
    cursor: n,
    echo: {
      from: 0,
      changes: Array.from({ length: n }, () => change) as never,
      activityFloor: 1,
    },
  };
}

async function sent(response: PushResponse, room: number): Promise<WsDown> {
  const out: WsDown[] = [];
  let done!: () => void;
  const answered = new Promise<void>((resolve) => (done = resolve));
  const pushes = new SocketPushes({
    actor: async () => ({}) as Actor,
    push: async () => response,
    throttle: async () => null,
    observe: () => done(),
    send: (msg) => out.push(msg),
    sendFrame: (frame) => out.push(JSON.parse(frame) as WsDown),
    echoRoom: () => room,
    logError: (err) => {
      throw err;
    },
  });
  pushes.offer(7, { protocolVersion: PROTOCOL_VERSION, clientId: 'c' as never, mutations: [] });
  await answered;
  return out[0]!;
}

describe('a push answered over the socket', () => {
  it('is pending from its arrival until its answer is sent (its commit is poked meanwhile)', async () => {
    const seen: boolean[] = [];
    let done!: () => void;
    const answered = new Promise<void>((resolve) => (done = resolve));
    const pushes: SocketPushes = new SocketPushes({
      actor: async () => ({}) as Actor,
      push: async () => {
        seen.push(pushes.pending);
        return answer(1);
      },
      throttle: async () => null,
      observe: () => done(),
      send: () => {},
      sendFrame: () => void seen.push(pushes.pending),
      echoRoom: () => 64 * 1024,
      logError: (err) => {
        throw err;
      },
    });
    expect(pushes.pending).toBe(false);
    pushes.offer(1, { protocolVersion: PROTOCOL_VERSION, clientId: 'c' as never, mutations: [] });
    expect(pushes.pending).toBe(true);
    await answered;
    await Promise.resolve();
    expect(seen).toEqual([true, true]);
    expect(pushes.pending).toBe(false);
  });

  it('keeps its echo when the socket’s buffer has room for it, and leaves it out (the client pulls) when not', async () => {
    const small = answer(3);
    expect(await sent(small, 64 * 1024)).toEqual({ type: 'pushed', n: 7, response: small });
    const large = answer(1000);
    const frame = await sent(large, 64 * 1024);
    expect(JSON.stringify(large.echo).length).toBeGreaterThan(64 * 1024);
    const { echo: _echo, ...bare } = large;
    expect(frame).toEqual({ type: 'pushed', n: 7, response: bare });
  });
});
