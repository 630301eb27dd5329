// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { headlineText } from '../engine/headline';
import { testRoot } from '../testing/test-root';
import { LastSynced } from './InspectorScreen';

const t = testRoot();
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-03T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

it('the inspector says when it last synced in the status bar’s words, and moves on as it does', () => {
  const at = Date.now() - 12_000;
  act(() => t.root.render(<LastSynced at={at} />));
  // The status bar says "Synced just now" 12 s after a sync: so does the inspector.
  expect(headlineText({ kind: 'synced', at }, Date.now())).toBe('Synced just now');
  expect(t.host.textContent).toBe('just now');
  expect(t.host.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(at).toISOString());
  // Left open, it moves on without anything else re-rendering it.
  act(() => {
    vi.advanceTimersByTime(120_000);
  });
  expect(t.host.textContent).toBe('2 min ago');
  expect(headlineText({ kind: 'synced', at }, Date.now())).toBe(`Synced ${t.host.textContent}`);
});

it('a device that never synced says so', () => {
  act(() => t.root.render(<LastSynced at={null} />));
  expect(t.host.textContent).toBe('never');
});
