import { describe, expect, it } from 'vitest';
import { signOutQuestion } from './sign-out-question';

describe('signOutQuestion', () => {
  it('asks about unsent changes, says offline as a second reason, and asks nothing when nothing is at stake', () => {
    expect(signOutQuestion({ pending: 3, online: true })).toMatchObject({
      title: 'Sign out with unsent changes?',
      message: '3 changes have not reached the server yet and will be lost if you sign out now.',
      danger: true,
    });
    expect(signOutQuestion({ pending: 1, online: false })?.message).toBe(
      '1 change has not reached the server yet and will be lost if you sign out now. You are offline too: signing in again needs a connection.',
    );
    expect(signOutQuestion({ pending: 0, online: false })?.title).toBe('Sign out while offline?');
    expect(signOutQuestion({ pending: 0, online: true })).toBeNull();
  });
});
