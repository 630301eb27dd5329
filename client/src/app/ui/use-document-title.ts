import { useEffect } from 'react';

/** The app's name, as index.html titles the page. */
const APP = 'Outpost';

/**
 * Titles the page (its tab, its history entry, what a screen reader says on load) while the
 * component is shown: "Projects · Outpost", "Fix login · Website · Outpost". The app's own
 * title comes back after. `null` leaves the title to another part of the screen (a project's
 * list while one of its tasks is open: the task's detail titles it).
 */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title === null) return;
    document.title = `${title} · ${APP}`;
    return () => {
      document.title = APP;
    };
  }, [title]);
}

/** `useDocumentTitle` for a screen drawn in a branch of another component (a sign-in form). */
export function DocumentTitle({ title }: { title: string }): null {
  useDocumentTitle(title);
  return null;
}
