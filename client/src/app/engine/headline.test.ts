import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  downloadView,
  etaText,
  headlineText,
  syncHeadline,
  syncNowFeedback,
  type SyncHeadline,
} from './headline';
import type { StatusAction, SyncStatus } from '@outpost/sync';
import { initialStatus, statusReducer } from '@outpost/sync/testing';

const run = (actions: StatusAction[], online = true): SyncStatus =>
  actions.reduce(statusReducer, initialStatus(online));

const failed = (name = 'NetworkError', code: string | null = null): StatusAction => ({
  type: 'syncFailed',
  error: { name, message: 'down', code, at: 1 },
});

const KINDS: SyncHeadline['kind'][] = [
  'action-needed',
  'offline',
  'unreachable',
  'syncing',
  'held',
  'synced',
];

const progress = (kept: number, received: number, remaining: number, elapsed: number) => ({
  kept,
  received,
  remaining,
  startedAt: 1_000,
  at: 1_000 + elapsed,
});

describe('download view', () => {
  it('counts kept rows as done, takes the rate from this pull only', () => {
    // Resumed after a reload: 3,000 were already here; this pull stored 400 in 4 s.
    expect(downloadView(progress(3000, 400, 6600, 4_000))).toEqual({
      done: 3400,
      total: 10000,
      percent: 34,
      etaMs: 66_000,
    });
  });

  it('has no estimate before a page was timed, and 100% only when nothing is left', () => {
    expect(downloadView(progress(0, 0, 500, 0)).etaMs).toBeNull();
    expect(downloadView(progress(0, 999, 1, 10)).percent).toBe(99);
    expect(downloadView(progress(0, 0, 0, 0)).percent).toBe(100);
  });

  it('words the estimate for a person', () => {
    expect(etaText(2_000)).toBe('a few seconds left');
    expect(etaText(33_000)).toBe('about 35 s left');
    expect(etaText(150_000)).toBe('about 3 min left');
  });
});

