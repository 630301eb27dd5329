// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { HttpError, NetworkError } from '@outpost/sync';
import { AuthRequestError } from '../auth/dev-auth';
import { sessionToken } from './engine';

const refusing = (err: unknown) => ({ getToken: () => Promise.reject(err) });

describe('sessionToken', () => {
  it('passes a token through', async () => {
    await expect(sessionToken({ getToken: () => Promise.resolve('t0k3n') })).resolves.toBe('t0k3n');
  });

  it('a refresh refused because the member was removed fails as a sync request would', async () => {
    const err = await sessionToken(
      refusing(
        new AuthRequestError('You were removed from this organization', 403, 'MEMBER_REMOVED'),
      ),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 403, code: 'MEMBER_REMOVED', retryable: false });
    // The engine records an HttpError's code (`lastError.code`), which the status line reads
    // as "removed" (headline.test); any other error read as "sign in again".
  });

  it('a refresh refused because another member has the email fails as a sync request would', async () => {
    const message =
      'Another member of the organization org_1 already has the email ana@example.com under another sign-in: sign in with the account that member signed in with, or ask one of its admins to remove that member so you can be added';
    const err = await sessionToken(
      refusing(new AuthRequestError(message, 403, 'EMAIL_IN_USE')),
    ).catch((e: unknown) => e);
    // Not an AuthRequestError, which the status line reads as "sign in again" (refused alike).
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 403, code: 'EMAIL_IN_USE', retryable: false, message });
  });

  it('offline (no answer) is a retryable network error; other refusals pass unchanged', async () => {
    await expect(sessionToken(refusing(new AuthRequestError('offline', 0)))).rejects.toBeInstanceOf(
      NetworkError,
    );
    await expect(sessionToken(refusing(new TypeError('Failed to fetch')))).rejects.toBeInstanceOf(
      NetworkError,
    );
    const expired = new AuthRequestError('Sign in again', 401, 'UNAUTHENTICATED');
    await expect(sessionToken(refusing(expired))).rejects.toBe(expired);
  });
});
