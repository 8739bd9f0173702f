// 案件: one case of a procedure — the household it is about, the current state, the notice
// countdown and overdue flags, the steps the actor may take (each a form generated from its
// fields), and the append-only timeline of every step with who, when, what and the policy values used.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { ClockCircleOutlined, ExclamationCircleOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { STATUS_COLOR } from '../links';
import ActionForm, { type StepTarget } from '../cases/ActionForm';
import { ParamList } from '../cases/params';
import { DecisionView } from '../household/Evaluation';
import { attachmentHref, daysUntil, fmtAt, stateColor } from '../cases/format';
import { fieldLabel, inputText, useWorkflows } from '../cases/useWorkflows';
import type { AllowedAction, CaseDetailView, CaseEventView, Decision, WorkflowView } from '../cases/types';

function isDecision(v: unknown): v is Decision {
  return typeof v === 'object' && v !== null && 'eligible' in v && Array.isArray((v as Decision).reasons);
}

function EventItem({ e, caseId, workflow }: { e: CaseEventView; caseId: number; workflow: WorkflowView | undefined }) {
  const { t } = useTranslation();
  const inputs = Object.entries(e.input ?? {}).filter(([, v]) => !isDecision(v));
  const evaluation = e.evaluation?.decision ?? (Object.values(e.input ?? {}).find(isDecision) as Decision | undefined);
  return (
    <div data-testid={`event-${e.seq}`}>
      <Space wrap size={4}>
        <Typography.Text strong>{pick(e.actionLabel)}</Typography.Text>
        <Tag>{pick(e.fromLabel)} → {pick(e.toLabel)}</Tag>
      </Space>
      <div>
        <Typography.Text type="secondary">
          {t('cases.by', { name: e.actor.username, role: pick(e.actor.roleLabel) })} · {fmtAt(e.at)}
        </Typography.Text>
      </div>
      {e.comment && <Typography.Paragraph style={{ margin: '4px 0' }}>{e.comment}</Typography.Paragraph>}
      {inputs.length > 0 && (
        <Descriptions size="small" column={1} style={{ marginTop: 4 }} items={inputs.map(([k, v]) => ({ key: k, label: fieldLabel(workflow, k, e.action), children: inputText(workflow, k, v, e.action) }))} />
      )}
      {e.noticeEndsOn && <div><ClockCircleOutlined /> {t('cases.eventNotice', { date: e.noticeEndsOn })}</div>}
      {e.dueOn && <div><ClockCircleOutlined /> {t('cases.eventDue', { date: e.dueOn })}</div>}
      {e.attachments.length > 0 && (
        <div style={{ marginTop: 4 }}>
          {e.attachments.map((a, i) => (
            <div key={i}>
              <PaperClipOutlined /> {pick(a.kindLabel)}：
              <a href={attachmentHref(caseId, a.id)} download={a.name ?? true}>{a.name ?? t('cases.download')}</a>
            </div>
          ))}
        </div>
      )}
      {evaluation && <div style={{ marginTop: 8 }}><DecisionView decision={evaluation} /></div>}
      {e.params.length > 0 && (
        <details style={{ marginTop: 4 }}>
          <summary>{t('cases.paramsUsed')}（{e.params.length}）</summary>
          <ParamList params={e.params} />
        </details>
      )}
    </div>
  );
}

