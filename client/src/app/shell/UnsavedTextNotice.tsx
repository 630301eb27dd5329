import { useSyncExternalStore } from 'react';
import { TextToCopy } from '../ui/TextToCopy';
import { useUnsavedNotices, type TextToShow } from './unsaved-notices';

/** Typed text no screen shows any more, each in its notice with the text to copy, until OK. */
export function UnsavedTextNotices() {
  const store = useUnsavedNotices();
  const list = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <>
      {list.map((n) => (
        <UnsavedTextNotice
          key={n.id}
          message={n.message}
          texts={n.texts}
          onDone={() => store.dismiss(n.id)}
        />
      ))}
    </>
  );
}

function UnsavedTextNotice({
  message,
  texts,
  onDone,
}: {
  message: string;
  texts: readonly TextToShow[];
  onDone(): void;
}) {
  return (
    <div className="notice warn" role="alert" data-kind="unsaved-text">
      <div>
        <p>{message}</p>
        {texts.map((t, i) => (
          <TextToCopy key={i} label={t.label} text={t.text} />
        ))}
      </div>
      <div className="row">
        <button type="button" className="link" aria-label={`OK: ${message}`} onClick={onDone}>
          OK
        </button>
      </div>
    </div>
  );
}
