import { describe, expect, it } from 'vitest';
import { createStore } from './store';
import { confirmAction, confirmRequest, type ConfirmRequest } from './confirm';

const ask = (title: string): ConfirmRequest => ({
  title,
  message: `${title}?`,
  confirmLabel: 'Go',
});

describe('confirmAction with a watch (a live question)', () => {
  it('shows new words in the same open request and stops watching once answered', async () => {
    const source = createStore('first');
    let watching = 0;
    const answer = confirmAction(ask('first'), (update) => {
      watching++;
      const stop = source.subscribe(() => update(ask(source.getSnapshot())));
      return () => {
        watching--;
        stop();
      };
    });
    const opened = confirmRequest.getSnapshot()!;
    expect(opened.title).toBe('first');
    expect(watching).toBe(1);

    source.set('second');
    const updated = confirmRequest.getSnapshot()!;
    expect(updated.title).toBe('second');
    expect(updated.message).toBe('second?');
    // The same question (the dialog stays open and keeps focus), answered through either copy.
    expect(updated.id).toBe(opened.id);
    // The same words again change nothing.
    source.set('second');
    expect(confirmRequest.getSnapshot()).toBe(updated);

    opened.resolve(true);
    await expect(answer).resolves.toBe(true);
    expect(confirmRequest.getSnapshot()).toBeNull();
    expect(watching).toBe(0);
    // Answered: later changes open nothing.
    source.set('third');
    expect(confirmRequest.getSnapshot()).toBeNull();
  });

  it('a newer question cancels the open one and ends its watch', async () => {
    let stopped = false;
    const first = confirmAction(ask('first'), () => () => {
      stopped = true;
    });
    const second = confirmAction(ask('second'));
    await expect(first).resolves.toBe(false);
    expect(stopped).toBe(true);
    expect(confirmRequest.getSnapshot()?.title).toBe('second');
    confirmRequest.getSnapshot()!.resolve(false);
    await expect(second).resolves.toBe(false);
  });
});

describe('confirmAction while going ahead is unavailable (offline)', () => {
  it('does nothing on confirm while unavailable; the same open question works once it clears', async () => {
    const offline = createStore(true);
    const question = (): ConfirmRequest => ({
      ...ask('Remove Ben'),
      unavailable: offline.getSnapshot() ? 'You’re offline.' : undefined,
    });
    let settled = false;
    const answer = confirmAction(question(), (update) =>
      offline.subscribe(() => update(question())),
    );
    void answer.then(() => (settled = true));
    const opened = confirmRequest.getSnapshot()!;
    expect(opened.unavailable).toBe('You’re offline.');

    opened.resolve(true);
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(confirmRequest.getSnapshot()?.id).toBe(opened.id);

    // Back online: the same dialog (same id), and now it goes ahead.
    offline.set(false);
    const online = confirmRequest.getSnapshot()!;
    expect(online.id).toBe(opened.id);
    expect(online.unavailable).toBeUndefined();
    online.resolve(true);
    await expect(answer).resolves.toBe(true);
  });

  it('Cancel still answers while unavailable', async () => {
    const answer = confirmAction({ ...ask('Revoke'), unavailable: 'You’re offline.' });
    confirmRequest.getSnapshot()!.resolve(false);
    await expect(answer).resolves.toBe(false);
    expect(confirmRequest.getSnapshot()).toBeNull();
  });
});
