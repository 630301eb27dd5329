import { TASK_TITLE_MAX, type EntityId, type User } from '@outpost/shared';
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ClipboardEvent,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { useEngine } from '../../engine/context';
import { watchAdded } from '../../shell/archived-meanwhile';
import { dueDay, firstAndMore } from '../../ui/format';
import { LengthHint } from '../../ui/LengthHint';
import { useUnsavedDraft } from '../../ui/drafts';
import { useAction } from '../../ui/useAction';
import { listCommands } from './list-commands';
import { mentionAt, suggestMembers, type Member } from './quick-add/mention';
import { MentionList, optionId } from './quick-add/MentionList';
import { useListPlacement } from './quick-add/list-placement';
import { pastedLines } from './quick-add/pasted-lines';
import {
  enterAdds,
  keepKey,
  parseQuickAdd,
  pickMention,
  previewQuickAdd,
} from './quick-add/quick-add';
import { warmDuePhrases } from './quick-add/due-phrase';
import { previewSpeech, QuickAddPreview } from './quick-add/QuickAddPreview';

/** A new task as quick add makes it. */
export interface QuickAddedTask {
  title: string;
  assigneeId: EntityId | null;
  dueDate: string | null;
}

/** The first titles of a pasted list: "“Milk” (due tomorrow), “Eggs” and “Bread”", "…, and 4 more". */
function pastedPreview(tasks: readonly QuickAddedTask[], today: string): string {
  return firstAndMore(
    tasks.map((t) => `“${t.title}”${t.dueDate ? ` (due ${dueDay(t.dueDate, today)})` : ''}`),
  );
}

/** A pasted list: a task a line, and the whole text as one title (if declined). */
interface PastedList {
  tasks: QuickAddedTask[];
  text: string;
}

const NOTHING_KEPT: ReadonlySet<string> = new Set();
const NOTHING_PICKED: ReadonlyMap<string, string> = new Map();

/**
 * The project's "Add a task…" field. The title may carry a due date ("tomorrow", "fri",
 * "dec 5") and an assignee ("@ana"); the preview under it shows what Enter will add.
 */
