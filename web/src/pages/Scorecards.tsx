// 考核评分 (scorecards, issue 8): townships, counties or responsible cadres of the area ranked by
// the composite of six indicators over a period, each indicator's score with its numerator and
// denominator, the monthly trend of the row picked (first row by default), and the workbook.
// Without dates the server picks the period (this year, or the year of the area's latest visit)
// and says which. For roles with supervision.read.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Segmented, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, call, saveBlob } from '../api/client';
import { useSession } from '../session';
import { useList } from '../components/useList';
import AreaSelect from '../cases/AreaSelect';
import ScoreTable from '../supervision/ScoreTable';
import TrendChart from '../supervision/TrendChart';
import type { Level, ScorecardTable } from '../supervision/types';

export default function Scorecards() {
  const { t } = useTranslation();
  const { me } = useSession();
  const myArea = me?.user.areaCode ?? '';
  const aboveCounty = myArea === '*' || myArea.length < 6;
  const [level, setLevel] = useState<Level>('township');
  const [area, setArea] = useState<string | undefined>();
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const list = useList(
    () => call<ScorecardTable>(api.GET('/api/v1/supervision/scorecards', { params: { query: { level, area, from: period.from, to: period.to } } })),
    [level, area, period.from, period.to],
  );
  const d = list.data && list.data.level === level ? list.data : null;
  const shown = { from: period.from ?? d?.from ?? '', to: period.to ?? d?.to ?? '' };
  const change = (k: 'from' | 'to', v: string) => setPeriod((p) => ({ ...shown, ...p, [k]: v || undefined }));
  const row = d?.rows.find((r) => r.key === selected) ?? d?.rows[0] ?? null;

  useEffect(() => {
    setSelected(null);
  }, [level, area]);

  const download = async () => {
    setBusy(true);
    setDownloadError(null);
    try {
      const r = await api.GET('/api/v1/supervision/scorecards.xlsx', { params: { query: { area, from: d?.from, to: d?.to } }, parseAs: 'blob' });
      if (r.response.ok) saveBlob(r.data as unknown as Blob, r.response, `考核评分-${area ?? myArea}.xlsx`);
      else setDownloadError(t('scorecards.downloadFailed', { status: r.response.status }));
    } catch {
      setDownloadError(t('reports.network'));
    } finally {
      setBusy(false);
    }
  };

  const levels: Level[] = aboveCounty ? ['township', 'county', 'cadre'] : ['township', 'cadre'];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('scorecards.title')}</Typography.Title>
      <Card size="small">
        <Space wrap>
          <Segmented
            value={level} onChange={(v) => setLevel(v as Level)} data-testid="scorecard-level"
            options={levels.map((l) => ({ value: l, label: t(`scorecards.level.${l}`) }))}
          />
          <AreaSelect value={area} onChange={setArea} placeholder={t('scorecards.area')} style={{ width: 220 }} />
          <span>{t('scorecards.from')}</span>
          <Input type="date" value={shown.from} onChange={(e) => change('from', e.target.value)} style={{ width: 160 }} aria-label={t('scorecards.from')} data-testid="scorecard-from" />
          <span>{t('scorecards.to')}</span>
          <Input type="date" value={shown.to} onChange={(e) => change('to', e.target.value)} style={{ width: 160 }} aria-label={t('scorecards.to')} data-testid="scorecard-to" />
          {(period.from || period.to) && <Button onClick={() => setPeriod({})} data-testid="scorecard-default">{t('scorecards.periodDefault')}</Button>}
          <Button icon={<DownloadOutlined />} loading={busy} disabled={!d} onClick={() => void download()} data-testid="scorecard-download">{t('scorecards.download')}</Button>
        </Space>
        {d && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type={d.basis === 'latest_visit_year' ? 'warning' : 'secondary'} data-testid="scorecard-period">
              {t(`scorecards.period.${d.basis}`, { from: d.from, to: d.to, area: d.area.name })}
              {d.asOf !== d.to ? t('scorecards.asOf', { day: d.asOf }) : ''}
            </Typography.Text>
          </div>
        )}
        {downloadError && <Alert style={{ marginTop: 8 }} type="error" showIcon title={downloadError} />}
      </Card>
      {list.error && <Alert type="error" showIcon title={list.error} data-testid="scorecard-error" />}
      <ScoreTable key={level} level={level} rows={d?.rows} indicators={d?.indicators ?? []} selected={row?.key ?? null} onSelect={(r) => setSelected(r.key)} loading={!d && !list.error} />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('scorecards.help')}</Typography.Paragraph>
      {d && row && <TrendChart level={level} row={row} area={area} from={d.from} to={d.to} />}
    </Space>
  );
}
