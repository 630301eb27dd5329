/** Resolves with the view's snapshot once it is defined and `ready` says so. */
export function viewSettled<S>(
  view: { getSnapshot(): S | undefined; subscribe(listener: () => void): () => void },
  ready: (s: S) => boolean,
): Promise<S> {
  return new Promise((resolve) => {
    const check = () => {
      const s = view.getSnapshot();
      if (s !== undefined && ready(s)) {
        stop();
        resolve(s);
      }
    };
    const stop = view.subscribe(check);
    check();
  });
}
