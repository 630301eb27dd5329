import { href } from '../shell/router';
import { useDocumentTitle } from '../ui/use-document-title';

/**
 * An address the app has no screen for (a mistyped link, one from an older version): said so,
 * with the way back, rather than Projects shown as if it were the page asked for.
 */
export function NotFoundScreen() {
  useDocumentTitle('Page not found');
  return (
    <section className="panel">
      <h2>Page not found</h2>
      <p className="muted">There is no page at this address in Outpost.</p>
      <a href={href({ name: 'projects' })}>Back to projects</a>
    </section>
  );
}
