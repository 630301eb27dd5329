/**
 * JSON from the network, read once for HTTP bodies (`plugins/hardening.ts`) and socket frames
 * (`realtime/session.ts`), so both refuse the same things with the same words.
 *
 * `JSON.parse` keeps a `__proto__` key as an own property, but code that copies keys by
 * assignment (`out[key] = value`, as zod's records do) would set the copy's prototype instead,
 * and `constructor.prototype` is the other classic pollution path. No body of the API uses
 * either key, so a text that has one is refused, naming where, and nothing else reads it.
 */
import { AppError, fieldIssues, validationError } from './errors.js';

export type JsonText =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'syntax'; message: string }
  /** `value` is parsed, for a caller that answers by a field of it (a socket push's `n`). */
  | { ok: false; kind: 'key'; path: (string | number)[]; message: string; value: unknown };

// Cheap screen: only a text that could hold a forbidden key (also spelled with \u escapes) is
// walked after parsing. "constructor" in a title costs a walk, never a refusal.
const SUSPECT = /__proto__|constructor|\\u/;

export function parseJsonText(text: string): JsonText {
  if (text.length === 0) return { ok: false, kind: 'syntax', message: 'it is empty' };
  // JSON.parse's own words quote the mark itself, which nobody can see.
  if (text.charCodeAt(0) === 0xfeff)
    return {
      ok: false,
      kind: 'syntax',
      message: 'it starts with a byte order mark (U+FEFF): send UTF-8 without one',
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, kind: 'syntax', message: (err as Error).message };
  }
  if (SUSPECT.test(text)) {
    const path = forbiddenKeyPath(value);
    if (path !== null) {
      const key = path[path.length - 1] === 'prototype' ? 'constructor.prototype' : '__proto__';
      return { ok: false, kind: 'key', path, message: `the key "${key}" is not allowed`, value };
    }
  }
  return { ok: true, value };
}

/** An HTTP body's refusal: bad JSON is 400 BAD_REQUEST, a forbidden key 400 VALIDATION naming where. */
export function bodyRefusal(failed: Extract<JsonText, { ok: false }>): AppError {
  if (failed.kind === 'syntax')
    return new AppError('BAD_REQUEST', `The body is not valid JSON: ${failed.message}`);
  return validationError('body', fieldIssues([failed]));
}

interface Node {
  value: unknown;
  key: string | number;
  parent: Node | null;
}

/** Where the first `__proto__` key or `constructor.prototype` pair is; null if none. */
function forbiddenKeyPath(root: unknown): (string | number)[] | null {
  // Iterative, with parent links: a body may nest as deep as its size allows.
  const stack: Node[] = [{ value: root, key: '', parent: null }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], key: i, parent: node });
      continue;
    }
    if (Object.hasOwn(value, '__proto__')) return [...pathOf(node), '__proto__'];
    const ctor = Object.hasOwn(value, 'constructor')
      ? (value as { constructor: unknown }).constructor
      : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype'))
      return [...pathOf(node), 'constructor', 'prototype'];
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--)
      stack.push({
        value: (value as Record<string, unknown>)[keys[i]!],
        key: keys[i]!,
        parent: node,
      });
  }
  return null;
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | null = node; n !== null && n.parent !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}
