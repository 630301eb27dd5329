import { useMemo, useState, useSyncExternalStore } from 'react';
import { useEntityNames, useProjects, useTaskProjects } from '../../data';
import { useEngine } from '../engine/context';
import type { KeptUnsaved } from '../engine/kept-edits';
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

const KEPT_LABEL: Record<KeptUnsaved['field'], string> = {
  title: 'Title',
  notes: 'Notes',
  name: 'Name',
  description: 'Description',
};

/**
 * Text typed as the page last closed, whose write this start made was refused while its task or
 * project is still here (`writeKeptEdits` hands it back): a deleted row's panel or screen shows
 * such text, but a row still here showed it nowhere. One notice per row, named as it is now.
 */
export function KeptRefusedNotices() {
  const { keptUnsaved } = useEngine();
  const ids = useMemo(() => keptUnsaved.map((k) => k.of), [keptUnsaved]);
  // Here now: a task in the mirror, a project in the list (names alone also name deleted rows).
  const tasks = useTaskProjects(ids);
  const projects = useProjects().data;
  const names = useEntityNames(ids);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  if (keptUnsaved.length === 0 || !tasks || !projects || !names) return null;
  const here = (k: KeptUnsaved) =>
    k.kind === 'task' ? tasks.has(k.of) : projects.some((p) => p.id === k.of);
  const rows = new Map<string, KeptUnsaved[]>();
  for (const k of keptUnsaved) {
    // Gone since: its panel or screen says so, with this text (gone-text.ts).
    if (done.has(k.of) || !here(k)) continue;
    rows.set(k.of, [...(rows.get(k.of) ?? []), k]);
  }
  return (
    <>
      {[...rows].map(([of, kept]) => {
        const name = names.get(of);
        const into = name ? `“${name}”` : kept[0]!.kind === 'task' ? 'a task' : 'a project';
        return (
          <UnsavedTextNotice
            key={of}
            message={`What you typed into ${into} as the page last closed could not be saved — copy it if you need it.`}
            texts={kept.map((k) => ({ label: KEPT_LABEL[k.field], text: k.text }))}
            onDone={() => setDone((d) => new Set([...d, of]))}
          />
        );
      })}
    </>
  );
}
