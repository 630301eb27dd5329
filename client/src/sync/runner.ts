import { unreachable, type PokeCarried, type PushResponse } from '@outpost/shared';
import { PushEchoes, type CarriedPage, type StoredMeta } from './carried';
import { applyPage } from './mirror';
import type { OutboxEntry } from './db';
import { entriesOf, type Stored } from './outbox-ids';
import { HttpError, ProtocolVersionError, SyncError } from './errors';
import type { SyncEvent } from './events';
import type { StepCause, StepResult } from './loop';
import { setMeta } from './meta';
import { noticesFor, noticesForError, type NoticeDraft } from './notice-drafts';
import type { NoticesAction } from './notices';
import { ackThrough, countUnsent } from './outbox';
import { pushAll, syncCycle } from './cycle';
import { appliedInFull } from './push';
import { createMutex } from './mutex';
import type { Replica } from './replica';
import type { StatusAction, SyncStatus } from './status';
import type { Timers } from './timers';
import type { SyncTransport } from './transport';

export interface RunnerDeps {
  replica: Replica;
  transport: SyncTransport;
  now: () => number;
  timers: Timers;
  pushBatchSize: number;
  pullLimit: number;
  status: { getSnapshot(): SyncStatus; dispatch(action: StatusAction): void };
  notices: { dispatch(action: NoticesAction): void };
  /** Raises notices in this tab and shares them with the others. */
  raise: (drafts: readonly NoticeDraft[]) => void;
  /** Whether the poke socket is open: then what we push comes back on it. */
  pokesLive: () => boolean;
  /** Wakes the loop at once (the fallback pull when a push's changes never came back). */
  wake: () => void;
  /** The loop is backing off after failures: a write then waits for it, not the push lane. */
  failing: () => boolean;
}

/** How long a push's changes may take to come back on the socket before a pull fetches them. */
export const ECHO_GRACE_MS = 2_000;

/** `lastSyncedAt` is persisted (for the next start's status) at most this often. */
const PERSIST_SYNCED_EVERY_MS = 10_000;

/**
 * The leader's sync step: runs one cycle and reports what it did — status through the
 * reducer, notices from the returned events and errors — then tells the loop when to run
 * again.
 */
