import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clientIdSchema,
  errorBodySchema,
  isoDateTimeSchema,
  isPersonalOrg,
  meResponseSchema,
  orgIdSchema,
  roleSchema,
  syncCredentialRequestSchema,
  syncCredentialSchema,
  USER_EMAIL_MAX,
  USER_NAME_MAX,
  userSchema,
  type ClientId,
} from '@outpost/shared';
import type { Config } from '../config.js';
import { errorResponses } from '../openapi/responses.js';
import { AppError } from '../errors.js';
import { devSubject, signSessionToken } from './session-token.js';
import { mintSyncCredential, SYNC_CREDENTIAL_TTL_MS } from './sync-credential.js';
import { DEV_TOKEN_TTL_SECONDS } from './types.js';
import { describe } from '../openapi/describe.js';

export interface AuthRoutesOptions {
  config: Config;
  now?: () => number;
}

const devTokenRequestSchema = z.strictObject({
  email: z.email().max(USER_EMAIL_MAX),
  name: z.string().trim().min(1).max(USER_NAME_MAX),
  /** Omitted → the user's personal org. */
  orgId: z.optional(orgIdSchema),
  /** Defaults to admin in a personal org, member otherwise. */
  role: z.optional(roleSchema),
});

const devTokenResponseSchema = z.strictObject({
  token: z.string(),
  expiresAt: isoDateTimeSchema,
  user: userSchema,
});

const errors = errorResponses(400, 401, 403);

