import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { memberActivitySchema, PERMISSIONS } from '@outpost/shared';
import type { Config } from '../config.js';
import { nameComponent } from '../openapi/components.js';
import { errorResponses } from '../openapi/responses.js';
import { describe } from '../openapi/describe.js';

/**
 * `GET /members/last-seen`: what the member list needs beyond the user rows every replica
 * already has — last seen, and whether roles are edited here or in Clerk. For whoever may
 * manage members (the shared permission table).
 */
const memberRoutes: FastifyPluginAsync<{ config: Config }> = async (root, { config }) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const roleSource = config.authMode === 'clerk' ? ('clerk' as const) : ('local' as const);
  app.get(
    '/members/last-seen',
    {
      onRequest: app.authenticate,
      preHandler: [app.requireSession, app.requireRole(...PERMISSIONS.user.update)],
      config: { auditEntity: 'user' },
      schema: {
        operationId: 'getMemberActivity',
        summary: 'When each member was last seen, and who owns roles',
        description:
          'For member management (roles that may update users): the last authenticated request of each member of your org (recorded at most once a minute), and `roleSource` — `clerk` when roles come from Clerk and role edits through REST are refused.',
        tags: ['users'],
        response: {
          200: describe(
            nameComponent(memberActivitySchema, {
              id: 'MemberActivity',
              description: 'Last seen per user id, and where roles are managed.',
            }),
            'Last seen per member and the role source',
          ),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      roleSource,
      lastSeen: await app.engine.membership.lastSeen(request.actor.orgId),
    }),
  );
};

export default memberRoutes;
