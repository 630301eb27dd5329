import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorOf, SYNC_ERROR_CODES } from '@outpost/shared';
import { check, type Check, type CheckResult } from './check';
import { stored } from './check.generated.js';
import { checked, storedSchemas } from './schemas';
import { toHttpError } from './http-transport';

/**
 * The compiled checks (check-gen.ts, committed as check.generated.js) against zod, schema by schema: values built from each schema, each one broken at one place
 * (a key dropped, added or replaced by anything), hand-picked edge cases and arbitrary JSON.
 * Both must accept and refuse alike, parse to the same value, and name the same first path.
 */

interface Zod {
  _zod: { def: Def; optin?: string };
  safeParse(x: unknown): CheckResult<unknown>;
}
interface Def {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  [k: string]: unknown;
}

const isZod = (n: unknown): n is Zod => typeof n === 'object' && n !== null && '_zod' in n;

/** Every schema in the registry beside its compiled check, by dotted name. */
function pairs(zod: unknown, gen: unknown, name = ''): [string, Zod, Check<unknown>][] {
  if (isZod(zod)) return [[name, zod, gen as Check<unknown>]];
  if (typeof zod !== 'object' || zod === null || 'keysOf' in zod) return [];
  return Object.entries(zod).flatMap(([k, v]) =>
    pairs(v, (gen as Record<string, unknown>)[k], name ? `${name}.${k}` : k),
  );
}

const PREDICATES: Record<string, fc.Arbitrary<string>> = {
  isUuid: fc.uuid(),
  isUuidV7: fc.uuid({ version: 7 }),
};

/** Characters of texts: mostly kept by the text rules, some refused (controls, half surrogates). */
const TEXT_UNITS = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('a', 'Z', ' ', 'é', 'e\u0301', '👍🏽', 'م', '\u202e', '\u00a0'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u001b',
      '\u007f',
      '\u0085',
      '\ud800',
      '\udc00',
    ),
  },
);

/** Values a schema accepts (mostly: a trimmed string may still come out too short; a text may hold a character its rule refuses). */
function valid(s: Zod): fc.Arbitrary<unknown> {
  const d = s._zod.def;
  const checks = (d.checks ?? []).map((c) => c._zod.def);
  switch (d.type) {
    case 'string': {
      const custom = checks.find((c) => c.check === 'custom');
      if (custom) return PREDICATES[(custom.fn as { name: string }).name] ?? fc.string();
      const pattern = (d.pattern ?? checks.find((c) => c.check === 'string_format')?.pattern) as
        RegExp | undefined;
      const min = checks.find((c) => c.check === 'min_length')?.minimum as number | undefined;
      const max = checks.find((c) => c.check === 'max_length')?.maximum as number | undefined;
      // A format alone (an id, a date) is its pattern; a length-bounded text with a pattern
      // (the text rules) is text built of characters the rule keeps and refuses.
      if (pattern && min === undefined && max === undefined) return fc.stringMatching(pattern);
      const text = fc.string({
        minLength: min ?? 0,
        maxLength: Math.min(max ?? 40, 40),
        ...(pattern ? { unit: TEXT_UNITS } : {}),
      });
      return checks.some((c) => c.check === 'overwrite')
        ? fc.tuple(fc.constantFrom('', ' ', '\t\n'), text).map(([pad, t]) => pad + t + pad)
        : text;
    }
    case 'number': {
      if (!checks.some((c) => c.check === 'number_format'))
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      let min = Number.MIN_SAFE_INTEGER;
      let max = Number.MAX_SAFE_INTEGER;
      for (const c of checks) {
        const v = c.value as number;
        if (c.check === 'greater_than') min = Math.max(min, c.inclusive ? v : v + 1);
        if (c.check === 'less_than') max = Math.min(max, c.inclusive ? v : v - 1);
      }
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 1000) }), fc.constant(max));
    }
    case 'boolean':
      return fc.boolean();
    case 'unknown':
      return fc.jsonValue();
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as object));
    case 'nullable':
      return fc.option(valid(d.innerType as Zod), { nil: null });
    case 'optional':
      return fc.option(valid(d.innerType as Zod), { nil: undefined });
    case 'array':
      return fc.array(valid(d.element as Zod), { maxLength: 3 });
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 5 }), valid(d.valueType as Zod), {
        maxKeys: 3,
      });
    case 'union':
      return fc.oneof(...(d.options as Zod[]).map(valid));
    case 'object': {
      const shape = d.shape as Record<string, Zod>;
      const required = Object.keys(shape).filter((k) => shape[k]!._zod.optin === undefined);
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, valid(v)])), {
        requiredKeys: required,
      });
    }
    default:
      throw new Error(`no arbitrary for ${d.type}`);
  }
}

