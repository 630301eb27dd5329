import { describe, expect, it } from 'vitest';
import { MongoStore } from '../src/store/mongo.js';

// The real driver against a loopback port nobody listens on (no MongoDB exists here): the
// store must fail fast with the driver's error instead of hanging the server's start.
describe('MongoStore.open', () => {
  it('rejects quickly when the server is unreachable', async () => {
    const started = Date.now();
    await expect(
      MongoStore.open({
        uri: 'mongodb://127.0.0.1:9/?directConnection=true',
        dbName: 'x',
        serverSelectionTimeoutMs: 300,
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
