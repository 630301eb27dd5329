// Compiles the server, `@outpost/shared` and the pure-JavaScript npm dependencies into one
// dist/main.js, so production starts `node dist/main.js` with no compiler at start. One bundle,
// comments and whitespace stripped, holds ~7 MiB less in V8 than the same modules loaded one
// by one from node_modules (each keeps its source string, some as two-byte text), and starts
// with fewer file reads (docs/performance.md, "Sync server"). Identifiers are not renamed:
// function and class names in logs and traces stay readable.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, 'dist');
// Left in node_modules: a native addon, the drivers loaded only when configured (dynamic
// import()), and pino, whose transports start workers from files beside its own.
const external = ['better-sqlite3', 'mongodb', 'ioredis', 'pino'];

/**
 * zod registers English messages itself; its other locales (~350 kB of source) are reachable
 * only through `z.locales`, which the server and `@outpost/shared` use for `en` alone.
 * @type {import('esbuild').Plugin}
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
  },
};

/**
 * The docs UI's code is bundled (loaded file by file it took ~80 ms of a start: docs/performance.md,
 * "Sync server"), but it serves the swagger-ui files of its own package directory, which stay in
 * node_modules: its `__dirname` is that directory, found at run time.
 * @type {import('esbuild').Plugin}
 */
const swaggerUiFilesInPlace = {
  name: 'swagger-ui-files-in-place',
  setup(b) {
    b.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/].*\.js$/ }, async (args) => {
      const pkg = args.path.slice(0, args.path.lastIndexOf('swagger-ui') + 'swagger-ui'.length);
      const sub = path.relative(pkg, path.dirname(args.path)).split(path.sep).join('/');
      const dir = `require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), ${JSON.stringify(sub)})`;
      const source = await fs.promises.readFile(args.path, 'utf8');
      return { contents: `var __dirname = ${dir};\n${source}`, loader: 'js' };
    });
  },
};

// Built beside dist and swapped in whole: a test or server starting `dist/main.js` meanwhile (the
// end-to-end run rebuilds it at its start; a test builds it when stale) finds the old build or
// the new one, never an empty or half-written directory.
const building = `${outdir}.building-${process.pid}`;
fs.rmSync(building, { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: { main: 'src/main.ts' },
  outdir: building,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // Read on the first stack trace (src/source-map-traces.ts); positions only, no sources.
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'linked',
  // The bundled CommonJS dependencies call require() (node built-ins and each other).
  banner: {
    js: "import { createRequire as __outpostRequire } from 'node:module'; const require = __outpostRequire(import.meta.url);",
  },
  plugins: [zodEnglishOnly, swaggerUiFilesInPlace],
  // Subpath imports (e.g. `mongodb/lib/...`) of an external package stay external too.
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
});
// Files read at run time next to the code that reads them (`new URL(…, import.meta.url)`).
fs.cpSync(path.join(here, 'src/external/sample'), path.join(building, 'sample'), {
  recursive: true,
});
const old = `${outdir}.old-${process.pid}`;
try {
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(building, outdir);
} catch (err) {
  // Another build of the same sources swapped its own in meanwhile: that one stands.
  if (!fs.existsSync(path.join(outdir, 'main.js'))) throw err;
}
fs.rmSync(building, { recursive: true, force: true });
fs.rmSync(old, { recursive: true, force: true });
console.log(`built ${path.relative(process.cwd(), outdir) || 'dist'}/main.js`);
