import { useEffect, useMemo, useSyncExternalStore } from 'react';
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

/** The starts whose refused text is in the notices already (StrictMode runs an effect twice). */
const handedOver = new WeakSet<readonly KeptUnsaved[]>();

/**
 * Text typed as the page last closed, whose write this start made was refused while its task or
 * project is still here (`writeKeptEdits` hands it back, having forgotten the kept edit): a
 * deleted row's panel or screen shows such text, but a row still here showed it nowhere. Said
 * by the unsaved-text notices, one per row, named as it was at this start: kept there for this
 * person in this org until OK, a reload between (2026-12-07; before, the notice's OK was this
 * page's alone, and a second reload lost the text, its only copy). Renders nothing itself.
 */
export function KeptRefusedNotices() {
  const { keptUnsaved } = useEngine();
  const store = useUnsavedNotices();
  const ids = useMemo(() => keptUnsaved.map((k) => k.of), [keptUnsaved]);
  // Here now: a task in the mirror, a project in the list (names alone also name deleted rows).
  const tasks = useTaskProjects(ids);
  const projects = useProjects().data;
  const names = useEntityNames(ids);
  useEffect(() => {
    if (keptUnsaved.length === 0 || !tasks || !projects || !names) return;
    if (handedOver.has(keptUnsaved)) return;
    handedOver.add(keptUnsaved);
    const here = (k: KeptUnsaved) =>
      k.kind === 'task' ? tasks.has(k.of) : projects.some((p) => p.id === k.of);
    const rows = new Map<string, KeptUnsaved[]>();
    for (const k of keptUnsaved) {
      // Gone since: its panel or screen says so, with this text (gone-text.ts).
      if (!here(k)) continue;
      rows.set(k.of, [...(rows.get(k.of) ?? []), k]);
    }
    for (const [of, kept] of rows) {
      const name = names.get(of);
      const into = name ? `“${name}”` : kept[0]!.kind === 'task' ? 'a task' : 'a project';
      store.add(
        `What you typed into ${into} as the page last closed could not be saved — copy it if you need it.`,
        kept.map((k) => ({ label: KEPT_LABEL[k.field], text: k.text })),
      );
    }
  }, [keptUnsaved, tasks, projects, names, store]);
  return null;
}
