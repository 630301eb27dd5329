import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@outpost/shared';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/**
 * docs/protocol.md's error table is what integrators branch on: every code of `ERROR_CODES`
 * is a row with the status the server answers it with, and the table names no other code.
 */
describe('docs/protocol.md', () => {
  it('lists every error code of ERROR_CODES with its status, and no other', () => {
    const doc = read('docs/protocol.md');
    const table = doc.slice(doc.indexOf('\n## Errors\n'));
    const listed = new Map<string, number>();
    for (const line of table.split('\n')) {
      const row = /^\|\s*(`[A-Z_]+`(?:,\s*`[A-Z_]+`)*)\s*\|\s*(\d{3})\s*\|/.exec(line);
      if (!row) continue;
      for (const [, code] of row[1]!.matchAll(/`([A-Z_]+)`/g)) listed.set(code!, Number(row[2]));
    }
    const expected = new Map(Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status]));
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(expected));
  });
});
