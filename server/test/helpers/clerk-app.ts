import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { OrgId, User } from '@outpost/shared';
import type { StoreLeg } from './store-legs.js';
import { buildTestApp, type TestApp } from './app.js';
import { clerkEnv, generateClerkKeyPair, signClerkToken } from './auth.js';
import { newWebhookSecret, signDelivery } from './webhooks.js';

export interface ClerkAppOptions {
  /** The token issuer (a Clerk frontend API URL); the publishable key is derived from it. */
  iss: string;
  /** The authorized party every token names. */
  azp?: string;
  /** More environment for the server (e.g. `WS_HEARTBEAT_MS`). */
  env?: Record<string, string>;
  /** The store leg to run on (its env, and its database dropped after); SQLite when absent. */
  leg?: StoreLeg;
  /** Listen on a free port, for sockets (`url`); otherwise only `inject` reaches the app. */
  listen?: boolean;
}

/** A clerk-mode app of a suite (see `clerkApp`); its fields are set once `beforeAll` ran. */
export interface ClerkApp {
  readonly keys: { privateKeyPem: string; publicKeyPem: string };
  readonly secret: string;
  readonly iss: string;
  readonly azp: string;
  /** The app (set in `beforeAll`). */
  readonly t: TestApp;
  /** `http://127.0.0.1:<port>` when `listen` was asked (set in `beforeAll`). */
  readonly url: string;
  /** A signed Clerk session token of `sub` in `orgId` with `rol` (`org:member`, `org:admin`). */
  token(
    sub: string,
    orgId: string,
    rol: string,
    email?: string,
    extra?: Record<string, unknown>,
  ): Promise<string>;
  /** A Svix-signed delivery of `event` to the Clerk webhook route. */
  deliver(
    event: unknown,
    opts?: Parameters<typeof signDelivery>[2],
  ): Promise<LightMyRequestResponse>;
  /** The org's users, as the engine lists them. */
  users(orgId: string): Promise<User[]>;
}

/**
 * A clerk-mode app (networkless: a key pair of its own, a webhook secret) for the suite it is
 * called in: built in `beforeAll` on `leg`'s store, closed (and the leg's database dropped) in
 * `afterAll`. Call it at the top of a `describe`.
 */
export function clerkApp(options: ClerkAppOptions): ClerkApp {
  const keys = generateClerkKeyPair();
  const secret = newWebhookSecret();
  const { iss, azp = 'https://app.example.com', leg } = options;
  let t: TestApp | undefined;
  let url: string | undefined;
  let legEnv: Record<string, string> = {};

  beforeAll(async () => {
    legEnv = leg?.env() ?? {};
    t = await buildTestApp({
      ...clerkEnv(keys, iss, azp),
      CLERK_WEBHOOK_SECRET: secret,
      ...options.env,
      ...legEnv,
    });
    if (options.listen) {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    }
  });
  afterAll(async () => {
    await t?.close();
    if (leg?.drop && legEnv['MONGODB_DB']) await leg.drop(legEnv['MONGODB_DB']);
  });

  const app = (): TestApp => {
    if (!t) throw new Error('clerkApp: the app is built in beforeAll; use it inside a test');
    return t;
  };
  return {
    keys,
    secret,
    iss,
    azp,
    get t() {
      return app();
    },
    get url() {
      if (url === undefined) throw new Error('clerkApp: pass `listen: true` for a url');
      return url;
    },
    token: (sub, orgId, rol, email = `${sub}@example.com`, extra = {}) =>
      signClerkToken(keys.privateKeyPem, {
        sub,
        iss,
        azp,
        email,
        name: sub,
        o: { id: orgId, rol, slg: orgId },
        extra,
      }),
    deliver: (event, opts) => {
      const d = signDelivery(secret, event, opts);
      return app().app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/clerk',
        headers: d.headers,
        payload: d.payload,
      });
    },
    users: async (orgId) =>
      (await app().engine.list(orgId as OrgId, { entity: 'user', filter: {}, limit: 100 }))
        .items as User[],
  };
}
