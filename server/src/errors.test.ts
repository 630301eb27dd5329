import { ERROR_CODES, parseCodedError } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from './errors.js';

describe('AppError', () => {
  it('takes its status and default message from the shared table', () => {
    const e = new AppError('PRECONDITION_FAILED', undefined, { ifMatch: '"3"', current: 4 });
    expect(e.status).toBe(412);
    expect(e.message).toBe(ERROR_CODES.PRECONDITION_FAILED.message);
    expect(parseCodedError(e.status, e.toBody())).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { ifMatch: '"3"', current: 4 },
    });
  });
});

describe('toAppError', () => {
  const LIMIT = 1024 * 1024;

  it("gives Fastify's own 4xx a code of the table with a matching status", () => {
    const fst = (statusCode: number, code: string) =>
      Object.assign(new Error(`fastify ${statusCode}`), { statusCode, code });
    expect(toAppError(fst(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE'), LIMIT)).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      status: 415,
    });
    const tooLarge = toAppError(fst(413, 'FST_ERR_CTP_BODY_TOO_LARGE'), 2048);
    expect(tooLarge).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      message: 'The request body is larger than this endpoint accepts: at most 2048 bytes',
    });
    expect(parseCodedError(413, tooLarge.toBody())).toMatchObject({
      details: { limit: 'body', maxBytes: 2048 },
    });
    expect(toAppError(fst(400, 'FST_ERR_CTP_EMPTY_JSON_BODY'), LIMIT)).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'fastify 400',
    });
  });

  it('hides anything unexpected behind INTERNAL', () => {
    const e = toAppError(new TypeError('secret stack detail'), LIMIT);
    expect(e).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(e.message).not.toContain('secret');
  });
});
