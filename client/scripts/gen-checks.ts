/**
 * `pnpm gen:checks`: writes `client/src/sync/check.generated.js`, the engine's checks compiled
 * from its schemas (check-gen.ts). Run it after changing a schema the engine checks; the client
 * tests fail until the file matches.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { engineChecks } from '@outpost/sync/check-build';

const file = fileURLToPath(new URL('../src/sync/check.generated.js', import.meta.url));
fs.writeFileSync(file, engineChecks());
console.log(`wrote ${file}`);
