import { loadConfigOrExit } from '../config.js';
import { purgeHistory } from '../engine/retention.js';
import { openStore } from '../store/open.js';

/**
 * `pnpm --filter @outpost/server purge`: one purge pass with the configured retention (the
 * same as the server's scheduled job), then prints what it removed and the storage size.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const store = await openStore(config);
  try {
    const before = await store.storageBytes();
    const purged = await purgeHistory(
      store,
      {
        tombstoneDays: config.TOMBSTONE_RETENTION_DAYS,
        activityDays: config.ACTIVITY_RETENTION_DAYS ?? null,
      },
      Date.now(),
    );
    const after = await store.storageBytes();
    console.log(
      `Purged ${purged.tombstones} tombstone(s) older than ${config.TOMBSTONE_RETENTION_DAYS} day(s) and ` +
        `${purged.activities} activit${purged.activities === 1 ? 'y' : 'ies'}` +
        `${config.ACTIVITY_RETENTION_DAYS ? ` older than ${config.ACTIVITY_RETENTION_DAYS} day(s)` : ' (ACTIVITY_RETENTION_DAYS unset: kept)'}; ` +
        `storage ${before.used} → ${after.used} bytes used (${after.total} on disk).`,
    );
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
