import { useCallback, useState } from 'react';
import { keepListed, NO_SELECTION, type Selection } from './selection';

/**
 * A list's selection, holding only rows the list shows: when the rows shown change, the ones
 * that left (deleted or moved away, filtered out, folded into Completed) leave the selection
 * then and there, so a row shown again later comes back unselected — a row cannot come back
 * selected unseen and be acted on. `listed` is null while the list is still being read: nothing
 * leaves then.
 */
export function useSelection(
  listed: readonly string[] | null,
): [Selection, (change: (s: Selection) => Selection) => void] {
  const [state, setState] = useState({ selection: NO_SELECTION, listed });
  let { selection } = state;
  // Adjusted while rendering (not in an effect): no render shows a row that left as selected.
  // An empty selection has nothing to drop (a list of 10,000 changes without a Set of them).
  if (listed !== null && listed !== state.listed && !isEmpty(selection)) {
    selection = keepListed(selection, new Set(listed));
    setState({ selection, listed });
  }
  const change = useCallback(
    (f: (s: Selection) => Selection) => setState((s) => ({ ...s, selection: f(s.selection) })),
    [],
  );
  return [selection, change];
}

const isEmpty = (s: Selection) => s.ids.size === 0 && s.base.size === 0 && s.anchor === null;
