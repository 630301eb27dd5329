import * as shared from '@outpost/shared';
import { generateChecks, type Checked } from './check-gen';
import { checked, storedSchemas } from './schemas';

/**
 * The text of `check.generated.js` (`pnpm gen:checks` writes it; `check.test.ts` compares). Refinements must be named functions exported
 * by `@outpost/shared` (e.g. `isUuidV7`): the compiled checks import them from there.
 */
export function engineChecks(): string {
  const predicates = Object.fromEntries(
    Object.entries(shared).filter(([, v]) => typeof v === 'function'),
  ) as Record<string, (s: string) => boolean>;
  return generateChecks(checked as unknown as Checked, {
    predicates,
    apart: { stored: storedSchemas as unknown as Checked },
  });
}
