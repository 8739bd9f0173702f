// Small pieces the evaluation pages share: loading one JSON answer with its bilingual error, the
// survey outcome tag, percent formatting.
import { useCallback, useEffect, useState } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { errorText } from '../projects/errors';

type Answer = Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Loads T with `fetcher` whenever `deps` change; `reload` fetches again. */
export function useLoad<T>(fetcher: () => Answer, deps: unknown[]): { data: T | null; error: string | null; reload: () => void; loading: boolean } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    call<T>(fetcher())
      .then((d) => live && setData(d))
      .catch((e) => live && setError(errorText(e, t('common.unexpected'))))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload, loading };
}

export function OutcomeTag({ outcome }: { outcome: 'completed' | 'not_reached' | null }) {
  const { t } = useTranslation();
  if (outcome === 'completed') return <Tag color="success">{t('assessment.outcome.completed')}</Tag>;
  if (outcome === 'not_reached') return <Tag color="warning">{t('assessment.outcome.not_reached')}</Tag>;
  return <Tag>{t('assessment.outcome.pending')}</Tag>;
}

export const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)}%`);
export const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('zh-CN', { maximumFractionDigits: digits }));
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
