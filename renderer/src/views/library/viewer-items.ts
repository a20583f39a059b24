import { useCallback, useEffect, useRef, useState } from 'react';
import type { LibraryItem } from '../../../../shared/contract/library';
import type { AppError, Result } from '../../../../shared/result';
import type { WindowApi } from '../../api/window-api';
import { useApi } from '../../store/app-store';

export type Query<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: AppError };

/**
 * What core answers for `key` now, asked again whenever the library changes
 * (a result saved, rated, deleted, found by a sync); null asks nothing. A new
 * key shows `loading` until its own answer (never the last key's), and a late
 * answer for an older key or library is dropped. `replace` takes what an
 * action answered.
 */
export function useLibraryQuery<T>(
  key: string | null,
  load: (api: WindowApi) => Promise<Result<T>>,
): { state: Query<T>; replace(value: T): void } {
  const api = useApi();
  const [state, setState] = useState<{ key: string | null; value: Query<T> }>({
    key,
    value: { status: 'loading' },
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  /**
   * One load at a time: changes that arrive while one is running (a result
   * saved each second of a run) ask for one more load after it, not one each.
   */
  const loading = useRef(false);
  const stale = useRef(false);
  useEffect(() => {
    const again = () => {
      if (loading.current) stale.current = true;
      else setGeneration((g) => g + 1);
    };
    const offs = [api.on('library:updated', again), api.on('library:changed', again)];
    return () => offs.forEach((off) => off());
  }, [api]);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loading.current = true;
    stale.current = false;
    void loadRef.current(api).then((answer) => {
      loading.current = false;
      if (stale.current) setGeneration((g) => g + 1);
      if (!live) return;
      setState({
        key,
        value: answer.ok
          ? { status: 'ready', value: answer.value }
          : { status: 'error', error: answer.error },
      });
    });
    return () => {
      live = false;
    };
  }, [api, key, generation]);

  const replace = useCallback(
    (value: T) => setState({ key, value: { status: 'ready', value } }),
    [key],
  );
  return { state: state.key === key ? state.value : { status: 'loading' }, replace };
}

export type ItemState =
  | { status: 'loading' }
  | { status: 'ready'; item: LibraryItem }
  /** No such result (deleted, or forgotten as missing). */
  | { status: 'gone' }
  | { status: 'error'; error: AppError };

/** One result as core has it now (`library:get`). */
export function useLibraryItem(id: string | null): {
  state: ItemState;
  replace(item: LibraryItem): void;
} {
  const { state, replace } = useLibraryQuery(id, (api) =>
    api.invoke('library:get', { id: id ?? '' }),
  );
  const item: ItemState =
    state.status === 'ready'
      ? { status: 'ready', item: state.value }
      : state.status === 'error' && state.error.code === 'not_found'
        ? { status: 'gone' }
        : state;
  return { state: item, replace };
}
