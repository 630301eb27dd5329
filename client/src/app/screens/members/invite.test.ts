import { INVITED_PREFIX, USER_NAME_MAX, type User } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { checkInvite } from './invite';

const at = '2026-12-02T10:00:00.000Z';
function user(name: string, email: string, externalId: string): User {
  return {
    id: `01a23647-0000-7000-8000-${name.length.toString().padStart(12, '0')}`,
    orgId: 'acme',
    version: 1,
    createdAt: at,
    updatedAt: at,
    name,
    email,
    role: 'member',
    externalId,
  } as User;
}

const users = [
  user('Ana', 'ana@acme.com', 'user_ana'),
  user('Bea', 'bea@acme.com', `${INVITED_PREFIX}01a23647-0000-7000-8000-000000000003`),
];

describe('checking an invitation before it is sent', () => {
  it('sends the trimmed name and email with the chosen role', () => {
    expect(checkInvite({ name: '  Cy ', email: ' cy@acme.com ', role: 'manager' }, users)).toEqual({
      fields: { name: 'Cy', email: 'cy@acme.com', role: 'manager' },
    });
  });

  it('asks for a name and an email', () => {
    expect(checkInvite({ name: ' ', email: '', role: 'member' }, users)).toEqual({
      problems: { name: 'Enter their name.', email: 'Enter their email address.' },
    });
  });

  it('refuses what is not an email address', () => {
    expect(checkInvite({ name: 'Cy', email: 'cy at acme', role: 'member' }, users)).toEqual({
      problems: { email: 'Enter an email address like name@example.com.' },
    });
  });

  it('names the member or invitation that already has the email, ignoring case and spaces', () => {
    expect(checkInvite({ name: 'Ana 2', email: ' ANA@acme.com', role: 'member' }, users)).toEqual({
      problems: { email: 'Ana is already a member with ana@acme.com.' },
    });
    expect(checkInvite({ name: 'Bea 2', email: 'Bea@Acme.com', role: 'member' }, users)).toEqual({
      problems: { email: 'Bea is already invited with bea@acme.com.' },
    });
  });

  it('keeps names to the server’s limit', () => {
    const long = 'x'.repeat(USER_NAME_MAX + 1);
    expect(checkInvite({ name: long, email: 'cy@acme.com', role: 'member' }, users)).toEqual({
      problems: { name: `Keep the name to ${USER_NAME_MAX} characters.` },
    });
  });

  it('refuses a name the server would refuse (a control character pasted in)', () => {
    const checked = checkInvite({ name: 'Cy\u0007', email: 'cy@acme.com', role: 'member' }, users);
    expect('problems' in checked && checked.problems.name).toMatch(/control characters/);
  });
});
