import { describe, expect, it } from 'vitest';
import { HybridLogicalClock, newClientId, newEntityId, PROTOCOL_VERSION } from '@outpost/shared';
import { HttpError, NetworkError, ResponseParseError } from './errors';
import { createHttpTransport, retryAfterMs } from './http-transport';

const clientId = newClientId();
const clock = new HybridLogicalClock(clientId);
const ctx = { userId: 'u1' };

function taskChange(seq: number) {
  const id = newEntityId();
  return {
    entity: 'task',
    seq,
    entityId: id,
    clocks: { title: clock.now() },
    deleted: null,
    row: {
      id,
      orgId: 'org_1',
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      version: seq,
      projectId: newEntityId(),
      title: 'A task',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    },
  };
}

/** A transport whose server answers every request with `body`. */
function answering(body: unknown) {
  return createHttpTransport({
    baseUrl: 'http://server.test',
    getToken: async () => ({ token: 't', userId: 'u1' }),
    fetch: async () => new Response(JSON.stringify(body), { status: 200 }),
  });
}

describe('an answer that does not fit its schema', () => {
  it("is refused with the page's path and what was expected, also past the first slice", async () => {
    const changes = Array.from({ length: 150 }, (_, i) => taskChange(i + 1));
    changes[130]!.row.createdAt = '2026-02-30T10:00:00Z';
    const pull = answering({
      protocolVersion: PROTOCOL_VERSION,
      changes,
      cursor: 150,
      hasMore: false,
      headCursor: 150,
      lastMutationId: 0,
      activityFloor: 0,
      purgeHorizon: 0,
    }).pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 }, ctx);
    await expect(pull).rejects.toThrow(ResponseParseError);
    await expect(pull).rejects.toThrow(
      '/sync/pull: unexpected change shape: changes.130.row.createdAt: Invalid ISO datetime',
    );
  });

  it('names each wrong field of a push answer', async () => {
    const push = answering({
      protocolVersion: PROTOCOL_VERSION,
      lastMutationId: -1,
      results: [{ id: 1, status: 'kept' }],
      cursor: 3,
    }).push({ protocolVersion: PROTOCOL_VERSION, clientId, mutations: [] }, ctx);
    await expect(push).rejects.toThrow(
      /^\/sync\/push: unexpected response shape: lastMutationId: Too small: expected number to be >=0; results\.0\.status: Invalid input: expected status to be one of "applied"\|"duplicate"\|"rejected"$/,
    );
  });
});

describe('timeoutMs', () => {
  const push = (fetch: typeof globalThis.fetch, signal?: AbortSignal) =>
    createHttpTransport({
      baseUrl: 'http://server.test',
      getToken: async () => ({ token: 't', userId: 'u1' }),
      fetch,
      timeoutMs: 20,
    }).push(
      { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [] },
      signal ? { ...ctx, signal } : ctx,
    );
  /** Rejects with the request's abort reason once its signal aborts (as fetch does). */
  const onAbort = (init: RequestInit | undefined, reject: (e: unknown) => void) => {
    const signal = init!.signal!;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason));
  };

  it('ends a request with no answer as a retryable NetworkError', async () => {
    const res = push((_url, init) => new Promise((_, reject) => onAbort(init, reject)));
    await expect(res).rejects.toThrow(NetworkError);
    await expect(res).rejects.toMatchObject({
      retryable: true,
      message: 'POST /sync/push: no answer within 20 ms',
    });
  });

  it('ends an answer whose body stalls as a retryable NetworkError, not an unreadable answer', async () => {
    const stalled = async (_url: unknown, init?: RequestInit) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"protocolVersion":'));
            onAbort(init, (e) => controller.error(e));
          },
        }),
        { status: 200 },
      );
    const res = push(stalled);
    await expect(res).rejects.toThrow(NetworkError);
    await expect(res).rejects.toMatchObject({ message: 'POST /sync/push: no answer within 20 ms' });
  });

  it("leaves the caller's own abort as it is", async () => {
    const stop = new AbortController();
    const res = push(
      (_url, init) => new Promise((_, reject) => onAbort(init, reject)),
      stop.signal,
    );
    stop.abort(new Error('stopped'));
    await expect(res).rejects.toThrow('stopped');
  });
});

describe('Retry-After', () => {
  const refusing = (status: number, headers: Record<string, string>, body: unknown) =>
    createHttpTransport({
      baseUrl: 'http://server.test',
      getToken: async () => ({ token: 't', userId: 'u1' }),
      fetch: async () => new Response(JSON.stringify(body), { status, headers }),
    }).push({ protocolVersion: PROTOCOL_VERSION, clientId, mutations: [] }, ctx);

  it('a refusal carries the wait the server asked for, in seconds or as a date', async () => {
    const unavailable = { error: 'Down for maintenance', code: 'UNAVAILABLE' };
    const err = await refusing(503, { 'retry-after': '5' }, unavailable).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 503, retryable: true, retryAfterMs: 5_000 });
    const none = await refusing(503, {}, unavailable).catch((e: unknown) => e);
    expect(none).toMatchObject({ retryAfterMs: null });
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(retryAfterMs('Thu, 03 Dec 2026 12:00:30 GMT', undefined, now)).toBe(30_000);
    expect(retryAfterMs('Thu, 03 Dec 2026 11:00:00 GMT', undefined, now)).toBe(0);
    // A socket refusal has only the body; an absurd wait is read as ten minutes.
    expect(retryAfterMs(null, { retryAfterSeconds: 7 })).toBe(7_000);
    expect(retryAfterMs('86400', undefined)).toBe(600_000);
    expect(retryAfterMs('soon', { other: 1 })).toBeNull();
  });
});
