import { describe, expect, it } from 'vitest';
import { newClientId, PROTOCOL_VERSION, type PushResponse } from '@outpost/shared';
import { MutationGapError } from './errors';
import { SocketClosedError, socketPushes, withSocketPush } from './socket-push';
import type { SyncTransport } from './transport';

const request = { protocolVersion: PROTOCOL_VERSION, clientId: newClientId(), mutations: [] };
const answer: PushResponse = {
  protocolVersion: PROTOCOL_VERSION,
  results: [],
  lastMutationId: 3,
  cursor: 9,
};

function httpTransport(calls: string[]): SyncTransport {
  return {
    push: async () => (calls.push('http'), { ...answer, cursor: 10 }),
    pull: () => Promise.reject(new Error('no pull here')),
  };
}

describe('pushes over the socket', () => {
  it('are numbered frames answered by number; a refusal is the typed HTTP error', async () => {
    const frames: string[] = [];
    const s = socketPushes((f) => (frames.push(f), true));
    const first = s.pusher.push(request)!;
    const second = s.pusher.push(request)!;
    expect(frames.map((f) => (JSON.parse(f) as { n: number }).n)).toEqual([0, 1]);
    s.answer({
      type: 'push-failed',
      n: 1,
      status: 409,
      error: { error: 'gap', code: 'MUTATION_GAP', details: { expected: 4, received: 6 } },
    });
    s.answer({ type: 'pushed', n: 0, response: answer });
    expect(await first).toEqual(answer);
    await expect(second).rejects.toBeInstanceOf(MutationGapError);
  });

  it('an unanswered push is sent again over HTTP when the socket closes', async () => {
    const calls: string[] = [];
    const s = socketPushes(() => (calls.push('socket'), true));
    const transport = withSocketPush(httpTransport(calls), () => s.pusher);
    const res = transport.push(request, { userId: 'u' });
    await Promise.resolve();
    s.close();
    expect(await res).toMatchObject({ cursor: 10 });
    expect(calls).toEqual(['socket', 'http']);
  });

  it('goes over HTTP without a socket, or when the frame is too big', async () => {
    const calls: string[] = [];
    let open = false;
    const s = socketPushes(() => (calls.push('socket'), true));
    const transport = withSocketPush(httpTransport(calls), () => (open ? s.pusher : null));
    await transport.push(request, { userId: 'u' });
    open = true;
    const big = {
      ...request,
      mutations: [{ note: 'x'.repeat(70_000) }] as unknown as typeof request.mutations,
    };
    await transport.push(big, { userId: 'u' });
    expect(calls).toEqual(['http', 'http']);
    expect(new SocketClosedError('x').retryable).toBe(true);
  });
});
