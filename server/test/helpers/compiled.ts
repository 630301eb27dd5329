import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let max = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) max = Math.max(max, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  return max;
}

/**
 * `dist/main.js` (relative to server/), built first when missing or older than any source of
 * the server or of `@outpost/shared`, so a test never runs stale compiled code.
 */
export function compiledEntry(): string {
  const main = path.join(SERVER_DIR, 'dist/main.js');
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const sources = Math.max(
    newest(path.join(SERVER_DIR, 'src')),
    newest(path.join(SERVER_DIR, '../shared/src')),
  );
  if (built <= sources) {
    const out = spawnSync(process.execPath, ['build.mjs'], { cwd: SERVER_DIR, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`server build failed:\n${out.stdout}${out.stderr}`);
  }
  return 'dist/main.js';
}
