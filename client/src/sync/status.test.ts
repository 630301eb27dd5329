import { describe, expect, it } from 'vitest';
import { initialNotices, noticesReducer, type Notice } from './notices';
import { initialStatus, statusReducer, type SyncStatus } from './status';
import { createStore } from './store';
import { sharedStatus } from './tabs';

describe('status reducer', () => {
  it('returns the same state for a no-op, so listeners are not notified', () => {
    const store = createStore(initialStatus(true), statusReducer);
    let heard = 0;
    store.subscribe(() => heard++);
    store.dispatch({ type: 'online', online: true });
    store.dispatch({ type: 'pending', pending: 0 });
    store.dispatch({ type: 'leader', isLeader: false });
    expect(heard).toBe(0);
    store.dispatch({ type: 'pending', pending: 2 });
    expect(heard).toBe(1);
  });

  it('"client too old" stays through a success that was already under way, and a leader\'s status', () => {
    // Another tab upgraded the database (or the server refused this code) mid-cycle: that
    // cycle's success, reported after it, is not a newer app.
    let s = statusReducer(initialStatus(true), { type: 'syncStarted' });
    s = statusReducer(s, { type: 'protocol', protocol: 'client_too_old' });
    s = statusReducer(s, { type: 'syncSucceeded', at: 9 });
    expect(s).toMatchObject({ lastSyncedAt: 9, protocol: 'client_too_old', syncing: false });
    s = statusReducer(s, { type: 'fromLeader', status: sharedStatus(initialStatus(true)) });
    expect(s.protocol).toBe('client_too_old');
  });

  it('a success clears the last error and the protocol state; a failure keeps lastSyncedAt', () => {
    let s = statusReducer(initialStatus(true), { type: 'syncStarted' });
    s = statusReducer(s, {
      type: 'syncFailed',
      error: { name: 'NetworkError', message: 'down', code: null, at: 5 },
    });
    expect(s.syncing).toBe(false);
    expect(s.lastError?.name).toBe('NetworkError');
    s = statusReducer(s, { type: 'protocol', protocol: 'server_too_old' });
    s = statusReducer(s, { type: 'syncSucceeded', at: 9 });
    expect(s).toMatchObject({ lastSyncedAt: 9, lastError: null, protocol: 'ok', syncing: false });
  });

  it('an answer mid-cycle ends a run of failures but is not a completed sync', () => {
    let s: SyncStatus = { ...initialStatus(true), lastSyncedAt: 3, pending: 2 };
    for (const at of [5, 6])
      s = statusReducer(s, {
        type: 'syncFailed',
        error: { name: 'NetworkError', message: 'down', code: null, at },
      });
    s = statusReducer(s, { type: 'retryAt', at: 10 });
    s = statusReducer(s, { type: 'syncStarted' });
    s = statusReducer(s, { type: 'reached' });
    expect(s).toMatchObject({ failures: 0, lastError: null, retryAt: null, syncing: true });
    expect(s.lastSyncedAt).toBe(3);
    expect(statusReducer(s, { type: 'reached' })).toBe(s);
  });

  it('back online, the failures the network caused while offline are dropped; others stay', () => {
    const offlineFailures = (name: string, code: string | null) => {
      let s: SyncStatus = { ...initialStatus(false), pending: 1 };
      for (const at of [5, 6])
        s = statusReducer(s, { type: 'syncFailed', error: { name, message: 'x', code, at } });
      return statusReducer(s, { type: 'retryAt', at: 10 });
    };
    const back = statusReducer(offlineFailures('NetworkError', null), {
      type: 'online',
      online: true,
    });
    expect(back).toMatchObject({ online: true, failures: 0, lastError: null, retryAt: null });
    // A refusal is not the network's: it is still shown once back online.
    const refused = statusReducer(offlineFailures('HttpError', 'UNAUTHENTICATED'), {
      type: 'online',
      online: true,
    });
    expect(refused).toMatchObject({
      online: true,
      failures: 2,
      lastError: { code: 'UNAUTHENTICATED' },
    });
    // Going offline keeps what was there.
    const down = statusReducer(
      { ...back, failures: 1, lastError: back.lastError },
      { type: 'online', online: false },
    );
    expect(down.failures).toBe(1);
  });

  it("a follower adopts the leader's network-side fields but keeps its own pending and leadership", () => {
    const mine = { ...initialStatus(false), pending: 3 };
    const s = statusReducer(mine, {
      type: 'fromLeader',
      status: {
        lastSyncedAt: 7,
        lastError: null,
        download: null,
        protocol: 'ok',
        syncing: true,
        failures: 0,
        retryAt: null,
      },
    });
    expect(s).toMatchObject({
      pending: 3,
      isLeader: false,
      online: false,
      lastSyncedAt: 7,
      syncing: true,
    });
  });
});

