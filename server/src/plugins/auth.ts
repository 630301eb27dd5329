import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@outpost/shared';
import type { Config } from '../config.js';
import { AppError, credentialRefused } from '../errors.js';
import type { AuditEntry } from '../engine/types.js';
import { loadOrCreateDevKeys, type DevKeys } from '../auth/dev-keys.js';
import {
  clerkModeVerification,
  devClerkVerification,
  type ClerkVerification,
} from '../auth/clerk-options.js';
import { createTokenVerifier, type VerifiedIdentity } from '../auth/verifier.js';
import { isSyncCredential, parseSyncCredential, secretMatches } from '../auth/sync-credential.js';
import { DEV_AZP, DEV_ISSUER, type AuthenticatedActor } from '../auth/types.js';
import { failedAuthGate } from '../auth/failed-auth.js';

export interface AuthPluginOptions {
  config: Config;
  /** Injected clock (epoch ms) for credential expiry. */
  now?: () => number;
}

export interface DevAuth {
  keys: DevKeys;
  issuer: string;
  azp: string;
}

type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Verifies a session token or a sync credential and gets-or-creates the user. Throws AppError 401. */
    resolveActor(token: string, requestId: string): Promise<AuthenticatedActor>;
    /**
     * onRequest hook (before the body is read or validated): `Authorization: Bearer <token>`
     * → `request.actor`, else 401; an IP with too many failures gets 429 without a check.
     */
    authenticate: PreHandler;
    /** preHandler (after authenticate): the actor's role must be one of `roles`, else 403 + audit. */
    requireRole(...roles: Role[]): PreHandler;
    /** preHandler (after authenticate): refuses sync credentials (they may only push). */
    requireSession: PreHandler;
    /** Refuses the request with 403 FORBIDDEN after recording an `access-denied` activity. */
    denyAccess(request: FastifyRequest, reason: string): Promise<never>;
    /** Dev-mode signing material; null in clerk mode. */
    devAuth: DevAuth | null;
    /** What session tokens are verified with (dev mode: the dev key; see clerk-options.ts). */
    clerkVerification: ClerkVerification;
  }
  interface FastifyRequest {
    /** Set by `app.authenticate`; only read it on routes that run that preHandler. */
    actor: AuthenticatedActor;
  }
  interface FastifyContextConfig {
    /** The entity an `access-denied` activity on this route is about. */
    auditEntity?: AuditEntry['entity'];
  }
}

