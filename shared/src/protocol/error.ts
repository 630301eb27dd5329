import { z } from 'zod';

/** Every non-2xx JSON response: a human message, a stable machine code, optional details. */
export const errorBodySchema = z.object({
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
