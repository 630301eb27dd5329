import { useEffect } from 'react';

/** The app's name, as index.html titles the page. */
const APP = 'Outpost';

/**
 * Titles the page (its tab, its history entry, what a screen reader says on load) while the
 * component is shown: "Page not found · Outpost". The app's own title comes back after.
 */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ${APP}`;
    return () => {
      document.title = APP;
    };
  }, [title]);
}
