import { describe, expect, it } from 'vitest';
import { engineOrigins } from '../bench/size';

describe('the engine bundle', () => {
  // Importing anything from a `shared` module that builds a schema at its top level brings
  // zod in (4–5 kB gzip): the engine validates with the checks compiled from those schemas.
  it('carries no zod: the compiled checks validate what crosses the network', async () => {
    const origins = await engineOrigins();
    expect([...origins].filter((o) => o.startsWith('zod'))).toEqual([]);
    expect(origins).toContain('compiled checks');
    expect(origins).toContain('@outpost/shared');
  }, 120_000);
});
