import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { Engine } from '../engine/engine.js';
import { startRetentionJob } from '../engine/retention.js';
import type { SyncEngine } from '../engine/types.js';
import { openEncryptedStore } from '../store/open.js';
import type { Store } from '../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: SyncEngine;
  }
}

/** The sync engine over the configured store, as `app.engine`; closed with the app. */
export default fp<{ config: Config; wrapStore?: (store: Store) => Store }>(
  async (app, { config, wrapStore }) => {
    const opened = await openEncryptedStore(config, (msg, fields) =>
      app.log.info(fields ?? {}, msg),
    );
    const store = wrapStore ? wrapStore(opened) : opened;
    const engine = new Engine({
      store,
      onListenerError: (err) => app.log.error({ err }, 'commit listener failed'),
      activityWindow: { entries: config.ACTIVITY_SYNC_ENTRIES, days: config.ACTIVITY_SYNC_DAYS },
      // Clerk mode: Clerk owns org roles; dev mode: roles are managed here.
      roleSource: config.authMode === 'clerk' ? 'provider' : 'local',
    });
    const retention = startRetentionJob(
      store,
      {
        tombstoneDays: config.TOMBSTONE_RETENTION_DAYS,
        activityDays: config.ACTIVITY_RETENTION_DAYS ?? null,
      },
      {
        intervalMs: config.RETENTION_INTERVAL_MINUTES * 60_000,
        onPurged: (purged) => app.log.info({ purged }, 'history purged'),
        onError: (err) => app.log.error({ err }, 'history purge failed'),
      },
    );
    app.decorate('engine', engine);
    app.addHook('onClose', async () => {
      await retention.stop();
      await engine.close();
    });
    app.log.info({ storage: store.kind }, 'storage ready');
  },
  { name: 'engine' },
);
