// @vitest-environment happy-dom
import { act } from 'react';
import { userSchema, type Role } from '@outpost/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccounts } from './accounts';
import { useServerAccess } from './access';
import type { Session } from './session';
import { testRoot } from '../testing/test-root';

const dom = testRoot();
beforeEach(() => sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

const ID = '0190a0b0-0000-7000-8000-00000000000a';
const user = (role: Role) =>
  userSchema.parse({
    id: ID,
    orgId: 'org_acme',
    email: 'mo@example.com',
    name: 'Mo',
    role,
    externalId: `dev|${ID}`,
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
    version: 1,
  });
const session = (role: Role): Session => ({
  user: user(role),
  mode: 'dev',
  getToken: () => Promise.resolve('token'),
});

/** `GET /api/v1/me` as a server configured with `externalData` for this role answers it. */
function serverSays(role: Role, externalData: boolean) {
  const answer = {
    user: user(role),
    org: { id: 'org_acme', personal: false },
    role,
    access: { externalData },
  };
  const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify(answer))));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function Probe({ s, accounts }: { s: Session; accounts: ReturnType<typeof createAccounts> }) {
  return <output>{String(useServerAccess(s, accounts).externalData)}</output>;
}

async function render(s: Session, accounts: ReturnType<typeof createAccounts>) {
  await act(async () => dom.root.render(<Probe s={s} accounts={accounts} />));
  return () => dom.host.querySelector('output')?.textContent;
}

describe('what the server lets a role reach', () => {
  it('follows the server: a member it lets read the library is offered it, and it is remembered', async () => {
    const accounts = createAccounts(sessionStorage);
    accounts.signedIn(user('member'), 'dev');
    const fetch = serverSays('member', true);
    const shown = await render(session('member'), accounts);
    expect(fetch).toHaveBeenCalledWith('/api/v1/me', expect.anything());
    await vi.waitFor(() => expect(shown()).toBe('true'));
    // Offline next time: what the server said still holds.
    vi.stubGlobal('navigator', { ...navigator, onLine: false });
    const offline = vi.fn();
    vi.stubGlobal('fetch', offline);
    const again = createAccounts(sessionStorage);
    await act(async () => dom.root.render(<Probe s={session('member')} accounts={again} />));
    expect(offline).not.toHaveBeenCalled();
    expect(shown()).toBe('true');
  });

  it('takes the library away from a manager when the server does not let managers read it', async () => {
    const accounts = createAccounts(sessionStorage);
    accounts.signedIn(user('manager'), 'dev');
    serverSays('manager', false);
    const shown = await render(session('manager'), accounts);
    await vi.waitFor(() => expect(accounts.current()?.access).toEqual({ externalData: false }));
    expect(shown()).toBe('false');
  });

  it('uses the default roles until the server has said, and when it cannot', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('{}', { status: 503 })));
    for (const [role, expected] of [
      ['admin', 'true'],
      ['manager', 'true'],
      ['member', 'false'],
    ] as const) {
      sessionStorage.clear();
      const accounts = createAccounts(sessionStorage);
      accounts.signedIn(user(role), 'dev');
      const shown = await render(session(role), accounts);
      expect(shown()).toBe(expected);
    }
  });
});
