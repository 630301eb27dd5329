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