export function createRunner(d: RunnerDeps) {
  const { replica, status } = d;
  const who = { userId: replica.userId, clientId: replica.clientId };
  let pushPaused = false;
  let pullFirst = true;
  /** A pull is called for (Sync now, back online, a poke without its changes, …). */
  let pullWanted = true;
  /** What the last failure's server asked to wait (`Retry-After`, ms), for the loop's backoff. */
  let retryAfter = 0;
  /** The replica's cursor as of the last page this leader applied (-1: not known yet). */
  let cursor = -1;
  let carried: CarriedPage[] = [];
  const echoes = new PushEchoes();
  /** Read back by every carried page: a first guess that is wrong only costs one retry. */
  const stored: StoredMeta = { clock: undefined };
  let echoTimer: unknown = null;
  let persistedSyncedAt = 0;
  /** This leadership's signal (null: not leading), for the push lane. */
  let leading: AbortSignal | null = null;
  const pushLock = createMutex();
  let laneRunning = false;
  /** A write arrived while the lane was pushing: look at the outbox once more. */
  let laneAgain = false;
  let laneFailure: { error: unknown } | null = null;
  /**
   * The last push answer's end, when it covered its batch to the end of a record: that
   * record's seq and last id (null: not known).
   */
  let answered: { seq: number; id: number } | null = null;
  /** Records this tab wrote since, for the lane to push without reading them back. */
  let written: Stored[] = [];
  /** Pushes through this id were registered with `echoes` as soon as answered. */
  let echoedEarly = 0;
  /** Every outbox entry through this id left with a pull's last page (nothing to ack after). */
  let ackedByPull = 0;
  /** The rows of the push awaiting its answer (one at a time: `pushLock`), null when none. */
  let inFlight: Set<string> | null = null;
  /** Carried pages wait for that answer (see `holds`): wake the loop once it is in. */
  let held = false;
  /**
   * The highest head a bare poke announced while a push was in flight: most likely that
   * push's own commit, which its answer's `echo` brings. Pulled only if the replica's cursor
   * has not reached it once the pushes are done (`pullIfBehind`).
   */
  let pokedAt = 0;
  /** Answers whose echo was held for them: the echo's apply records them. */
  const byEcho = new WeakSet<PushResponse>();

  /**
   * Every push of this leader (lane and loop) goes through here: an answer that applied its
   * whole batch is registered with `echoes` as it arrives, and carried pages held for it are
   * released only after that, so they settle the push in their own transaction.
   */
  const transport: SyncTransport = {
    ...d.transport,
    async push(req, ctx) {
      inFlight = new Set(req.mutations.map((m) => m.entityId));
      try {
        const res = await d.transport.push(req, ctx);
        // Applied in full: its echo may settle it even before the answer is recorded.
        if (appliedInFull(res, req.mutations.length, Number(req.mutations.at(-1)?.id))) {
          echoes.add(res.cursor, res.lastMutationId);
          echoedEarly = Math.max(echoedEarly, res.lastMutationId);
          // Its echo is here already (the server pokes before it answers), held for this
          // answer: applied next, it records the answer too (`recordedByEcho`).
          if (carried.some((p) => p.cursor >= res.cursor)) {
            echoes.count(res.lastMutationId);
            byEcho.add(res);
          }
        }
        return res;
      } finally {
        inFlight = null;
        if (held) {
          held = false;
          d.wake();
        }
      }
    },
  };

  /**
   * `PushOptions.applyEcho`: the answer's own entries, applied as a carried page that settles
   * every push it covers (this one included) in its transaction.
   */
  async function applyEcho(res: PushResponse): Promise<boolean> {
    const echo = res.echo!;
    // Something between the replica and this push (a page not applied yet): a pull's job.
    if (echo.from !== cursor || carried.length > 0) return false;
    const page: CarriedPage = { ...echo, cursor: res.cursor };
    // The answer's settled count takes the batch off `pending` (`report`).
    echoes.count(res.lastMutationId);
    const acked = await applyPage(replica, page, {
      reset: false,
      now: d.now,
      expectCursor: page.from,
      stored,
      settled: echoes.take(page.cursor)!,
      counted: echoes.counted,
    });
    if (acked === null) return false;
    await report({ type: 'pulled', page, progress: undefined, notify: true });
    if (acked > 0) await report({ type: 'acked' });
    return true;
  }

  /** A bare poke during a push announced more than the replica now holds: pull it. */
  function pullIfBehind(): boolean {
    if (pokedAt > cursor) pullWanted = true;
    pokedAt = 0;
    return pullWanted;
  }

  /**
   * Whether the carried pages must wait for the push in flight: the first holds one of that
   * push's rows — its echo, which the server pokes before it answers. Applied now it finds
   * the row's outbox entry (the one-round-trip apply aborts, the general one rebases it, and
   * the answer's ack is one more transaction); after the answer it settles the push at once.
   */
  function holds(): boolean {
    const rows = inFlight;
    return !!rows && !!carried[0]?.changes.some((c) => rows.has(c.entityId));
  }

  /**
   * This tab's writes since the last answer, when they are exactly the oldest unsent records
   * (they directly follow the last answered record: no other tab's write sits between, so
   * their ids continue its last id) — else undefined, and the push reads the outbox.
   */
  function takeWritten(): OutboxEntry[] | undefined {
    const tail = answered;
    const next = tail ? written.filter((r) => r.seq > tail.seq) : [];
    written = [];
    if (!tail || next.length === 0) return undefined;
    if (!next.every((r, i) => r.seq === tail.seq + 1 + i)) return undefined;
    const entries = entriesOf(next, null, (seq) => tail.id + 1 + countBefore(next, seq));
    return entries.length <= d.pushBatchSize ? entries : undefined;
  }

  async function refreshPending(): Promise<void> {
    status.dispatch({ type: 'pending', pending: await countUnsent(replica) });
  }

  async function report(event: SyncEvent): Promise<void> {
    switch (event.type) {
      case 'pushed': {
        status.dispatch({ type: 'reached' });
        d.notices.dispatch({ type: 'pushed', record: event.record });
        answered = event.tail;
        if (event.lastMutationId > echoedEarly) echoes.add(event.cursor, event.lastMutationId);
        // Counted, not read: what the answer took from unsent (not what a pull or an echo took
        // out before it came: the recount after that pull already left those out). A recount
        // was two more transactions before the lane's next push; every tab recounts from the
        // outbox a moment after it changed (`watchPending`), which corrects any drift.
        const pending = Math.max(0, status.getSnapshot().pending - event.settled);
        status.dispatch({ type: 'pending', pending });
        break;
      }
      case 'push-failed':
        d.notices.dispatch({ type: 'pushed', record: event.record });
        break;
      case 'push-blocked':
        pushPaused = true;
        break;
      case 'pulled':
        // A page proves the server answers, not that what waits here can be stored: while
        // changes are unsent, only a push answer ends a run of failures. (A cycle pulls after
        // a failed push, so a server refusing every push with 500 reset the run each cycle
        // and the status said "Syncing" for ever.)
        if (status.getSnapshot().pending === 0) status.dispatch({ type: 'reached' });
        // A page answered before an echo moved the cursor on leaves it there (`applyPage`).
        cursor = event.reset ? event.page.cursor : Math.max(cursor, event.page.cursor);
        if (event.ackedThrough !== undefined)
          ackedByPull = Math.max(ackedByPull, event.ackedThrough);
        if (event.progress !== undefined)
          status.dispatch({ type: 'download', progress: event.progress });
        break;
      case 'acked':
      case 'resynced':
        await refreshPending();
        break;
      case 'restored-copy':
      case 'evicted':
        // Ids were renumbered and the mirror is downloaded again: nothing earlier holds.
        cursor = -1;
        carried = [];
        echoes.clear();
        answered = null;
        written = [];
        echoedEarly = 0;
        ackedByPull = 0;
        break;
      default:
        unreachable(event);
    }
    d.raise(noticesFor(event, who));
  }

  /**
   * Pushes answered at a head the replica has reached: their mutations are in `base`, so they
   * leave the outbox. Run after each push and each step, whichever of answer and echo is last.
   */
  async function ackCovered(): Promise<void> {
    const covered = echoes.take(cursor);
    // A pull's last page already took these out (a read-write transaction for nothing).
    if (covered === null || covered <= ackedByPull) return;
    if ((await ackThrough(replica, covered)) > 0) await report({ type: 'acked' });
  }

  /** What every cycle and lane push of this leader is given alike. */
  const cycleDeps = {
    cursor: () => cursor,
    echoes,
    stored,
    pushLock,
    recordedByEcho: (res: PushResponse) => byEcho.delete(res),
    applyEcho,
    pushBatchSize: d.pushBatchSize,
    limit: d.pullLimit,
    now: d.now,
    timers: d.timers,
  };

  /**
   * The push lane: pushes the outbox as soon as a write commits, beside whatever the loop is
   * doing (applying the echo of the previous push, pulling); one push at a time with the loop's
   * (`pushLock`). Any failure is left to the loop: it pushes again, reports and backs off.
   */
  async function runLane(signal: AbortSignal): Promise<void> {
    try {
      do {
        laneAgain = false;
        let pushed = false;
        const release = await pushLock.acquire();
        try {
          if (signal.aborted || pushPaused) return;
          const mine = takeWritten();
          for await (const event of pushAll(replica, transport, signal, {
            ...cycleDeps,
            ...(mine ? { written: mine } : {}),
          })) {
            pushed ||= event.type === 'pushed' && !event.echoed;
            // A restored copy re-downloads from 0, which only the loop's pull does.
            if (event.type === 'restored-copy') pullWanted = true;
            await report(event);
          }
        } finally {
          release();
        }
        if (signal.aborted) return;
        await ackCovered();
        armEchoTimer();
        // Without the socket nothing brings our changes back: the loop pulls them.
        if (pullIfBehind() || (pushed && !d.pokesLive())) {
          pullWanted = true;
          d.wake();
        }
      } while (laneAgain);
    } catch (error) {
      // The loop's next step reports it and backs off (no second push of the same batch).
      laneFailure = { error };
      if (!signal.aborted) d.wake();
    } finally {
      laneRunning = false;
    }
  }

  /** Reports a failed cycle (or lane push) and tells the loop how long to wait. */
  function failed(err: unknown, signal: AbortSignal): StepResult {
    pullWanted = true; // Whatever was left undone, a pull catches up.
    if (signal.aborted) return 'ok';
    status.dispatch({ type: 'syncFailed', error: describeFailure(err, d.now()) });
    d.raise(noticesForError(err));
    retryAfter = err instanceof HttpError ? (err.retryAfterMs ?? 0) : 0;
    if (err instanceof ProtocolVersionError) {
      status.dispatch({ type: 'protocol', protocol: err.which });
      return err.which === 'client_too_old' ? 'stop' : 'wait';
    }
    return err instanceof SyncError && err.retryable ? 'retry' : 'refused';
  }

  function armEchoTimer(): void {
    if (echoTimer !== null || !echoes.waiting) return;
    echoTimer = d.timers.setTimeout(() => {
      echoTimer = null;
      if (!echoes.waiting) return;
      pullWanted = true;
      d.wake();
    }, ECHO_GRACE_MS);
  }

  return {
    /** Starts a new leadership: pull before pushing, to learn what the server knows of us. */
    reset(signal: AbortSignal): void {
      leading = signal;
      laneFailure = null;
      pullFirst = true;
      pullWanted = true;
      cursor = -1;
      carried = [];
      held = false;
      pokedAt = 0;
      echoes.clear();
      answered = null;
      written = [];
      echoedEarly = 0;
      ackedByPull = 0;
    },
    /** The wait the last failure's server asked for (`Retry-After`, ms; 0: none), once. */
    takeRetryAfter(): number {
      const ms = retryAfter;
      retryAfter = 0;
      return ms;
    },
    /** The next step pulls (an urgent wake-up: Sync now, back online, visible again). */
    wantPull(): void {
      pullWanted = true;
    },
    /**
     * The org's log reached `at` (a poke): keeps the changes it carried for the next step, or
     * asks that step to pull. Returns whether there is anything to do (wake the loop).
     */
    poke(at: number, changes?: PokeCarried): boolean {
      if (at <= cursor) return false;
      if (!changes) {
        // Our own push's commit, announced before its answer: the answer likely brings it.
        if (inFlight) {
          pokedAt = Math.max(pokedAt, at);
          return false;
        }
        pullWanted = true;
        return true;
      }
      carried.push({ ...changes, cursor: at });
      // The push's answer follows its echo on the socket: the answer wakes the loop.
      if (!holds()) return true;
      held = true;
      return false;
    },
    /**
     * A write committed: push it now, beside the loop. False when the loop must (not leading,
     * the first pull not done, pushing paused, backing off, or the protocol refused).
     * `records`: what this tab just wrote, pushed from memory when nothing precedes them.
     */
    pushNow(records?: readonly Stored[]): boolean {
      const signal = leading;
      if (!signal || signal.aborted || pullFirst || pushPaused || laneFailure) return false;
      if (d.failing()) return false;
      if (status.getSnapshot().protocol !== 'ok') return false;
      if (records) written.push(...records);
      if (laneRunning) laneAgain = true;
      else {
        laneRunning = true;
        void runLane(signal);
      }
      return true;
    },
    /** Lets a push paused by a mutation gap try again (`syncNow`). */
    unpause(): void {
      pushPaused = false;
    },

    async step(signal: AbortSignal, cause: StepCause = 'timer'): Promise<StepResult> {
      if (status.getSnapshot().protocol === 'client_too_old') return 'stop'; // Only an update helps.
      // The slow timer and retries always pull: correctness never depends on the socket.
      const pull = pullWanted || cause === 'timer';
      // Woken with nothing unsent (a poke): no outbox read. A write in any tab raises
      // `pending` before it wakes the leader, and the timer always looks.
      // The lane pushes what a write queued (it drains the outbox before it stops).
      const push =
        cause === 'timer' ||
        pull ||
        pullFirst ||
        (status.getSnapshot().pending > 0 && !laneRunning);
      // A step that only applies what pokes carried (a few ms) does not say "syncing": each
      // teammate's change would flicker the status in every tab, and its messages to the other
      // tabs would run beside the apply. Its success still moves `lastSyncedAt`.
      if (push || laneFailure) status.dispatch({ type: 'syncStarted' });
      if (laneFailure) {
        const { error } = laneFailure;
        laneFailure = null;
        return failed(error, signal);
      }
      pullWanted = false;
      // Held pages stay for the step the push's answer wakes (they keep their order).
      const hold = holds();
      held ||= hold;
      const pages = hold ? [] : carried;
      if (!hold) carried = [];
      try {
        for await (const event of syncCycle(replica, transport, signal, {
          pullFirst,
          pushPaused: pushPaused || !push,
          pull,
          pokesLive: d.pokesLive(),
          carried: pages,
          ...cycleDeps,
        }))
          await report(event);
        pullFirst = false;
        if (signal.aborted) return 'ok';
        if (pullIfBehind()) d.wake();
        await ackCovered();
        armEchoTimer();
        // Strictly increasing, so "a sync completed after X" is observable.
        const at = Math.max(d.now(), (status.getSnapshot().lastSyncedAt ?? 0) + 1);
        // One write per cycle was one more IndexedDB transaction on every change's path.
        if (at - persistedSyncedAt >= PERSIST_SYNCED_EVERY_MS) {
          persistedSyncedAt = at;
          await setMeta(replica.db, 'lastSyncedAt', at);
        }
        status.dispatch({ type: 'syncSucceeded', at });
        return 'ok';
      } catch (err) {
        return failed(err, signal);
      }
    },
  };
}

function describeFailure(err: unknown, at: number): NonNullable<SyncStatus['lastError']> {
  return {
    name: err instanceof Error ? err.name : 'Error',
    message: err instanceof Error ? err.message : String(err),
    code: err instanceof HttpError ? err.code : null,
    at,
  };
}

/** How many mutations the records before `seq` hold. */
function countBefore(records: readonly Stored[], seq: number): number {
  let n = 0;
  for (const r of records) if (r.seq < seq) n += r.mutations.length;
  return n;
}
