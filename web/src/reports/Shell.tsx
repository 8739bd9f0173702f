// What every printable report page shares: loading its JSON, the controls (year, 打印 which calls
// window.print(), 下载 Excel) hidden on paper, the title with area, year and date, and small table
// helpers. The A4 print stylesheet is print.css.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, InputNumber, Skeleton, Space } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, saveBlob } from '../api/client';
import { pick } from '../i18n';
import './print.css';

type Answer = { data?: unknown; error?: unknown; response: Response };

/** Loads the report as JSON; `fetcher` is the typed API call with format=json. */
export function useReport<T>(fetcher: (() => Promise<Answer>) | null, deps: unknown[]): { data: T | null; error: string | null } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!fetcher) return;
    let live = true;
    setData(null);
    setError(null);
    fetcher()
      .then((r) => {
        if (!live) return;
        if (r.response.ok) setData(r.data as T);
        else {
          const body = (r.error as { error?: { zh: string; en: string } } | undefined)?.error;
          setError(body ? pick(body) : t('common.unexpected'));
        }
      })
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('reports.network')));
    return () => {
      live = false;
    };
  }, deps);
  return { data, error };
}

export function Controls({ year, onYear, download, fallbackName, extra }: {
  year?: number | null;
  onYear?: (y: number | undefined) => void;
  download: () => Promise<Answer>;
  fallbackName: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await download();
      if (r.response.ok) saveBlob(r.data as Blob, r.response, fallbackName);
      else setError(t('reports.downloadFailed', { status: r.response.status }));
    } catch {
      setError(t('reports.network'));
    } finally {
      setBusy(false);
    }
  }, [download, fallbackName, t]);
  return (
    <div className="jz-report-controls" style={{ marginBottom: 12 }}>
      <Space wrap>
        {onYear && (
          <>
            <span id="report-year">{t('reports.year')}</span>
            <InputNumber aria-labelledby="report-year" min={2000} max={2100} precision={0} value={year ?? undefined} onChange={(v) => onYear(v ?? undefined)} data-testid="report-year" />
          </>
        )}
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">{t('reports.print')}</Button>
        <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void save()} data-testid="report-download">{t('reports.downloadExcel')}</Button>
        {extra}
      </Space>
      {error && <Alert style={{ marginTop: 8 }} type="error" showIcon title={error} />}
    </div>
  );
}

export function ReportBody({ testId, error, loading, children }: { testId: string; error: string | null; loading: boolean; children: ReactNode }) {
  return (
    <div className="jz-report" data-testid={testId}>
      {error ? <Alert type="error" showIcon title={error} data-testid="report-error" /> : loading ? <Skeleton active /> : children}
    </div>
  );
}

export function Heading({ title, sub }: { title: string; sub: string }) {
  return (
    <>
      <h1 data-testid="report-title">{title}</h1>
      <div className="jz-report-sub">{sub}</div>
    </>
  );
}

/** A header cell: Chinese (or the chosen language) with the other language small under it. */
export function Th({ k, colSpan }: { k: string; colSpan?: number }) {
  const { t, i18n } = useTranslation();
  const other = i18n.getFixedT(i18n.language === 'en' ? 'zh' : 'en');
  return <th colSpan={colSpan}>{t(k)}<small>{other(k)}</small></th>;
}

export const money = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
export const int = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'));
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(2)}%`);
export const dec = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(4));

export function YesNo({ v }: { v: boolean | null | undefined }) {
  const { t } = useTranslation();
  if (v === null || v === undefined) return <span>{t('common.unknown')}</span>;
  return v ? <span className="jz-good">{t('common.yes')}</span> : <span className="jz-bad">{t('common.no')}</span>;
}

export function VerdictText({ v }: { v: 'pass' | 'fail' | 'unknown' }) {
  const { t } = useTranslation();
  return <span className={v === 'pass' ? 'jz-good' : v === 'fail' ? 'jz-bad' : ''} data-verdict={v}>{t(`exit.verdict.${v}`)}</span>;
}
