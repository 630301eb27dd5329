import { PERMISSIONS } from '@outpost/shared';
import type { Ref } from 'react';

/**
 * An archived project says so under its name, with the way back for those who may take it:
 * it takes no new tasks (the add row is gone), while its tasks can still be finished or moved.
 */
export function ArchivedNotice({
  mayUnarchive,
  onUnarchive,
  buttonRef,
}: {
  mayUnarchive: boolean;
  onUnarchive(): void;
  buttonRef: Ref<HTMLButtonElement>;
}) {
  return (
    <div className="notice info archived-notice">
      <div>
        <p>
          <strong>This project is archived.</strong> It takes no new tasks; its tasks can still be
          completed, edited or moved to another project.
        </p>
        {!mayUnarchive && (
          <p>Unarchiving it takes the {PERMISSIONS.project.update.join(' or ')} role.</p>
        )}
      </div>
      {mayUnarchive && (
        <button ref={buttonRef} type="button" onClick={onUnarchive}>
          Unarchive
        </button>
      )}
    </div>
  );
}
