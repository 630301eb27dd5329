import { useLayoutEffect, useState, type RefObject } from 'react';
import { insets } from '../../../ui/insets';

/** Where the @name suggestions open: under the whole form, or above the field. */
export interface Placement {
  side: 'below' | 'above';
  /** Set when neither side holds the list whole: it scrolls within this many pixels. */
  maxHeight: number | null;
}

export const BELOW: Placement = { side: 'below', maxHeight: null };
const GAP = 4;
// One option, at least: a list too short to show one is no list.
const MIN_HEIGHT = 56;

/**
 * Under the form when the list fits there (it then covers neither the field nor the preview of
 * what Enter will add, as in Linear); else above the field if it fits there; else on the roomier
 * side, scrolling.
 */
export function placeList(room: { above: number; below: number }, height: number): Placement {
  if (height <= room.below) return BELOW;
  if (height <= room.above) return { side: 'above', maxHeight: null };
  const above = room.above > room.below;
  return {
    side: above ? 'above' : 'below',
    maxHeight: Math.max(MIN_HEIGHT, Math.floor(above ? room.above : room.below)),
  };
}

/**
 * Places the open list (`list`) beside `field` and `form`, within what can be seen: the visual
 * viewport — a phone's on-screen keyboard takes its bottom — less the sticky header and the
 * status bar (ui/insets.ts). Placed again as the keyboard, the page or the form moves.
 */
export function useListPlacement(
  open: boolean,
  count: number,
  refs: {
    field: RefObject<HTMLElement | null>;
    form: RefObject<HTMLElement | null>;
    list: RefObject<HTMLElement | null>;
  },
): Placement {
  const [placement, setPlacement] = useState(BELOW);
  const { field, form, list } = refs;
  useLayoutEffect(() => {
    if (!open) return;
    const vv = window.visualViewport;
    const place = () => {
      const [f, fm, el] = [field.current, form.current, list.current];
      if (!f || !fm || !el) return;
      const covered = insets();
      const top = Math.max(vv?.offsetTop ?? 0, covered.top);
      const bottom = Math.min(
        vv ? vv.offsetTop + vv.height : window.innerHeight,
        window.innerHeight - covered.bottom,
      );
      // Its whole height, also while it is held to a smaller one (with its borders).
      const height = el.scrollHeight + el.offsetHeight - el.clientHeight;
      const next = placeList(
        {
          above: f.getBoundingClientRect().top - GAP - top,
          below: bottom - fm.getBoundingClientRect().bottom - GAP,
        },
        height,
      );
      setPlacement((p) => (p.side === next.side && p.maxHeight === next.maxHeight ? p : next));
    };
    place();
    const resized = new ResizeObserver(place);
    resized.observe(form.current ?? document.body);
    vv?.addEventListener('resize', place);
    vv?.addEventListener('scroll', place);
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, { passive: true });
    return () => {
      resized.disconnect();
      vv?.removeEventListener('resize', place);
      vv?.removeEventListener('scroll', place);
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place);
    };
  }, [open, count, field, form, list]);
  return placement;
}
