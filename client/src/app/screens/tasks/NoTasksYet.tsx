import { EMPTIED_FOCUS } from '../../ui/focus-emptied';
import { useKeyboardLikely } from '../../ui/keyboard-likely';

/**
 * A project without tasks: one calm line and how to add the first one (the field above), in the
 * words of the device at hand — a key where a keyboard is likely, a tap elsewhere. An archived
 * project has no field to point to.
 */
export function NoTasksYet({ archived }: { archived: boolean }) {
  const keys = useKeyboardLikely();
  // Archived, it takes none (the notice above says so and how to take it back).
  if (archived)
    return (
      <div className="empty-state">
        <p className="empty-title" {...EMPTIED_FOCUS}>
          No tasks.
        </p>
      </div>
    );
  return (
    <div className="empty-state">
      <p className="empty-title" {...EMPTIED_FOCUS}>
        No tasks yet.
      </p>
      <p className="muted">
        {keys ? (
          <>
            Type a title in the field above and press <kbd>Enter</kbd>, or press <kbd>c</kbd> to get
            there from anywhere on this screen.
          </>
        ) : (
          'Type a title in the field above and tap Add task.'
        )}
      </p>
    </div>
  );
}
