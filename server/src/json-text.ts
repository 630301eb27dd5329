/**
 * JSON from the network, read once for HTTP bodies (`plugins/hardening.ts`) and socket frames
 * (`realtime/session.ts`), so both refuse the same things with the same words.
 *
 * `JSON.parse` keeps a `__proto__` key as an own property, but code that copies keys by
 * assignment (`out[key] = value`, as zod's records do) would set the copy's prototype instead,
 * and `constructor.prototype` is the other classic pollution path. No body of the API uses
 * either key, so a text that has one is refused, naming where, and nothing else reads it. So is
 * a key given twice in one object (below).
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
  // A key given twice in one object: JSON.parse keeps the last, another reader (a proxy, a
  // log) may keep the first, so what was meant is unknowable (RFC 8259 §4; I-JSON forbids it).
  // Cheap screen: the text may hold more keys than the parsed value; only then is it scanned.
  if (keysInText(text) > keysInValue(value)) {
    const path = duplicateKeyPath(text);
    if (path !== null)
      return {
        ok: false,
        kind: 'key',
        path,
        message: `the key ${JSON.stringify(path[path.length - 1])} is given twice in one object`,
        value,
      };
  }
  return { ok: true, value };
}

/**
 * At least the number of keys in a JSON text: each key ends in `"` and a `:` (whitespace
 * between is rare and counted apart); an escaped quote and a colon in a string count too, which
 * only sends that text to the exact scan.
 */
function keysInText(text: string): number {
  let keys = 0;
  for (let i = text.indexOf('":'); i !== -1; i = text.indexOf('":', i + 2)) keys++;
  if (SPACED_KEY.test(text)) keys += text.match(SPACED_KEYS)!.length;
  return keys;
}
const SPACED_KEY = /"\s+:/;
const SPACED_KEYS = /"\s+:/g;
/** One string at a position. */
const STRING_AT = /"[^"\\]*(?:\\.[^"\\]*)*"/y;

function keysInValue(root: unknown): number {
  let keys = 0;
  const stack: object[] = [root as object];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const items: readonly unknown[] = Array.isArray(v) ? v : Object.values(v);
    if (!Array.isArray(v)) keys += items.length;
    for (const item of items) if (typeof item === 'object' && item !== null) stack.push(item);
  }
  return keys;
}

type Frame = { keys: Set<string>; key: string | null } | { keys: null; index: number };

/** Where the first key given twice in one object is (a valid JSON text); null if none. */
function duplicateKeyPath(text: string): (string | number)[] | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') stack.push({ keys: new Set(), key: null });
    else if (c === '[') stack.push({ keys: null, index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && top.keys === null) top.index++;
    } else if (c === '"') {
      STRING_AT.lastIndex = i;
      const raw = STRING_AT.exec(text)![0];
      i += raw.length - 1;
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      const top = stack[stack.length - 1];
      if (text[j] !== ':' || !top || top.keys === null) continue;
      const key = JSON.parse(raw) as string;
      if (top.keys.has(key))
        return [...stack.slice(0, -1).map((f) => (f.keys === null ? f.index : f.key!)), key];
      top.keys.add(key);
      top.key = key;
    }
  }
  return null;
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