describe('set up or first sync', () => {
  it('is unknown until the database is read, then follows its last sync time', () => {
    expect(initialStatus(true).setUp).toBeNull();
    const fresh = statusReducer(initialStatus(true), { type: 'restored', lastSyncedAt: null });
    expect(fresh.setUp).toBe(false);
    expect(statusReducer(fresh, { type: 'syncSucceeded', at: 3 }).setUp).toBe(true);
    expect(statusReducer(initialStatus(true), { type: 'restored', lastSyncedAt: 5 })).toMatchObject(
      { setUp: true, lastSyncedAt: 5 },
    );
  });

  it("a follower is set up once the leader's status shows a completed sync", () => {
    const fresh = statusReducer(initialStatus(true), { type: 'restored', lastSyncedAt: null });
    const shared = {
      lastError: null,
      download: null,
      protocol: 'ok' as const,
      syncing: false,
      failures: 0,
      retryAt: null,
    };
    expect(
      statusReducer(fresh, { type: 'fromLeader', status: { ...shared, lastSyncedAt: null } }).setUp,
    ).toBe(false);
    expect(
      statusReducer(fresh, { type: 'fromLeader', status: { ...shared, lastSyncedAt: 9 } }).setUp,
    ).toBe(true);
  });
});

describe('notices reducer', () => {
  const notice = (id: string): Notice => ({
    id,
    kind: 'conflict',
    detail: null,
    at: 1,
  });

  it('raises a notice once per id, and dismisses it', () => {
    let s = noticesReducer(initialNotices, { type: 'raise', notice: notice('a') });
    expect(noticesReducer(s, { type: 'raise', notice: notice('a') })).toBe(s);
    s = noticesReducer(s, { type: 'raise', notice: notice('b') });
    s = noticesReducer(s, { type: 'dismiss', id: 'a' });
    expect(s.notices.map((n) => n.id)).toEqual(['b']);
  });

  it('a dismissed event stays dismissed; a dismissed state is raised again when it recurs', () => {
    const quota: Notice = { id: 'quota', kind: 'quota', detail: null, at: 1 };
    let s = noticesReducer(initialNotices, { type: 'raise', notice: notice('conflict:1:title') });
    s = noticesReducer(s, { type: 'raise', notice: quota });
    s = noticesReducer(s, { type: 'dismiss', id: 'conflict:1:title' });
    s = noticesReducer(s, { type: 'dismiss', id: 'quota' });
    s = noticesReducer(s, { type: 'raise', notice: notice('conflict:1:title') });
    s = noticesReducer(s, { type: 'raise', notice: quota });
    expect(s.notices.map((n) => n.id)).toEqual(['quota']);
    // Dismissing what is not shown remembers nothing.
    s = noticesReducer(s, { type: 'dismiss', id: 'conflict:2:title' });
    s = noticesReducer(s, { type: 'raise', notice: notice('conflict:2:title') });
    expect(s.notices.map((n) => n.id)).toEqual(['quota', 'conflict:2:title']);
  });

  it('keeps the newest 50 pushes in the history, newest first', () => {
    let s = initialNotices;
    for (let i = 0; i < 60; i++)
      s = noticesReducer(s, {
        type: 'pushed',
        record: { at: i, mutations: [], results: [], error: null },
      });
    expect(s.history).toHaveLength(50);
    expect(s.history[0]!.at).toBe(59);
  });
});
