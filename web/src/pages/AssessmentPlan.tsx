// One evaluation plan (/assessment/:id): tabs 概况, 样本, 问卷导入, 不一致, 结果, 问题线索 (?tab=…).
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Breadcrumb, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../assessment/common';
import OverviewTab from '../assessment/OverviewTab';
import SampleTab from '../assessment/SampleTab';
import ImportTab from '../assessment/ImportTab';
import ResultsTab from '../assessment/ResultsTab';
import { DiscrepanciesTab, FindingsTab } from '../assessment/ListsTabs';
import { STATUS_COLOR, type PlanView } from '../assessment/types';

const TABS = ['overview', 'sample', 'import', 'discrepancies', 'results', 'findings'] as const;

export default function AssessmentPlan() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? params.get('tab')! : 'overview';
  const { data: plan, error, reload } = useLoad<PlanView>(() => api.GET('/api/v1/assessment/plans/{id}', { params: { path: { id } } }), [id]);
  const isLead = useMemo(() => !!plan && can('assessment.manage') && plan.members.some((m) => m.memberRole === 'lead' && m.username === me?.user.username), [plan, me, can]);
  const isMember = !!plan && plan.members.some((m) => m.username === me?.user.username);
  const canSurvey = isMember && can('assessment.survey');

  const head = (
    <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/assessment">{t('assessment.title')}</Link> }, { title: plan ? plan.name : `#${idParam}` }]} />
  );
  if (!Number.isSafeInteger(id) || id <= 0) return <>{head}<Alert type="error" showIcon title={t('assessment.badPlan')} /></>;
  if (error && !plan) return <>{head}<Alert type="error" showIcon title={error} data-testid="plan-load-error" /></>;
  if (!plan) return <>{head}<Skeleton active /></>;

  const body = (key: string) => {
    switch (key) {
      case 'overview': return <OverviewTab plan={plan} isLead={isLead} onChanged={reload} />;
      case 'sample': return <SampleTab plan={plan} />;
      case 'import': return <ImportTab plan={plan} canSurvey={canSurvey} onImported={reload} />;
      case 'discrepancies': return <DiscrepanciesTab plan={plan} />;
      case 'results': return <ResultsTab plan={plan} />;
      default: return <FindingsTab plan={plan} />;
    }
  };
  return (
    <div data-testid="plan-page">
      {head}
      <Space wrap align="center" style={{ marginBottom: 4 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="plan-title">{plan.name}</Typography.Title>
        <Tag color={STATUS_COLOR[plan.status]} data-testid="plan-status">{pick(plan.statusLabel)}</Tag>
      </Space>
      <Typography.Paragraph type="secondary">{t('assessment.planSub', { county: plan.countyName, code: plan.countyCode, year: plan.year, id: plan.id })}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => {
          const next = new URLSearchParams(params);
          next.set('tab', k);
          setParams(next, { replace: true });
        }}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`assessment.tabs.${k}`)}</span>, children: tab === k ? body(k) : null }))}
      />
    </div>
  );
}
