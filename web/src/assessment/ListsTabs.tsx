// 不一致 (every difference between the questionnaires and the register) and 问题线索 (wrong exits and
// omissions found, with the correction cases opened for them).
import { Link } from 'react-router';
import { Alert, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { useLoad } from './common';
import type { DiscrepancyRow, FindingView, PlanView } from './types';

/** A register or survey value in words: flags as 是/否. */
export function useValueText() {
  const { t } = useTranslation();
  return (v: string | null) => (v === null ? '—' : v === 'true' ? t('common.yes') : v === 'false' ? t('common.no') : v);
}

export function DiscrepanciesTab({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const value = useValueText();
  const id = plan.id;
  const { data, error, loading } = useLoad<{ items: DiscrepancyRow[] }>(() => api.GET('/api/v1/assessment/plans/{id}/discrepancies', { params: { path: { id } } }), [id, plan.version, plan.surveys]);
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Table
      rowKey={(r) => `${r.sampleId}-${r.field}`}
      size="small"
      loading={loading}
      dataSource={data?.items ?? []}
      data-testid="discrepancies-table"
      scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: t('assessment.noDiscrepancies') }}
      columns={[
        { key: 'village', title: t('assessment.col.village'), render: (_, r) => r.villageName },
        { key: 'stratum', title: t('assessment.col.stratum'), render: (_, r) => t(`assessment.stratum.${r.stratum}`) },
        { key: 'no', title: t('assessment.col.householdNo'), render: (_, r) => r.householdNo ?? '—' },
        { key: 'head', title: t('assessment.col.head'), render: (_, r) => r.headName ?? '—' },
        { key: 'field', title: t('assessment.col.field'), render: (_, r) => t(`assessment.field.${r.field}`, { defaultValue: r.field }) },
        { key: 'register', title: t('assessment.col.registerValue'), render: (_, r) => value(r.registerValue) },
        { key: 'survey', title: t('assessment.col.surveyValue'), render: (_, r) => value(r.surveyValue) },
        { key: 'open', title: '', render: (_, r) => <Link to={`/assessment/${id}/survey/${r.sampleId}`}>{t('assessment.openSurvey')}</Link> },
      ]}
    />
  );
}

export function FindingsTab({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const id = plan.id;
  const { data, error, loading } = useLoad<{ items: FindingView[] }>(() => api.GET('/api/v1/assessment/plans/{id}/findings', { params: { path: { id } } }), [id, plan.version, plan.surveys]);
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('assessment.findingsHelp')} />
      <Table
        rowKey="sampleId"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="findings-table"
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('assessment.noFindings') }}
        columns={[
          { key: 'kind', title: t('assessment.col.kind'), render: (_, f) => <Tag color={f.kind === 'wrong_exit' ? 'red' : 'orange'}>{pick(f.kindLabel)}</Tag> },
          { key: 'village', title: t('assessment.col.village'), render: (_, f) => f.villageName },
          { key: 'stratum', title: t('assessment.col.stratum'), render: (_, f) => pick(f.stratumLabel) },
          {
            key: 'no', title: t('assessment.col.householdNo'), render: (_, f) => {
              if (f.householdNo && f.householdId !== null && can('register.read')) return <Link to={`/households/${f.householdId}`}>{f.householdNo}</Link>;
              return f.householdNo ?? (f.rosterNo !== null ? t('assessment.rosterNo', { n: f.rosterNo }) : '—');
            },
          },
          { key: 'head', title: t('assessment.col.head'), render: (_, f) => f.headName ?? '—' },
          { key: 'status', title: t('assessment.col.findingStatus'), render: (_, f) => t(`assessment.findingStatus.${f.status}`) },
          {
            key: 'case', title: t('assessment.col.case'), render: (_, f) => (f.caseId === null ? '—' : can('register.read') ? <Link to={`/cases/${f.caseId}`} data-testid={`finding-case-${f.caseId}`}>{t('assessment.caseNo', { id: f.caseId })}</Link> : t('assessment.caseNo', { id: f.caseId })),
          },
          { key: 'survey', title: '', render: (_, f) => <Link to={`/assessment/${id}/survey/${f.sampleId}`}>{t('assessment.openSurvey')}</Link> },
        ]}
      />
    </>
  );
}
