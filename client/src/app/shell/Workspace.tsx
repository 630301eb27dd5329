import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { unreachable } from '@outpost/shared';
import type { AppServices } from '../../App';
import type { Session } from '../auth/session';
import { useServerAccess } from '../auth/access';
import { useProviderSession } from '../auth/provider';
import { SignOutError, signOutOfDevice, signOutReason, type SignOutStep } from '../auth/sign-out';
import { EngineProvider } from '../engine/EngineProvider';
import { useEngine } from '../engine/context';
import { ActivityScreen } from '../screens/ActivityScreen';
import { NotFoundScreen } from '../screens/NotFoundScreen';
import { ProjectDetailScreen } from '../screens/ProjectDetailScreen';
import { ProjectsScreen } from '../screens/ProjectsScreen';
import { SearchScreen } from '../screens/SearchScreen';
import { listViews } from '../screens/tasks/view-state';
import { confirmAction } from '../ui/confirm';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { useHeldTexts, unsavedTexts, type UnsavedText } from '../ui/drafts';
import { toasts } from '../ui/toasts';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { useInset } from '../ui/insets';
import {
  EVERYWHERE_SHORTCUTS,
  PROJECT_LIST_SHORTCUTS,
  RESOURCE_SHORTCUTS,
  useKeySequence,
  useShortcuts,
} from '../ui/shortcuts';
import { ShortcutsHelp } from '../ui/ShortcutsHelp';
import { Skeleton } from '../ui/Skeleton';
import { useAssignedToYou } from './assigned-to-you';
import { Notices } from './Notices';
import { createUnsavedNotices, UnsavedNoticesProvider } from './unsaved-notices';
import type { LeftBehind } from './LeftBehindNotice';
import { Toasts } from './Toasts';
import { href, navigate, useRoute, type Route } from './router';
import { useRouteFocus } from './route-focus';
import { useSections } from './sections';
import { READY_TO_SIGN_OUT, signOutQuestion } from './sign-out-question';
import { SigningOut, type SignOutProgress } from './SigningOut';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { RUNTIME_API_CACHE_PREFIX } from '../pwa/caches';
import { credentialRequests, revokeCredential } from '../pwa/sync-credential';
import { sessionToken } from '../engine/engine';
import { usePendingDeletes, useStatusOf, useWarmSearchIndex, whenIdle } from '../../data';

// Screens most sessions never open are chunks of their own, out of the first load; they are
// loaded once the workspace is idle (`useScreensAhead`), so one first opened offline is there:
// until the service worker controls the page (a first visit, still precaching) nothing else
// would serve it, and the screen said "Failed to fetch dynamically imported module".
const loadInspector = () => import('../screens/InspectorScreen');
const loadResources = () => import('../screens/ResourcesScreen');
const loadMembers = () => import('../screens/MembersScreen');
const InspectorScreen = lazy(loadInspector);
const ResourcesScreen = lazy(loadResources);
const MembersScreen = lazy(loadMembers);

/** Loads the on-demand screens' code once the page is idle after the workspace is shown. */
function useScreensAhead(): void {
  useEffect(
    () =>
      whenIdle(() => {
        // Offline already, one fails: it is asked for again when its screen is opened.
        for (const load of [loadMembers, loadResources, loadInspector]) void load().catch(() => {});
      }, SCREENS_AHEAD_WITHIN_MS),
    [],
  );
}
/** The on-demand screens load this long after the workspace shows at most, idle or not. */
const SCREENS_AHEAD_WITHIN_MS = 5000;

/** Not signing out: no text held. */
const NOTHING_HELD: readonly UnsavedText[] = [];

interface Props {
  session: Session;
  services: AppServices;
  onJoinOrg(): void;
  /** Text typed in the org this tab switched from and not saved, to show (see App). */
  leftBehind?: LeftBehind | null;
  onLeftBehindDone?(): void;
}

export function Workspace({ session, services, onJoinOrg, leftBehind, onLeftBehindDone }: Props) {
  // Its toasts go with it: an Undo still shown in the org switched to acted on the org left.
  useEffect(() => () => toasts.clear(), []);
  return (
    <div className="app">
      <EngineProvider session={session} pwa={services.pwa}>
        <Layout
          services={services}
          onJoinOrg={onJoinOrg}
          leftBehind={leftBehind ?? null}
          onLeftBehindDone={onLeftBehindDone ?? (() => undefined)}
        />
      </EngineProvider>
    </div>
  );
}

