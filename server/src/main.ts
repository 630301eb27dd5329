import { buildApp } from './app.js';
import { ConfigError, loadConfigOrExit } from './config.js';
import { installSourceMapTraces } from './source-map-traces.js';

// The compiled server's traces point at the TypeScript (the map is read on the first trace).
installSourceMapTraces(import.meta.url);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // A refusal at start (e.g. a data key that cannot read the database) is a message, not a stack.
  const app = await buildApp(config).catch((err: unknown) => {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish, close plugins.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ host: config.HOST, port: config.PORT });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  // The line the README (and process-spawning tests) look for.
  console.log(
    `Outpost is running at http://${config.HOST}:${port} (storage: ${config.MONGODB_URI ? 'mongodb' : 'sqlite'}, auth: ${config.authMode})`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
