// @vitest-environment happy-dom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { SignOutStep } from '../auth/sign-out';
import { testRoot } from '../testing/test-root';
import type { UnsavedText } from '../ui/drafts';
import { SigningOut } from './SigningOut';

const view = testRoot();

const TYPED: UnsavedText[] = [{ label: 'Add a task', text: 'Order the tulip bulbs' }];

function render(step: SignOutStep, drafts: readonly UnsavedText[], dismissed: string[] = []) {
  act(() =>
    view.root.render(
      <SigningOut
        progress={{ blocked: false, failed: { step, reason: 'Clerk could not be reached' } }}
        drafts={drafts}
        onDismissDrafts={() => dismissed.push(step)}
        onRetry={() => undefined}
        onSkip={() => undefined}
        onCancel={() => undefined}
      />,
    ),
  );
  return view.host;
}

const notSaved = (host: HTMLElement) =>
  host.querySelector<HTMLElement>('[role="alert"][aria-label="Not saved"]');

describe('a sign-out that did not finish', () => {
  it('once the device\u2019s copy is gone (Clerk not reached, offline), shows the text typed and not saved to copy, as the signed-out screen does', () => {
    const dismissed: string[] = [];
    const host = render('provider', TYPED, dismissed);
    expect(host.textContent).toContain('Signing out did not finish');
    expect(notSaved(host)?.textContent).toContain('What you had typed went with the screen');
    expect(notSaved(host)?.querySelector('textarea')?.value).toBe('Order the tulip bulbs');
    // Try again keeps focus, as before: the failure's first way on.
    expect(document.activeElement?.textContent).toBe('Try again');
    act(() =>
      [...notSaved(host)!.querySelectorAll('button')]
        .find((b) => b.textContent === 'Dismiss')!
        .click(),
    );
    expect(dismissed).toEqual(['provider']);
  });

  it('with nothing removed yet (the revoke failed), says nothing of it: Cancel brings the screen back as it was', () => {
    const host = render('revoke', TYPED);
    expect(host.textContent).toContain('Nothing was removed');
    expect(notSaved(host)).toBeNull();
  });
});
