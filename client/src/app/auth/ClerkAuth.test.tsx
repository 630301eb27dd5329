// @vitest-environment happy-dom
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userSchema, type User } from '@outpost/shared';
import { EngineContext, type Engine } from '../engine/context';
import type { InstallPrompt } from '../pwa/install-prompt';
import { useRouteFocus } from '../shell/route-focus';
import { TopBar } from '../shell/TopBar';
import { useUnsavedDraft } from '../ui/drafts';
import { createStore } from '../ui/store';
import { createAccounts } from './accounts';
import { ClerkSession } from './ClerkAuth';
import { useProviderSession } from './provider';
import type { Session } from './session';
import { signOutOfDevice, type SignOutStep } from './sign-out';

// Clerk's script cannot load here: its React hooks and components are replaced by a double
// that keeps Clerk's state (signed in, active org, token) and records what the app asked of it.
const clerk = vi.hoisted(() => {
  /** `loaded: false`: Clerk's hooks say neither signed in nor out (loading, or mid sign-out). */
  /** `unreachable`: Clerk's servers do not answer (its calls reject, nothing changes). */
  type State = {
    signedIn: boolean;
    orgId: string | null;
    tokens: number;
    loaded: boolean;
    unreachable: boolean;
  };
  const INITIAL: State = {
    signedIn: true,
    orgId: 'org_a',
    tokens: 0,
    loaded: true,
    unreachable: false,
  };
  let state: State = INITIAL;
  const listeners = new Set<() => void>();
  const calls: string[] = [];
  /** Addresses Clerk left the page for (`window.location.href = …`): the page is gone. */
  const pageLoads: string[] = [];
  const b64 = (v: unknown) =>
    btoa(JSON.stringify(v)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return {
    calls,
    pageLoads,
    get state() {
      return state;
    },
    set(next: Partial<State>) {
      state = { ...state, ...next };
      for (const l of [...listeners]) l();
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    reset() {
      state = INITIAL;
      calls.length = 0;
      pageLoads.length = 0;
    },
    /** A Clerk-shaped session token for the active org (payload only: the server verifies). */
    token() {
      state = { ...state, tokens: state.tokens + 1 };
      const o = state.orgId ? { o: { id: state.orgId, rol: 'admin' } } : {};
      return `${b64({ alg: 'RS256' })}.${b64({ sub: 'user_ana', n: state.tokens, ...o })}.sig`;
    },
  };
});

vi.mock('@clerk/clerk-react', async () => {
  const React = await import('react');
  const useClerkState = () => React.useSyncExternalStore(clerk.subscribe, () => clerk.state);
  const getToken = () => Promise.resolve(clerk.token());
  const api = {
    setActive: ({ organization }: { organization: string | null }) => {
      clerk.calls.push(`setActive:${organization}`);
      clerk.set({ orgId: organization });
      return Promise.resolve();
    },
    // As clerk-js signs out: the session ends, its hooks say neither signed in nor out, then
    // it loads its after-sign-out address (no router given to ClerkProvider) — unless a
    // callback was passed, which runs in place of that navigation before it reports signed out.
    signOut: async (
      callbackOrOptions?: (() => unknown) | { redirectUrl?: string },
      options?: { redirectUrl?: string },
    ) => {
      if (clerk.state.unreachable) {
        clerk.calls.push('signOut (unreachable)');
        throw new TypeError('Failed to fetch');
      }
      clerk.calls.push('signOut');
      clerk.set({ loaded: false, signedIn: false, orgId: null });
      if (typeof callbackOrOptions !== 'function') {
        // The page unloads here: nothing after this runs in it (a test mounts the next page).
        clerk.pageLoads.push(callbackOrOptions?.redirectUrl ?? options?.redirectUrl ?? '/');
        return;
      }
      await callbackOrOptions();
      clerk.set({ loaded: true });
    },
  };
  return {
    ClerkProvider: ({ children }: { children: ReactNode }) => children,
    SignIn: () => React.createElement('p', null, 'Clerk sign-in'),
    OrganizationList: () => React.createElement('p', null, 'Clerk organization list'),
    useAuth: () => {
      const s = useClerkState();
      return s.loaded
        ? { isLoaded: true, isSignedIn: s.signedIn, orgId: s.orgId, getToken }
        : { isLoaded: false, isSignedIn: undefined, orgId: undefined, getToken };
    },
    useClerk: () => api,
    useOrganizationList: () => ({
      isLoaded: true,
      setActive: api.setActive,
      userMemberships: {
        data: [
          { organization: { id: 'org_a', name: 'Acme' }, role: 'org:admin' },
          { organization: { id: 'org_b', name: 'Beta' }, role: 'org:member' },
        ],
      },
    }),
  };
});

const user = (orgId: string, id: string): User =>
  userSchema.parse({
    id,
    orgId,
    externalId: 'user_ana',
    email: 'ana@example.com',
    name: 'Ana',
    role: orgId === 'org_a' ? 'admin' : 'member',
    createdAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    version: 1,
  });
const USERS: Record<string, User> = {
  org_a: user('org_a', '0193a000-0000-7000-8000-00000000000a'),
  org_b: user('org_b', '0193a000-0000-7000-8000-00000000000b'),
};

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

/** `GET /api/v1/me` as the server answers it: the user of the token's org. */
const requests: string[] = [];
function fakeServer(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const auth = new Headers(init?.headers).get('authorization') ?? '';
  requests.push(`${String(input)} ${auth}`);
  const payload = JSON.parse(atob(auth.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
    o?: { id: string };
  };
  const found = USERS[payload.o?.id ?? ''];
  return Promise.resolve(
    found
      ? new Response(JSON.stringify({ user: found }), { status: 200 })
      : new Response(JSON.stringify({ error: 'no such member' }), { status: 403 }),
  );
}

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const install: InstallPrompt = Object.assign(createStore({ canInstall: false, installed: false }), {
  install: () => Promise.resolve(),
}) as unknown as InstallPrompt;

describe('Clerk mode session flows (Clerk replaced by a double)', () => {
  let root: Root;
  let container: HTMLElement;
  let accounts: ReturnType<typeof createAccounts>;
  /** The device's localStorage as the accounts see it (every tab's). */
  let storage: Storage;
  let session: Session | null;
  const wiped: string[] = [];
  /** What the last sign-out stopped with, and a way to go on from a step (the app's Try again). */
  const failures: unknown[] = [];
  let signOutFrom: (from?: SignOutStep) => Promise<void> = () => Promise.resolve();

  /** The workspace stand-in (one per org, as the app keys it): the real top bar and the real
   * sign-out procedure. */
  function Workspace({ s }: { s: Session }) {
    session = s;
    const provider = useProviderSession();
    return (
      <EngineContext.Provider value={{ session: s } as Engine}>
        <TopBar
          accounts={accounts}
          install={install}
          onJoinOrg={() => undefined}
          onSignOut={() => {
            signOutFrom = (from) =>
              signOutOfDevice(
                {
                  session: s,
                  accounts,
                  provider,
                  wipe: () => (wiped.push(s.user.id), Promise.resolve()),
                  wipeOther: (id) => (wiped.push(id), Promise.resolve()),
                },
                from,
              ).catch((err: unknown) => void failures.push(err));
            void signOutFrom();
          }}
        />
        <p data-org={s.user.orgId}>workspace of {s.user.orgId}</p>
        <FirstScreen />
        <TaskTitleField />
      </EngineContext.Provider>
    );
  }
  /** "Add a task…" holding `typed`, not added (a real field registers its text so). */
  let typed = '';
  function TaskTitleField() {
    useUnsavedDraft('Add a task', typed);
    return null;
  }
  /** The workspace's first screen, its focus placed as the real screens' is. */
  function FirstScreen() {
    useRouteFocus('projects');
    return (
      <main>
        <h2>Projects</h2>
      </main>
    );
  }

  async function settle(): Promise<void> {
    // Effects, the fetch of /me and the state it sets.
    for (let i = 0; i < 5; i++) await act(() => new Promise<void>((r) => setTimeout(r, 0)));
  }

  beforeEach(async () => {
    clerk.reset();
    wiped.length = 0;
    failures.length = 0;
    requests.length = 0;
    session = null;
    typed = '';
    sessionStorage.clear();
    localStorage.clear();
    vi.stubGlobal('fetch', vi.fn(fakeServer));
    storage = memoryStorage();
    accounts = createAccounts(storage);
    container = document.createElement('div');
    document.body.append(container);
    await mount();
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  /** The signed-in app as a page load renders it, in a new root. */
  async function mount(): Promise<void> {
    root = createRoot(container);
    act(() => {
      root.render(
        <ClerkSession accounts={accounts}>
          {(s) => <Workspace key={s.user.id} s={s} />}
        </ClerkSession>,
      );
    });
    await settle();
  }

  /** The top bar's account menu, then its Sign out, in this tab, through to the screen it leaves. */
  async function signOutHere(): Promise<void> {
    act(() => {
      container.querySelector<HTMLButtonElement>('button[aria-label^="Account: "]')!.click();
    });
    const item = [...container.querySelectorAll<HTMLElement>('[role="menuitem"]')].find(
      (b) => b.textContent === 'Sign out',
    )!;
    await act(async () => {
      item.click();
      await new Promise<void>((r) => setTimeout(r, 0));
    });
    await settle();
  }

  /**
   * Another tab of this browser signs this person out of the device: it removes them from the
   * accounts this tab shares with it, and the browser tells this tab (a `storage` event). Opened
   * before Clerk loaded, that tab also notes that Clerk's session is to end (`sessionToEnd`).
   * Clerk's own state is left as it is: offline, that tab cannot end Clerk's session.
   */
  function signOutInAnotherTab({ sessionToEnd = false } = {}): void {
    const otherTab = createAccounts(storage);
    if (sessionToEnd) localStorage.setItem('outpost-clerk-session-to-end', '1');
    for (const a of otherTab.getSnapshot().accounts) otherTab.forget(a.user.id);
    window.dispatchEvent(new StorageEvent('storage', { key: 'outpost.accounts.v1' }));
  }

  const select = () =>
    container.querySelector<HTMLSelectElement>('select[aria-label="Organization"]')!;
  async function choose(value: string): Promise<void> {
    act(() => {
      select().value = value;
      select().dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
  }

  it('the org switcher lists the Clerk organizations and switches with setActive', async () => {
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    const options = [...select().options].map((o) => o.textContent);
    expect(options).toEqual([
      'Personal workspace',
      'Acme',
      'Beta',
      'Join or create an organization…',
    ]);
    expect(select().value).toBe('org_a');

    await choose('org_b');
    expect(clerk.calls).toEqual(['setActive:org_b']);
    // Clerk's token now speaks for Beta: the workspace reopened as Beta's member.
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_b');
    expect(select().value).toBe('org_b');
    expect(accounts.current()?.user.id).toBe(USERS['org_b']!.id);
  });

  it('switching org puts focus on the new workspace\u2019s heading, as the dev switcher does', async () => {
    select().focus();
    await choose('org_b');
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_b');
    expect(document.activeElement?.textContent).toBe('Projects');
    // The workspace of a page load keeps focus where it is (the flag was taken once).
    act(() => root.unmount());
    await mount();
    expect(document.activeElement).toBe(document.body);
  });

  it('"Join or create" opens Clerk\u2019s organization list', async () => {
    await choose('__join__');
    expect(container.textContent).toContain('Clerk organization list');
    expect(clerk.calls).toEqual([]);
    const back = [...container.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Back to your workspace'),
    )!;
    act(() => back.click());
    await settle();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    // Back where the user came from: the org switcher.
    expect(document.activeElement).toBe(select());
  });

  it('sign-out wipes the device (every org of this person), then ends the Clerk session', async () => {
    await choose('org_b');
    await choose('org_a');
    expect(
      accounts
        .getSnapshot()
        .accounts.map((a) => a.user.orgId)
        .sort(),
    ).toEqual(['org_a', 'org_b']);
    clerk.calls.length = 0;
    await signOutHere();
    expect(wiped).toEqual([USERS['org_a']!.id, USERS['org_b']!.id]);
    expect(accounts.getSnapshot().accounts).toEqual([]);
    expect(clerk.calls).toEqual(['signOut']);
    expect(clerk.pageLoads).toEqual([]);
    // Clerk no longer signs the user straight back in.
    expect(container.textContent).toContain('Clerk sign-in');
    expect(container.querySelector('[data-org]')).toBeNull();
  });

  it('after sign-out Clerk\u2019s sign-in screen says \u201cYou\u2019re signed out\u201d with focus on it, as the dev form does, until the next sign-in', async () => {
    await signOutHere();
    expect(container.textContent).toContain('Clerk sign-in');
    const heading = () =>
      [...container.querySelectorAll('h2')].find((h) => h.textContent === 'You\u2019re signed out');
    expect(heading()).toBeDefined();
    expect(container.textContent).toContain('This device\u2019s copy of your data was removed.');
    expect(document.activeElement).toBe(heading());
    // Reloaded while signed out, the tab's next page says it too.
    act(() => root.unmount());
    await mount();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(heading()).toBeDefined();
    expect(document.activeElement).toBe(heading());
    // Signed in again, then out at Clerk alone (the device copy kept): the screen is plain.
    act(() => clerk.set({ signedIn: true, orgId: 'org_a' }));
    await settle();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    act(() => clerk.set({ signedIn: false, orgId: null }));
    await settle();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(heading()).toBeUndefined();
  });

  it('signed out in another tab with a task title typed and not added, Clerk\u2019s sign-in screen shows that text to copy, as the dev form does', async () => {
    act(() => root.unmount());
    typed = 'Order the tulip bulbs';
    await mount();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    // Another tab signed out: it removed this person from the device and ended Clerk's session.
    act(() => {
      accounts.forget(USERS['org_a']!.id);
      clerk.set({ signedIn: false, orgId: null });
    });
    await settle();
    expect(container.textContent).toContain('Clerk sign-in');
    const notice = container.querySelector('[role="alert"][aria-label="Not saved"]');
    expect(notice?.textContent).toContain('You were signed out.');
    expect(notice?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    const dismiss = [...notice!.querySelectorAll('button')].find(
      (b) => b.textContent === 'Dismiss',
    )!;
    act(() => dismiss.click());
    expect(container.querySelector('[aria-label="Not saved"]')).toBeNull();
    expect(container.textContent).toContain('Clerk sign-in');
  });

  it('signed out in this tab with a task title typed and not added, the page stays: Clerk\u2019s sign-in screen shows that text to copy, and the next sign-in opens a fresh workspace', async () => {
    act(() => root.unmount());
    typed = 'Order the tulip bulbs';
    await mount();
    await signOutHere();
    // Clerk ended its session without loading its after-sign-out address: the text typed lives
    // in this page's memory only, and the page is still here.
    expect(clerk.calls).toEqual(['signOut']);
    expect(clerk.pageLoads).toEqual([]);
    expect(container.textContent).toContain('Clerk sign-in');
    const notice = container.querySelector('[role="alert"][aria-label="Not saved"]');
    expect(notice?.textContent).toContain('You were signed out.');
    expect(notice?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    // Only that this tab signed out is noted for a reload; the text is never stored.
    const stored = [sessionStorage, localStorage].flatMap((st) =>
      Array.from({ length: st.length }, (_, i) => st.getItem(st.key(i)!)),
    );
    expect(stored.join(' ')).not.toContain('tulip');

    // Signed in again in the same page (Beta active): the workspace left never shows again; the
    // new one opens once the server said who this is.
    act(() => clerk.set({ signedIn: true, orgId: 'org_b' }));
    expect(container.querySelector('[data-org]')).toBeNull();
    await settle();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_b');
    expect(container.querySelector('[aria-label="Not saved"]')).toBeNull();
  });

  it('signed out in another tab while Clerk cannot be reached (its session still on): this tab leaves the workspace for \u201cYou\u2019re signed out\u201d, with the text typed to copy, and does not sign back in', async () => {
    act(() => root.unmount());
    typed = 'Order the tulip bulbs';
    await mount();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    // Offline: Clerk loaded while online, but its servers do not answer now.
    act(() => clerk.set({ unreachable: true }));
    const meBefore = requests.length;
    act(() => signOutInAnotherTab());
    await settle();
    expect(container.querySelector('[data-org]')).toBeNull();
    const notice = () => container.querySelector('[role="alert"][aria-label="Not saved"]');
    expect(notice()?.textContent).toContain('You were signed out.');
    expect(notice()?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    // Clerk still holds the session: its sign-in form is not offered, and nobody is signed
    // back in here.
    expect(container.textContent).not.toContain('Clerk sign-in');
    expect(container.textContent).toContain(
      'Your Clerk session ends from the tab you signed out in, once Clerk can be reached there.',
    );
    expect(requests.length).toBe(meBefore);
    expect(accounts.getSnapshot().accounts).toEqual([]);
    expect(clerk.calls).toEqual([]);
    // Back online, that tab ended Clerk's session: Clerk's sign-in, the text still to copy.
    act(() => clerk.set({ unreachable: false, signedIn: false, orgId: null }));
    await settle();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(notice()?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    act(() =>
      [...notice()!.querySelectorAll('button')].find((b) => b.textContent === 'Dismiss')!.click(),
    );
    expect(container.textContent).toContain('You\u2019re signed out');
    // Signing in again here opens a workspace.
    act(() => clerk.set({ signedIn: true, orgId: 'org_a' }));
    await settle();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
  });

  it('opened offline (Clerk not loaded) and signed out in another tab opened so too: this tab leaves the workspace, and ends Clerk\u2019s session once Clerk loads instead of signing back in', async () => {
    act(() => root.unmount());
    act(() => clerk.set({ loaded: false }));
    await mount();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    act(() => signOutInAnotherTab({ sessionToEnd: true }));
    await settle();
    expect(container.querySelector('[data-org]')).toBeNull();
    expect(container.textContent).toContain('You\u2019re signed out');
    expect(container.textContent).toContain(
      'Your Clerk session ends as soon as Clerk can be reached.',
    );
    const meBefore = requests.length;
    act(() => clerk.set({ loaded: true }));
    await settle();
    expect(clerk.calls).toEqual(['signOut']);
    expect(requests.length).toBe(meBefore);
    expect(container.querySelector('[data-org]')).toBeNull();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(container.textContent).toContain('You\u2019re signed out');
  });

  it('opened offline (Clerk not loaded), signing out here with a task title typed and not added shows that text to copy while Clerk\u2019s session waits to end, as the dev form does, and on Clerk\u2019s sign-in after it', async () => {
    act(() => root.unmount());
    typed = 'Order the tulip bulbs';
    act(() => clerk.set({ loaded: false }));
    await mount();
    await signOutHere();
    expect(container.querySelector('[data-org]')).toBeNull();
    expect(container.textContent).toContain(
      'Your Clerk session ends as soon as Clerk can be reached.',
    );
    const notice = () => container.querySelector('[role="alert"][aria-label="Not saved"]');
    expect(notice()?.textContent).toContain('You were signed out.');
    expect(notice()?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    act(() => clerk.set({ loaded: true }));
    await settle();
    expect(clerk.calls).toEqual(['signOut']);
    expect(container.textContent).toContain('Clerk sign-in');
    expect(notice()?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
  });

  it('Clerk not answering at sign-out: it stops saying the Clerk step failed, the device copy gone; trying that step again ends the session', async () => {
    act(() => clerk.set({ unreachable: true }));
    await signOutHere();
    expect(wiped).toEqual([USERS['org_a']!.id]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'SignOutError', step: 'provider' });
    expect(clerk.calls).toEqual(['signOut (unreachable)']);
    act(() => clerk.set({ unreachable: false }));
    await act(() => signOutFrom('provider'));
    await settle();
    expect(failures).toHaveLength(1);
    expect(wiped).toEqual([USERS['org_a']!.id]);
    expect(clerk.calls).toEqual(['signOut (unreachable)', 'signOut']);
    expect(container.textContent).toContain('Clerk sign-in');
  });

  it('opened offline (Clerk not loaded), signing out ends Clerk\u2019s session once Clerk loads, after a reload too, instead of signing back in', async () => {
    // Signed in here before; this page load cannot reach Clerk.
    act(() => root.unmount());
    act(() => clerk.set({ loaded: false }));
    await mount();
    expect(container.querySelector('[data-org]')?.textContent).toBe('workspace of org_a');
    await signOutHere();
    expect(wiped).toEqual([USERS['org_a']!.id]);
    expect(accounts.getSnapshot().accounts).toEqual([]);
    // Nothing to end it with yet: it says so, and that this device's copy went.
    expect(clerk.calls).toEqual([]);
    expect(container.textContent).toContain('You\u2019re signed out');
    expect(container.textContent).toContain(
      'Your Clerk session ends as soon as Clerk can be reached.',
    );
    // The tab reloaded, still offline: the same.
    act(() => root.unmount());
    await mount();
    expect(container.textContent).toContain(
      'Your Clerk session ends as soon as Clerk can be reached.',
    );
    const meBefore = requests.length;
    // Clerk reachable (still signed in there): its session ends, nobody is signed back in.
    act(() => clerk.set({ loaded: true }));
    await settle();
    expect(clerk.calls).toEqual(['signOut']);
    expect(clerk.pageLoads).toEqual([]);
    expect(requests.length).toBe(meBefore);
    expect(container.querySelector('[data-org]')).toBeNull();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(container.textContent).toContain('You\u2019re signed out');
    // Once: the next page load is a plain one.
    act(() => root.unmount());
    await mount();
    expect(clerk.calls).toEqual(['signOut']);
    expect(container.textContent).toContain('Clerk sign-in');
  });

  it('a Clerk session that ends without this app\u2019s sign-out (the device copy kept) is not told as one', async () => {
    act(() => clerk.set({ signedIn: false, orgId: null }));
    await settle();
    expect(container.textContent).toContain('Clerk sign-in');
    expect(container.textContent).not.toContain('You\u2019re signed out');
  });

  it('every token request gets Clerk\u2019s current (refreshed) token; one for another org is refused', async () => {
    const s = session!;
    const payload = (t: string) => JSON.parse(atob(t.split('.')[1]!)) as { n: number };
    const first = await s.getToken();
    const second = await s.getToken();
    expect(payload(second).n).toBeGreaterThan(payload(first).n);
    expect(second).not.toBe(first);
    // A switch made elsewhere (another tab, Clerk's own UI): until the workspace reopens, the
    // old one may not act in org_b with org_b's token.
    clerk.state.orgId = 'org_b';
    await expect(s.getToken()).rejects.toThrow(/Switching organization/);
  });
});
