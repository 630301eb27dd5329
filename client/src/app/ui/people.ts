import type { User } from '@outpost/shared';

/** A person as a picker lists them. */
export interface PickedPerson {
  id: string;
  label: string;
}

/**
 * The org's people as pickers list them: yourself first, named "… (you)", then everyone else in
 * the order given — your own name is the one most often picked, and the one you look for.
 */
export function peopleYouFirst(users: readonly User[], me: string): PickedPerson[] {
  const out: PickedPerson[] = [];
  for (const u of users) if (u.id === me) out.push({ id: u.id, label: `${u.name} (you)` });
  for (const u of users) if (u.id !== me) out.push({ id: u.id, label: u.name });
  return out;
}
