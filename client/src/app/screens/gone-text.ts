import { createContext, useContext } from 'react';
import type { KeptUnsaved } from '../engine/kept-edits';

/**
 * Text typed into a project's name or description, or into its open task, that could not be
 * saved because the project (and its tasks with it) was deleted under it. The fields went with
 * the project's screen, so the screen that says so shows the text, to copy.
 */
export interface GoneText {
  /** The project or task it was typed into (its id). */
  of: string;
  /** Its field: "title", "notes", "name", "description". */
  field: string;
  /** What the text was typed into, as shown: "Project description", "Title of “Fix login”". */
  label: string;
  text: string;
}

/**
 * A project's screen's unsaved text: what it lists once the project is gone, and what was shown
 * already (in a deleted task's panel, since left), which it never lists, even when the same
 * save fails again later (a field's save as the panel closes).
 */
export interface GoneTexts {
  id: string;
  texts: readonly GoneText[];
  shown: ReadonlySet<string>;
}

const KEPT_LABEL: Record<KeptUnsaved['field'], string> = {
  title: 'Title of a deleted task',
  notes: 'Notes of a deleted task',
  name: 'Project name',
  description: 'Project description',
};

/**
 * Text typed as the page last closed into `kind` `of`, which this start could not write (the
 * row deleted meanwhile): shown with what its screen could not save now. The row's name went
 * with it, so the label says what it was typed into without it.
 */
export function keptGoneTexts(
  kept: readonly KeptUnsaved[],
  kind: KeptUnsaved['kind'],
  of: string,
): GoneText[] {
  return kept
    .filter((k) => k.kind === kind && k.of === of)
    .map((k) => ({ of: k.of, field: k.field, label: KEPT_LABEL[k.field], text: k.text }));
}

// By the row and field it was typed into, not by its label: two tasks of one title, the same
// text typed into each, are two texts (the second was never listed).
const key = (t: GoneText) => `${t.of}\n${t.field}\n${t.text}`;

export const noGoneTexts = (id: string): GoneTexts => ({ id, texts: [], shown: new Set() });

/** `texts` handed up for project `id`: listed, unless shown already. */
export function reportedGone(g: GoneTexts, id: string, text: GoneText): GoneTexts {
  const base = g.id === id ? g : noGoneTexts(id);
  return base.shown.has(key(text)) ? base : { ...base, texts: [...base.texts, text] };
}

/** `texts` shown in a deleted task's panel, and left: no longer listed, nor listed again. */
export function shownGone(g: GoneTexts, id: string, texts: readonly GoneText[]): GoneTexts {
  const base = g.id === id ? g : noGoneTexts(id);
  if (texts.length === 0) return base;
  const shown = new Set(base.shown);
  for (const t of texts) shown.add(key(t));
  return { id, texts: base.texts.filter((t) => !shown.has(key(t))), shown };
}

/** What a project's screen offers its fields (and its open task's). */
export interface GoneTextSink {
  /** Text a field could not save (its project or task deleted). */
  report(gone: GoneText): void;
  /** Text a deleted task's panel showed, the panel now left: the project's screen skips it. */
  shown(gone: readonly GoneText[]): void;
  /**
   * Whether the project's screen says now that its project is gone, listing what is reported:
   * text whose panel went with the project is shown there; otherwise its panel's notice says it.
   */
  listsNow(): boolean;
}

const GoneTextContext = createContext<GoneTextSink>({
  report: () => undefined,
  shown: () => undefined,
  listsNow: () => false,
});

/** Where a project's screen collects its fields' text that could not be saved. */
export const GoneTextProvider = GoneTextContext.Provider;

/** Hands text a field could not save (its project or task deleted) to the project's screen. */
export function useGoneText(): GoneTextSink {
  return useContext(GoneTextContext);
}
