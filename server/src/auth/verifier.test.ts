import type * as ClerkFastify from '@clerk/fastify';
import { describe, expect, it, vi } from 'vitest';
import {
  generateClerkKeyPair,
  publishableKeyFor,
  signClerkToken,
} from '../../test/helpers/auth.js';

/** How many times Clerk verified a token (its `authenticateRequest`). */
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('@clerk/fastify', async (importOriginal) => {
  const clerk = await importOriginal<typeof ClerkFastify>();
  return {
    ...clerk,
    createClerkClient: (...args: Parameters<typeof clerk.createClerkClient>) => {
      const client = clerk.createClerkClient(...args);
      const authenticateRequest = client.authenticateRequest.bind(client);
      client.authenticateRequest = (...a: Parameters<typeof authenticateRequest>) => {
        verifications.count++;
        return authenticateRequest(...a);
      };
      return client;
    },
  };
});

// The server's tests share their worker's modules (vitest.config.ts: `isolate: false`): another
// file may have loaded the verifier with the real Clerk already. Loaded afresh, it gets the mock.
vi.resetModules();
const { createTokenVerifier } = await import('./verifier.js');

const issuer = 'https://clerk.outpost.test';
const keys = generateClerkKeyPair();
const verification = {
  jwtKey: keys.publicKeyPem,
  secretKey: 'sk_test_networkless',
  publishableKey: publishableKeyFor(issuer),
  issuer,
  authorizedParties: ['http://localhost'],
};
const sign = (sub: string) =>
  signClerkToken(keys.privateKeyPem, {
    sub,
    iss: issuer,
    azp: 'http://localhost',
    o: { id: 'org_acme', rol: 'org:admin', slg: 'acme' },
  });

describe('token verifier', () => {
  it('verifies a token once until it expires (a socket sends the same token with every push)', async () => {
    let now = Date.now();
    const verify = createTokenVerifier(verification, () => now);
    const token = await sign('user_one');
    verifications.count = 0;
    const first = await verify(token);
    expect(first.externalId).toBe('user_one');
    expect(await verify(token)).toEqual(first);
    expect(await verify(token)).toEqual(first);
    expect(verifications.count).toBe(1);
    // Another token is verified on its own.
    expect((await verify(await sign('user_two'))).externalId).toBe('user_two');
    expect(verifications.count).toBe(2);
    // Past its expiry the token is verified again (Clerk's own clock still accepts it here).
    now = first.expiresAt;
    await verify(token);
    expect(verifications.count).toBe(3);
  });

  it('remembers no refusal: a bad token is refused every time', async () => {
    const verify = createTokenVerifier(verification);
    const forged = `${(await sign('user_one')).slice(0, -4)}AAAA`;
    verifications.count = 0;
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(verifications.count).toBe(2);
  });
});
