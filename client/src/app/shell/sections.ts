import { can } from '@outpost/shared';
import { useServerAccess } from '../auth/access';
import { useEngine } from '../engine/context';
import type { Route } from './router';

/** The sections, each with the second key of its `g` shortcut (g p: Projects). */
const TABS: { route: Route; label: string; key: string }[] = [
  { route: { name: 'projects' }, label: 'Projects', key: 'p' },
  { route: { name: 'activity' }, label: 'Activity', key: 'a' },
  { route: { name: 'sync' }, label: 'Sync', key: 's' },
  { route: { name: 'resources' }, label: 'Resources', key: 'r' },
  { route: { name: 'members' }, label: 'Members', key: 'm' },
];

/**
 * The sections this person has (the tabs, their `g` keys and what `?` lists): Members for
 * those the shared permission table lets manage users; the shared-resources library for the
 * roles this server lets read it (a link to it still says why not).
 */
export function useSections(): typeof TABS {
  const { session } = useEngine();
  const access = useServerAccess(session);
  return TABS.filter((t) =>
    t.route.name === 'members'
      ? can(session.user.role, 'update', 'user')
      : t.route.name !== 'resources' || access.externalData,
  );
}
