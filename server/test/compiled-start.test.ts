import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY = /Outpost is running at (http:\/\/\S+)/;

/**
 * `npm start` runs the compiled server: `start` is plain node on dist/main.js (no TypeScript
 * at start, so a restart after a crash is quick), and that output starts and answers, docs UI
 * included.
 */
describe('the production start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-compiled-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs node on the compiled output, which starts and answers /health', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const [cmd, ...args] = pkg.scripts['start']!.split(/\s+/);
    expect(cmd).toBe('node');
    expect(args.at(-1)).toBe('dist/main.js');
    expect(pkg.scripts['start']).not.toMatch(/tsx/);

    if (!fs.existsSync(path.join(SERVER_DIR, 'dist/main.js'))) {
      const build = spawnSync(process.execPath, ['build.mjs'], { cwd: SERVER_DIR });
      expect(build.status, build.stderr.toString()).toBe(0);
    }
    const child = spawn(process.execPath, args, {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATA_DIR: dir,
        CLIENT_DIST_DIR: '/nonexistent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          out += chunk.toString();
          const m = READY.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited (${code}) before ready:\n${out}`)));
      });
      const res = await fetch(`${url}/api/v1/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
      // The docs UI is bundled, but serves swagger-ui's files from its package in node_modules.
      for (const [file, type] of [
        ['/docs/', 'text/html'],
        ['/docs/static/swagger-ui-bundle.js', 'javascript'],
        ['/docs/static/logo.svg', 'image/svg+xml'],
        ['/asyncapi.json', 'application/json'],
      ] as const) {
        const doc = await fetch(`${url}${file}`);
        expect(doc.status, file).toBe(200);
        expect(doc.headers.get('content-type'), file).toContain(type);
        expect((await doc.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
