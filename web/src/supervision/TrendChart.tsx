// The monthly trend of one township, county or cadre: the composite (bold) and the six indicator
// scores as lines over the months of the period; months with nothing to measure leave a gap.
import { useMemo } from 'react';
import { Alert, Card, Skeleton, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import EChart from '../charts/EChart';
import { useList } from '../components/useList';
import { INDICATOR_KEYS, type Level, type ScorecardRow, type ScorecardTrend } from './types';

export default function TrendChart({ level, row, area, from, to }: { level: Level; row: ScorecardRow; area?: string; from: string; to: string }) {
  const { t } = useTranslation();
  const query = level === 'cadre' ? { cadreId: String(row.cadreId), area, from, to } : { area: row.key, from, to };
  const trend = useList(() => call<ScorecardTrend>(api.GET('/api/v1/supervision/trend', { params: { query } })), [level, row.key, area, from, to]);
  const d = trend.data;
  const option = useMemo<EChartsCoreOption | null>(() => {
    if (!d) return null;
    const months = d.points.map((p) => p.month);
    const label = (k: string) => pick(d.indicators.find((i) => i.key === k)?.label) || k;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '—') },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', min: 0, max: 100 },
      series: [
        { name: t('scorecards.col.composite'), type: 'line', data: d.points.map((p) => p.composite), lineStyle: { width: 4 }, connectNulls: false },
        ...INDICATOR_KEYS.map((k) => ({ name: label(k), type: 'line', data: d.points.map((p) => p.indicators[k].score), symbolSize: 4, lineStyle: { width: 1.5 } })),
      ],
    };
  }, [d, t]);
  return (
    <Card size="small" title={t('scorecards.trendTitle', { name: row.name })} data-testid="scorecard-trend">
      {trend.error && <Alert type="error" showIcon title={trend.error} />}
      {!d && !trend.error && <Skeleton active />}
      {option && d && (
        <>
          <EChart option={option} height={320} label={t('scorecards.trendTitle', { name: row.name })} />
          <Typography.Text type="secondary">{t('scorecards.trendHelp')}</Typography.Text>
        </>
      )}
    </Card>
  );
}
