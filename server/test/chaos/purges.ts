import type { Change, OrgId } from '@outpost/shared';
import type { Store } from '../../src/store/types.js';
import { activitiesOf, storeRows } from './checker.js';
import { Gate } from './gate.js';
import type { Held } from './replica.js';

/** What purges removed from one org: the rows (their last state) and the activities, by seq. */
export interface PurgeRecord {
  rows: Map<string, Held>;
  activities: Map<number, Change>;
}

export const emptyPurgeRecord = (): PurgeRecord => ({ rows: new Map(), activities: new Map() });

/**
 * Runs the real purges (`Store.purgeTombstones`, `Store.purgeActivities`, as the retention job
 * and the purge CLI do) in the middle of running schedules, and records what each removed
 * from the orgs being watched — so the checker can tell a purged row from a lost one, and still
 * count every activity. Purges are global (every org on the file); the gate keeps harness
 * requests out while one runs, so the before/after difference is exactly what it removed.
 */
export class Purger {
  readonly gate = new Gate();
  readonly #watched = new Map<OrgId, PurgeRecord>();
  purges = 0;
  tombstones = 0;
  activities = 0;
  /** Wall time purges held the pipeline: from asking for the gate to releasing it (ms). */
  stallMs = 0;

  constructor(readonly store: Store) {}

  /** Starts recording purges of `orgId`; the record fills in as purges run. */
  watch(orgId: OrgId): PurgeRecord {
    const record = emptyPurgeRecord();
    this.#watched.set(orgId, record);
    return record;
  }

  unwatch(orgId: OrgId): void {
    this.#watched.delete(orgId);
  }

  /**
   * One purge pass: tombstones last written before `tombstonesBefore` and, when given,
   * activities created before `activitiesBefore` (epoch ms).
   */
  async purge(tombstonesBefore: number, activitiesBefore: number | null): Promise<void> {
    const asked = Date.now();
    await this.gate.exclusive(async () => {
      const orgs = [...this.#watched.keys()];
      const before = await Promise.all(orgs.map((o) => this.#snapshot(o)));
      this.tombstones += await this.store.purgeTombstones(new Date(tombstonesBefore).toISOString());
      if (activitiesBefore !== null)
        this.activities += await this.store.purgeActivities(
          new Date(activitiesBefore).toISOString(),
        );
      this.purges++;
      const after = await Promise.all(orgs.map((o) => this.#snapshot(o)));
      orgs.forEach((orgId, i) => {
        const record = this.#watched.get(orgId)!;
        for (const [id, held] of before[i]!.rows)
          if (!after[i]!.rows.has(id)) record.rows.set(id, held);
        const kept = new Set(after[i]!.activities.map((c) => c.seq));
        for (const c of before[i]!.activities)
          if (!kept.has(c.seq)) record.activities.set(c.seq, c);
      });
    });
    this.stallMs += Date.now() - asked;
  }

  async #snapshot(orgId: OrgId): Promise<{ rows: Map<string, Held>; activities: Change[] }> {
    return {
      rows: await storeRows(this.store, orgId),
      activities: await activitiesOf(this.store, orgId),
    };
  }
}
