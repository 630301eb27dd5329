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

/** Hands text up; the function returned takes it back (it was shown already, and left). */
export type ReportGoneText = (gone: GoneText) => () => void;

const GoneTextContext = createContext<ReportGoneText>(() => () => undefined);

/** Where a project's screen collects its fields' text that could not be saved. */
export const GoneTextProvider = GoneTextContext.Provider;

/**
 * Hands text a field could not save (its project or task deleted) to the project's screen. Its
 * task alone deleted, the task's panel shows it: once that panel is left, it is taken back, so
 * the project deleted later does not list it again.
 */
export function useReportGoneText(): ReportGoneText {
  return useContext(GoneTextContext);
}
