import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useEngine } from '../engine/context';
import { refusedWrite } from '../engine/notice-text';
import { useInset } from '../ui/insets';
import { isTypingTarget } from '../ui/shortcuts';
import { pageCovered } from '../ui/sheet-inert';
import { CutQuote } from '../ui/CutQuote';
import { toasts, type Toast } from '../ui/toasts';
import { useRoute } from './router';

/** "Ctrl+Z" or, on Apple devices, "⌘Z": the key that undoes what a toast offers to. */
export const UNDO_KEY = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘Z' : 'Ctrl+Z';

/** How long "Undone: …" shows (it offers nothing to press). */
const UNDONE_MS = 4000;

/**
 * An Undo (its button, Ctrl/⌘+Z) with a sheet over the page (a task open on a phone) changes
 * what the sheet hides: the row coming back, as the list shows it on a wide screen, is not seen.
 * A toast says what was undone instead.
 */
function sayUndone(t: Toast): void {
  if (!pageCovered()) return;
  toasts.show({
    message: `Undone: ${t.message.charAt(0).toLowerCase()}${t.message.slice(1)}`,
    durationMs: UNDONE_MS,
    undone: true,
  });
}

/**
 * A toast's words with each quoted title (“…”) kept to one line, cut with an ellipsis where it
 * does not fit, as Linear's and Todoist's toasts do: a task's title can be 500 characters, and
 * whole it made a toast five lines tall that covered the rows on a phone. The words around it
 * (what was done, who changed what meanwhile) stay whole, and so does the text read out. The
 * cut is inside the quotes ("“Buy milk and…”"): cutting the whole quoted part lost its ”.
 * A title shares the line of the words before it, cut to the room left there: on a line of its
 * own, "Moved “…” to “…”" took four lines on a phone.
 * A person's name (`named`) is kept to one line the same way, without quotes. Two names or more
 * ("Alexandra…, Bartholomew… and 2 others assigned you 5 tasks") share a line, each cut to part
 * of it: cut to a line each, they took three lines on a phone.
 */
export function ToastMessage({ text }: { text: string }) {
  const parts = text.split(/(\u201c[^\u201d]*\u201d|\u2068[^\u2069]*\u2069)/);
  const names = parts.filter((p) => p.startsWith('\u2068')).length;
  // The punctuation right after a quoted title goes with its ” ("“Launch”."): on its own, a
  // title that filled the line left the full stop alone on the next one.
  const trail = (i: number) => /^[.,:;!?]*/.exec(parts[i] ?? '')![0];
  return parts.map((part, i) => {
    if (i % 2 === 0) return part.slice(i > 0 ? trail(i).length : 0);
    const quoted = part.startsWith('\u201c');
    return (
      <CutQuote
        key={i}
        title={quoted ? part : part.slice(1, -1)}
        after={trail(i + 1)}
        marks={quoted}
        className={!quoted && names > 1 ? 'cut-name-shared' : undefined}
        fillLine
      >
        {part.slice(1, -1)}
      </CutQuote>
    );
  });
}

/**
 * Toasts for what was just done ("Deleted “X”. Undo", "Added “X”. Show"), floating above the
 * status bar. Named for what they hold: they are not all undo offers.
 */