const unauthenticated = (message: string, reason: string) =>
  new AppError('UNAUTHENTICATED', message, { reason });

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    const { config } = opts;
    const now = opts.now ?? Date.now;

    let devAuth: DevAuth | null = null;
    let clerk: ClerkVerification;
    if (config.authMode === 'dev') {
      const keys = await loadOrCreateDevKeys(config.dataDir);
      devAuth = { keys, issuer: DEV_ISSUER, azp: DEV_AZP };
      clerk = devClerkVerification(keys.publicKeyPem);
    } else {
      clerk = clerkModeVerification(config);
      if (clerk.authorizedParties.length === 0) {
        app.log.warn(
          'CLERK_AUTHORIZED_PARTIES is not set: session tokens from any origin (azp) are accepted',
        );
      }
    }
    const verify = createTokenVerifier(clerk);
    app.decorate('clerkVerification', clerk);
    app.decorate('devAuth', devAuth);

    async function resolveActor(token: string, requestId: string): Promise<AuthenticatedActor> {
      const { engine } = app;
      if (!token)
        throw unauthenticated('A session token or sync credential is required', 'missing-token');
      if (isSyncCredential(token)) {
        const parsed = parseSyncCredential(token);
        if (!parsed) throw unauthenticated('Malformed sync credential', 'credential-malformed');
        const stored = await engine.credentials.find(parsed.id);
        if (!stored || !secretMatches(parsed.secret, stored.secretHash)) {
          throw unauthenticated('Unknown sync credential', 'credential-invalid');
        }
        if (stored.revokedAt !== null)
          throw unauthenticated('This sync credential was revoked', 'credential-revoked');
        const expiresAt = Date.parse(stored.expiresAt);
        if (!(expiresAt > now()))
          throw unauthenticated('This sync credential has expired', 'credential-expired');
        const user = await engine.get(stored.orgId, 'user', stored.userId);
        if (!user || !('externalId' in user)) {
          throw unauthenticated(
            'The user of this sync credential no longer exists',
            'credential-user-gone',
          );
        }
        return {
          user,
          orgId: stored.orgId,
          role: user.role,
          requestId,
          clientId: stored.clientId,
          via: 'sync-credential',
          expiresAt,
          credentialId: stored.id,
        };
      }
      // Anything else that is not a JWT is refused here: Clerk checks some prefixes (machine
      // tokens) by calling its API, and a forged one must never make this server call out.
      if (!JWT_SHAPE.test(token))
        throw unauthenticated('Invalid session token: not a JWT', 'token-malformed');
      return sessionActor(await verify(token), requestId);
    }

    /**
     * The actor of a verified session. Membership rules live in the engine: a removed member
     * is refused (403), and the role is the token's in clerk mode, the stored one in dev mode.
     */
    async function sessionActor(
      verified: VerifiedIdentity,
      requestId: string,
    ): Promise<AuthenticatedActor> {
      const { expiresAt, ...identity } = verified;
      const user = await app.engine.upsertUser(identity, {
        roleFrom: config.authMode === 'clerk' ? 'identity' : 'stored',
      });
      return {
        user,
        orgId: identity.orgId,
        role: user.role,
        requestId,
        clientId: null,
        via: 'session',
        expiresAt,
        credentialId: null,
      };
    }

    async function deny(request: FastifyRequest, reason: string): Promise<never> {
      const entityId = (request.params as Record<string, unknown> | undefined)?.['id'];
      try {
        await app.engine.audit(request.actor, {
          action: 'access-denied',
          entity: request.routeOptions.config.auditEntity ?? 'user',
          entityId: typeof entityId === 'string' ? entityId.slice(0, 200) : null,
          reason,
        });
      } catch (err) {
        // The refusal must stand even if the audit write fails; the log keeps the trace.
        request.log.error({ err }, 'could not audit an access-denied');
      }
      throw new AppError('FORBIDDEN', reason);
    }

    app.decorate('resolveActor', resolveActor);
    app.decorate('denyAccess', deny);
    app.decorateRequest('actor', null as unknown as AuthenticatedActor);

    const gate = failedAuthGate(app, config);
    app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      await gate.refuseIfBlocked(request, reply);
      let actor: AuthenticatedActor;
      try {
        const header = request.headers.authorization;
        if (header === undefined)
          throw unauthenticated('Missing Authorization: Bearer <token>', 'missing-token');
        const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
        if (!m)
          throw unauthenticated(
            'The Authorization header must be "Bearer <token>"',
            'malformed-authorization',
          );
        actor = await resolveActor(m[1]!, request.id);
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED')
          await gate.failed(request, err);
        throw err;
      }
      request.actor = actor;
      // "Last seen" for member management; never worth failing the request over.
      app.engine.touchMember(actor.orgId, actor.user.id).catch((err: unknown) => {
        request.log.warn({ err }, 'could not record last seen');
      });
    });

    app.decorate('requireRole', (...roles: Role[]): PreHandler => {
      return async (request) => {
        if (roles.includes(request.actor.role)) return;
        await deny(
          request,
          `Role ${request.actor.role} may not ${request.method} ${request.routeOptions.url ?? request.url}: needs ${roles.join(' or ')}`,
        );
      };
    });

    app.decorate('requireSession', async (request: FastifyRequest) => {
      if (request.actor.via === 'session') return;
      // Named as the OpenAPI names it (`{id}`, not Fastify's `:id`), so a developer can look
      // the route up; the two things a credential may do are named with their paths.
      const route = (request.routeOptions.url ?? request.url).replace(/:(\w+)/g, '{$1}');
      await deny(request, credentialRefused(`${request.method} ${route}`).message);
    });
  },
  { name: 'auth', dependencies: ['engine'] },
);

/** A compact JWS: three base64url parts. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
