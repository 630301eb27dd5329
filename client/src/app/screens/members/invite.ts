import {
  USER_EMAIL_MAX,
  USER_NAME_MAX,
  emailKey,
  isInvitation,
  userFieldsSchema,
  type Role,
  type User,
  type UserFields,
} from '@outpost/shared';

export interface InviteDraft {
  name: string;
  email: string;
  role: Role;
}

/** What is wrong with a draft, per field, in words for the person typing it. */
export type InviteProblems = Partial<Record<'name' | 'email', string>>;

/**
 * Checks an invitation before it is sent: the server's own schema (the body it will accept),
 * and the org's users in the replica — an org holds each email once, compared as `emailKey`
 * does, so a second would be refused (409) and never link to anyone. Returns the fields to
 * send, or what to fix.
 */
export function checkInvite(
  draft: InviteDraft,
  users: readonly User[],
): { fields: UserFields } | { problems: InviteProblems } {
  const problems: InviteProblems = {};
  const name = draft.name.trim();
  const email = draft.email.trim();
  if (!name) problems.name = 'Enter their name.';
  else if (name.length > USER_NAME_MAX)
    problems.name = `Keep the name to ${USER_NAME_MAX} characters.`;
  if (!email) problems.email = 'Enter their email address.';
  else if (email.length > USER_EMAIL_MAX)
    problems.email = `Keep the email to ${USER_EMAIL_MAX} characters.`;
  else {
    const taken = users.find((u) => emailKey(u.email) === emailKey(email));
    if (taken)
      problems.email = isInvitation(taken)
        ? `${taken.name} is already invited with ${taken.email}.`
        : `${taken.name} is already a member with ${taken.email}.`;
  }
  const parsed = userFieldsSchema.safeParse({ name, email, role: draft.role });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'email') problems.email ??= 'Enter an email address like name@example.com.';
      else if (field === 'name') problems.name ??= issue.message;
    }
  }
  // A rule only the schema has still names a field.
  if (!parsed.success && !problems.name && !problems.email)
    problems.name = parsed.error.issues[0]?.message ?? 'Check the name and email.';
  if (!parsed.success || problems.name || problems.email) return { problems };
  return { fields: parsed.data };
}
