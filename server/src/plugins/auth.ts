import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@outpost/shared';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { AuditEntry } from '../engine/types.js';
import { loadOrCreateDevKeys, type DevKeys } from '../auth/dev-keys.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.js';
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
    let verify: TokenVerifier;
    if (config.authMode === 'dev') {
      const keys = await loadOrCreateDevKeys(config.dataDir);
      devAuth = { keys, issuer: DEV_ISSUER, azp: DEV_AZP };
      verify = createTokenVerifier({
        jwtKey: keys.publicKeyPem,
        issuer: DEV_ISSUER,
        authorizedParties: [DEV_AZP],
      });
    } else {
      if (!config.CLERK_JWT_KEY) throw new Error('AUTH_MODE=clerk needs CLERK_JWT_KEY');
      if (!config.CLERK_AUTHORIZED_PARTIES?.length) {
        app.log.warn(
          'CLERK_AUTHORIZED_PARTIES is not set: session tokens from any origin (azp) are accepted',
        );
      }
      if (!config.CLERK_ISSUER)
        app.log.warn('CLERK_ISSUER is not set: the token issuer (iss) is not checked');
      verify = createTokenVerifier({
        // .env files often carry the PEM on one line with literal \n.
        jwtKey: config.CLERK_JWT_KEY.replace(/\\n/g, '\n'),
        issuer: config.CLERK_ISSUER,
        authorizedParties: config.CLERK_AUTHORIZED_PARTIES ?? [],
      });
    }
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
      const { expiresAt, ...identity } = await verify(token);
      const user = await engine.upsertUser(identity);
      return {
        user,
        orgId: identity.orgId,
        role: identity.role,
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
        request.actor = await resolveActor(m[1]!, request.id);
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED')
          await gate.failed(request, err);
        throw err;
      }
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
      await deny(
        request,
        `A sync credential may only push: ${request.method} ${request.routeOptions.url ?? request.url} needs a session token`,
      );
    });
  },
  { name: 'auth', dependencies: ['engine'] },
);
