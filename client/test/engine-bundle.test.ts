import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineOrigins, plainEngineCode, plainEngineOrigins } from '../bench/size';
import { engineChecks } from '@outpost/sync/check-build';

describe('the engine bundle', () => {
  it('has the checks its schemas give now (check.generated.js; check.test.ts holds them to zod)', () => {
    const file = new URL('../src/sync/check.generated.js', import.meta.url);
    expect(
      fs.readFileSync(file, 'utf8'),
      'client/src/sync/check.generated.js is out of date with the schemas: run `pnpm gen:checks` and commit it',
    ).toBe(engineChecks());
  });

  // Importing anything from a `shared` module that builds a schema at its top level brings
  // zod in (4–5 kB gzip): the engine validates with the checks compiled from those schemas.
  it('carries no zod: the compiled checks validate what crosses the network', async () => {
    const origins = await engineOrigins();
    expect([...origins].filter((o) => o.startsWith('zod'))).toEqual([]);
    expect(origins).toContain('compiled checks');
    expect(origins).toContain('@outpost/shared');
  }, 120_000);

  // A bundler without the client build's settings (esbuild, webpack, someone's Vite) keeps every
  // top-level schema of a module it includes: zod's runtime and locales came in with them
  // (144.5 kB gzip against 58.3). What the engine runs from `shared` builds no schema.
  it('carries no zod when bundled by esbuild with no settings', async () => {
    const origins = await plainEngineOrigins();
    expect([...origins].filter((o) => o.startsWith('zod'))).toEqual([]);
    expect(origins).toContain('compiled checks');
    expect(origins).toContain('@outpost/shared');
  }, 120_000);

  // The user row and the device credential are stored for the app, which alone reads them
  // (`@outpost/sync/stored`): their checks are compiled apart and leave the engine's bundle.
  it('leaves out the checks of what it stores for the app alone', async () => {
    const code = await plainEngineCode();
    expect(code).not.toContain('osc_');
    expect(code).toContain('must be a serialized HLC timestamp');
  }, 120_000);
});
