/**
 * Post-processes the generated document so generators see one name per shape:
 * fastify-type-provider-zod emits every named schema twice (`Task` for responses,
 * `TaskInput` for requests) and emits all of them whether used or not.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const PREFIX = '#/components/schemas/';
const INPUT = 'Input';

/**
 * 1. drops component schemas nothing references;
 * 2. `XInput` becomes `X` when `X` is unused or has the same shape;
 * 3. sorts components by name (stable diffs of the generated client).
 */
export function tidyComponents<T extends object>(document: T): T {
  const doc = document as unknown as JsonObject;
  const components = (doc['components'] ?? {}) as JsonObject;
  const schemas = (components['schemas'] ?? {}) as Record<string, Json>;
  const outside: JsonObject = { ...doc, components: { ...components, schemas: {} } };

  let used = reachable(outside, schemas);
  const renames = new Map<string, string>();
  for (const name of used) {
    if (!name.endsWith(INPUT)) continue;
    const base = name.slice(0, -INPUT.length);
    if (!(base in schemas)) continue;
    if (
      !used.has(base) ||
      sameJson(rewrite(schemas[name]!, renames), rewrite(schemas[base]!, renames))
    ) {
      renames.set(name, base);
    }
  }

  const renamed: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!renames.has(name)) renamed[name] = rewrite(schema, renames);
  }
  // An input folded into its output name keeps its own shape (equal to the output's, or the output is unused).
  for (const [name, target] of renames) renamed[target] = rewrite(schemas[name]!, renames);
  const rewrittenOutside = rewrite(outside, renames) as JsonObject;
  used = reachable(rewrittenOutside, renamed);

  const sorted: Record<string, Json> = {};
  for (const name of Object.keys(renamed).sort()) if (used.has(name)) sorted[name] = renamed[name]!;

  const result: JsonObject = {
    ...rewrittenOutside,
    components: { ...(rewrittenOutside['components'] as JsonObject), schemas: sorted },
  };
  return result as unknown as T;
}

function refsIn(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) refsIn(v, found);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX))
        found.push(v.slice(PREFIX.length));
      else refsIn(v, found);
    }
  }
  return found;
}

function reachable(root: Json, schemas: Record<string, Json>): Set<string> {
  const seen = new Set<string>();
  const queue = refsIn(root);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    queue.push(...refsIn(schemas[name]!));
  }
  return seen;
}

function rewrite(value: Json, renames: Map<string, string>): Json {
  if (renames.size === 0) return value;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, renames));
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const target =
        k === '$ref' && typeof v === 'string' ? renames.get(v.slice(PREFIX.length)) : undefined;
      out[k] = target ? PREFIX + target : rewrite(v, renames);
    }
    return out;
  }
  return value;
}

function sameJson(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