export default function CaseDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const cid = Number(id);
  const [data, setData] = useState<CaseDetailView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [step, setStep] = useState<StepTarget | null>(null);
  const workflows = useWorkflows();

  const load = useCallback(async () => {
    try {
      setData(await call<CaseDetailView>(api.GET('/api/v1/cases/{id}', { params: { path: { id: cid } } })));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: 'x', zh: String(e), en: String(e) }));
    }
  }, [cid]);

  useEffect(() => {
    if (!Number.isSafeInteger(cid) || cid <= 0) {
      setError(new ApiError(404, { code: 'not_found', zh: '未找到该案件', en: 'No such case' }));
      return;
    }
    setData(null);
    void load();
  }, [cid, load]);

  if (error) {
    return error.status === 404
      ? <Result status="404" title={t('cases.notFound')} subTitle={pick(error.body)} extra={<Link to="/cases">{t('cases.backToInbox')}</Link>} />
      : <Alert type="error" showIcon title={pick(error.body)} />;
  }
  if (!data) return <Skeleton active />;
  const c = data;
  const h = data.household;
  const notice = data.notice;
  const left = notice ? daysUntil(notice.endsOn) : null;
  const workflow = workflows.get(c.workflow);

  const open = (a: AllowedAction) => setStep({ caseId: c.id, seq: c.seq, action: a, householdId: h.id, year: c.year, monitoring: c.workflow === 'monitoring' });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-title">{pick(c.workflowLabel)} · {t('cases.caseNo', { id: c.id })}</Typography.Title>
            <Tag color={stateColor({ closed: c.closed, state: c.state, noticeEndsOn: c.notice?.endsOn })} data-testid="case-state">{pick(c.stateLabel)}</Tag>
            {data.overdue.length > 0 && <Tag color="red" icon={<ExclamationCircleOutlined />} data-testid="case-overdue">{t('cases.overdue')}</Tag>}
          </Space>
        }
        extra={<Link to="/cases">{t('cases.backToInbox')}</Link>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="case-household">
          <Descriptions.Item label={t('cases.household')}><Link to={`/households/${h.id}`} data-testid="case-household-link">{h.headName}</Link></Descriptions.Item>
          <Descriptions.Item label={t('household.householdNo')}>{h.householdNo}</Descriptions.Item>
          <Descriptions.Item label={t('cases.village')}>{[h.townshipName, h.villageName].filter(Boolean).join(' ')}</Descriptions.Item>
          <Descriptions.Item label={t('household.exitStatus')}><Tag color={STATUS_COLOR[h.exitStatus]}>{pick(h.exitStatusLabel)}</Tag></Descriptions.Item>
          {h.identifiedOn && <Descriptions.Item label={t('household.identifiedOn')}>{h.identifiedOn}</Descriptions.Item>}
          {c.riskTypeLabel && <Descriptions.Item label={fieldLabel(workflow, 'riskType')}>{pick(c.riskTypeLabel)}</Descriptions.Item>}
          {c.year && <Descriptions.Item label={t('cases.openYear')}>{c.year}</Descriptions.Item>}
          <Descriptions.Item label={t('cases.opened')}>{c.openedBy} · {fmtAt(c.openedAt)}</Descriptions.Item>
          {data.deadline && <Descriptions.Item label={t('cases.due')}><Typography.Text type={!data.deadline.met && daysUntil(data.deadline.dueOn) < 0 ? 'danger' : undefined}>{data.deadline.dueOn}{data.deadline.met ? `（${t('cases.deadlineMet')}）` : ''}</Typography.Text></Descriptions.Item>}
        </Descriptions>
        {notice && (
          <Alert
            type={left !== null && left > 0 ? 'info' : 'success'}
            showIcon
            icon={<ClockCircleOutlined />}
            style={{ marginTop: 12 }}
            data-testid="case-notice"
            title={left !== null && left > 0 ? t('cases.noticeCountdown', { date: notice.endsOn, days: left }) : left === 0 ? t('cases.noticeToday', { date: notice.endsOn }) : t('cases.noticeOver', { date: notice.endsOn })}
          />
        )}
        {data.overdue.map((o, i) => <Alert key={i} type="error" showIcon style={{ marginTop: 12 }} title={pick(o)} data-testid="case-overdue-flag" />)}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xxl={8}>
          <Card title={t('cases.actions')} size="small" data-testid="case-actions">
            {data.allowedActions.length === 0 ? (
              <Typography.Text type="secondary">{c.closed ? t('cases.noActionsClosed') : t('cases.noActions')}</Typography.Text>
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {data.allowedActions.map((a) => (
                  <Button key={a.action} block danger={a.kind === 'reject' || a.kind === 'objection' || a.kind === 'withdraw'} type={a.kind === 'forward' ? 'primary' : 'default'} onClick={() => open(a)} data-testid={`action-${a.action}`} style={{ whiteSpace: 'normal', height: 'auto', minHeight: 32, textAlign: 'left' }}>
                    {pick(a.label)}
                  </Button>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xxl={16}>
          <Card title={t('cases.timeline')} size="small">
            {data.events.length === 0 ? (
              <Typography.Text type="secondary">{t('cases.noEvents')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="case-timeline"
                items={data.events.map((e) => ({
                  key: e.seq,
                  color: e.kind === 'reject' || e.kind === 'objection' ? 'red' : e.kind === 'withdraw' ? 'gray' : 'blue',
                  content: <EventItem e={e} caseId={c.id} workflow={workflow} />,
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>

      <ActionForm
        target={step}
        onClose={() => setStep(null)}
        onDone={() => {
          setStep(null);
          void load();
        }}
        onReload={() => {
          setStep(null);
          void load();
        }}
      />
    </Space>
  );
}
