import type { AppliedPage } from './mirror';
import type { PushRecord } from './notices';
import type { PushOutcome } from './push';
import type { DownloadProgress } from './status';

/**
 * What a sync cycle did, step by step. The cycle yields these instead of calling back into
 * the engine; the engine turns each into status actions and notices in one place
 * (`client.ts` `report`, `notice-drafts.ts`).
 */
export type SyncEvent =
  /** A push was answered: acks and rejections are recorded; it committed at head `cursor`. */
  | Extract<PushOutcome, { type: 'pushed' }>
  /** A push got no (good) answer; the entries stay unsent. */
  | { type: 'push-failed'; record: PushRecord }
  /**
   * The server knew more mutation ids of this client than the database: unsent writes were
   * renumbered after the server's and the mirror is downloaded again.
   */
  | {
      type: 'restored-copy';
      serverLastMutationId: number;
      keptChanges: number;
      /** The notice's, as stored until dismissed (`meta.evictionNotice`). */
      noticeId: string;
      at: number;
    }
  /** The browser had evicted the database; the first pull told how many unsent writes were lost. */
  | {
      type: 'evicted';
      serverLastMutationId: number;
      lostChanges: number;
      noticeId: string;
      at: number;
    }
  /** 409 MUTATION_GAP outside an eviction: pushing pauses until `syncNow()`. */
  | { type: 'push-blocked'; expected: number | null }
  /**
   * One pulled page (or the changes a poke carried) is stored. `progress` is set while a
   * multi-page download runs (once a page brought rows others wrote), null when it finished; `notify` is false during a download
   * from 0 (old audit entries are not news).
   */
  | {
      type: 'pulled';
      page: AppliedPage;
      progress: DownloadProgress | null | undefined;
      notify: boolean;
      /** Every outbox entry through this mutation id left with this page (a pull's last). */
      ackedThrough?: number;
      /**
       * The page began a download over (`ApplyOptions.reset`): the replica's cursor is now the
       * page's, even below what it was. Otherwise a page never takes the cursor back.
       */
      reset?: true;
    }
  /**
   * 410 RESYNC_REQUIRED was answered with the live snapshot: `removed` rows deleted elsewhere
   * (their tombstones purged) left the mirror; `keptChanges` unsent writes stay in the outbox.
   */
  | { type: 'resynced'; removed: number; keptChanges: number }
  /**
   * Entries the server processed left the outbox while still counted unsent here (an answer
   * lost or not yet recorded): the pending count changed. Not raised for entries already acked.
   */
  | { type: 'acked' };
