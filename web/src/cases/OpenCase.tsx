// 发起识别 / 发起退出 / 发起监测 on a household page: opens a case of a procedure for the household
// (POST /api/v1/cases) and goes to it. Only accounts that may take a procedure's first step may open
// it (village cadres, and the city administrator who may take every step); the server refuses others.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Modal, Select, Space, Typography } from 'antd';
import { PlusCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import type { CaseDetailView } from './types';
import { useWorkflows, workflowLabel } from './useWorkflows';

export const WORKFLOW_KEYS = ['identification', 'household_exit', 'monitoring'] as const;
export type WorkflowKey = (typeof WORKFLOW_KEYS)[number];

/** Roles that may take the first step of every procedure (domain/workflows: village level; city_admin any step). */
const OPENERS = ['village_cadre', 'city_admin'];

const BUTTON: Record<WorkflowKey, string> = {
  identification: 'cases.startIdentification',
  household_exit: 'cases.startExit',
  monitoring: 'cases.startMonitoring',
};

/** Opens a case and returns its id; used by the household page and the alerts page. */
export async function openCase(body: { workflow: WorkflowKey; householdId: number; year?: number; alertId?: number }): Promise<CaseDetailView> {
  return call<CaseDetailView>(api.POST('/api/v1/cases', { body }));
}

export function useMayOpenCases(): boolean {
  const { me, can } = useSession();
  return !!me && can('register.write') && OPENERS.includes(me.user.role);
}

export default function OpenCaseButtons({ householdId, headName, years, workflows = WORKFLOW_KEYS }: { householdId: number; headName: string; years: number[]; workflows?: readonly WorkflowKey[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const may = useMayOpenCases();
  const defs = useWorkflows();
  const [target, setTarget] = useState<WorkflowKey | null>(null);
  const [year, setYear] = useState<number | undefined>(years[years.length - 1]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ title: string; existing?: number } | null>(null);
  if (!may) return null;
  const targetLabel = target ? workflowLabel(defs.get(target), target) : '';

  const confirm = async () => {
    if (!target) return;
    setSaving(true);
    setProblem(null);
    try {
      const c = await openCase({ workflow: target, householdId, ...(year ? { year } : {}) });
      message.success(t('cases.opened_ok'));
      setTarget(null);
      navigate(`/cases/${c.id}`);
    } catch (e) {
      if (e instanceof ApiError) {
        const cur = e.body.current as { id?: number } | undefined;
        setProblem({ title: [pick(e.body), ...e.issues.map(pick)].join('；'), existing: e.status === 409 && typeof cur?.id === 'number' ? cur.id : undefined });
      } else setProblem({ title: t('common.unexpected') });
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Space wrap style={{ marginTop: 12 }}>
        {workflows.map((w) => (
          <Button key={w} icon={<PlusCircleOutlined />} onClick={() => { setProblem(null); setTarget(w); }} data-testid={`open-case-${w}`}>{t(BUTTON[w])}</Button>
        ))}
      </Space>
      <Modal
        open={!!target}
        title={target ? t('cases.openTitle', { workflow: targetLabel }) : ''}
        onCancel={() => setTarget(null)}
        footer={[
          <Button key="c" onClick={() => setTarget(null)}>{t('common.cancel')}</Button>,
          <Button key="ok" type="primary" loading={saving} onClick={() => void confirm()} data-testid="open-case-confirm">{t('cases.openCase')}</Button>,
        ]}
      >
        {problem && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 12 }}
            title={problem.title}
            action={problem.existing ? <Link to={`/cases/${problem.existing}`}>{t('cases.caseNo', { id: problem.existing })}</Link> : undefined}
            data-testid="open-case-problem"
          />
        )}
        <Typography.Paragraph>{target ? t('cases.openConfirm', { name: headName, workflow: targetLabel }) : ''}</Typography.Paragraph>
        {years.length > 0 && (
          <Space>
            <span id="open-case-year">{t('cases.openYear')}</span>
            <Select aria-labelledby="open-case-year" value={year} onChange={setYear} options={[...years].reverse().map((y) => ({ value: y, label: String(y) }))} style={{ width: 110 }} />
          </Space>
        )}
      </Modal>
    </>
  );
}
