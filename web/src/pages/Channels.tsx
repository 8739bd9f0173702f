// 帮扶渠道: for an area and a year, per channel: households and people reached, measures and money
// given, money disbursed by the channel's projects, and the income change of reached households
// (mean per-capita net income, previous year → year). Aggregates only, so researchers see it too.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Card, InputNumber, Skeleton, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { fmtMoney } from '../links';
import AreaSelect from '../cases/AreaSelect';
import type { ChannelViewData } from '../assistance/measure-types';

const EChart = lazy(() => import('../charts/EChart'));

type Row = ChannelViewData['channels'][number];

export default function Channels() {
  const { t } = useTranslation();
  const [area, setArea] = useState<string | undefined>();
  const [year, setYear] = useState<number>(new Date().getFullYear() - 1);
  const [data, setData] = useState<ChannelViewData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call<ChannelViewData>(api.GET('/api/v1/channels', { params: { query: { year, ...(area ? { area } : {}) } } })).then(
      (d) => { if (live) { setData(d); setError(null); } },
      (e) => { if (live) setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')); },
    );
    return () => {
      live = false;
    };
  }, [area, year, t]);

  const chart = useMemo(() => {
    if (!data) return null;
    const rows = data.channels;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 64, right: 64, top: 36, bottom: 90 },
      xAxis: { type: 'category', data: rows.map((r) => pick(r.label)), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: [{ type: 'value', name: t('measures.households') }, { type: 'value', name: t('measures.yuan') }],
      series: [
        { type: 'bar', name: t('measures.households'), data: rows.map((r) => r.households), itemStyle: { color: '#1677ff' } },
        { type: 'bar', name: t('measures.amountGiven'), yAxisIndex: 1, data: rows.map((r) => r.amount), itemStyle: { color: '#52c41a' } },
        { type: 'bar', name: t('measures.disbursed'), yAxisIndex: 1, data: rows.map((r) => r.disbursed), itemStyle: { color: '#faad14' } },
      ],
    };
  }, [data, t]);

  const change = (v: number | null) => (v === null ? '—' : <span style={{ color: v >= 0 ? '#389e0d' : '#cf1322' }}>{v >= 0 ? '+' : ''}{fmtMoney(v)}</span>);
  const rows: (Row | (ChannelViewData['total'] & { channel: 'total'; label: { zh: string; en: string } }))[] = data
    ? [...data.channels, { ...data.total, channel: 'total', label: { zh: '合计（户不重复）', en: 'All channels (households once)' } }]
    : [];

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('measures.channelsTitle')}</Typography.Title>}>
      <Typography.Paragraph type="secondary">{t('measures.channelsHelp')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaSelect value={area} onChange={setArea} placeholder={t('measures.area')} style={{ width: 240 }} />
        <span id="channels-year">{t('measures.year')}</span>
        <InputNumber aria-labelledby="channels-year" min={2010} max={2100} precision={0} value={year} onChange={(v) => v && setYear(v)} style={{ width: 110 }} data-testid="channels-year" />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {chart && (
        <Suspense fallback={<Skeleton active />}>
          <EChart label={t('measures.channelsChart')} option={chart} height={320} />
        </Suspense>
      )}
      <Table
        rowKey="channel"
        size="small"
        pagination={false}
        loading={!data && !error}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        className="jz-table"
        data-testid="channels-table"
        rowClassName={(r) => (r.channel === 'total' ? 'jz-total-row' : '')}
        columns={[
          { key: 'label', title: t('measures.channel'), render: (_, r) => (r.channel === 'total' ? <strong>{pick(r.label)}</strong> : pick(r.label)) },
          { key: 'households', title: t('measures.households'), dataIndex: 'households', align: 'right' },
          { key: 'people', title: t('measures.people'), dataIndex: 'people', align: 'right' },
          { key: 'measures', title: t('measures.measureCount'), dataIndex: 'measures', align: 'right' },
          { key: 'amount', title: t('measures.amountGiven'), dataIndex: 'amount', align: 'right', render: (v: number) => fmtMoney(v) },
          { key: 'disbursed', title: t('measures.disbursed'), dataIndex: 'disbursed', align: 'right', render: (v: number) => fmtMoney(v) },
          { key: 'incomeN', title: t('measures.incomeHouseholds'), align: 'right', render: (_, r) => r.income.households },
          { key: 'before', title: t('measures.incomeBefore', { year: year - 1 }), align: 'right', render: (_, r) => fmtMoney(r.income.before) },
          { key: 'after', title: t('measures.incomeAfter', { year }), align: 'right', render: (_, r) => fmtMoney(r.income.after) },
          { key: 'change', title: t('measures.incomeChange'), align: 'right', render: (_, r) => change(r.income.change) },
        ]}
      />
    </Card>
  );
}
