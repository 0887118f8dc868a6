import type { SearchResults } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { parley } from '../api/parley';
import { toFormError, type FormError } from '../api/errors';

/** How long typing must pause before a search goes out. */
export const SEARCH_DELAY_MS = 200;

export interface SearchState {
  /** The results of the latest query answered; kept while the next one is on its way. */
  results: SearchResults | null;
  /** The query they answer. */
  answered: string | null;
  searching: boolean;
  error: FormError | null;
}

const IDLE: SearchState = { results: null, answered: null, searching: false, error: null };

/**
 * Searches as the user types: after a pause, and cancelling the request of a query typed over,
 * so an older answer arriving late never replaces a newer one. `enabled` false (an empty or
 * malformed query) clears the results without asking.
 */
export function useSearch(q: string, enabled: boolean): SearchState {
  const [state, setState] = useState<SearchState>(IDLE);
  useEffect(() => {
    if (!enabled) {
      setState(IDLE);
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, searching: true }));
    const timer = setTimeout(() => {
      parley.search({ q }, { signal: controller.signal }).then(
        (results) => setState({ results, answered: q, searching: false, error: null }),
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ ...IDLE, error: toFormError(error) });
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, enabled]);
  return state;
}
