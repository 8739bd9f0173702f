// 结果: 错退率, 漏评率, 群众认可度 and 综合贫困发生率 with the estimate, its 95% interval, the weighted
// numerator and denominator, the sample counts, the bar and the verdict with its reason; then the
// questionnaires per household stratum. Live until the plan is closed, frozen after.
import { Alert, Card, Col, Descriptions, Row, Skeleton, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { num, pct, useLoad, when } from './common';
import { VERDICT_COLOR, type PlanResults, type PlanView, type RateOutcome, type Verdict } from './types';

function VerdictTag({ v, testId }: { v: Verdict; testId?: string }) {
  const { t } = useTranslation();
  return <Tag color={VERDICT_COLOR[v]} data-testid={testId} data-verdict={v}>{t(`assessment.verdict.${v}`)}</Tag>;
}

/** 0–100 %: the 95% interval as a band, the estimate as a dot, the bar as a line (green side = passing). */
function Gauge({ r }: { r: RateOutcome }) {
  const { t } = useTranslation();
  const e = r.result?.estimate;
  const atLeast = (r.result?.verdict.comparison ?? (r.key === 'approval' ? 'at_least' : 'at_most')) === 'at_least';
  // Rates near zero are easier to read on a 0–10 % scale when the bar and the interval fit in it.
  const top = !atLeast && (r.barPct ?? 0) <= 10 && (e?.upper ?? 0) <= 0.1 ? 10 : 100;
  const x = (pctValue: number) => `${Math.max(0, Math.min(100, (pctValue / top) * 100))}%`;
  const color = r.verdict === 'pass' ? '#52c41a' : r.verdict === 'fail' ? '#ff4d4f' : '#bfbfbf';
  return (
    <div style={{ margin: '8px 0 4px' }} aria-label={t('assessment.gauge', { top })} data-testid={`gauge-${r.key}`}>
      <div style={{ position: 'relative', height: 14, background: '#f0f0f0', borderRadius: 7 }}>
        {r.barPct !== null && (
          <div style={{ position: 'absolute', top: 0, bottom: 0, borderRadius: 7, background: '#f6ffed', ...(atLeast ? { left: x(r.barPct), right: 0 } : { left: 0, width: x(r.barPct) }) }} />
        )}
        {e && <div style={{ position: 'absolute', top: 4, height: 6, background: color, opacity: 0.45, left: x(e.lower * 100), width: `calc(${x(e.upper * 100)} - ${x(e.lower * 100)} + 2px)` }} />}
        {e && <div style={{ position: 'absolute', top: 1, width: 12, height: 12, marginLeft: -6, borderRadius: 6, background: color, left: x(e.estimate * 100) }} />}
        {r.barPct !== null && <div style={{ position: 'absolute', top: -3, bottom: -3, width: 2, marginLeft: -1, background: '#262626', left: x(r.barPct) }} />}
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11, color: '#8c8c8c' }}><span>0%</span><span>{top}%</span></div>
    </div>
  );
}

function RateCard({ r }: { r: RateOutcome }) {
  const { t } = useTranslation();
  const e = r.result?.estimate;
  const cmp = r.result?.verdict.comparison ?? (r.key === 'approval' ? 'at_least' : 'at_most');
  return (
    <Card size="small" title={pick(r.label)} extra={<VerdictTag v={r.verdict} testId={`verdict-${r.key}`} />} data-testid={`rate-${r.key}`} style={{ height: '100%' }}>
      <div style={{ fontSize: 28, fontWeight: 600 }} data-testid={`estimate-${r.key}`}>{e ? pct(e.estimate) : '—'}</div>
      <Gauge r={r} />
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('assessment.ci')}>{e ? `${pct(e.lower)} – ${pct(e.upper)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.weighted')}>{e ? `${num(e.numerator)} / ${num(e.denominator)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.sampleCounts')}>{e?.design ? t('assessment.sampleCountsText', { y: num(e.design.sampleNumerator, 0), x: num(e.design.sampleDenominator, 0), units: e.design.units, psus: e.design.psus }) : e ? `${num(e.numerator, 0)} / ${num(e.denominator, 0)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('assessment.bar')}>{r.barPct === null ? t('assessment.noBar') : `${cmp === 'at_most' ? '≤' : '≥'} ${r.barPct}%`}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }} data-testid={`reason-${r.key}`}>{pick(r.reason)}</Typography.Paragraph>
      {e?.design && e.design.singlePsuStrata.length > 0 && <Typography.Paragraph type="warning" style={{ marginBottom: 0, fontSize: 12 }}>{t('assessment.singlePsu', { list: e.design.singlePsuStrata.join('、') })}</Typography.Paragraph>}
    </Card>
  );
}

export default function ResultsTab({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const id = plan.id;
  const { data, error } = useLoad<PlanResults>(() => api.GET('/api/v1/assessment/plans/{id}/results', { params: { path: { id } } }), [id, plan.version, plan.surveys]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return <Skeleton active />;
  return (
    <div data-testid="results-tab">
      <Alert
        type={data.verdict === 'pass' ? 'success' : data.verdict === 'fail' ? 'error' : 'info'}
        showIcon
        style={{ marginBottom: 12 }}
        title={<span>{t('assessment.overall')} <VerdictTag v={data.verdict} testId="verdict-overall" /></span>}
        description={
          <>
            <div>{pick(data.reason)}</div>
            <div style={{ fontSize: 12, color: '#666' }}>{data.frozen ? t('assessment.frozen', { at: when(data.computedAt) }) : t('assessment.live', { at: when(data.computedAt) })}</div>
          </>
        }
      />
      <Row gutter={[12, 12]}>
        {data.rates.map((r) => (
          <Col key={r.key} xs={24} md={12} xl={6}><RateCard r={r} /></Col>
        ))}
      </Row>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('assessment.countsByStratum')}</Typography.Title>
      <Table
        rowKey="stratum"
        size="small"
        pagination={false}
        dataSource={data.counts}
        data-testid="results-counts"
        columns={[
          { key: 'stratum', title: t('assessment.col.stratum'), render: (_, c) => t(`assessment.stratum.${c.stratum}`) },
          { key: 'sampled', title: t('assessment.sampled'), align: 'right', dataIndex: 'sampled' },
          { key: 'completed', title: t('assessment.outcome.completed'), align: 'right', dataIndex: 'completed' },
          { key: 'notReached', title: t('assessment.outcome.not_reached'), align: 'right', dataIndex: 'notReached' },
          { key: 'pending', title: t('assessment.outcome.pending'), align: 'right', dataIndex: 'pending' },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>{pick(data.method)}</Typography.Paragraph>
    </div>
  );
}
