// Compiles the server (and the workspace's `@outpost/shared`, which ships TypeScript) into
// dist/ as plain ESM JavaScript, so production starts `node dist/main.js` with no compiler at
// start. npm dependencies stay external: node loads them from node_modules as usual.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => name !== '@outpost/shared');
const outdir = path.join(here, 'dist');

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: { main: 'src/main.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Subpath imports (e.g. `mongodb/lib/...`) of an external package stay external too.
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
});
// Files read at run time next to the code that reads them (`new URL(…, import.meta.url)`).
fs.cpSync(path.join(here, 'src/external/sample'), path.join(outdir, 'sample'), { recursive: true });
console.log(`built ${path.relative(process.cwd(), outdir) || 'dist'}/main.js`);
