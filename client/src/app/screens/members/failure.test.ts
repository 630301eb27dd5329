import { describe, expect, it } from 'vitest';
import { failureText, offlineWaitText, Unanswered, wentOffline } from './failure';

describe('telling an admin why a Members request failed', () => {
  it('says plainly that the connection went when a request got no answer offline', () => {
    const text = failureText('remove', 'Ben', new Unanswered(), true);
    expect(text).toBe(
      'You’re offline, so the request to remove Ben may not have reached the server. Once you’re back online, this page shows whether it did.',
    );
    expect(text).not.toMatch(/^Could not/);
    expect(wentOffline(new Unanswered(), true)).toBe(true);
  });

  it('keeps the server’s reason, and "could not be reached" when the browser still has a network', () => {
    expect(failureText('remove', 'Ben', new Error('not allowed'), true)).toBe(
      'Could not remove Ben: not allowed',
    );
    expect(failureText('revoke the invitation for', 'Bea', new Unanswered(), false)).toBe(
      'Could not revoke the invitation for Bea: the server could not be reached. Try again when you are online.',
    );
    expect(wentOffline(new Error('HTTP 500'), true)).toBe(false);
    expect(wentOffline(new Unanswered(), false)).toBe(false);
  });

  it('an open Remove / Revoke question offline says which action on whom waits, not one sentence for both', () => {
    expect(offlineWaitText('remove', 'Ana')).toBe(
      'You’re offline — removing Ana needs a connection. It works again once you’re back online.',
    );
    expect(offlineWaitText('revoke the invitation for', 'Bea')).toBe(
      'You’re offline — revoking the invitation for Bea needs a connection. It works again once you’re back online.',
    );
  });
});
