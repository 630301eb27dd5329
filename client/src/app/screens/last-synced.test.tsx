// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { headlineText } from '../engine/headline';
import { LastSynced } from './InspectorScreen';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-03T12:00:00Z') });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.useRealTimers();
});

it('the inspector says when it last synced in the status bar’s words, and moves on as it does', () => {
  const at = Date.now() - 12_000;
  act(() => root.render(<LastSynced at={at} />));
  // The status bar says "Synced just now" 12 s after a sync: so does the inspector.
  expect(headlineText({ kind: 'synced', at }, Date.now())).toBe('Synced just now');
  expect(host.textContent).toBe('just now');
  expect(host.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(at).toISOString());
  // Left open, it moves on without anything else re-rendering it.
  act(() => vi.advanceTimersByTime(120_000));
  expect(host.textContent).toBe('2 min ago');
  expect(headlineText({ kind: 'synced', at }, Date.now())).toBe(`Synced ${host.textContent}`);
});

it('a device that never synced says so', () => {
  act(() => root.render(<LastSynced at={null} />));
  expect(host.textContent).toBe('never');
});
