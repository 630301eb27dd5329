import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to embedded storage and dev auth', () => {
    const c = loadConfig({});
    expect(c.authMode).toBe('dev');
    expect(c.PORT).toBe(3000);
    expect(c.MONGODB_URI).toBeUndefined();
  });

  it('stops with a message naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('stops when a retention setting is not a positive number, naming the variable', () => {
    for (const [name, value] of [
      ['TOMBSTONE_RETENTION_DAYS', '0'],
      ['TOMBSTONE_RETENTION_DAYS', '-3'],
      ['TOMBSTONE_RETENTION_DAYS', 'thirty'],
      ['ACTIVITY_RETENTION_DAYS', '30d'],
      ['RETENTION_INTERVAL_MINUTES', '0'],
      ['ACTIVITY_SYNC_ENTRIES', '2.5'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(
        new RegExp(`${name}: (must be a positive number|Invalid input: expected int)`),
      );
    }
    const c = loadConfig({ TOMBSTONE_RETENTION_DAYS: '0.5', ACTIVITY_RETENTION_DAYS: '365' });
    expect([c.TOMBSTONE_RETENTION_DAYS, c.ACTIVITY_RETENTION_DAYS]).toEqual([0.5, 365]);
    expect(loadConfig({}).ACTIVITY_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({}).TOMBSTONE_RETENTION_DAYS).toBe(30);
  });

  it('refuses dev auth in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_MODE: dev auth is refused/);
  });
});
