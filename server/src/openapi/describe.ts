import { z } from 'zod';

/**
 * `.describe(text)` for any zod schema: the shared ones are zod/mini, which has no methods. As
 * classic zod does it: a copy whose description sits in the global registry, which the OpenAPI
 * generator reads.
 */
export function describe<T extends z.core.$ZodType>(schema: T, description: string): T {
  const copy = z.core.util.clone(schema);
  z.globalRegistry.add(copy, { description });
  return copy;
}
