// @vitest-environment happy-dom
import { act } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { userSchema, type Role } from '@outpost/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useServerAccess } from './access';
import type { Session } from './session';
import { testRoot } from '../testing/test-root';

const dom = testRoot();
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

/** `GET /api/v1/me` as a server that lets this role read the library (or not) answers it. */
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

function Probe({ s }: { s: Session }) {
  return <output>{String(useServerAccess(s).externalData)}</output>;
}

let renders = 0;
/** Mounts a fresh tree, with a query cache of its own (as each signed-in user has). */
async function render(s: Session) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () =>
    dom.root.render(
      <QueryClientProvider client={client} key={++renders}>
        <Probe s={s} />
      </QueryClientProvider>,
    ),
  );
  return () => dom.host.querySelector('output')?.textContent;
}

describe('what the server lets a role reach', () => {
  it('offers the library to a member when the server lets members read it', async () => {
    const fetch = serverSays('member', true);
    const shown = await render(session('member'));
    expect(fetch).toHaveBeenCalledWith('/api/v1/me', expect.anything());
    await vi.waitFor(() => expect(shown()).toBe('true'));
  });

  it('takes it away from a manager when the server does not let managers read it', async () => {
    const fetch = serverSays('manager', false);
    const shown = await render(session('manager'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await vi.waitFor(() => expect(shown()).toBe('false'));
  });

  it('uses the default roles until the server has said, and when it cannot', async () => {
    for (const answer of [
      new Response('{}', { status: 503 }),
      // An older server, whose /me has no `access`.
      new Response(JSON.stringify({ user: user('member'), role: 'member' })),
    ]) {
      for (const [role, expected] of [
        ['admin', 'true'],
        ['manager', 'true'],
        ['member', 'false'],
      ] as const) {
        const fetch = vi.fn(() => Promise.resolve(answer.clone()));
        vi.stubGlobal('fetch', fetch);
        const shown = await render(session(role));
        await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
        expect(shown()).toBe(expected);
      }
    }
  });
});