describe('sync headline: every state is reachable through the status reducer', () => {
  it('synced after a successful cycle with nothing pending', () => {
    const h = syncHeadline(run([{ type: 'syncStarted' }, { type: 'syncSucceeded', at: 10 }]));
    expect(h).toEqual({ kind: 'synced', at: 10 });
    expect(headlineText(h, 10)).toBe('Synced just now');
  });

  it('synced long ago names the day, not a time that reads as today', () => {
    const at = new Date(2026, 11, 1, 9, 5).getTime();
    const h = syncHeadline(run([{ type: 'syncStarted' }, { type: 'syncSucceeded', at }]));
    expect(headlineText(h, at + 2 * 3600_000)).toMatch(/^Synced at \S/);
    expect(headlineText(h, new Date(2026, 11, 2, 8, 0).getTime())).toMatch(/^Synced yesterday at /);
    expect(headlineText(h, new Date(2026, 11, 5, 8, 0).getTime())).toMatch(/^Synced on \S*\s?\S/);
    expect(headlineText(h, new Date(2026, 11, 5, 8, 0).getTime())).not.toMatch(/ at /);
  });

  it('syncing with the number of changes left, and a long catch-up as "n of total"', () => {
    const pending = syncHeadline(
      run([
        { type: 'syncSucceeded', at: 1 },
        { type: 'pending', pending: 3 },
      ]),
    );
    expect(pending).toMatchObject({ kind: 'syncing', left: 3, firstSync: false });
    expect(headlineText(pending, 1)).toBe('Syncing — 3 left');
    const download = syncHeadline(
      run([
        { type: 'restored', lastSyncedAt: 1 },
        { type: 'syncStarted' },
        { type: 'download', progress: progress(0, 3400, 6600, 17_000) },
      ]),
    );
    expect(download).toMatchObject({ kind: 'syncing', left: 6600, firstSync: false });
    expect(headlineText(download, 1)).toBe('Syncing — 3,400 of 10,000 (34%) · about 35 s left');
  });

  it('a first sync says the device is being set up, with count, percent and an estimate', () => {
    const before = run([{ type: 'restored', lastSyncedAt: null }, { type: 'syncStarted' }]);
    expect(syncHeadline(before)).toEqual({
      kind: 'syncing',
      left: 0,
      download: null,
      firstSync: true,
    });
    expect(headlineText(syncHeadline(before), 1)).toBe('Setting up this device…');
    // 3,400 rows in 17 s: 200 a second, so 6,600 more take about 33 s.
    const during = statusReducer(before, {
      type: 'download',
      progress: progress(0, 3400, 6600, 17_000),
    });
    expect(headlineText(syncHeadline(during), 1)).toBe(
      'Setting up this device — 3,400 of 10,000 (34%) · about 35 s left',
    );
    // Done: the device is set up from then on, and the download is gone.
    const done = statusReducer(during, { type: 'syncSucceeded', at: 2 });
    expect(done).toMatchObject({ setUp: true, download: null });
    expect(syncHeadline(done).kind).toBe('synced');
  });

  it('until the database is read at start, it is neither set up nor a first sync', () => {
    const s = initialStatus(true);
    expect(s.setUp).toBeNull();
    expect(syncHeadline(s)).toMatchObject({ kind: 'syncing', firstSync: false });
    expect(headlineText(syncHeadline(s), 1)).toBe('Syncing…');
  });

  it('offline with the unsent count', () => {
    const h = syncHeadline(
      run([
        { type: 'syncSucceeded', at: 1 },
        { type: 'online', online: false },
        { type: 'pending', pending: 2 },
      ]),
    );
    expect(h).toEqual({ kind: 'offline', unsent: 2, lastSynced: 1 });
    expect(headlineText(h, 1)).toBe('Offline — 2 unsent changes');
  });

  it('offline for a while, it says when this device last synced', () => {
    const at = new Date(2026, 11, 3, 18, 5).getTime();
    const offline = run([
      { type: 'syncSucceeded', at },
      { type: 'online', online: false },
    ]);
    const h = syncHeadline(offline);
    expect(h).toEqual({ kind: 'offline', unsent: 0, lastSynced: at });
    // A moment ago: nothing to add.
    expect(headlineText(h, at + 30_000)).toBe('Offline');
    expect(headlineText(h, at + 25 * 60_000)).toBe('Offline · last synced 25 min ago');
    const waiting = syncHeadline(statusReducer(offline, { type: 'pending', pending: 12 }));
    expect(headlineText(waiting, at + 3 * 3_600_000)).toMatch(
      /^Offline — 12 unsent changes · last synced at 6:05\sPM$/,
    );
    expect(headlineText(waiting, new Date(2026, 11, 4, 9, 0).getTime())).toMatch(
      /^Offline — 12 unsent changes · last synced yesterday at 6:05\sPM$/,
    );
    // Never synced (offline from the start): nothing to date.
    expect(headlineText({ kind: 'offline', unsent: 0, lastSynced: null }, at)).toBe('Offline');
  });

  it('a failure fixed by the first retry is never shown; a second failure is, with the retry time', () => {
    const once = run([{ type: 'syncSucceeded', at: 1 }, failed(), { type: 'retryAt', at: 1_000 }]);
    expect(syncHeadline(once).kind).toBe('synced');
    expect(syncHeadline(statusReducer(once, { type: 'syncSucceeded', at: 2 })).kind).toBe('synced');
    const more: StatusAction[] = [failed(), { type: 'retryAt', at: 9_000 }];
    const twice = more.reduce(statusReducer, once);
    const h = syncHeadline(twice);
    expect(h).toEqual({ kind: 'unreachable', unsent: 0, retryAt: 9_000, lastSynced: 1 });
    expect(headlineText(h, 1_000)).toBe('Can\u2019t reach server — retrying in 8 s');
    // Changes written meanwhile are counted, as offline counts them: waiting, not lost.
    const waiting = syncHeadline(statusReducer(twice, { type: 'pending', pending: 3 }));
    expect(headlineText(waiting, 1_000)).toBe(
      'Can\u2019t reach server — 3 unsent changes, retrying in 8 s',
    );
    expect(
      headlineText({ kind: 'unreachable', unsent: 1, retryAt: null, lastSynced: null }, 0),
    ).toBe('Can\u2019t reach server — 1 unsent change, retrying soon');
    // Recovery clears it at once.
    expect(syncHeadline(statusReducer(twice, { type: 'syncSucceeded', at: 3 })).kind).toBe(
      'synced',
    );
  });

  it('action needed: update the app, sign in again, or wait for a server update', () => {
    expect(syncHeadline(run([{ type: 'protocol', protocol: 'client_too_old' }]))).toEqual({
      kind: 'action-needed',
      reason: 'update-app',
    });
    expect(
      syncHeadline(
        run([failed('HttpError', 'UNAUTHENTICATED'), failed('HttpError', 'UNAUTHENTICATED')]),
      ),
    ).toEqual({
      kind: 'action-needed',
      reason: 'sign-in',
    });
    // One refused token is a refresh in progress, not a reason to sign in.
    expect(
      syncHeadline(run([{ type: 'syncSucceeded', at: 1 }, failed('HttpError', 'UNAUTHENTICATED')]))
        .kind,
    ).toBe('synced');
    expect(syncHeadline(run([{ type: 'protocol', protocol: 'server_too_old' }]))).toEqual({
      kind: 'action-needed',
      reason: 'server-outdated',
    });
  });

  it('a removed member is told so at the first refusal, offline too, until a sync succeeds', () => {
    const removed = run([{ type: 'syncSucceeded', at: 1 }, failed('HttpError', 'MEMBER_REMOVED')]);
    const h = syncHeadline(removed);
    expect(h).toEqual({ kind: 'action-needed', reason: 'removed', unsent: 0 });
    expect(headlineText(h, 0)).toBe(
      'Action needed — you were removed from this organization: ask an admin to add you again',
    );
    expect(syncHeadline(statusReducer(removed, { type: 'online', online: false }))).toEqual(h);
    // Added again: the next sync clears it.
    expect(syncHeadline(statusReducer(removed, { type: 'syncSucceeded', at: 2 })).kind).toBe(
      'synced',
    );
  });

  it('a sign-in refused EMAIL_IN_USE is told so at the first refusal, with what to do, not "sign in again"', () => {
    // Twice, as a retry would: still what happened, never "can't reach" or "sign in again".
    for (const n of [1, 2, 3]) {
      const refused = run([
        { type: 'syncSucceeded', at: 1 },
        { type: 'pending', pending: 2 },
        ...Array.from({ length: n }, () => failed('HttpError', 'EMAIL_IN_USE')),
      ]);
      const h = syncHeadline(refused);
      expect(h).toEqual({ kind: 'action-needed', reason: 'email-in-use', unsent: 2 });
      expect(headlineText(h, 0)).toBe(
        'Action needed — another member of this organization has your email under another sign-in: sign in with that member\u2019s account, or ask an admin to remove that member so you can be added (2 unsent changes kept on this device)',
      );
      expect(syncNowFeedback(h)).toBe(
        'Checking again — syncing starts once no other member has your email.',
      );
      expect(syncHeadline(statusReducer(refused, { type: 'online', online: false }))).toEqual(h);
      // Let in (an admin removed the other member): the next sync clears it.
      const after = statusReducer(refused, { type: 'syncSucceeded', at: 2 });
      expect(syncHeadline(after).kind).not.toBe('action-needed');
    }
  });

  it('a removed member is told how many changes this device still holds unsent', () => {
    const removed = run([
      { type: 'syncSucceeded', at: 1 },
      { type: 'pending', pending: 2 },
      failed('HttpError', 'MEMBER_REMOVED'),
    ]);
    const h = syncHeadline(removed);
    expect(h).toEqual({ kind: 'action-needed', reason: 'removed', unsent: 2 });
    expect(headlineText(h, 0)).toBe(
      'Action needed — you were removed from this organization: ask an admin to add you again (2 unsent changes kept on this device)',
    );
    // Written after the removal, offline too: counted as well.
    const more = statusReducer(statusReducer(removed, { type: 'online', online: false }), {
      type: 'pending',
      pending: 3,
    });
    expect(headlineText(syncHeadline(more), 0)).toContain('(3 unsent changes kept on this device)');
  });

  it('the server out of reach for a while, it says when this device last synced', () => {
    const at = new Date(2026, 11, 3, 18, 5).getTime();
    const down = run([
      { type: 'syncSucceeded', at },
      failed(),
      failed(),
      { type: 'retryAt', at: at + 25 * 60_000 + 30_000 },
      { type: 'pending', pending: 4 },
    ]);
    const h = syncHeadline(down);
    expect(h).toEqual({ kind: 'unreachable', unsent: 4, retryAt: at + 1_530_000, lastSynced: at });
    expect(headlineText(h, at + 25 * 60_000)).toBe(
      'Can\u2019t reach server — 4 unsent changes, retrying in 30 s · last synced 25 min ago',
    );
    // A moment ago: nothing to add.
    const soon: SyncHeadline = {
      kind: 'unreachable',
      unsent: 4,
      retryAt: at + 40_000,
      lastSynced: at,
    };
    expect(headlineText(soon, at + 30_000)).toBe(
      'Can\u2019t reach server — 4 unsent changes, retrying in 10 s',
    );
  });

  it('a delete held in its undo window is an unsent change: never "Synced", counted offline too', () => {
    const synced = run([{ type: 'syncSucceeded', at: 1 }]);
    const h = syncHeadline(synced, 1);
    expect(h).toEqual({ kind: 'held', held: 1 });
    expect(headlineText(h, 1)).toBe('1 unsent change — sent when Undo closes');
    expect(headlineText(syncHeadline(synced, 3), 1)).toBe(
      '3 unsent changes — sent when Undo closes',
    );
    // Undone (or sent and acknowledged): synced again.
    expect(syncHeadline(synced, 0)).toEqual({ kind: 'synced', at: 1 });
    // Sending what the outbox holds comes first; the held ones add to every unsent count.
    const sending = statusReducer(synced, { type: 'pending', pending: 2 });
    expect(syncHeadline(sending, 1)).toMatchObject({ kind: 'syncing', left: 2 });
    const offline = statusReducer(sending, { type: 'online', online: false });
    expect(headlineText(syncHeadline(offline, 1), 1)).toBe('Offline — 3 unsent changes');
    const down = run([{ type: 'syncSucceeded', at: 1 }, failed(), failed()]);
    expect(syncHeadline(down, 1)).toMatchObject({ kind: 'unreachable', unsent: 1 });
  });

  it('"Sync now" has something to say in every state', () => {
    const states: SyncHeadline[] = [
      { kind: 'action-needed', reason: 'update-app' },
      { kind: 'action-needed', reason: 'sign-in' },
      { kind: 'action-needed', reason: 'removed', unsent: 0 },
      { kind: 'offline', unsent: 0, lastSynced: null },
      { kind: 'unreachable', unsent: 0, retryAt: null, lastSynced: null },
      { kind: 'syncing', left: 1, download: null, firstSync: false },
      { kind: 'syncing', left: 0, download: null, firstSync: true },
      { kind: 'held', held: 1 },
      { kind: 'synced', at: 0 },
    ];
    for (const h of states) expect(syncNowFeedback(h).length).toBeGreaterThan(0);
  });
});

