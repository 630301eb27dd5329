/**
 * The client error reporting hook (SPEC "Observability"). Errors go to the console and to any
 * listener the host registers (e.g. a monitoring SDK); the app never depends on it.
 */
type Reporter = (error: Error, context: Record<string, unknown>) => void;
const reporters = new Set<Reporter>();

export function onClientError(fn: Reporter): () => void {
  reporters.add(fn);
  return () => reporters.delete(fn);
}

export function reportClientError(error: Error, context: Record<string, unknown> = {}): void {
  console.error('[outpost]', error, context);
  for (const r of reporters) {
    try {
      r(error, context);
    } catch {
      // A broken reporter must not break the app.
    }
  }
}
