import { useLayoutEffect, useRef, type ReactNode } from 'react';

/**
 * Where the end of `el`'s text lies (from its content's left edge) once its first `n`
 * characters are laid out, its text nodes taken in order as one string.
 */
function prefixWidth(el: HTMLElement, nodes: Text[], n: number): number {
  const range = document.createRange();
  range.setStart(el, 0);
  let left = n;
  for (const node of nodes) {
    if (left <= node.length) {
      range.setEnd(node, left);
      break;
    }
    left -= node.length;
  }
  let right = el.getBoundingClientRect().left;
  for (const rect of range.getClientRects()) right = Math.max(right, rect.right);
  return right - el.getBoundingClientRect().left;
}

/**
 * Narrows a cut text box to its shown characters and the ellipsis: CSS draws the ellipsis right
 * after the last character that fits and leaves the rest of the box empty, so a ” after the box
 * stood a character's width (and a word's trailing space) away from the “…”. Without a layout
 * to measure (or with nothing cut) it leaves the box as CSS lays it out.
 */
function fit(el: HTMLElement): void {
  el.style.maxWidth = '';
  const shown = el.getBoundingClientRect().width;
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walk.nextNode(); n; n = walk.nextNode()) nodes.push(n as Text);
  const text = nodes.map((n) => n.data).join('');
  if (shown <= 0 || prefixWidth(el, nodes, text.length) <= shown + 0.5) return;
  // The ellipsis as this box draws it.
  const probe = document.createElement('span');
  probe.textContent = '…';
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  el.append(probe);
  const ellipsis = probe.getBoundingClientRect().width;
  probe.remove();
  // The most characters that fit with the ellipsis after them.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (prefixWidth(el, nodes, mid) + ellipsis <= shown) lo = mid;
    else hi = mid - 1;
  }
  // "signed…”", not "signed …”": a space before the ellipsis reads as a gap too.
  while (lo > 0 && /\s/.test(text.charAt(lo - 1))) lo--;
  el.style.maxWidth = `${prefixWidth(el, nodes, lo) + ellipsis + 0.25}px`;
}

/** Less room than this left on the line before it, a quote still takes a line of its own. */
const MIN_ROOM_EM = 6;

/**
 * Keeps a quote that wrapped to a line of its own on the line before it, cut to the room left
 * there ("Moved “Collect the…”" rather than "Moved" alone above the title). Without a layout
 * to measure, or with too little room left, it leaves the box as CSS lays it out.
 */
function shareLine(box: HTMLElement): void {
  box.style.maxWidth = '';
  const before = box.previousSibling;
  const room = box.parentElement;
  if (!before?.textContent?.trim() || !room) return;
  const range = document.createRange();
  range.selectNodeContents(before);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const last = rects.at(-1);
  const own = box.getBoundingClientRect();
  // On the line of the words before it already (or nothing laid out to measure).
  if (!last || own.width === 0 || own.top < last.bottom - 1) return;
  const style = getComputedStyle(room);
  const right = room.getBoundingClientRect().right - parseFloat(style.paddingRight || '0');
  // The space after the words hangs at the line's end: keep a space's room between them.
  const fontSize = parseFloat(style.fontSize) || 16;
  const space = right - last.right - fontSize * 0.3;
  if (space < fontSize * MIN_ROOM_EM) return;
  box.style.maxWidth = `${Math.floor(space)}px`;
}

/**
 * “Name” on one line at most: a long name is cut with an ellipsis inside its quotes, which stay,
 * the ” right after the “…”. Its whole text is still in the page (read out, found by search) and
 * shown in its tooltip. Used where a name of up to 500 characters would make a toast or a feed
 * entry many lines tall on a phone.
 */
export function CutQuote({
  title,
  children,
  className,
  after = '',
  fillLine = false,
  marks = true,
}: {
  /** The whole quoted name, for the tooltip. */
  title: string;
  children: ReactNode;
  className?: string;
  /** Punctuation right after the ” ("." "," ":"), kept on its line: it wrapped alone. */
  after?: string;
  /**
   * Cut to the room left on the line of the words before it rather than wrapped below them: a
   * toast's "Moved “…” to “…”" in two lines at most, not four (`shareLine`).
   */
  fillLine?: boolean;
  /** Its “ and ”: a person's name in a toast is cut the same way, unquoted. */
  marks?: boolean;
}) {
  const text = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = text.current;
    const box = el?.parentElement;
    const room = box?.parentElement;
    if (!el || !box || !room) return;
    const place = () => {
      if (fillLine) {
        el.style.maxWidth = '';
        shareLine(box);
      }
      fit(el);
    };
    place();
    if (typeof ResizeObserver === 'undefined') return;
    // Refit when the room it has changes (a window turned or resized), not when it narrows itself.
    let width = room.getBoundingClientRect().width;
    const observer = new ResizeObserver(() => {
      const now = room.getBoundingClientRect().width;
      if (now === width) return;
      width = now;
      place();
    });
    observer.observe(room);
    return () => observer.disconnect();
  }, [title, fillLine]);
  return (
    <span className={className ? `cut-quote ${className}` : 'cut-quote'} title={title}>
      {marks && <span className="cut-quote-mark">“</span>}
      <span ref={text} className="cut-quote-text">
        {children}
      </span>
      {(marks || after) && <span className="cut-quote-mark">{`${marks ? '”' : ''}${after}`}</span>}
    </span>
  );
}