describe('sync headline: one state at a time, by priority', () => {
  const action: fc.Arbitrary<StatusAction> = fc.oneof(
    fc.boolean().map((online) => ({ type: 'online' as const, online })),
    fc.nat(5).map((pending) => ({ type: 'pending' as const, pending })),
    fc.constant({ type: 'syncStarted' as const }),
    fc.nat(1000).map((at) => ({ type: 'syncSucceeded' as const, at })),
    fc
      .constantFrom<[string, string | null]>(
        ['NetworkError', null],
        ['HttpError', 'UNAUTHENTICATED'],
        ['HttpError', 'INTERNAL'],
        ['HttpError', 'MEMBER_REMOVED'],
      )
      .map(([name, code]) => failed(name, code)),
    fc.option(fc.nat(1000)).map((at) => ({ type: 'retryAt' as const, at })),
    fc
      .option(
        fc.record({
          kept: fc.nat(100),
          received: fc.nat(100),
          remaining: fc.nat(100),
          startedAt: fc.nat(100),
          at: fc.nat(100),
        }),
      )
      .map((progress) => ({ type: 'download' as const, progress })),
    fc.option(fc.nat(1000)).map((lastSyncedAt) => ({ type: 'restored' as const, lastSyncedAt })),
    fc
      .constantFrom('ok' as const, 'client_too_old' as const, 'server_too_old' as const)
      .map((protocol) => ({ type: 'protocol' as const, protocol })),
  );

  it('every sequence of actions yields exactly one headline, consistent with the status', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(action, fc.nat(2)), { maxLength: 30 }),
        fc.boolean(),
        (actions, online) => {
          let s = initialStatus(online);
          for (const [a, held] of actions) {
            s = statusReducer(s, a);
            const h = syncHeadline(s, held);
            seen.add(h.kind);
            expect(KINDS).toContain(h.kind);
            if (s.protocol === 'client_too_old') expect(h.kind).toBe('action-needed');
            else if (s.lastError?.code === 'MEMBER_REMOVED')
              expect(h).toEqual({
                kind: 'action-needed',
                reason: 'removed',
                unsent: s.pending + held,
              });
            else if (!s.online) expect(['offline', 'action-needed']).toContain(h.kind);
            // A single failure is never shown as an outage.
            if (s.failures < 2) expect(h.kind).not.toBe('unreachable');
            if (h.kind === 'synced') expect(s.pending + held).toBe(0);
            if (h.kind === 'held') expect([s.pending, held > 0]).toEqual([0, true]);
            if (h.kind === 'offline') expect(h.unsent).toBe(s.pending + held);
            // "Setting up this device" only on a device known never to have completed a sync.
            if (h.kind === 'syncing' && h.firstSync) expect(s.setUp).toBe(false);
            if (s.lastSyncedAt !== null && s.setUp !== null) expect(s.setUp).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 14 },
    );
    expect([...seen].sort()).toEqual([...KINDS].sort());
  });
});
