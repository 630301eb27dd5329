import { runExample } from './example';

/**
 * `pnpm --filter @outpost/example-node-sync start [--url http://127.0.0.1:3000]` (or
 * OUTPOST_URL): runs the example against a server in dev auth mode; exits 1 if it fails or the
 * two clients end in different states.
 */
const arg = process.argv.indexOf('--url');
const url =
  (arg > 0 ? process.argv[arg + 1] : undefined) ??
  process.env['OUTPOST_URL'] ??
  'http://127.0.0.1:3000';

try {
  const result = await runExample(url.replace(/\/+$/, ''));
  const same = JSON.stringify(result.ada) === JSON.stringify(result.grace);
  process.exit(same ? 0 : 1);
} catch (err) {
  console.error(`example failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
