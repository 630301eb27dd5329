import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { count } from '../ui/count';
import { NARROW, useMedia } from '../ui/use-media';

/**
 * Conflict notices, answered one by one: on a phone three of them filled the screen until each
 * was answered. There the newest shows in full, and "2 more conflicts" opens the rest (a button
 * with `aria-expanded`, so keys and screen readers reach them as the mouse does); each keeps its
 * own answers. Wide, they all show, as before. Counted from what is shown: a notice not yet
 * read, or already answered, shows nothing and is not counted.
 */
export function ConflictStack({ children }: { children: ReactNode }) {
  const narrow = useMedia(NARROW);
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(0);
  const stack = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = stack.current;
    if (!el) return;
    const recount = () => setShown(el.querySelectorAll(':scope > .notice').length);
    recount();
    // Each notice renders once it has read its row, and goes when answered: the count follows.
    const watch = new MutationObserver(recount);
    watch.observe(el, { childList: true });
    return () => watch.disconnect();
  }, []);
  const more = shown - 1;
  const folded = narrow && !open && more > 0;
  // None left to fold: the next ones come folded again.
  useLayoutEffect(() => {
    if (more <= 0) setOpen(false);
  }, [more]);
  return (
    <>
      {narrow && more > 0 && (
        <button
          type="button"
          className="notices-more"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open
            ? 'Show only the newest conflict'
            : `${count(more)} more ${more === 1 ? 'conflict' : 'conflicts'}`}
        </button>
      )}
      <div ref={stack} className={folded ? 'conflict-stack folded' : 'conflict-stack'}>
        {children}
      </div>
    </>
  );
}
