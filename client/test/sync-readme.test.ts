import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => fs.readFileSync(new URL(file, import.meta.url), 'utf8');

/** The names `index.ts` exports (`a`, `type B`, `c as d` → d), values and types apart. */
function exportsOf(source: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  for (const [, typeOnly, list] of source.matchAll(/export (type )?\{([^}]*)\}/g)) {
    for (const raw of list!.split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const isType = typeOnly !== undefined || item.startsWith('type ');
      const name = item
        .replace(/^type /, '')
        .split(/\s+as\s+/)
        .at(-1)!;
      (isType ? types : values).push(name);
    }
  }
  return { values, types };
}

/**
 * The README's "Public API" is the package's contract: every name the entry exports is in it,
 * in code (`createSyncClient(…)`, `OutpostDb`), so an export added without a word fails here.
 */
describe('@outpost/sync README', () => {
  const readme = read('../src/sync/README.md');
  const start = readme.indexOf('\n## Public API\n');
  const api = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const { values, types } = exportsOf(read('../src/sync/index.ts'));

  it('reads the exports of index.ts', () => {
    expect(values).toContain('createSyncClient');
    expect(types).toContain('SyncClient');
  });

  it('names every value index.ts exports in its Public API section', () => {
    const missing = values.filter((name) => !new RegExp('`' + name + '\\b').test(api));
    expect(missing).toEqual([]);
  });

  it('names every export of @outpost/sync/testing', () => {
    const testing = exportsOf(read('../src/sync/testing.ts'));
    const names = [...testing.values, ...testing.types];
    expect(names).toContain('connectPokes');
    // The sentence that lists them: "… through `@outpost/sync/testing` (`testing.ts`: …)".
    const from = api.indexOf('`@outpost/sync/testing` (');
    expect(from).toBeGreaterThan(0);
    const list = api.slice(from, api.indexOf(');', from));
    const missing = names.filter((name) => !new RegExp('`' + name + '\\b').test(list));
    expect(missing).toEqual([]);
  });

  it('names every type index.ts exports in its Public API section', () => {
    const missing = types.filter((name) => !new RegExp('\\b' + name + '\\b').test(api));
    expect(missing).toEqual([]);
  });
});
