/**
 * Writes the served API documents (`/openapi.json`, `/asyncapi.json`) to a directory, from the
 * app itself (inject: no port, no network), for `redocly lint` and the REST client generator.
 * Usage: tsx scripts/dump-api.ts <out-dir>
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const outDir = path.resolve(process.argv[2] ?? '.');
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-api-dump-'));
try {
  const app = await buildApp(
    loadConfig({ DATA_DIR: dataDir, CLIENT_DIST_DIR: '/nonexistent', LOG_LEVEL: 'silent' }),
    { logger: false },
  );
  await fs.mkdir(outDir, { recursive: true });
  for (const name of ['openapi.json', 'asyncapi.json']) {
    const res = await app.inject({ method: 'GET', url: `/${name}` });
    if (res.statusCode !== 200) throw new Error(`GET /${name} answered ${res.statusCode}`);
    await fs.writeFile(path.join(outDir, name), `${JSON.stringify(res.json(), null, 2)}\n`);
    console.log(`${name}: ${Buffer.byteLength(res.body)} bytes`);
  }
  await app.close();
} finally {
  await fs.rm(dataDir, { recursive: true, force: true });
}
