// 第三方评估 on the county exit panel (issue 8): the latest closed evaluation of the county and year
// — the four rates with their intervals and verdicts — and the exit verdict that needs every bar.
// The offices see here what the evaluation found in their area: wrong exits with their correction
// cases, and omissions, which they link to the household once they have registered it.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Descriptions, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { useLoad, pct, when } from '../assessment/common';
import type { FindingView, RateOutcome, Verdict } from '../assessment/types';

export interface PanelEvaluation {
  planId: number;
  planName: string;
  closedAt: string;
  verdict: Verdict;
  rates: RateOutcome[];
}

function Verdict({ v, testId }: { v: Verdict; testId?: string }) {
  const { t } = useTranslation();
  return <Tag color={v === 'pass' ? 'green' : v === 'fail' ? 'red' : 'default'} data-testid={testId} data-verdict={v}>{t(`exit.verdict.${v}`)}</Tag>;
}

function Findings({ planId }: { planId: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { data, error, reload } = useLoad<{ items: FindingView[] }>(() => api.GET('/api/v1/assessment/plans/{id}/findings', { params: { path: { id: planId } } }), [planId]);
  const [household, setHousehold] = useState<Record<number, number | null>>({});
  const [linkError, setLinkError] = useState<string | null>(null);
  const link = async (sampleId: number) => {
    setLinkError(null);
    try {
      await call(api.POST('/api/v1/assessment/plans/{id}/findings/{sampleId}/link', { params: { path: { id: planId, sampleId } }, body: { householdId: household[sampleId] ?? 0 } }));
      reload();
    } catch (e) {
      setLinkError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };
  if (error) return <Alert type="warning" showIcon title={error} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {linkError && <Alert type="error" showIcon title={linkError} data-testid="finding-link-error" />}
      <Table<FindingView>
        size="small"
        rowKey="sampleId"
        pagination={false}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('exit.eval.noFindings') }}
        data-testid="exit-findings"
        columns={[
          { title: t('exit.eval.kind'), key: 'kind', render: (_, f) => <Tag color={f.kind === 'wrong_exit' ? 'red' : 'orange'}>{pick(f.kindLabel)}</Tag> },
          { title: t('exit.village'), dataIndex: 'villageName', key: 'village' },
          { title: t('exit.eval.household'), key: 'household', render: (_, f) => (f.householdId !== null && f.householdNo ? <Link to={`/households/${f.householdId}`}>{f.householdNo}</Link> : f.rosterNo !== null ? t('exit.eval.roster', { n: f.rosterNo }) : '—') },
          { title: t('exit.eval.head'), dataIndex: 'headName', key: 'head', render: (v: string | null) => v ?? '—' },
          {
            title: t('exit.eval.case'), key: 'case',
            render: (_, f) => {
              if (f.caseId !== null) return <Link to={`/cases/${f.caseId}`} data-testid={`exit-finding-case-${f.caseId}`}>{t('exit.eval.caseNo', { id: f.caseId })}</Link>;
              if (f.kind !== 'omission' || !can('register.write')) return <Typography.Text type="secondary">{t('exit.eval.awaiting')}</Typography.Text>;
              return (
                <Space size={4}>
                  <InputNumber size="small" min={1} placeholder={t('exit.eval.householdId')} value={household[f.sampleId] ?? null} onChange={(v) => setHousehold((h) => ({ ...h, [f.sampleId]: typeof v === 'number' ? v : null }))} data-testid={`link-household-${f.sampleId}`} />
                  <Tooltip title={t('exit.eval.linkHelp')}><Button size="small" onClick={() => void link(f.sampleId)} data-testid={`link-finding-${f.sampleId}`}>{t('exit.eval.link')}</Button></Tooltip>
                </Space>
              );
            },
          },
        ]}
      />
    </Space>
  );
}

export default function EvaluationCard({ evaluation, exitVerdict, exitReason }: { evaluation: PanelEvaluation | null; exitVerdict: Verdict; exitReason: { zh: string; en: string } }) {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <Card size="small" title={t('exit.eval.title')} extra={<Space size={4}>{t('exit.eval.exit')}<Verdict v={exitVerdict} testId="exit-verdict" /></Space>} data-testid="exit-evaluation">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type={exitVerdict === 'pass' ? 'success' : exitVerdict === 'fail' ? 'error' : 'info'} showIcon title={pick(exitReason)} data-testid="exit-reason" />
        {evaluation && (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
              { key: 'plan', label: t('exit.eval.plan'), children: can('assessment.read') || can('assessment.survey') ? <Link to={`/assessment/${evaluation.planId}`}>{evaluation.planName}</Link> : evaluation.planName },
              { key: 'closed', label: t('exit.eval.closedAt'), children: when(evaluation.closedAt) },
            ]} />
            <Table<RateOutcome>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={evaluation.rates}
              data-testid="exit-rates"
              columns={[
                { title: t('exit.eval.rate'), key: 'label', render: (_, r) => pick(r.label) },
                { title: t('exit.value'), key: 'estimate', render: (_, r) => (r.result ? pct(r.result.estimate.estimate) : '—') },
                { title: t('exit.eval.ci'), key: 'ci', render: (_, r) => (r.result ? `${pct(r.result.estimate.lower)} – ${pct(r.result.estimate.upper)}` : '—') },
                { title: t('exit.fraction'), key: 'fraction', render: (_, r) => (r.result ? `${r.result.estimate.numerator.toFixed(1)} / ${r.result.estimate.denominator.toFixed(1)}` : '—') },
                { title: t('exit.limit'), key: 'bar', render: (_, r) => (r.barPct === null ? '—' : `${r.key === 'approval' ? '≥' : '≤'} ${r.barPct}%`) },
                { title: t('exit.verdictCol'), key: 'verdict', render: (_, r) => <Tooltip title={pick(r.reason)}><span><Verdict v={r.verdict} testId={`exit-rate-${r.key}`} /></span></Tooltip> },
              ]}
            />
            {(can('register.read') || can('assessment.read')) && <Findings planId={evaluation.planId} />}
          </>
        )}
      </Space>
    </Card>
  );
}
