// Prepares what the end-to-end run serves: a copy of the built PWA (the server's
// CLIENT_DIST_DIR, so a test may deploy into it) and a second build with another version
// (the "new deploy" the update test rolls out). Run by playwright.config.ts before the server.
/* global process, console, URL */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'client', 'dist');
const art = path.join(root, '.artifacts');
const served = path.join(art, 'e2e-served');
const next = path.join(art, 'e2e-next');
const nextVersion = `${JSON.parse(fs.readFileSync(path.join(root, 'client', 'package.json'), 'utf8')).version}-e2e-next`;

/**
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
function vite(args, env = {}) {
  execFileSync('pnpm', ['--filter', '@outpost/client', 'exec', 'vite', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
}

/**
 * The newest modification time of a file under `dir` (0 when it does not exist).
 * @param {string} dir
 * @returns {number}
 */
function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  const stat = fs.statSync(dir);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let t = 0;
  for (const name of fs.readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    t = Math.max(t, newest(path.join(dir, name)));
  }
  return t;
}

const sw = path.join(dist, 'sw.js');
// What the PWA is built from: a build older than any of it would test yesterday's app.
const sources = [
  'client/src',
  'client/plugins',
  'client/public',
  'client/index.html',
  'client/vite.config.ts',
  'shared/src',
];
if (!fs.existsSync(sw)) {
  console.log('e2e: client/dist has no service worker build; building the PWA');
  vite(['build']);
} else if (Math.max(...sources.map((s) => newest(path.join(root, s)))) > fs.statSync(sw).mtimeMs) {
  console.log('e2e: client/dist is older than its sources; building the PWA');
  vite(['build']);
}
fs.rmSync(served, { recursive: true, force: true });
fs.cpSync(dist, served, { recursive: true });
vite(['build', '--outDir', next, '--emptyOutDir', '--logLevel', 'error'], {
  OUTPOST_APP_VERSION: nextVersion,
});
// The server registers a route per file present at start (@fastify/static, wildcard: false),
// so the next build's hashed assets are staged now; they are unreferenced until the update
// test swaps in its index.html and sw.js.
fs.cpSync(path.join(next, 'assets'), path.join(served, 'assets'), {
  recursive: true,
  force: false,
});
fs.writeFileSync(
  path.join(art, 'e2e-builds.json'),
  JSON.stringify({ served, next, nextVersion }, null, 2),
);
console.log(`e2e: serving ${served}; next deploy (${nextVersion}) staged in ${next}`);
