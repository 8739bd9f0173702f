// 样本: the frozen sample by village in draw order; in each village its households with their
// stratum, weight and questionnaire status, a link to the questionnaire and to the village's
// printable route sheet.
import { Link } from 'react-router';
import { Alert, Card, Empty, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { OutcomeTag, useLoad } from './common';
import type { PlanSample, PlanView } from './types';

export default function SampleTab({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const id = plan.id;
  const { data, error } = useLoad<PlanSample>(() => api.GET('/api/v1/assessment/plans/{id}/sample', { params: { path: { id }, query: {} } }), [id, plan.version, plan.surveys]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return <Skeleton active />;
  if (data.villages.length === 0) return <Empty description={t('assessment.noSample')} data-testid="sample-empty" />;
  const tot = data.totals;
  return (
    <div data-testid="sample-tab">
      <Space wrap size="large" style={{ marginBottom: 12 }}>
        <Statistic title={t('assessment.totals.villages')} value={tot.villages} />
        <Statistic title={t('assessment.totals.households')} value={tot.households} />
        <Statistic title={t('assessment.totals.surveyed')} value={tot.surveyed} />
        <Statistic title={t('assessment.totals.notReached')} value={tot.notReached} />
        <Statistic title={t('assessment.totals.pending')} value={tot.pending} />
      </Space>
      {data.villages.map((v) => (
        <Card
          key={v.code}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid={`sample-village-${v.code}`}
          className="jz-sample-village"
          title={
            <Space wrap>
              <span>{v.drawOrder}. {v.name}</span>
              <Typography.Text type="secondary">{v.townshipName} · {v.code}</Typography.Text>
              <Tag>{pick(v.kindLabel)}</Tag>
            </Space>
          }
          extra={<Link to={`/assessment/${id}/route/${v.code}`} data-testid={`route-${v.code}`}><PrinterOutlined /> {t('assessment.routeSheet')}</Link>}
        >
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('assessment.villageStratum', { stratum: v.stratum, n: v.sampleSize, N: v.populationSize })}</Typography.Paragraph>
          <Table
            rowKey="sampleId"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={v.households}
            columns={[
              { key: 'order', title: t('assessment.col.order'), dataIndex: 'drawOrder', width: 60 },
              { key: 'stratum', title: t('assessment.col.stratum'), render: (_, h) => pick(h.stratumLabel) },
              { key: 'no', title: t('assessment.col.householdNo'), render: (_, h) => h.householdNo ?? (h.rosterNo !== null ? t('assessment.rosterNo', { n: h.rosterNo }) : '—') },
              { key: 'head', title: t('assessment.col.head'), render: (_, h) => h.headName ?? '—' },
              { key: 'group', title: t('assessment.col.group'), render: (_, h) => h.groupName ?? '—' },
              { key: 'size', title: t('assessment.col.size'), align: 'right', render: (_, h) => h.registerSize ?? '—' },
              { key: 'weight', title: t('assessment.col.weight'), align: 'right', render: (_, h) => <span title={`${h.weight.num}/${h.weight.den}`}>{h.weight.value.toFixed(2)}</span> },
              { key: 'status', title: t('assessment.col.survey'), render: (_, h) => <OutcomeTag outcome={h.outcome} /> },
              { key: 'disc', title: t('assessment.col.discrepancies'), align: 'right', render: (_, h) => (h.discrepancies ? <Tag color="orange">{h.discrepancies}</Tag> : h.outcome ? 0 : '—') },
              {
                key: 'open', title: '', render: (_, h) => (
                  <Link to={`/assessment/${id}/survey/${h.sampleId}`} data-testid={`survey-link-${h.sampleId}`}>
                    {h.outcome === null && plan.status === 'drawn' ? t('assessment.enterSurvey') : t('assessment.openSurvey')}
                  </Link>
                ),
              },
            ]}
          />
        </Card>
      ))}
    </div>
  );
}