const routes: FastifyPluginAsync<AuthRoutesOptions> = async (root, opts) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const now = opts.now ?? Date.now;

  // Dev sign-in: exists only in dev mode (clerk mode answers 404 like any unknown route).
  const devAuth = app.devAuth;
  if (devAuth) {
    app.post(
      '/auth/dev-token',
      {
        schema: {
          operationId: 'createDevToken',
          summary: 'Dev mode only: sign in by email and get a Clerk-shaped session token',
          description:
            'Public, and only in dev mode (AUTH_MODE=dev; 404 otherwise). Creates the user on first use. Send the token as `Authorization: Bearer <token>`; it expires at `expiresAt` (get a new one the same way).',
          tags: ['auth'],
          body: devTokenRequestSchema,
          response: {
            200: devTokenResponseSchema.describe('A session token for this user and org'),
            ...errorResponses(400),
            403: describe(
              errorBodySchema,
              'MEMBER_REMOVED: this email was removed from `orgId`; no token is issued until an admin invites them again. EMAIL_IN_USE: a member of `orgId` has this email under another sign-in (a Clerk one, from before the server ran in dev mode)',
            ),
          },
        },
      },
      async (request) => {
        const { email, name, orgId, role } = request.body;
        const issuedAt = Math.floor(now() / 1000);
        const token = await signSessionToken({
          privateKeyPem: devAuth.keys.privateKeyPem,
          kid: devAuth.keys.kid,
          issuer: devAuth.issuer,
          azp: devAuth.azp,
          sub: devSubject(email),
          email,
          name,
          org: orgId ? { id: orgId, rol: role ?? 'member', slg: orgId.toLowerCase() } : undefined,
          now: issuedAt,
          ttlSeconds: DEV_TOKEN_TTL_SECONDS,
        });
        // Through the same verification as every other request: what we sign must verify.
        const actor = await app.resolveActor(token, request.id);
        return { token, expiresAt: new Date(actor.expiresAt).toISOString(), user: actor.user };
      },
    );
  }

  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      preHandler: app.requireSession,
      config: { auditEntity: 'user' },
      schema: {
        operationId: 'getMe',
        summary: 'The signed-in user, their org and role',
        description:
          "Creates the user row on the first authenticated request; org and role come from the token. `access` says what this server lets the token's role reach beyond the org's data: `externalData` follows `EXTERNAL_DATA_ROLES`.",
        tags: ['auth'],
        response: { 200: describe(meResponseSchema, 'Who the token belongs to'), ...errors },
      },
    },
    async (request) => {
      const { user, orgId, role } = request.actor;
      return {
        user,
        org: { id: orgId, personal: isPersonalOrg(orgId) },
        role,
        access: { externalData: opts.config.EXTERNAL_DATA_ROLES.includes(role) },
      };
    },
  );

  app.post(
    '/sync/credentials',
    {
      onRequest: app.authenticate,
      preHandler: app.requireSession,
      config: { auditEntity: 'user' },
      schema: {
        operationId: 'createSyncCredential',
        summary:
          'Issue a device sync credential (push only, 30 days, revocable) for service-worker replay',
        description:
          'Session token only. The credential is bound to your user, org and this client id, authorizes push (and the socket hello) only, and is shown once: store it with the replica. A client id that already belongs to another user or org is refused (403), as its pushes would be; one the server has not seen must be lower case (else 400 VALIDATION at /clientId), as for push.',
        tags: ['sync'],
        body: syncCredentialRequestSchema,
        response: {
          201: describe(syncCredentialSchema, 'The new credential (its secret is not shown again)'),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      // A credential for a client id of someone else's (or a new one in upper case) could never
      // push: refused, not issued.
      await app.engine.checkClientOwner(actor, request.body.clientId);
      const minted = mintSyncCredential();
      const createdAt = now();
      const expiresAt = new Date(createdAt + SYNC_CREDENTIAL_TTL_MS).toISOString();
      await app.engine.credentials.create({
        id: minted.id,
        secretHash: minted.secretHash,
        userId: actor.user.id,
        orgId: actor.orgId,
        clientId: request.body.clientId,
        createdAt: new Date(createdAt).toISOString(),
        expiresAt,
        revokedAt: null,
      });
      return reply.code(201).send({
        id: minted.id,
        credential: minted.credential,
        clientId: request.body.clientId,
        expiresAt,
      });
    },
  );

  app.delete(
    '/sync/credentials/:id',
    {
      onRequest: app.authenticate,
      preHandler: app.requireSession,
      config: { auditEntity: 'user' },
      schema: {
        operationId: 'revokeSyncCredential',
        summary: 'Revoke one of your sync credentials',
        description:
          'Session token only. Later pushes and sockets using the credential get 401 `credential-revoked`. Idempotent: revoking a credential of yours that is already revoked (or expired) is 204 again and changes nothing, so a retry whose first answer was lost succeeds.',
        tags: ['sync'],
        params: z.strictObject({
          id: z.string().min(1).max(64).describe('The `id` returned when it was issued'),
        }),
        response: {
          204: z.null().describe('Revoked, or already revoked (its first revocation stands)'),
          ...errors,
          404: describe(
            errorBodySchema,
            'You have no sync credential with this id: none has it, or it is another user\u2019s (the two are answered alike)',
          ),
        },
      },
    },
    async (request, reply) => {
      const { actor } = request;
      const stored = await app.engine.credentials.find(request.params.id);
      // Someone else's credential is indistinguishable from a missing one. One of yours that is
      // already revoked is 204 again (idempotent DELETE; the store keeps the first revokedAt).
      if (!stored || stored.userId !== actor.user.id || stored.orgId !== actor.orgId) {
        throw new AppError('NOT_FOUND', 'No such sync credential');
      }
      await app.engine.credentials.revoke(stored.id, new Date(now()).toISOString());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/sign-out',
    {
      // A sync credential may sign its own device out (that only removes authority).
      onRequest: app.authenticate,
      config: { auditEntity: 'user' },
      schema: {
        operationId: 'signOut',
        summary: 'Sign a device out: revoke all of your sync credentials for that client id',
        description:
          "With a session token, or the device's own sync credential for its own client id. Revokes the credentials issued for the client id in any case (a UUID in upper case names the same device). The replica should then delete its local database.",
        tags: ['auth'],
        body: z.strictObject({ clientId: clientIdSchema }),
        response: {
          200: z
            .strictObject({ revoked: z.number().int().nonnegative() })
            .describe('How many credentials were revoked'),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = request;
      // Its own device under any spelling of the UUID, as below (it revokes only its user's).
      if (
        actor.via === 'sync-credential' &&
        actor.clientId?.toLowerCase() !== request.body.clientId.toLowerCase()
      ) {
        await app.denyAccess(request, 'A sync credential can only sign out its own device');
      }
      // The device's credentials under any spelling of its UUID: client ids compare as text,
      // but a sign-out sent in another case than the credentials were issued for must not
      // answer `revoked: 0` and leave them working. All are the caller's own.
      const { clientId } = request.body;
      const at = new Date(now()).toISOString();
      let revoked = 0;
      for (const spelling of new Set([clientId, clientId.toLowerCase(), clientId.toUpperCase()]))
        revoked += await app.engine.credentials.revokeForClient(
          actor.user.id,
          spelling as ClientId,
          at,
        );
      return { revoked };
    },
  );
};

export default fp(routes, { name: 'auth-routes', dependencies: ['auth', 'engine'] });
