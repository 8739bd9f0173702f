// Loads one answer per key and keeps the last few, so switching tabs back and forth does not
// ask the server again (the analysis reads households and takes a moment on a whole city).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { pick } from '../i18n';

const cache = new Map<string, unknown>();
const KEEP = 24;

function remember(key: string, value: unknown) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
}

/** Forget every answer (after a change elsewhere, e.g. a refresh button). */
export function forgetAll(): void {
  cache.clear();
}

export interface Loaded<T> {
  data: T | null;
  /** the key `data` belongs to (the last one loaded while a new one is on its way) */
  dataKey: string | null;
  error: string | null;
  loading: boolean;
}

export function useFetch<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const { t } = useTranslation();
  const [state, setState] = useState<Loaded<T>>(() => ({ data: key ? ((cache.get(key) as T | undefined) ?? null) : null, dataKey: key && cache.has(key) ? key : null, error: null, loading: false }));
  useEffect(() => {
    if (key === null) {
      setState({ data: null, dataKey: null, error: null, loading: false });
      return;
    }
    if (cache.has(key)) {
      setState({ data: cache.get(key) as T, dataKey: key, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, error: null, loading: true }));
    load().then(
      (d) => {
        remember(key, d);
        if (live) setState({ data: d, dataKey: key, error: null, loading: false });
      },
      (e: unknown) => {
        if (live) setState({ data: null, dataKey: null, error: e instanceof ApiError ? pick(e.body) : t('common.unexpected'), loading: false });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; the key names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
