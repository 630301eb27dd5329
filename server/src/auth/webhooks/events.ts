import { z } from 'zod';

/**
 * The Clerk webhook events Outpost applies, as far as it reads them (Clerk sends more fields;
 * they are ignored, not refused). Parsed once, after the signature is verified.
 */
const emailSchema = z.object({
  id: z.string(),
  email_address: z.string(),
  verification: z.object({ status: z.string() }).nullable().optional(),
});

const userDataSchema = z.object({
  id: z.string().min(1).max(200),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  username: z.string().nullable().optional(),
  primary_email_address_id: z.string().nullable().optional(),
  email_addresses: z.array(emailSchema).default([]),
});

const deletedSchema = z.object({ id: z.string().min(1).max(200), deleted: z.boolean().optional() });

const organizationSchema = z.object({
  id: z.string().min(1).max(128),
  name: z.string().optional(),
  slug: z.string().nullable().optional(),
});

const membershipSchema = z.object({
  id: z.string(),
  role: z.string(),
  organization: organizationSchema,
  public_user_data: z.object({
    user_id: z.string().min(1).max(200),
    identifier: z.string().nullable().optional(),
    first_name: z.string().nullable().optional(),
    last_name: z.string().nullable().optional(),
  }),
});

const envelope = { object: z.literal('event').optional(), timestamp: z.number().optional() };

export const clerkEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('user.created'), data: userDataSchema }),
  z.object({ ...envelope, type: z.literal('user.updated'), data: userDataSchema }),
  z.object({ ...envelope, type: z.literal('user.deleted'), data: deletedSchema }),
  z.object({ ...envelope, type: z.literal('organization.created'), data: organizationSchema }),
  z.object({ ...envelope, type: z.literal('organization.updated'), data: organizationSchema }),
  z.object({ ...envelope, type: z.literal('organization.deleted'), data: deletedSchema }),
  z.object({
    ...envelope,
    type: z.literal('organizationMembership.created'),
    data: membershipSchema,
  }),
  z.object({
    ...envelope,
    type: z.literal('organizationMembership.updated'),
    data: membershipSchema,
  }),
  z.object({
    ...envelope,
    type: z.literal('organizationMembership.deleted'),
    data: membershipSchema,
  }),
]);
export type ClerkEvent = z.infer<typeof clerkEventSchema>;

export const CLERK_EVENT_TYPES: readonly ClerkEvent['type'][] = clerkEventSchema.options.map(
  (o) => o.shape.type.value,
);

/** For OpenAPI: what every delivery looks like. */
export const clerkEnvelopeSchema = z
  .object({
    type: z.enum(CLERK_EVENT_TYPES as [ClerkEvent['type'], ...ClerkEvent['type'][]]),
    object: z.literal('event'),
    timestamp: z.number().describe('Epoch ms when Clerk emitted the event'),
    data: z.record(z.string(), z.unknown()).describe('The user, organization or membership'),
  })
  .describe('A Clerk webhook event (signed by Svix over the raw body)');

/** The verified primary email of a user, if it has one. */
export function verifiedPrimaryEmail(user: z.infer<typeof userDataSchema>): string | null {
  const primary = user.email_addresses.find((e) => e.id === user.primary_email_address_id);
  return primary && primary.verification?.status === 'verified' ? primary.email_address : null;
}

export function displayName(p: {
  first_name?: string | null | undefined;
  last_name?: string | null | undefined;
}): string | null {
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ').trim();
  return name || null;
}
