import { afterEach, describe, expect, it, vi } from 'vitest';
import { toasts } from './toasts';

describe('toasts.undoLatest (Ctrl/⌘+Z)', () => {
  afterEach(() => {
    for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
  });

  it('runs the newest toast that offers Undo, once, and dismisses it', () => {
    const first = vi.fn();
    const second = vi.fn();
    const show = vi.fn();
    toasts.show({
      message: 'Completed “A”',
      action: { label: 'Undo', run: first },
      durationMs: 5000,
    });
    toasts.show({ message: 'Moved “B”', action: { label: 'Undo', run: second }, durationMs: 5000 });
    // Newer, but not an undo offer: Ctrl+Z passes it by.
    toasts.show({ message: 'Added “C”', action: { label: 'Show', run: show }, durationMs: 5000 });
    expect(toasts.undoLatest()).toBe(true);
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
    expect(toasts.getSnapshot().map((t) => t.message)).toEqual(['Completed “A”', 'Added “C”']);
    expect(toasts.undoLatest()).toBe(true);
    expect(first).toHaveBeenCalledTimes(1);
    expect(toasts.undoLatest()).toBe(false);
  });

  it('does nothing once the toast is gone (its undo window over)', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      toasts.show({ message: 'Deleted “D”', action: { label: 'Undo', run }, durationMs: 5000 });
      vi.advanceTimersByTime(5001);
      expect(toasts.undoLatest()).toBe(false);
      expect(run).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