function Layout({
  services,
  onJoinOrg,
  leftBehind,
  onLeftBehindDone,
}: {
  services: AppServices;
  onJoinOrg(): void;
  leftBehind: LeftBehind | null;
  onLeftBehindDone(): void;
}) {
  const { client, session, replica } = useEngine();
  const provider = useProviderSession();
  const pendingDeletes = usePendingDeletes();
  const route = useRoute();
  // Signing out: what the screen's fields held unsaved, taken as "Signing out…" replaces it.
  const [signingOut, setSigningOut] = useState<readonly UnsavedText[] | null>(null);
  // Still counted while the device is wiped, so the sign-in screen shows it to copy (in both
  // modes: the dev form, and Clerk's, which the page stays on for it — see ClerkAuth).
  useHeldTexts(signingOut ?? NOTHING_HELD);
  // Only what the shell shows: it renders every screen, so it must not render on every write.
  const setUp = useStatusOf(client.status, (s) => s.setUp === true);
  // Search is instant from its first keystroke: the index is built once everything is here.
  useWarmSearchIndex(setUp && signingOut === null);
  useScreensAhead();
  // A task a teammate gives the reader is told in a toast (one summary for many).
  useAssignedToYou();
  // A task's detail opening or closing is the list's business (its rows keep focus).
  useRouteFocus(route.name === 'project' ? `project/${route.id}` : route.name);
  // `/` searches every project from anywhere; a project's own screen searches that project.
  // `?` lists the shortcuts from anywhere too (a task list's screen opens its own over it).
  const [help, setHelp] = useState(false);
  useShortcuts({
    '/': () => {
      if (route.name === 'project' || route.name === 'search') return false;
      navigate({ name: 'search' });
    },
    '?': () => {
      if (route.name === 'project' || route.name === 'search') return false;
      setHelp(true);
    },
  });

  const access = useServerAccess(session);
  const tabs = useSections();
  useKeySequence('g', Object.fromEntries(tabs.map((t) => [t.key, () => navigate(t.route)])));

  // Signing out: how far it got; null while not signing out (see SigningOut).
  const [progress, setProgress] = useState<SignOutProgress | null>(null);

  async function signOut() {
    if (progress !== null) return;
    const question = signOutQuestion(client.status.getSnapshot());
    if (
      question &&
      // Open, the question follows the status: changes sent meanwhile change what is at stake.
      !(await confirmAction(question, (update) =>
        client.status.subscribe(() =>
          update(signOutQuestion(client.status.getSnapshot()) ?? READY_TO_SIGN_OUT),
        ),
      ))
    ) {
      return;
    }
    // Offline, the person agreed to sign out so (`signOutQuestion`): the credential cannot be
    // withdrawn, and leaves with the replica holding it.
    void signOutFrom(client.status.getSnapshot().online ? 'revoke' : 'wipe');
  }

  async function signOutFrom(step: SignOutStep) {
    setProgress({ blocked: false, failed: null });
    try {
      await signOutOfDevice(
        {
          session,
          accounts: services.accounts,
          provider,
          revoke: (signal) =>
            revokeCredential(
              replica,
              credentialRequests(() => sessionToken(session)),
              signal,
            ),
          wipe: async () => {
            // From here on the device's copy goes: the screen goes too (until now it was only
            // hidden, for Cancel), what its fields held taken to show on the sign-in screen.
            if (signingOut === null) setSigningOut(unsavedTexts());
            // Deletes waiting out their undo window belong to the data being wiped, and so do
            // the searches and filters the task lists were left with — and the toasts, whose
            // Undo would meet a closed database (they went only with the workspace before).
            toasts.clear();
            pendingDeletes.clear();
            listViews.clear();
            // An older build's tab (or a devtools snippet) that does not let go of the database
            // holds its deletion up: say so, rather than "Signing out…" for as long as it lasts.
            const blocked = () => setProgress((p) => p && { ...p, blocked: true });
            replica.db.on('blocked', blocked);
            try {
              await client.signOut();
            } finally {
              replica.db.on('blocked').unsubscribe(blocked);
            }
            // Cached API answers (profile, shared resources) belong to this user too.
            if ('caches' in window) {
              for (const name of await caches.keys())
                if (name.startsWith(RUNTIME_API_CACHE_PREFIX)) await caches.delete(name);
            }
            navigate({ name: 'projects' });
          },
        },
        step,
      );
    } catch (err: unknown) {
      const failed =
        err instanceof SignOutError
          ? { step: err.step, reason: signOutReason(err) }
          : { step, reason: err instanceof Error ? err.message : String(err) };
      setProgress({ blocked: false, failed });
    }
  }

  function cancelSignOut() {
    setProgress(null);
    // Back on the button that started it, as after any question answered with Cancel.
    queueMicrotask(() => accountButton.current?.focus());
  }

  // Typed text no screen shows any more (a deleted task's panel closed as its save failed, a
  // closed page's kept text refused at this start): kept for this person in this org until
  // answered, a reload or a closed tab between.
  const unsavedNotices = useMemo(
    () => createUnsavedNotices({ orgId: session.user.orgId, userId: session.user.id }),
    [session],
  );
  const tabRoute = route.name === 'project' ? 'projects' : route.name;
  // The header stays at the window's top while a long list scrolls under it (styles.css).
  const header = useRef<HTMLDivElement>(null);
  useInset('top', header);
  // The top bar's account button, whose menu holds Sign out: focus comes back to it.
  const accountButton = useRef<HTMLButtonElement>(null);
  return (
    <UnsavedNoticesProvider value={unsavedNotices}>
      <div ref={header} className="app-header">
        <TopBar
          accounts={services.accounts}
          install={services.install}
          onJoinOrg={onJoinOrg}
          onSignOut={() => void signOut()}
          accountButtonRef={accountButton}
          searching={route.name === 'search'}
        />
        <nav className="tabs" aria-label="Sections">
          {tabs.map((t) => (
            <a
              key={t.route.name}
              href={href(t.route)}
              aria-current={tabRoute === t.route.name ? 'page' : undefined}
            >
              {t.label}
            </a>
          ))}
        </nav>
      </div>
      <Notices leftBehind={leftBehind} onLeftBehindDone={onLeftBehindDone} />
      <Toasts />
      <ConfirmDialog />
      <main>
        {progress !== null && (
          <SigningOut
            progress={progress}
            drafts={signingOut ?? NOTHING_HELD}
            // Copied: no longer held for the sign-in screen either.
            onDismissDrafts={() => setSigningOut(NOTHING_HELD)}
            onRetry={() => void signOutFrom(progress.failed?.step ?? 'revoke')}
            onSkip={() => void signOutFrom('wipe')}
            onCancel={cancelSignOut}
          />
        )}
        {signingOut === null && (
          // Hidden, not gone, until the device's copy starts going: Cancel brings it back as it
          // was, text typed and not saved included. (A box of its own only while hidden.)
          <div
            hidden={progress !== null}
            style={progress === null ? { display: 'contents' } : undefined}
          >
            <ErrorBoundary what="this screen" resetKey={JSON.stringify(route)}>
              <Suspense fallback={<Skeleton label="Loading screen" rows={5} />}>
                <Screen route={route} externalData={access.externalData} />
              </Suspense>
            </ErrorBoundary>
          </div>
        )}
      </main>
      <StatusBar />
      {help && (
        <ShortcutsHelp
          onClose={() => setHelp(false)}
          shortcuts={
            route.name === 'projects'
              ? PROJECT_LIST_SHORTCUTS
              : route.name === 'resources' && access.externalData
                ? RESOURCE_SHORTCUTS
                : EVERYWHERE_SHORTCUTS
          }
        />
      )}
    </UnsavedNoticesProvider>
  );
}

function Screen({ route, externalData }: { route: Route; externalData: boolean }) {
  switch (route.name) {
    case 'projects':
      return <ProjectsScreen />;
    case 'project':
      return <ProjectDetailScreen id={route.id} taskId={route.taskId} sort={route.sort} />;
    case 'activity':
      // Keyed: one row's history and the whole feed keep no state of each other.
      return <ActivityScreen key={route.entityId ?? ''} entityId={route.entityId} />;
    case 'sync':
      return <InspectorScreen />;
    case 'resources':
      return <ResourcesScreen allowed={externalData} />;
    case 'members':
      return <MembersScreen />;
    case 'search':
      return <SearchScreen taskId={route.taskId} />;
    case 'not-found':
      return <NotFoundScreen />;
    default:
      return unreachable(route);
  }
}
