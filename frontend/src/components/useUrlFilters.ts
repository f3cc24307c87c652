/**
 * List filters kept in the URL's search params, so a filtered view survives a reload, a shared
 * link and Back from another page (changing a filter replaces the entry rather than adding one).
 *
 *   const filters = useUrlFilters({ status: '', search: '' });   // the defaults stay out of the URL
 *   filters.values.status; filters.set({ status: 'open' }); filters.clear(); filters.active
 *   listRequests({ ...o, query: { ...filters.query, cursor: o.cursor } })   // `query`: blanks left out
 */
import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

export interface UrlFilters<K extends string> {
  values: Record<K, string>;
  /** The non-blank values, for an SDK call's `query`. */
  query: Partial<Record<K, string>>;
  /** Change some filters; a value equal to its default is removed from the URL. */
  set(patch: Partial<Record<K, string>>): void;
  clear(): void;
  /** Whether any filter differs from its default. */
  active: boolean;
}

export function useUrlFilters<K extends string>(defaults: Record<K, string>): UrlFilters<K> {
  const [params, setParams] = useSearchParams();
  // `set` reads these through refs, so it keeps one identity (safe in effect dependencies).
  const current = useRef({ params, setParams, defaults });
  current.current = { params, setParams, defaults };
  const names = Object.keys(defaults) as K[];
  const serialized = names.map((k) => params.get(k) ?? defaults[k]).join('\u0000');

  const values = useMemo(
    () => Object.fromEntries(names.map((k) => [k, params.get(k) ?? defaults[k]])) as Record<K, string>,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [serialized],
  );

  const set = useCallback((patch: Partial<Record<K, string>>) => {
    const { params: now, setParams: navigate, defaults: initial } = current.current;
    const next = new URLSearchParams(now);
    for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
      if (v === undefined || v === initial[k]) next.delete(k);
      else next.set(k, v);
    }
    // Navigating to the same address would still re-render everything under the router.
    if (next.toString() !== now.toString()) navigate(next, { replace: true });
  }, []);

  return {
    values,
    query: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) as Partial<Record<K, string>>,
    set,
    clear: () => set(defaults),
    active: names.some((k) => values[k] !== defaults[k]),
  };
}
