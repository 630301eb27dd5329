/**
 * The engine's weight (issue 17): `client/src/sync` bundled on its own (no React, no app) and
 * Dexie alone, gzipped at level 9, three ways:
 * - by esbuild with no settings but `--bundle --minify` (`plain`): what anyone who bundles the
 *   engine gets, without this repository's build settings — the issue's own figure (Dexie alone
 *   32.8 kB); until 2026-12-06 this was 144.5 kB, zod and its locales included;
 * - minified as the app's Vite build ships it, with the engine's bytes split by where the code
 *   came from;
 * - from Vite's library mode alone, which keeps whitespace and `@__PURE__` notes in an ES build
 *   (for the bundler of whoever imports the library): the bench's figure until 2026-12-01.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build, type Rollup } from 'vite';
import { ENGINE_TREESHAKE } from '../plugins/treeshake';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENGINE = path.resolve(HERE, '../src/sync/index.ts');

const gz = (code: string | Uint8Array) => gzipSync(code, { level: 9 }).length;

async function bundle(entry: string, shipped: boolean): Promise<Rollup.OutputChunk> {
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'entry' },
      // One file: what a page would download for the engine.
      // `minify`: what the app's build does to every chunk it ships (Vite's default).
      rollupOptions: {
        treeshake: ENGINE_TREESHAKE,
        output: { codeSplitting: false, ...(shipped ? { minify: true } : {}) },
      },
    },
  })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
  const outputs = Array.isArray(out) ? out : [out];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error(`no chunk built for ${entry}`);
  return chunk;
}

/** Where a module's code comes from: a package, the shared schemas, or the engine itself. */
function origin(id: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (pkg) {
    if (pkg[1] === 'zod') {
      // Which API the engine pulled in: zod/mini should be all of it, never classic.
      const part = /\/(locales|mini|classic|core)\//.exec(id)?.[1] ?? 'other';
      return `zod ${part === 'locales' ? 'locales' : `(${part})`}`;
    }
    return pkg[1]!;
  }
  // The validators compiled from the engine's schemas.
  if (id.endsWith('/src/sync/check.generated.js')) return 'compiled checks';
  if (id.includes('/shared/')) return '@outpost/shared';
  if (id.includes('/client/src/sync/')) return 'engine code';
  return 'other';
}

/** esbuild `--bundle --minify`, ES module output, nothing else set; its output and inputs. */
async function plainBundle(entry: string): Promise<{ code: Uint8Array; inputs: string[] }> {
  const r = await esbuild({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const out = Object.values(r.metafile.outputs)[0]!;
  // Paths relative to the working directory esbuild ran in.
  return {
    code: r.outputFiles[0]!.contents,
    inputs: Object.keys(out.inputs).map((i) => path.resolve(i)),
  };
}

/** The engine bundled by esbuild alone, as text (the bundle tests read it). */
export async function plainEngineCode(): Promise<string> {
  return new TextDecoder().decode((await plainBundle(ENGINE)).code);
}

/** Where the code of the engine bundled by esbuild alone comes from (the zod test reads them). */
export async function plainEngineOrigins(): Promise<Set<string>> {
  return new Set((await plainBundle(ENGINE)).inputs.map(origin));
}

export interface Sizes {
  /** Gzip -9 bytes of the engine and of Dexie alone, each bundled by esbuild with no settings. */
  plain: { engine: number; dexie: number };
  /** Gzip -9 bytes of the engine bundle, minified as the app ships it. */
  engine: number;
  dexie: number;
  /** The same from Vite's library mode alone (whitespace kept). */
  library: { engine: number; dexie: number };
  /** The engine's gzip bytes apportioned by each origin's share of the rendered code. */
  parts: [string, number][];
}

/**
 * The origins of the engine bundle's code, minified as the app ships it (the test that keeps
 * zod out of the engine reads them: one import of a schema from `shared` brings it all in).
 */
export async function engineOrigins(): Promise<Set<string>> {
  const chunk = await bundle(ENGINE, true);
  return new Set(Object.keys(chunk.modules).map(origin));
}

export async function measureSizes(): Promise<Sizes> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-size-'));
  try {
    const dexieEntry = path.join(dir, 'dexie-entry.ts');
    // Resolved from the client package, so it is the same Dexie the engine bundles.
    const dexiePath = fileURLToPath(import.meta.resolve('dexie'));
    await fs.writeFile(dexieEntry, `export * from ${JSON.stringify(dexiePath)};\n`);
    const [engine, dexie] = [await bundle(ENGINE, true), await bundle(dexieEntry, true)];
    const library = {
      engine: gz((await bundle(ENGINE, false)).code),
      dexie: gz((await bundle(dexieEntry, false)).code),
    };
    const engineGz = gz(engine.code);
    const rendered = new Map<string, number>();
    let total = 0;
    for (const [id, m] of Object.entries(engine.modules)) {
      const key = origin(id);
      rendered.set(key, (rendered.get(key) ?? 0) + m.renderedLength);
      total += m.renderedLength;
    }
    const parts = [...rendered.entries()]
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => [k, Math.round((engineGz * v) / total)] as [string, number]);
    const plain = {
      engine: gz((await plainBundle(ENGINE)).code),
      dexie: gz((await plainBundle(dexiePath)).code),
    };
    return { plain, engine: engineGz, dexie: gz(dexie.code), library, parts };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// `tsx bench/size.ts`: the sizes alone, without a browser.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const s = await measureSizes();
  console.log(
    `esbuild --bundle --minify: engine ${(s.plain.engine / 1000).toFixed(1)} kB gzip, Dexie alone ${(s.plain.dexie / 1000).toFixed(1)} kB (+${((s.plain.engine - s.plain.dexie) / 1000).toFixed(1)} kB; target ≤ +25 kB)`,
  );
  console.log(
    `  (minified as the app ships it: engine ${(s.engine / 1000).toFixed(1)} kB, Dexie ${(s.dexie / 1000).toFixed(1)} kB, +${((s.engine - s.dexie) / 1000).toFixed(1)} kB)`,
  );
  console.log(
    `  (library mode, whitespace kept: engine ${(s.library.engine / 1000).toFixed(1)} kB, Dexie ${(s.library.dexie / 1000).toFixed(1)} kB, +${((s.library.engine - s.library.dexie) / 1000).toFixed(1)} kB)`,
  );
  for (const [k, v] of s.parts) console.log(`  ${k}: ${(v / 1000).toFixed(1)} kB`);
}
