import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

/**
 * An editable copy of loaded data, started again whenever the data itself changes (a load or
 * a save). The copy is taken during render, not in an effect: an effect that runs after the
 * first paint could overwrite what the owner has already typed. `source` is compared by
 * identity, so pass loaded data (stable between renders), not an object built in render.
 */
export function useDraft<S, D>(source: S | undefined, toDraft: (source: S) => D, empty: D): [D, Dispatch<SetStateAction<D>>] {
  const fresh = (s: S | undefined) => ({ source: s, draft: s === undefined ? empty : toDraft(s) });
  const [state, setState] = useState(() => fresh(source));
  let current = state;
  if (state.source !== source) {
    current = fresh(source);
    setState(current);
  }
  const setDraft = useCallback<Dispatch<SetStateAction<D>>>(
    (update) =>
      setState((s) => ({ ...s, draft: typeof update === 'function' ? (update as (d: D) => D)(s.draft) : update })),
    [],
  );
  return [current.draft, setDraft];
}