/** Odd values: wrong types, boundaries, strings the formats must refuse. */
const ODD = fc.constantFrom<unknown>(
  undefined,
  null,
  NaN,
  Infinity,
  -0,
  1.5,
  2 ** 53,
  -1,
  0,
  '',
  ' ',
  ' x ',
  'x'.repeat(201),
  'a\u0000b',
  'a\nb',
  '\tb\r\n',
  '\u007f',
  '\u009f',
  'half \ud83d',
  '\udc00x',
  '👍🏽 e\u0301 مرحبا',
  '2026-02-29',
  '2028-02-29',
  '0042-03-01',
  '1899-12-31',
  '1900-01-01',
  '2026-13-01',
  '2026-12-01T10:00:00Z',
  '2026-12-01T10:00:00.123+05:30',
  '2026-12-01T10:00:00',
  '2026-12-01T24:00:00Z',
  '2026-12-01 10:00:00Z',
  '2026-02-30T00:00:00Z',
  'a@b.co',
  'a@b',
  '01890a5d-ac96-774b-bcce-b302099a8057',
  '01890a5d-ac96-474b-bcce-b302099a8057',
  '00000000-0000-0000-0000-000000000000',
  '000001732300000-0000a-node',
  [],
  {},
  { constructor: 1 },
  Object.create(null),
  new Date(0),
  true,
);

const anything = fc.oneof(ODD, fc.jsonValue({ maxDepth: 2 }), fc.anything({ maxDepth: 2 }));

/** A value broken at one place: a key dropped or added, or a value replaced. */
function broken(value: unknown): fc.Arbitrary<unknown> {
  const spots: (readonly PropertyKey[])[] = [];
  const walk = (v: unknown, path: PropertyKey[]) => {
    spots.push(path);
    if (typeof v === 'object' && v !== null)
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(value, []);
  return fc
    .tuple(fc.constantFrom(...spots), fc.constantFrom('drop', 'add', 'replace'), anything)
    .map(([path, how, other]) => {
      const copy = structuredClone(value) as Record<PropertyKey, unknown>;
      if (path.length === 0)
        return how === 'add' && isPlain(copy) ? { ...copy, extra: other } : other;
      let at: Record<PropertyKey, unknown> = copy;
      for (const k of path.slice(0, -1)) at = at[k] as Record<PropertyKey, unknown>;
      const last = path[path.length - 1]!;
      if (how === 'drop') delete at[last];
      else if (how === 'add' && isPlain(at[last]))
        (at[last] as Record<string, unknown>).extra = other;
      else at[last] = other;
      return copy;
    });
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function same(name: string, zod: Zod, gen: Check<unknown>, input: unknown) {
  const z = zod.safeParse(input);
  const g = gen.safeParse(input);
  const context = `${name} on ${JSON.stringify(input)}`;
  expect(g.success, context).toBe(z.success);
  if (z.success) expect(g.data, context).toStrictEqual(z.data);
  else {
    expect(g.error!.issues[0]!.path, context).toEqual(z.error!.issues[0]!.path);
    expect(g.error!.message, context).toContain(JSON.stringify(g.error!.issues[0]!.message));
  }
}

const checks = [...pairs(checked, check), ...pairs(storedSchemas, stored, 'stored')];

describe('compiled checks (check-gen.ts) answer as zod does', () => {
  it('cover every schema the engine checks', () => {
    expect(checks.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'pullEnvelope',
        'changes',
        'wsDown',
        'tabMessage',
        'meta.lastHlc',
        'stored.user',
        'stored.credential',
      ]),
    );
    expect(check.keys).toEqual({
      project: Object.keys(checked.fields.project.shape),
      task: Object.keys(checked.fields.task.shape),
      sharedStatus: Object.keys(checked.keys.sharedStatus.keysOf.shape),
    });
  });

  for (const [name, zod, gen] of checks) {
    it(`${name}: values built from the schema, each broken at one place, and odd values`, () => {
      const good = valid(zod);
      fc.assert(
        fc.property(good, (v) => same(name, zod, gen, v)),
        { numRuns: 150 },
      );
      fc.assert(
        fc.property(good.chain(broken), (v) => same(name, zod, gen, v)),
        { numRuns: 300 },
      );
      fc.assert(
        fc.property(anything, (v) => same(name, zod, gen, v)),
        { numRuns: 100 },
      );
    });
  }

  it('a coded sync error reads as shared parseErrorOf reads it', () => {
    const codes = Object.keys(SYNC_ERROR_CODES) as (keyof typeof SYNC_ERROR_CODES)[];
    const body = fc.record(
      {
        error: fc.oneof(fc.string(), ODD),
        code: fc.oneof(fc.constantFrom(...codes, 'OTHER'), ODD),
        details: fc.oneof(
          anything,
          fc.record({ expected: fc.integer(), received: fc.integer() }),
          fc.record({ cursor: fc.integer(), head: fc.integer() }),
          fc.record({ cursor: fc.integer(), horizon: fc.oneof(fc.integer(), ODD) }),
          fc.record({
            clientVersion: fc.integer(),
            serverVersion: fc.integer(),
            minVersion: fc.integer(),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    const status = fc.constantFrom(400, 409, 410, 500);
    fc.assert(
      fc.property(status, fc.oneof(body, anything), (s, json) => {
        const coded = parseErrorOf(SYNC_ERROR_CODES, s, json);
        const err = toHttpError(s, json, '/sync/pull');
        const expected: Record<string, string> = {
          BAD_CURSOR: 'BadCursorError',
          MUTATION_GAP: 'MutationGapError',
          CLIENT_TOO_OLD: 'ProtocolVersionError',
          SERVER_TOO_OLD: 'ProtocolVersionError',
          RESYNC_REQUIRED: 'ResyncRequiredError',
        };
        expect(err.constructor.name).toBe((coded && expected[coded.code]) ?? 'HttpError');
      }),
      { numRuns: 500 },
    );
  });
});
