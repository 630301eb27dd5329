import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HybridLogicalClock } from '../hlc.js';
import { newClientId, newEntityId } from '../uuid.js';
import { pushRequestSchema } from '../protocol/push.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { projectFieldsSchema, projectSchema } from './project.js';
import { taskFieldsSchema, taskSchema } from './task.js';
import { identityName, USER_NAME_MAX, userFieldsSchema, userSchema } from './user.js';
import { toOneLineText } from './text.js';

const project = { name: 'Launch', description: '', status: 'active', ownerId: newEntityId() };
const task = {
  projectId: newEntityId(),
  title: 'Write copy',
  notes: '',
  status: 'todo',
  assigneeId: null,
  dueDate: null,
};
const user = { email: 'ana@example.com', name: 'Ana', role: 'member' };
const meta = {
  id: newEntityId(),
  orgId: 'org_text',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 3,
};

/** Not text anywhere: C0 (tab and line breaks aside), DEL, C1, an unpaired surrogate. */
const NEVER = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
];
/** Text on several lines, not on one. */
const LINE_BREAKS = ['\t', '\n', '\r', '\r\n'];
/** Kept as written: emoji with skin tone and ZWJ, Arabic, Hebrew, a combining accent, bidi and zero-width marks, CJK, a non-BMP letter. */
const INTACT = 'Café 👍🏽 👨‍👩‍👧 مرحبا שלום e\u0301 \u202eabc\u202c \u200b 漢字 𝒜 \u00a0é';

const issuePath = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join('.'));

describe('text rules of input schemas', () => {
  it.each(NEVER.map((c) => [JSON.stringify(c), c]))(
    'refuses %s in every name, title, description and notes',
    (_, c) => {
      const x = `a${c}b`;
      expect(issuePath(projectFieldsSchema.safeParse({ ...project, name: x }))).toEqual(['name']);
      expect(issuePath(projectFieldsSchema.safeParse({ ...project, description: x }))).toEqual([
        'description',
      ]);
      expect(issuePath(taskFieldsSchema.safeParse({ ...task, title: x }))).toEqual(['title']);
      expect(issuePath(taskFieldsSchema.safeParse({ ...task, notes: x }))).toEqual(['notes']);
      expect(issuePath(userFieldsSchema.safeParse({ ...user, name: x }))).toEqual(['name']);
    },
  );

  it.each(LINE_BREAKS.map((c) => [JSON.stringify(c), c]))(
    'refuses %s inside a name or title, keeps it in a description or notes',
    (_, c) => {
      const x = `a${c}b`;
      const name = projectFieldsSchema.safeParse({ ...project, name: x });
      expect(name.error?.issues[0]?.message).toMatch(/^Invalid text: no control characters/);
      expect(issuePath(taskFieldsSchema.safeParse({ ...task, title: x }))).toEqual(['title']);
      expect(projectFieldsSchema.parse({ ...project, description: x }).description).toBe(x);
      expect(taskFieldsSchema.parse({ ...task, notes: x }).notes).toBe(x);
    },
  );

  it('trims line breaks around a name or title (whitespace-only is empty)', () => {
    expect(taskFieldsSchema.parse({ ...task, title: '\n\tWrite\r\n' }).title).toBe('Write');
    expect(issuePath(taskFieldsSchema.safeParse({ ...task, title: ' \n\t ' }))).toEqual(['title']);
  });

  it('keeps emoji, right-to-left text and combining marks exactly as written', () => {
    expect(projectFieldsSchema.parse({ ...project, name: INTACT, description: INTACT })).toEqual({
      ...project,
      name: INTACT,
      description: INTACT,
    });
    expect(taskFieldsSchema.parse({ ...task, title: INTACT, notes: INTACT })).toMatchObject({
      title: INTACT,
      notes: INTACT,
    });
    expect(userFieldsSchema.parse({ ...user, name: INTACT }).name).toBe(INTACT);
  });

  it('leaves rows and push bodies as they were: a row stored before still reads', () => {
    const x = 'a\u0000b\nc';
    expect(projectSchema.safeParse({ ...meta, ...project, name: x }).success).toBe(true);
    expect(taskSchema.safeParse({ ...meta, ...task, title: x, notes: x }).success).toBe(true);
    expect(userSchema.safeParse({ ...meta, ...user, name: x, externalId: 'user_1' }).success).toBe(
      true,
    );
    // The server rejects such a mutation on its own (validation), not the whole push with a 400.
    const clientId = newClientId();
    const push = pushRequestSchema.safeParse({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'task.create',
          id: 1,
          hlc: new HybridLogicalClock(clientId).now(),
          entityId: newEntityId(),
          fields: { ...task, title: x },
        },
      ],
    });
    expect(push.success).toBe(true);
  });
});

describe('a name an identity provider asserts', () => {
  it('is made to follow the one-line rules, never refused', () => {
    expect(identityName('Odd\u0007Name', 'odd')).toBe('OddName');
    expect(identityName(' Ana\r\n\tLopez\u0000 ', 'ana')).toBe('Ana Lopez');
    expect(identityName('half \ud800 pair', 'x')).toBe('half \ufffd pair');
    expect(identityName('\udc00end', 'x')).toBe('\ufffdend');
    expect(identityName('\u001b[31m', 'ana')).toBe('[31m');
    expect(identityName('Ben\u0000jamin\n Ng\u001b', 'x')).toBe('Benjamin Ng');
    expect(identityName('\u0000\u0001', 'ana.lopez')).toBe('ana.lopez');
    expect(identityName('', '')).toBe('Member');
    const INTACT = 'Café 👍🏽 مرحبا e\u0301 \u202eRTL\u202c';
    expect(identityName(INTACT, 'x')).toBe(INTACT);
  });

  it('is cut at the length limit without splitting a surrogate pair', () => {
    expect(identityName('x'.repeat(500), 'x')).toHaveLength(USER_NAME_MAX);
    const cut = identityName(`${'x'.repeat(USER_NAME_MAX - 1)}👍`, 'x');
    expect(cut).toBe('x'.repeat(USER_NAME_MAX - 1));
  });

  /**
   * Any UTF-16 text: every code point, unpaired surrogates included (fast-check's `binary` unit
   * has none), weighted toward what the rules treat apart — controls, DEL, C1, line breaks,
   * spaces, surrogates. A unit of its own builds at once: `binary` maps all 1.1 million code
   * points into a table the first time (1.2 s at load 10, past vitest's 5 s at load 17–19).
   */
  const anyText = fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    ),
    maxLength: 400,
  });

  it('always passes the rules of a name an admin types', () => {
    fc.assert(
      fc.property(anyText, fc.string(), (name, fallback) => {
        const out = identityName(name, fallback);
        expect(userFieldsSchema.shape.name.safeParse(out)).toEqual({ success: true, data: out });
        if (userFieldsSchema.shape.name.safeParse(name).success && name.length <= USER_NAME_MAX)
          expect(out).toBe(name.trim());
      }),
      { numRuns: 300 },
    );
    expect(toOneLineText('  ', 10)).toBe('');
  });
});