export function Toasts() {
  const list = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  const { client, replica } = useEngine();
  // A task open, from its row, a search, the toast's own Show or a link, in this tab or another
  // of the reader's: a toast that led to it ("Added “X”. Show", "Ana assigned “X” to you. Open")
  // has nothing left to offer.
  const route = useRoute();
  const openTask = route.name === 'project' || route.name === 'search' ? route.taskId : undefined;
  const openedElsewhere = useRef<BroadcastChannel | null>(null);
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(`outpost-opened:${replica.orgId}:${replica.userId}`);
    channel.onmessage = (e: MessageEvent<unknown>) => {
      if (typeof e.data === 'string') toasts.opened(e.data);
    };
    openedElsewhere.current = channel;
    return () => {
      openedElsewhere.current = null;
      channel.close();
    };
  }, [replica]);
  useEffect(() => {
    if (!openTask) return;
    toasts.opened(openTask);
    openedElsewhere.current?.postMessage(openTask);
  }, [openTask]);
  // A refused write's notice says it was undone; a toast offering to undo it goes with it.
  useEffect(() => {
    const seen = new Set<string>();
    const onNotices = () => {
      for (const n of client.notices.getSnapshot()) {
        if (seen.has(n.id)) continue;
        seen.add(n.id);
        const write = refusedWrite(n);
        if (write) toasts.refused(write);
      }
    };
    onNotices();
    return client.notices.subscribe(onNotices);
  }, [client]);
  // Ctrl/⌘+Z undoes the newest undoable action while its toast shows, as in Linear and
  // Todoist; in a field it stays the field's own undo.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'z' || !(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey)
        return;
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const undone = toasts.undoLatest();
      if (!undone) return;
      e.preventDefault();
      sayUndone(undone);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  // The toasts float over the page's end as the notices do: counted in the bottom inset, the
  // row j/k go to is never left under one, and the page gets as much room again below its end.
  const region = useRef<HTMLDivElement>(null);
  useInset('bottom', region, '--toasts-height');
  // They wait while the page is hidden: a window that ran out unseen was no window at all.
  useEffect(() => {
    const onVisibility = () =>
      document.visibilityState === 'hidden' ? toasts.pause('hidden') : toasts.resume('hidden');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      toasts.resume('hidden');
    };
  }, []);
  // A focused toast that goes (its Undo, ✕) takes focus with it without a blur, and once none
  // shows nothing is under the pointer: neither holds the next toast.
  useEffect(() => {
    if (!region.current?.contains(document.activeElement)) toasts.resume('focus');
    if (list.length === 0) toasts.resume('pointer');
  }, [list]);
  // Where focus was before it came into the toasts (Tab, a click on one): a toast dismissed
  // with focus on its ✕ gives focus back there — or to the next toast, else the screen's
  // heading — instead of dropping it to the page, where the next Tab starts from the top.
  const cameFrom = useRef<Element | null>(null);
  const giveBack = useRef(false);
  useLayoutEffect(() => {
    if (!giveBack.current) return;
    giveBack.current = false;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const from = cameFrom.current;
    const target =
      (from instanceof HTMLElement && from.isConnected ? from : null) ??
      region.current?.querySelector<HTMLElement>('.toast button') ??
      document.querySelector<HTMLElement>('main h2[tabindex]');
    target?.focus({ preventScroll: true });
  }, [list]);
  return (
    // They wait too while the pointer is over them or focus is in them (as Sonner and Radix
    // do, WCAG 2.2.1), then count down from the time they had left. The pointer counts once it
    // moves over them, as in Radix: a toast shown under a resting pointer (the tick of a row
    // near a phone's foot) gets a pointerenter without any move, and no one is reading it.
    <div
      ref={region}
      className="toasts"
      role="region"
      aria-label="Recent actions"
      onPointerMove={() => toasts.pause('pointer')}
      onPointerLeave={() => toasts.resume('pointer')}
      onFocus={(e) => {
        toasts.pause('focus');
        if (!e.currentTarget.contains(e.relatedTarget)) cameFrom.current = e.relatedTarget;
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) toasts.resume('focus');
      }}
    >
      {list.map((t) => (
        <div key={t.id} className="toast" role="status">
          <span className="grow">
            <ToastMessage text={t.message} />
          </span>
          {t.action && (
            <button
              type="button"
              className="toast-action"
              title={t.action.label === 'Undo' ? `Undo (${UNDO_KEY})` : undefined}
              onClick={() => {
                t.action!.run();
                toasts.dismiss(t.id);
                if (t.action!.label === 'Undo') sayUndone(t);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={(e) => {
              giveBack.current = document.activeElement === e.currentTarget;
              toasts.dismiss(t.id);
            }}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
