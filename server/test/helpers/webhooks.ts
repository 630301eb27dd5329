import { createHmac, randomBytes } from 'node:crypto';

/** A Svix endpoint secret in Clerk's format. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  payload: string;
}

/**
 * Signs a body as Svix does for Clerk: HMAC-SHA256 over `${id}.${timestamp}.${body}` with the
 * base64 key after `whsec_`, sent as `v1,<base64>`.
 */
export function signDelivery(
  secret: string,
  event: unknown,
  opts: { id?: string; timestampSeconds?: number; body?: string } = {},
): SignedDelivery {
  const id = opts.id ?? `msg_${randomBytes(10).toString('hex')}`;
  const timestamp = String(opts.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const payload = opts.body ?? JSON.stringify(event);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${payload}`)
    .digest('base64');
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': timestamp,
      'svix-signature': `v1,${signature}`,
    },
  };
}

export const clerkEvents = {
  membership(
    type: 'created' | 'updated' | 'deleted',
    m: {
      orgId: string;
      userId: string;
      role: string;
      email: string;
      first?: string;
      last?: string;
    },
  ) {
    return {
      object: 'event',
      type: `organizationMembership.${type}`,
      timestamp: Date.now(),
      data: {
        id: `orgmem_${m.orgId}_${m.userId}`,
        object: 'organization_membership',
        role: m.role,
        organization: { id: m.orgId, name: m.orgId, slug: m.orgId.toLowerCase() },
        public_user_data: {
          user_id: m.userId,
          identifier: m.email,
          first_name: m.first ?? 'Ana',
          last_name: m.last ?? 'Lima',
        },
      },
    };
  },
  user(
    type: 'created' | 'updated',
    u: { userId: string; email: string; first: string; last: string; verified?: boolean },
  ) {
    return {
      object: 'event',
      type: `user.${type}`,
      timestamp: Date.now(),
      data: {
        id: u.userId,
        object: 'user',
        first_name: u.first,
        last_name: u.last,
        username: null,
        primary_email_address_id: 'idn_1',
        email_addresses: [
          {
            id: 'idn_1',
            email_address: u.email,
            verification: { status: u.verified === false ? 'unverified' : 'verified' },
          },
        ],
      },
    };
  },
  deleted(kind: 'user' | 'organization', id: string) {
    return {
      object: 'event',
      type: `${kind}.deleted`,
      timestamp: Date.now(),
      data: { id, deleted: true, object: kind },
    };
  },
  organization(type: 'created' | 'updated', id: string) {
    return {
      object: 'event',
      type: `organization.${type}`,
      timestamp: Date.now(),
      data: { id, name: id, slug: id },
    };
  },
};
