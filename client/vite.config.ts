import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ENGINE_TREESHAKE } from './plugins/treeshake';
import pkg from './package.json' with { type: 'json' };

/**
 * The app version shown in the UI and baked into the service worker: a changed version makes
 * a byte-different sw.js, which is how an installed app notices a new build.
 * `OUTPOST_APP_VERSION` overrides it (CI, and the E2E update test); empty is unset.
 */
const appVersion = process.env.OUTPOST_APP_VERSION || pkg.version;

/**
 * Writes `.br` and `.gz` siblings of every text asset after the build (service worker
 * included), which the server sends to browsers that accept them (@fastify/static
 * `preCompressed`). On a phone network that is the difference between ~330 kB and ~110 kB of
 * JavaScript before the first screen.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'outpost:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const walk = (dir: string): string[] =>
          fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) =>
              e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
            );
        for (const file of walk(outDir)) {
          if (!/\.(js|mjs|css|html|webmanifest|svg|json)$/.test(file)) continue;
          const data = fs.readFileSync(file);
          if (data.length < 1024) continue;
          fs.writeFileSync(
            `${file}.br`,
            zlib.brotliCompressSync(data, {
              params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
            }),
          );
          fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        }
      },
    },
  };
}

/** Budget for the JavaScript a first visit downloads before anything lazy (issue 7). */
const INITIAL_JS_BUDGET_KB = 200;

/**
 * Prints the initial JS (the entry script and what index.html modulepreloads), gzipped, and
 * fails the build over budget. DevTools, Clerk and the heavy screens are lazy chunks and
 * are not part of it.
 */
function initialJsBudget(): Plugin {
  let outDir = 'dist';
  return {
    name: 'outpost:initial-js-budget',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
        const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
        const sizes = files.map((f) => ({
          f,
          gz: zlib.gzipSync(fs.readFileSync(path.join(outDir, f))).length,
        }));
        const total = sizes.reduce((n, x) => n + x.gz, 0) / 1024;
        const list = sizes
          .map((x) => `${path.basename(x.f)} ${(x.gz / 1024).toFixed(1)} kB`)
          .join(', ');
        console.log(
          `\ninitial JS: ${total.toFixed(1)} kB gzipped (budget ${INITIAL_JS_BUDGET_KB} kB) — ${list}`,
        );
        if (total > INITIAL_JS_BUDGET_KB)
          throw new Error(
            `initial JS ${total.toFixed(1)} kB gzipped is over the ${INITIAL_JS_BUDGET_KB} kB budget`,
          );
      },
    },
  };
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // Registration is ours (workbox-window in src/app/pwa), so the update prompt is in our UI.
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // The shared-resources browser and inspector are lazy chunks: still precached so the
        // app works offline, but never part of the initial load.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        rollupOptions: { treeshake: ENGINE_TREESHAKE },
      },
      manifest: {
        name: 'Outpost',
        short_name: 'Outpost',
        description:
          'An offline-first team workspace: projects and tasks that keep working without a network.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#1f4b99',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
    }),
    precompress(),
    initialJsBudget(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: { treeshake: ENGINE_TREESHAKE },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
