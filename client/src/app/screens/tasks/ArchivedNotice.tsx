import { PERMISSIONS } from '@outpost/shared';
import { useEffect, useMemo, useRef, type Ref } from 'react';
import { useHeldTexts } from '../../ui/drafts';
import { TextToCopy } from '../../ui/TextToCopy';

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

/**
 * The project was archived while "Add a task" held a title not added: the field is gone, so
 * the title is shown to copy, with focus in it (not fallen to the page), and counted as
 * unsaved (a reload asks first) until dismissed.
 */
export function NotAddedNotice({ text, onDismiss }: { text: string; onDismiss(): void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector('textarea')?.focus();
  }, []);
  const held = useMemo(() => [{ label: 'Add a task', text }], [text]);
  useHeldTexts(held);
  return (
    <div ref={box} className="notice warn" role="alert" aria-label="Not added">
      <div>
        <p>
          This project was archived as you typed: this task was not added. Copy it if you need it.
        </p>
        <TextToCopy label="Add a task" text={text} />
      </div>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
