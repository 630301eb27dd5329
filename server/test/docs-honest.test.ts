import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, WS_CLOSE } from '@outpost/shared';
import { envSchema } from '../src/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/**
 * docs/protocol.md's error table is what integrators branch on: every code of `ERROR_CODES`
 * is a row with the status the server answers it with, and the table names no other code.
 */
describe('docs/protocol.md', () => {
  it('lists every error code of ERROR_CODES with its status, and no other', () => {
    const doc = read('docs/protocol.md');
    const table = doc.slice(doc.indexOf('\n## Errors\n'));
    const listed = new Map<string, number>();
    for (const line of table.split('\n')) {
      const row = /^\|\s*(`[A-Z_]+`(?:,\s*`[A-Z_]+`)*)\s*\|\s*(\d{3})\s*\|/.exec(line);
      if (!row) continue;
      for (const [, code] of row[1]!.matchAll(/`([A-Z_]+)`/g)) listed.set(code!, Number(row[2]));
    }
    const expected = new Map(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status]));
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(expected));
  });

  it("lists every socket close code of WS_CLOSE under 'Close frames'", () => {
    const doc = read('docs/protocol.md');
    const start = doc.indexOf('- **Close frames:**');
    expect(start).toBeGreaterThan(0);
    const bullet = doc.slice(start, doc.indexOf('\n- ', start + 1));
    const missing = Object.entries(WS_CLOSE).filter(
      ([, code]) => !new RegExp(`\\b${code}\\b`).test(bullet),
    );
    expect(missing).toEqual([]);
  });
});

/** `NAME=value` lines of .env.example (comments and blank lines left out). */
function envExample(): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of read('.env.example').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** Files under `dir` (relative to the repo) whose name matches `ext`, tests left out. */
function sources(dir: string, ext: RegExp): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

/**
 * What .env.example documents but the server's config does not read: each is read where it
 * says (the test suite, the PWA build, the tools), so none of them is gone either.
 */
const READ_ELSEWHERE: Record<string, string> = {
  MONGODB_TEST_URI: 'server/test/contract/mongo.contract.test.ts',
  VITE_CLERK_PUBLISHABLE_KEY: 'client/src/App.tsx',
  OUTPOST_APP_VERSION: 'client/vite.config.ts',
  CHROMIUM_PATH: 'scripts/chromium.mjs',
  E2E_PORT: 'playwright.config.ts',
  LIGHTHOUSE_RUNS: 'scripts/lighthouse.mjs',
  STEP_MINUTES: 'scripts/test.sh',
};

describe('.env.example', () => {
  const documented = envExample();

  it("documents every variable of the server's config", () => {
    const missing = Object.keys(envSchema.shape).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('documents nothing that is gone: each variable is read by the config or where it says', () => {
    for (const name of documented.keys()) {
      if (Object.hasOwn(envSchema.shape, name)) continue;
      const file = READ_ELSEWHERE[name];
      expect(file, `${name} is in .env.example but nothing reads it`).toBeDefined();
      // JavaScript's reads, and a shell script's `${NAME:-default}`.
      const reads = `(process\\.env\\.|process\\.env\\['|import\\.meta\\.env\\.|\\$\\{)${name}\\b`;
      expect(read(file!), `${name} in ${file}`).toMatch(new RegExp(reads));
      // A value shown is the default the reader falls back to (`?? 3107`, `:-25`), as for the
      // config's.
      const shown = documented.get(name);
      if (shown) {
        expect(read(file!), `${name}=${shown} is not the default in ${file}`).toMatch(
          new RegExp(`${reads}'?\\]?\\s*(\\?\\?|\\|\\||:-)\\s*['"]?${shown}\\b`),
        );
      }
    }
  });

  it("shows each of the config's defaults as its value (or leaves it empty when there is none)", () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    for (const name of Object.keys(envSchema.shape)) {
      const d = defaults[name];
      const shown = Array.isArray(d) ? d.join(',') : d === undefined ? '' : String(d);
      expect(documented.get(name), name).toBe(shown);
    }
  });

  it('is the only place the server reads the environment: config.ts, and the PWA its VITE_ keys', () => {
    const readers = sources('server/src', /\.ts$/).filter(
      (f) => f !== path.join('server/src', 'config.ts') && read(f).includes('process.env'),
    );
    expect(readers).toEqual([]);
    for (const f of sources('client/src', /\.tsx?$/)) {
      for (const [, name] of read(f).matchAll(/import\.meta\.env\.(VITE_[A-Z0-9_]+)/g)) {
        expect(documented.has(name!), `${name} (${f})`).toBe(true);
      }
    }
  });
});
