import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../test/helpers/compiled.js';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('stack traces of the compiled server', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-traces-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('point at the TypeScript line that threw, with node run without --enable-source-maps', async () => {
    const fixture = path.join(dir, 'fixture.ts');
    const installer = path.join(SERVER_DIR, 'src/source-map-traces.ts');
    fs.writeFileSync(
      fixture,
      [
        `import { installSourceMapTraces } from ${JSON.stringify(installer)};`,
        'const installed = installSourceMapTraces(import.meta.url);',
        'function thrower(): never {',
        "  throw new Error('boom');",
        '}',
        'try { thrower(); } catch (err) { console.log(installed, (err as Error).stack); }',
      ].join('\n'),
    );
    // Built as build.mjs builds the server: one minified-whitespace bundle and its map.
    await build({
      entryPoints: [fixture],
      outfile: path.join(dir, 'out.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      minifyWhitespace: true,
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'silent',
    });
    const run = spawnSync(process.execPath, [path.join(dir, 'out.js')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^true Error: boom\n {4}at thrower \(\S*fixture\.ts:4:9\)/);
  });

  it("map dist/main.js back to the server's sources", () => {
    const main = path.join(SERVER_DIR, compiledEntry());
    const code = fs.readFileSync(main, 'utf8').split('\n');
    const line = code.findIndex((l) => l.includes('async function buildApp('));
    const map = new SourceMap(JSON.parse(fs.readFileSync(`${main}.map`, 'utf8')) as never);
    const entry = map.findEntry(line, code[line]!.indexOf('async function buildApp('));
    expect(entry).toMatchObject({ originalSource: '../src/app.ts' });
  });
});
