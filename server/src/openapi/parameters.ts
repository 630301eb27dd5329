/**
 * Gives every parameter a description. A parameter whose schema is a named component (an
 * `EntityId` filter or path id) comes out of the generator as a bare `$ref`, its own text
 * dropped; a page size or a list's equality filter says nothing of what it does. Filled in
 * here from the parameter's place and schema, never over a description the route gave.
 */

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  description?: string;
  schema?: Json;
}

const ROW_ID = 'The row\u2019s UUIDv7, in either case (the row\u2019s is lower case)';
const RESOURCE_ID =
  'The resource\u2019s id as its source stores it (an ObjectId\u2019s 24 hex digits match in either case)';
const BEFORE =
  'Only entries with a seq (`version`) below this: the previous page\u2019s `nextBefore`; omit for the newest';
const ABOUT =
  'Only entries about this row (a task\u2019s, a project\u2019s or a user\u2019s history), its id in either case; omit for all';

/**
 * Whether the schema is a row id (`EntityId`, maybe nullable): such a filter names a row, in
 * either case. An `…Id` that is not one (a user's `externalId`, the identity provider's id) is
 * text compared exactly.
 */
function namesRow(schema: Json | undefined): boolean {
  const options = [schema ?? {}, ...((schema?.['anyOf'] ?? []) as Json[])];
  // Before `tidyComponents` the component of an input schema is still `EntityIdInput`.
  return options.some((o) => /^#\/components\/schemas\/EntityId(Input)?$/.test(String(o['$ref'])));
}

/** Whether the schema takes the literal `null` (a nullable filter: rows where it is empty). */
function takesNull(schema: Json | undefined): boolean {
  const options = (schema?.['anyOf'] ?? []) as Json[];
  return options.some((o) => Array.isArray(o['enum']) && (o['enum'] as unknown[]).includes('null'));
}

function describeParameter(path: string, operationId: string, p: Parameter): string | null {
  if (p.in === 'path' && p.name === 'id')
    return path.includes('/external-data/') ? RESOURCE_ID : ROW_ID;
  if (p.in !== 'query') return null;
  if (p.name === 'limit') {
    const s = p.schema ?? {};
    return `Page size: ${String(s['minimum'] ?? 1)} to ${String(s['maximum'])}, ${String(s['default'])} when omitted`;
  }
  if (operationId === 'listActivities' || path.endsWith('/activities')) {
    if (p.name === 'before') return BEFORE;
    if (p.name === 'entityId') return ABOUT;
  }
  if (path.includes('/primary-data/') && operationId.startsWith('list')) {
    const exact = namesRow(p.schema)
      ? `Only rows whose \`${p.name}\` names this row (its id in either case)`
      : `Only rows whose \`${p.name}\` is exactly this`;
    return takesNull(p.schema) ? `${exact}; \`null\` for rows without one` : exact;
  }
  return null;
}

export function describeParameters<T extends object>(document: T): T {
  const doc = document as Json;
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const operation of Object.values(operations)) {
      const parameters = operation['parameters'] as Parameter[] | undefined;
      for (const p of parameters ?? []) {
        if (p.description) continue;
        const text = describeParameter(path, String(operation['operationId'] ?? ''), p);
        if (text) p.description = text;
      }
    }
  }
  return document;
}
