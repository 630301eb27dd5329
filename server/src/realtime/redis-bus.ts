import { orgIdSchema } from '@outpost/shared';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PokeBus, PokeHandler } from './bus.js';

export const POKE_CHANNEL = 'outpost:pokes:v1';

/** What crosses Redis: instance id (to skip our own echo), org, cursor. */
const wireSchema = z.strictObject({
  i: z.string().min(1).max(64),
  o: orgIdSchema,
  c: z.number().int().nonnegative(),
});

/** The part of an ioredis client the bus uses (publisher side). */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): RedisSubscriber;
}

/** The part of an ioredis client the bus uses (dedicated subscriber connection). */
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export interface RedisBusOptions {
  redis: RedisPublisher;
  /** Publications of other instances (this instance's own echo is skipped). */
  deliverRemote: PokeHandler;
  onError: (err: unknown, what: string) => void;
  /** How long start-up waits for the subscription before going on without it. */
  subscribeTimeoutMs?: number;
}

/**
 * Cross-instance bus on one Redis channel. Every instance receives every org's pokes and
 * keeps those of orgs it has sockets for (the hub ignores others), which costs one small
 * message per coalesced commit per instance — far below per-socket work. A dedicated
 * connection subscribes, since a subscribed ioredis connection cannot run other commands.
 */
export async function redisBus(opts: RedisBusOptions): Promise<PokeBus> {
  const instanceId = randomUUID();
  const sub = opts.redis.duplicate();
  sub.on('error', (err) => opts.onError(err, 'redis subscriber'));
  // ioredis re-subscribes after a reconnect only to channels whose subscribe succeeded; a
  // subscribe that failed while Redis was away is retried whenever the connection is ready.
  sub.on('ready', () => {
    sub.subscribe(POKE_CHANNEL).catch((err: unknown) => opts.onError(err, 'redis subscribe'));
  });
  sub.on('message', (channel, message) => {
    if (channel !== POKE_CHANNEL) return;
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      opts.onError(new Error('unparsable poke on the Redis channel'), 'redis message');
      return;
    }
    const parsed = wireSchema.safeParse(json);
    if (!parsed.success) {
      opts.onError(
        new Error(`invalid poke on the Redis channel: ${parsed.error.message}`),
        'redis message',
      );
      return;
    }
    if (parsed.data.i === instanceId) return;
    opts.deliverRemote(parsed.data.o, parsed.data.c);
  });

  // Start-up waits a bounded time, so an unreachable Redis degrades fan-out to this
  // instance instead of blocking the server.
  const subscribed = sub.subscribe(POKE_CHANNEL);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.subscribeTimeoutMs ?? 5_000);
  });
  try {
    const outcome = await Promise.race([subscribed, timeout]);
    if (outcome === 'timeout')
      opts.onError(
        new Error('Redis subscription not confirmed in time; continuing'),
        'redis subscribe',
      );
  } catch (err) {
    opts.onError(err, 'redis subscribe');
  } finally {
    clearTimeout(timer);
  }
  subscribed.catch(() => {});

  return {
    kind: 'redis',
    publish(orgId, cursor) {
      opts.redis
        .publish(POKE_CHANNEL, JSON.stringify({ i: instanceId, o: orgId, c: cursor }))
        .catch((err: unknown) => opts.onError(err, 'redis publish'));
    },
    async close() {
      try {
        await sub.quit();
      } catch {
        sub.disconnect();
      }
    },
  };
}
