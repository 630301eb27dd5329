import { createContext, useContext } from 'react';

/**
 * Text typed into a project's name or description, or into its open task, that could not be
 * saved because the project (and its tasks with it) was deleted under it. The fields went with
 * the project's screen, so the screen that says so shows the text, to copy.
 */
export interface GoneText {
  /** What the text was typed into: "Project description", "Title of “Fix login”". */
  label: string;
  text: string;
}

const GoneTextContext = createContext<(gone: GoneText) => void>(() => undefined);

/** Where a project's screen collects its fields' text that could not be saved. */
export const GoneTextProvider = GoneTextContext.Provider;

/** Hands text a field could not save (its project or task deleted) to the project's screen. */
export function useReportGoneText(): (gone: GoneText) => void {
  return useContext(GoneTextContext);
}
