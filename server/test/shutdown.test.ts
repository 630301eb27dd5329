import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';

describe('graceful shutdown', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close().catch(() => {});
  });

  it('lets an in-flight request finish while the app closes, and refuses new connections', async () => {
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    t = await buildTestApp({}, (app) => {
      app.get('/test/slow', async () => {
        started();
        await released;
        return { done: true };
      });
    });
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });

    const inFlight = fetch(`${address}/test/slow`);
    await inHandler;
    let closed = false;
    const closing = t.app.close().then(() => {
      closed = true;
    });
    // Close waits for the handler: nothing has finished yet.
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    // Keep-alive sockets must not hold the close open (Fastify's keepAliveTimeout is 72 s).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('close() did not finish within 5 s')), 5000);
    });
    await Promise.race([closing, deadline]).finally(() => clearTimeout(timer));
    expect(closed).toBe(true);
    await expect(fetch(`${address}/api/v1/health`)).rejects.toThrow();
  });
});
