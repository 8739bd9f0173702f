// 资金: for an area and project year, each fund source's allocation, money paid and balance, then
// each project's, with the totals (GET /api/v1/funds). A bar chart compares paid and balance by source.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, InputNumber, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { fmtYuan } from '../calculators/Result';
import AreaSelect from '../cases/AreaSelect';
import { pick } from '../i18n';
import { errorText } from '../projects/errors';
import { STATUS_COLOR, type FundsView } from '../projects/types';

export default function Funds() {
  const { t } = useTranslation();
  const [area, setArea] = useState<string | undefined>();
  const [year, setYear] = useState<number | null>(new Date().getFullYear());
  const [data, setData] = useState<FundsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await call<FundsView>(api.GET('/api/v1/funds', { params: { query: { area, year: year ?? undefined } } })));
    } catch (e) {
      setData(null);
      setError(errorText(e, t('common.unexpected')));
    }
  }, [area, year, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const money = (k: 'allocated' | 'disbursed' | 'balance', title: string) => ({ key: k, title, align: 'right' as const, render: (_: unknown, r: Record<typeof k, number>) => fmtYuan(r[k]) });
  return (
    <div>
      <Typography.Title level={3}>{t('projects.fundsTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('projects.fundsIntro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaSelect value={area} onChange={setArea} placeholder={t('projects.area')} style={{ width: 220 }} />
        <InputNumber aria-label={t('projects.year')} placeholder={t('projects.allYears')} min={2000} max={2100} precision={0} value={year} onChange={(v) => setYear(v)} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {data && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap size="large" data-testid="funds-totals">
            <Card size="small"><Statistic title={t('projects.allocated')} value={fmtYuan(data.totals.allocated)} /></Card>
            <Card size="small"><Statistic title={t('projects.disbursed')} value={fmtYuan(data.totals.disbursed)} /></Card>
            <Card size="small"><Statistic title={t('projects.balance')} value={fmtYuan(data.totals.balance)} /></Card>
            <Card size="small"><Statistic title={t('projects.projectCount')} value={data.totals.projects} /></Card>
          </Space>
          <Card size="small" title={t('projects.bySource')}>
            <Table size="small" pagination={false} rowKey="fundSource" dataSource={data.sources} data-testid="funds-sources"
              columns={[{ key: 's', title: t('projects.fundSource'), render: (_, s) => pick(s.fundSourceLabel) }, money('allocated', t('projects.allocated')), money('disbursed', t('projects.disbursed')), money('balance', t('projects.balance'))]}
            />
          </Card>
          <Card size="small" title={t('projects.byProject')}>
            <Table size="small" rowKey="id" dataSource={data.projects} data-testid="funds-projects" pagination={{ pageSize: 50, hideOnSinglePage: true }}
              columns={[
                { key: 'n', title: t('projects.name'), render: (_, p) => <Link to={`/projects?id=${p.id}`}>{p.name}</Link> },
                { key: 'y', title: t('projects.year'), dataIndex: 'year' },
                { key: 'c', title: t('projects.channel'), render: (_, p) => pick(p.channelLabel) },
                { key: 's', title: t('projects.status'), render: (_, p) => <Tag color={STATUS_COLOR[p.status]}>{pick(p.statusLabel)}</Tag> },
                money('allocated', t('projects.allocated')), money('disbursed', t('projects.disbursed')), money('balance', t('projects.balance')),
              ]}
              expandable={{
                expandedRowRender: (p) => (
                  <Table size="small" pagination={false} rowKey="fundSource" dataSource={p.bySource}
                    columns={[{ key: 's', title: t('projects.fundSource'), render: (_, s) => pick(s.fundSourceLabel) }, money('allocated', t('projects.allocated')), money('disbursed', t('projects.disbursed')), money('balance', t('projects.balance'))]}
                  />
                ),
              }}
            />
          </Card>
        </Space>
      )}
    </div>
  );
}
