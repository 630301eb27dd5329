import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodeSchema, isErrorCode, parseCodedError } from './error.js';
import { parseErrorOf, SYNC_ERROR_CODES } from './sync-errors.js';

describe('ERROR_CODES', () => {
  it('gives every code an error status and a message', () => {
    for (const [code, e] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(600);
      expect(e.message.length).toBeGreaterThan(5);
    }
    expect(errorCodeSchema.options).toEqual(Object.keys(ERROR_CODES));
  });

  it('knows its codes and nothing else', () => {
    expect(isErrorCode('MUTATION_GAP')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('FST_ERR_CTP_INVALID_MEDIA_TYPE')).toBe(false);
  });
});

describe('parseCodedError', () => {
  it('reads a known code with its typed details', () => {
    const e = parseCodedError(409, {
      error: 'Expected mutation 3, received 5',
      code: 'MUTATION_GAP',
      details: { expected: 3, received: 5 },
    });
    expect(e).toEqual({
      code: 'MUTATION_GAP',
      status: 409,
      message: 'Expected mutation 3, received 5',
      details: { expected: 3, received: 5 },
    });
    if (e?.code === 'MUTATION_GAP') expect(e.details.expected).toBe(3);
  });

  it('accepts a code without details, and optional details left out', () => {
    expect(parseCodedError(404, { error: 'No task x', code: 'NOT_FOUND' })).toMatchObject({
      code: 'NOT_FOUND',
      details: undefined,
    });
    expect(parseCodedError(400, { error: 'bad', code: 'BAD_CURSOR' })?.code).toBe('BAD_CURSOR');
  });

  it('refuses details that do not match the code, a status that does not, and foreign bodies', () => {
    expect(
      parseCodedError(409, { error: 'gap', code: 'MUTATION_GAP', details: { expected: 'x' } }),
    ).toBeNull();
    expect(parseCodedError(401, { error: 'x', code: 'UNAUTHENTICATED' })).toBeNull();
    expect(parseCodedError(500, { error: 'x', code: 'MUTATION_GAP', details: {} })).toBeNull();
    expect(parseCodedError(502, '<html>Bad gateway</html>')).toBeNull();
    expect(parseCodedError(400, { error: 'x', code: 'SOMETHING_NEW' })).toBeNull();
  });
});

describe('parseErrorOf(SYNC_ERROR_CODES)', () => {
  it("holds the table's own entries, and reads only those codes", () => {
    for (const [code, e] of Object.entries(SYNC_ERROR_CODES))
      expect(e).toBe(ERROR_CODES[code as keyof typeof SYNC_ERROR_CODES]);
    const gap = { error: 'gap', code: 'MUTATION_GAP', details: { expected: 3, received: 5 } };
    expect(parseErrorOf(SYNC_ERROR_CODES, 409, gap)).toEqual(parseCodedError(409, gap));
    expect(parseErrorOf(SYNC_ERROR_CODES, 409, { ...gap, details: {} })).toBeNull();
    // A REST-only code is known to the table but not to a sync client: it stays a plain HttpError.
    expect(parseCodedError(404, { error: 'x', code: 'NOT_FOUND' })).not.toBeNull();
    expect(parseErrorOf(SYNC_ERROR_CODES, 404, { error: 'x', code: 'NOT_FOUND' })).toBeNull();
  });
});
