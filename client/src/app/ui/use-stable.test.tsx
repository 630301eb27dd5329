// @vitest-environment happy-dom
import { act, createRef, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { testRoot } from '../testing/test-root';
import { TaskToolbar } from '../screens/tasks/TaskToolbar';
import { NO_QUERY } from '../screens/tasks/filter';
import type * as KeyboardLikely from './keyboard-likely';
import { useStable } from './use-stable';

// Each render of the toolbar calls this hook once: counted, the real one answering.
const renders = vi.hoisted(() => ({ toolbar: 0 }));
vi.mock('./keyboard-likely', async (importOriginal) => {
  const real = await importOriginal<typeof KeyboardLikely>();
  return {
    ...real,
    useKeyboardLikely: () => {
      renders.toolbar++;
      return real.useKeyboardLikely();
    },
  };
});

const dom = testRoot();
const NO_USERS: never[] = [];
const onChange = () => undefined;

describe('useStable', () => {
  it('is one function for the component’s life, and calls the last render’s', () => {
    const seen: ((n: number) => string)[] = [];
    let bump: () => void = () => undefined;
    function Parent() {
      const [label, setLabel] = useState('a');
      bump = () => setLabel((l) => l + 'a');
      seen.push(useStable((n: number) => `${label}${n}`));
      return null;
    }
    act(() => dom.root.render(<Parent />));
    act(() => bump());
    act(() => bump());
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]!(1)).toBe('aaa1');
  });

  it('lets a memoized child given its handlers skip the parent’s renders (the project’s toolbar on a teammate’s change)', () => {
    const search = createRef<HTMLInputElement>();
    let bump: () => void = () => undefined;
    const calls: string[] = [];
    function Screen() {
      const [changes, setChanges] = useState(0);
      bump = () => setChanges((c) => c + 1);
      const onHelp = useStable(() => calls.push(`help after ${changes}`));
      return (
        <TaskToolbar
          query={NO_QUERY}
          onChange={onChange}
          users={NO_USERS}
          me="u1"
          searchRef={search}
          onSearchFocus={useStable(() => undefined)}
          onHelp={onHelp}
        />
      );
    }
    act(() => dom.root.render(<Screen />));
    const first = renders.toolbar;
    expect(first).toBeGreaterThan(0);
    act(() => bump());
    act(() => bump());
    expect(renders.toolbar).toBe(first);
    // Its handler is still the screen's latest.
    act(() => dom.host.querySelector<HTMLButtonElement>('button[aria-label*="hortcut"]')?.click());
    expect(calls).toEqual(['help after 2']);
  });
});