export const NewTaskForm = memo(function NewTaskForm({
  projectId,
  inputRef,
  users,
  me,
  today,
  onAdded,
  onLeave,
  shows,
  onGoneWithText,
}: {
  projectId: EntityId;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  users: readonly User[];
  me: string;
  today: string;
  /** A task added; `count` when it is the last of several added at once (a pasted list). */
  onAdded(id: string, task: QuickAddedTask, count?: number): void;
  /** Escape in the empty field: focus goes back to the list (it must not fall to the page). */
  onLeave(): void;
  /** Whether the list as filtered now shows this new task. */
  shows(task: QuickAddedTask): boolean;
  /**
   * The field went away holding a title not added (the project archived under it, by a
   * teammate or another device): the text, for the screen to show rather than drop unsaid.
   */
  onGoneWithText?(text: string): void;
}) {
  const { client, replica } = useEngine();
  const [title, setTitle] = useState('');
  useUnsavedDraft('Add a task', title);
  // What the field holds now (a refused title comes back only into an empty field).
  const typed = useRef(title);
  typed.current = title;
  const goneWith = useRef(onGoneWithText);
  goneWith.current = onGoneWithText;
  useEffect(
    () => () => {
      if (typed.current.trim() !== '') goneWith.current?.(typed.current);
    },
    [],
  );
  // Parts kept as text, and names picked from the suggestions: for this title only.
  const [kept, setKept] = useState(NOTHING_KEPT);
  const [picked, setPicked] = useState(NOTHING_PICKED);
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  // The suggestions closed with Escape stay closed for that `@word` (typing on reopens them).
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const [active, setActive] = useState({ for: '', index: 0 });
  // A list pasted into the empty field, one task a line, until added or declined.
  const [pasted, setPasted] = useState<PastedList | null>(null);
  const addPastedButton = useRef<HTMLButtonElement>(null);
  const pasteAsOneButton = useRef<HTMLButtonElement>(null);
  const { error, run } = useAction();
  const errorId = useId();
  const hintId = useId();
  const previewId = useId();
  const listId = useId();

  const members: Member[] = useMemo(
    () => users.map((u) => ({ id: u.id, name: u.name, email: u.email })),
    [users],
  );
  const ctx = useMemo(
    () => ({ today, members, me, kept, picked }),
    [today, members, me, kept, picked],
  );
  const parsed = useMemo(() => parseQuickAdd(title, ctx), [title, ctx]);
  // Said when a word is finished (a space after it), not at every letter of "monday".
  const speech = useMemo(() => {
    const done = title.replace(/\S+$/, '');
    return done.trim() ? previewSpeech(parseQuickAdd(done, ctx), today) : '';
  }, [title, ctx, today]);

  const token = focused ? mentionAt(title, caret) : null;
  const tokenKey = token ? `${token.start}:${token.word}` : '';
  const suggestions =
    token && tokenKey !== closedFor ? suggestMembers(token.word, members, me, picked) : [];
  const open = suggestions.length > 0;
  const form = useRef<HTMLFormElement>(null);
  const field = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const placement = useListPlacement(open, suggestions.length, { field, form, list });
  const activeIndex = active.for === tokenKey ? Math.min(active.index, suggestions.length - 1) : 0;
  const highlighted = open && token ? { token, highlighted: suggestions[activeIndex]! } : null;
  // What Enter adds; with the suggestions open and Enter picking, the task once that person is
  // picked. One rule (quick-add.ts) for the preview and for Enter.
  const shown = highlighted ? previewQuickAdd(title, ctx, highlighted) : parsed;

  // Where the caret goes once a picked name is in the field.
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = caretAfter.current;
    if (at === null) return;
    caretAfter.current = null;
    inputRef.current?.setSelectionRange(at, at);
  }, [title, inputRef]);

  // The field grows with its title by CSS (tasks.css, field-sizing); where a browser has no
  // field-sizing (Firefox, Safari before 26.2) it is fitted here, as InlineText's wrapping field.
  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el || globalThis.CSS?.supports('field-sizing', 'content')) return;
    const fit = () => {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [title, inputRef]);

  // The title as it will be saved, once words are taken out of it; as typed until then.
  const length = parsed.due || parsed.assignee ? parsed.title.length : title.length;
  const tooLong = length > TASK_TITLE_MAX;

  function change(text: string, at: number) {
    setTitle(text);
    setCaret(at);
    setPasted(null);
  }
  function clear() {
    setTitle('');
    setKept(NOTHING_KEPT);
    setPicked(NOTHING_PICKED);
    setClosedFor(null);
  }
  function pick(member: Member) {
    if (!token) return;
    const next = pickMention(title, token, member, ctx);
    caretAfter.current = next.caret;
    change(next.text, next.caret);
    setPicked(next.picked);
    setKept(next.kept);
  }
  function keep(part: { text: string }) {
    setKept((k) => new Set(k).add(keepKey(part)));
    // The @word being typed kept as text: nobody is to be picked for it either.
    if (token && keepKey(part) === keepKey(token)) setClosedFor(tokenKey);
    inputRef.current?.focus({ preventScroll: true });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Keys that compose a word (an IME's Enter, arrows) are the input method's.
    if (e.nativeEvent.isComposing) return;
    if (open) {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (step) {
        e.preventDefault();
        const n = suggestions.length;
        setActive({ for: tokenKey, index: (activeIndex + step + n) % n });
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && highlighted) {
        // Enter on an @word that names the highlighted person in full adds the task (quick-add.ts
        // enterAdds, as the preview shows it); else it picks them. Tab always picks.
        if (e.key === 'Tab' || !enterAdds(highlighted, ctx)) {
          e.preventDefault();
          pick(highlighted.highlighted);
          return;
        }
      }
      if (e.key === 'Escape') {
        // Closes the suggestions only: the title stays.
        e.preventDefault();
        e.stopPropagation();
        setClosedFor(tokenKey);
        return;
      }
    }
    if (e.key === 'Enter') {
      // A title is one line, however it wraps: Enter adds the task, never a new line; so does
      // Shift+Enter, which writes one elsewhere. Nothing to add (an empty or too long title, the
      // Add button disabled) does nothing, as Enter in a one-line field did.
      e.preventDefault();
      if (parsed.title && !tooLong) e.currentTarget.form?.requestSubmit();
      return;
    }
    if (e.key === 'Escape') {
      // Backs out as the search field does: a title typed is dropped and focus stays for the
      // next one; an empty field is left for the list, whose keys take over.
      if (e.currentTarget.value) clear();
      else {
        e.currentTarget.blur();
        onLeave();
      }
      return;
    }
    // Backspace right after a recognised date or name keeps it as text (as Todoist does); the
    // next Backspace deletes as usual.
    const { selectionStart: from, selectionEnd: to } = e.currentTarget;
    if (e.key === 'Backspace' && from === to && from !== null) {
      const part = [parsed.due, parsed.assignee?.token].find((p) => p?.end === from);
      if (part) {
        e.preventDefault();
        keep(part);
      }
    }
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const task = parsed;
    if (tooLong || !task.title) return;
    // Focus stays in the field: adding several tasks in a row is the common case. It is cleared
    // at once, so the next title can be typed while this write goes on; a refused title comes
    // back unless something new was typed meanwhile.
    const submitted = { title, kept, picked };
    clear();
    // Added with the button, which goes disabled as the field clears: focus would fall to the page.
    // The field is beside the button, so nothing needs scrolling into view.
    inputRef.current?.focus({ preventScroll: true });
    // The list's keys pressed from now on wait until this task is listed (Esc j j x by a script).
    const listed = listCommands.adding();
    const fields: QuickAddedTask = {
      title: task.title,
      dueDate: task.due?.date ?? null,
      assigneeId: (task.assignee?.member.id as EntityId | undefined) ?? null,
    };
    const create = async () => {
      const id = await client.createTask({ projectId, ...fields });
      // Told after the sync if its project was archived meanwhile (it was not here).
      watchAdded(replica, id);
      // Keys wait for its row only if the list will show it (not outside the search shown).
      listed(shows(fields) ? id : null);
      onAdded(id, fields);
    };
    if (!(await run(create))) {
      listed(null);
      if (!typed.current) {
        setTitle(submitted.title);
        setKept(submitted.kept);
        setPicked(submitted.picked);
      }
    }
  }

  // A list pasted into the field (all of it: empty, or its whole title selected) is offered as
  // a task a line, as Things and Todoist do; declined, it is one title, as a browser pastes it.
  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const { selectionStart: from, selectionEnd: to, value } = e.currentTarget;
    if (from !== 0 || to !== value.length) return;
    const text = e.clipboardData.getData('text/plain');
    const lines = pastedLines(text);
    if (!lines) return;
    e.preventDefault();
    const ctxNow = { ...ctx, kept: NOTHING_KEPT, picked: NOTHING_PICKED };
    const tasks = lines.map((line): QuickAddedTask => {
      const q = parseQuickAdd(line, ctxNow);
      // A line that is only a date or a name is its own title.
      if (!q.title) return { title: line, dueDate: null, assigneeId: null };
      const assigneeId = (q.assignee?.member.id as EntityId | undefined) ?? null;
      return { title: q.title, dueDate: q.due?.date ?? null, assigneeId };
    });
    setPasted({ tasks, text: text.replace(/\s*[\r\n]+\s*/g, ' ').trim() });
  }
  // The offer takes focus, so Enter adds the list and Escape backs out of it. With a line too
  // long, "Add" is disabled and cannot hold focus: it goes to "Paste as one title".
  useLayoutEffect(() => {
    if (!pasted) return;
    const add = addPastedButton.current;
    (add?.disabled ? pasteAsOneButton.current : add)?.focus({ preventScroll: true });
  }, [pasted]);
  function closePasted(asOne: boolean) {
    if (asOne && pasted) change(pasted.text, pasted.text.length);
    setPasted(null);
    inputRef.current?.focus({ preventScroll: true });
  }
  async function addPasted() {
    if (!pasted) return;
    const { tasks } = pasted;
    closePasted(false);
    const last = tasks.at(-1)!;
    const listed = listCommands.adding();
    const create = async () => {
      const ids = await client.createTasks(tasks.map((t) => ({ projectId, ...t })));
      for (const id of ids) watchAdded(replica, id);
      const lastId = ids.at(-1)!;
      listed(shows(last) ? lastId : null);
      onAdded(lastId, last, ids.length);
    };
    // Refused, the list is offered again (unless something was typed meanwhile).
    if (!(await run(create))) {
      listed(null);
      if (!typed.current) setPasted({ ...pasted });
    }
  }
  const tooLongLine = pasted?.tasks.findIndex((t) => t.title.length > TASK_TITLE_MAX) ?? -1;

  const previewing = shown.due || shown.assignee || shown.notes.length > 0;
  const describedBy = [hintId, previewing ? previewId : '', error ? errorId : '']
    .filter(Boolean)
    .join(' ');
  return (
    <form
      ref={form}
      className="new-task"
      onSubmit={(e) => void onSubmit(e)}
      aria-label="Add a task"
    >
      <div ref={field} className="quick-add-field">
        {/* A textarea so a long title wraps, whole in sight (an input scrolled it sideways); it
            grows with it to five lines (tasks.css), then scrolls. Still a combobox: the role
            keeps the suggestions' expanded state and active option announced, and says what the
            field is — one line (ARIA 1.2's combobox), however it wraps: Enter adds, a pasted
            line break is a space. axe's best-practice aria-allowed-role (minor) flags a role on
            a textarea; without it Chromium exposes a multi-line textbox with no expanded state
            (aria-expanded is not allowed there: axe's aria-allowed-attr, critical), and ARIA
            1.1's combobox wrapping a textbox leaves that state off the focused field. */}
        <textarea
          ref={inputRef}
          rows={1}
          role="combobox"
          aria-label="New task title"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(listId, activeIndex) : undefined}
          // Fits a 360 px phone's field whole; the ? help says more.
          placeholder="Add a task (fri, @name)"
          autoComplete="off"
          value={title}
          onChange={(e) => {
            const at = e.target.selectionStart ?? e.target.value.length;
            // A pasted line break is a space (one for one: the caret stays where it was).
            const text = e.target.value.replace(/[\r\n]/g, ' ');
            if (text !== e.target.value) caretAfter.current = at;
            change(text, at);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onFocus={() => {
            setFocused(true);
            warmDuePhrases();
          }}
          onBlur={() => setFocused(false)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          required
          aria-invalid={tooLong || undefined}
          aria-describedby={describedBy}
        />
      </div>
      <button type="submit" className="primary" disabled={!parsed.title || tooLong}>
        Add task
      </button>
      <LengthHint id={hintId} length={length} max={TASK_TITLE_MAX} />
      <QuickAddPreview parsed={shown} today={today} me={me} onKeep={keep} />
      {/* The field's description: the preview in words, without its buttons' names. */}
      <span id={previewId} hidden>
        {previewSpeech(shown, today)}
      </span>
      <p className="visually-hidden" aria-live="polite">
        {speech}
      </p>
      {pasted && (
        <div
          role="group"
          aria-labelledby={`${listId}-pasted`}
          className="pasted-offer"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            e.stopPropagation();
            closePasted(false);
          }}
        >
          <p id={`${listId}-pasted`}>
            {tooLongLine >= 0
              ? `Line ${tooLongLine + 1} of the ${pasted.tasks.length} pasted is over ${TASK_TITLE_MAX} characters, too long for a task title.`
              : `Add the ${pasted.tasks.length} pasted lines as ${pasted.tasks.length} tasks?`}
          </p>
          <p className="muted">{pastedPreview(pasted.tasks, today)}</p>
          <button
            ref={addPastedButton}
            type="button"
            className="primary"
            disabled={tooLongLine >= 0}
            onClick={() => void addPasted()}
          >
            Add {pasted.tasks.length} tasks
          </button>
          <button ref={pasteAsOneButton} type="button" onClick={() => closePasted(true)}>
            Paste as one title
          </button>
          <button type="button" onClick={() => closePasted(false)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p id={errorId} role="alert" className="notice bad">
          {error}
        </p>
      )}
      {/* After the preview, so it opens under it and never covers what Enter will add. */}
      {open && (
        <MentionList
          id={listId}
          listRef={list}
          placement={placement}
          members={suggestions}
          active={activeIndex}
          me={me}
          onPick={pick}
        />
      )}
    </form>
  );
});
