import { describe, expect, it } from 'vitest';
import { closeReason } from './peer-socket.js';
import { tokenExpiresAt } from './token-expiry.js';

const jwt = (payload: unknown) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('tokenExpiresAt', () => {
  it('reads a JWT exp claim in ms', () => {
    expect(tokenExpiresAt(jwt({ sub: 'u', exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('is null for sync credentials, exp-less or malformed tokens', () => {
    expect(tokenExpiresAt('osc_abc.def')).toBeNull();
    expect(tokenExpiresAt(jwt({ sub: 'u' }))).toBeNull();
    expect(tokenExpiresAt(jwt({ exp: 'soon' }))).toBeNull();
    expect(tokenExpiresAt('a.%%%.c')).toBeNull();
  });
});

describe('closeReason', () => {
  it('keeps short reasons and cuts long ones to the 123-byte control-frame limit', () => {
    expect(closeReason('bye')).toBe('bye');
    const long = closeReason('é'.repeat(200));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long.endsWith('...')).toBe(true);
    expect(long).not.toContain('\uFFFD');
  });
});
