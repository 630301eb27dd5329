import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { onPageCovered } from '../ui/sheet-inert';
import { foldedLabel } from './folded-notices';
import { NARROW, useMedia } from '../ui/use-media';

/**
 * The notices to answer, one by one: on a phone three of them — a reconnect brings a refused
 * task, a project's delete and an archive together, or three conflicts — filled the screen
 * over the list until each was answered. There the newest shows in full, and "2 more: a conflict,
 * a refused task" ("2 more conflicts" when they are all one kind; "3 more notices" when the
 * kinds would not fit on one line: `foldedLabel`) opens the rest: a button with `aria-expanded`, before
 * them in the focus order, so keys and screen readers reach them as the mouse does; each keeps
 * its own answers (Copy text, Open project, the typed text). Folded ones are out of the page
 * (`display: none`), so a screen reader reads the newest as it comes and the others once, when
 * opened — not all of them twice. Wide, they all show. Counted from what is shown: a notice not
 * yet read, or already answered, shows nothing and is not counted. Opened, they fold back when a
 * sheet comes over the page (a task opened, from the list or a notice's Open): the person has
 * moved on, and the open stack (up to 45% of the screen) would cover the sheet's lower part;
 * folded, the newest and "2 more notices" stay where they were, one tap from the rest.
 */
export function NoticeStack({ children }: { children: ReactNode }) {
  const narrow = useMedia(NARROW);
  const [open, setOpen] = useState(false);
  // The kind of each notice shown (its `data-brief`, else `data-kind`), in page order.
  const [shown, setShown] = useState<readonly string[]>([]);
  const stack = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = stack.current;
    if (!el) return;
    const recount = () =>
      setShown((was) => {
        const now = [...el.querySelectorAll<HTMLElement>(':scope > .notice')].map(
          (n) => n.dataset.brief ?? n.dataset.kind ?? '',
        );
        return now.join() === was.join() ? was : now;
      });
    recount();
    // Each notice renders once it has read its row, and goes when answered: the count follows.
    const watch = new MutationObserver(recount);
    watch.observe(el, { childList: true });
    return () => watch.disconnect();
  }, []);
  const more = shown.length - 1;
  const noun = shown.every((k) => k === 'conflict') ? 'conflict' : 'notice';
  const folded = narrow && !open && more > 0;
  useEffect(() => onPageCovered(() => setOpen(false)), []);
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
          {open ? `Show only the newest ${noun}` : foldedLabel(shown.slice(0, -1))}
        </button>
      )}
      <div ref={stack} className={folded ? 'notice-stack folded' : 'notice-stack'}>
        {children}
      </div>
    </>
  );
}
