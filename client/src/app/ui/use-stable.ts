import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * `fn` as one function for the component's life, calling the `fn` of the last render committed:
 * a handler given to a memoized child (the project's header, quick add and toolbar) that does
 * not render it again each time the parent renders (a teammate's change to the list). Only for
 * handlers called from events or effects, never while rendering.
 */
export function useStable<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
