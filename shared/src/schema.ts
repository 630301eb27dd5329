/**
 * The schema library every shared schema is written with: zod's tree-shakable `zod/mini`, so
 * the client engine bundles only the checks it uses (classic zod cost it ~31 kB gzip). Classic
 * zod composes and parses these schemas too (both are zod/v4/core). English issue messages, as
 * classic zod sets them, so a 400 body or a ValidationError reads the same either way.
 */
import * as z from 'zod/mini';
import { config, locales } from 'zod/mini';

// Not `z.config`: client builds treat `z.…` calls as pure and drop those whose result is
// unused (vite.config.ts). The package has no side effects otherwise: a bundle that uses no
// schema at runtime (the sync engine) leaves this file, and zod, out.
config(locales.en());

export { z };
