// 一户一策 on the household page: the plan (needs, agreed measures, targets, who agreed it, reviews;
// overdue when the next review has passed) and, for roles that may write, the form with each field's
// reason from the server and the 409 of a stale version (someone saved in between).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { useCodes, useSession } from '../session';
import { fmtMoney } from '../links';
import ConflictNotice, { ProblemNotice } from '../household/ConflictNotice';
import type { Cadre, Page, Plan } from './pairing-types';

interface MeasureRow { typeCode?: string; quantity?: number | null; amount?: number | null; dueOn?: string; note?: string }
interface PlanValues {
  needs: string[]; needsNote?: string; agreedMeasures: MeasureRow[]; targetIncome?: number | null; targetYear?: number | null; targetsNote?: string;
  cadreId?: number | null; agreedOn?: string; reviewEveryMonths?: number; lastReviewedOn?: string;
}
interface Catalogue { channels: { label: { zh: string; en: string }; types: { code: string; name: { zh: string; en: string }; active: boolean }[] }[] }

function toValues(p: Plan): PlanValues {
  return {
    needs: p.needs.map((n) => n.code), needsNote: p.needsNote,
    agreedMeasures: p.agreedMeasures.map((m) => ({ typeCode: m.typeCode, quantity: m.quantity, amount: m.amount, dueOn: m.dueOn ?? '', note: m.note })),
    targetIncome: p.targetIncome, targetYear: p.targetYear, targetsNote: p.targetsNote, cadreId: p.cadreId, agreedOn: p.agreedOn ?? '',
    reviewEveryMonths: p.reviewEveryMonths, lastReviewedOn: p.lastReviewedOn ?? '',
  };
}

/** `agreedMeasures.0.typeCode` → ['agreedMeasures', 0, 'typeCode'], `needs.1` → 'needs'. */
function namePath(field: string): (string | number)[] {
  const parts = field.split('.');
  if (parts[0] === 'agreedMeasures' && parts.length === 3) return ['agreedMeasures', Number(parts[1]), parts[2]!];
  return [parts[0]!];
}
const TOP = ['needs', 'needsNote', 'targetIncome', 'targetYear', 'targetsNote', 'cadreId', 'agreedOn', 'reviewEveryMonths', 'lastReviewedOn', 'agreedMeasures'];

function PlanForm({ householdId, plan, onSaved, onReload, onCancel }: { householdId: number; plan: Plan; onSaved: (p: Plan) => void; onReload: (p: Plan) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const codes = useCodes();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanValues>();
  const [types, setTypes] = useState<{ label: string; options: { value: string; label: string }[] }[]>([]);
  const [cadres, setCadres] = useState<{ value: number; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);
  const [conflict, setConflict] = useState<{ message: string; current: Plan } | null>(null);

  useEffect(() => {
    void call<Catalogue>(api.GET('/api/v1/measure-types', {})).then((c) => setTypes(c.channels.map((ch) => ({
      label: pick(ch.label), options: ch.types.filter((x) => x.active).map((x) => ({ value: x.code, label: pick(x.name) })),
    })))).catch(() => setTypes([]));
    void call<Page<Cadre>>(api.GET('/api/v1/assistance/cadres', { params: { query: { active: 'true', pageSize: 500 } } }))
      .then((r) => setCadres(r.items.map((c) => ({ value: c.id, label: `${c.name}（${c.unitName}）` })))).catch(() => setCadres([]));
  }, []);

  const submit = async (v: PlanValues) => {
    setBusy(true);
    setProblem(null);
    setConflict(null);
    form.setFields(TOP.map((name) => ({ name, errors: [] })) as never);
    try {
      const saved = await call<Plan>(api.PUT('/api/v1/households/{id}/plan', {
        params: { path: { id: householdId } },
        body: {
          version: plan.version, needs: v.needs ?? [], needsNote: v.needsNote ?? '', targetsNote: v.targetsNote ?? '',
          agreedMeasures: (v.agreedMeasures ?? []).map((m) => ({ typeCode: m.typeCode ?? '', quantity: m.quantity ?? null, amount: m.amount ?? null, dueOn: m.dueOn || null, note: m.note ?? '' })),
          targetIncome: v.targetIncome ?? null, targetYear: v.targetYear ?? null, cadreId: v.cadreId ?? null,
          agreedOn: v.agreedOn || null, reviewEveryMonths: v.reviewEveryMonths ?? 6, lastReviewedOn: v.lastReviewedOn || null,
        },
      }));
      message.success(t('pairing.planSaved'));
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict({ message: pick(e.body), current: e.body.current as Plan });
      else if (e instanceof ApiError) {
        const rest: ApiIssue[] = [];
        const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
        for (const i of e.issues) {
          const name = namePath(i.field);
          if (!TOP.includes(String(name[0]))) { rest.push(i); continue; }
          const k = name.join('.');
          byName.set(k, { name, errors: [...(byName.get(k)?.errors ?? []), pick(i)] });
        }
        form.setFields([...byName.values()] as never);
        setProblem({ title: pick(e.body), issues: rest });
      } else setProblem({ title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={toValues(plan)} onFinish={(v) => void submit(v)} data-testid="plan-form">
      {conflict && <ConflictNotice message={conflict.message} onReload={() => onReload(conflict.current)} />}
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} testId="plan-problem" />}
      <Form.Item name="needs" label={t('pairing.needs')}>
        <Select mode="multiple" options={codes.options('cause')} placeholder={t('pairing.needsHint')} />
      </Form.Item>
      <Form.Item name="needsNote" label={t('pairing.needsNote')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      <Typography.Text strong>{t('pairing.measures')}</Typography.Text>
      <Form.List name="agreedMeasures">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} wrap align="start" style={{ display: 'flex', marginTop: 8 }}>
                <Form.Item name={[f.name, 'typeCode']} label={t('pairing.measureType')}>
                  <Select options={types} showSearch optionFilterProp="label" style={{ width: 260 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'quantity']} label={t('pairing.quantity')}><InputNumber min={0} style={{ width: 100 }} /></Form.Item>
                <Form.Item name={[f.name, 'amount']} label={t('pairing.amount')}><InputNumber min={0} style={{ width: 130 }} /></Form.Item>
                <Form.Item name={[f.name, 'dueOn']} label={t('pairing.dueDate')}><Input type="date" style={{ width: 160 }} /></Form.Item>
                <Form.Item name={[f.name, 'note']} label={t('pairing.note')}><Input style={{ width: 200 }} maxLength={500} /></Form.Item>
                <Form.Item label=" "><Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('pairing.removeMeasure')} /></Form.Item>
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ margin: '8px 0 16px' }}>{t('pairing.addMeasure')}</Button>
          </>
        )}
      </Form.List>
      <Space wrap align="start">
        <Form.Item name="targetIncome" label={t('pairing.targetIncome')}><InputNumber min={0} style={{ width: 160 }} /></Form.Item>
        <Form.Item name="targetYear" label={t('pairing.targetYear')}><InputNumber min={2000} max={2100} precision={0} style={{ width: 120 }} /></Form.Item>
        <Form.Item name="cadreId" label={t('pairing.planCadre')}><Select options={cadres} allowClear showSearch optionFilterProp="label" style={{ width: 240 }} /></Form.Item>
        <Form.Item name="agreedOn" label={t('pairing.agreedOn')}><Input type="date" style={{ width: 160 }} /></Form.Item>
        <Form.Item name="reviewEveryMonths" label={t('pairing.reviewEvery')}><InputNumber min={1} max={24} precision={0} style={{ width: 120 }} /></Form.Item>
        <Form.Item name="lastReviewedOn" label={t('pairing.lastReviewed')}><Input type="date" style={{ width: 160 }} /></Form.Item>
      </Space>
      <Form.Item name="targetsNote" label={t('pairing.targetsNote')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-save">{t('common.save')}</Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

export default function HouseholdPlan({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setPlan(await call<Plan>(api.GET('/api/v1/households/{id}/plan', { params: { path: { id: householdId } } })));
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [householdId, t]);
  useEffect(() => { void load(); }, [load]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!plan) return null;
  if (editing) return <PlanForm key={plan.version} householdId={householdId} plan={plan} onCancel={() => setEditing(false)} onReload={setPlan} onSaved={(p) => { setPlan(p); setEditing(false); }} />;
  const writable = can('assistance.write');
  if (!plan.exists) {
    return (
      <Space direction="vertical">
        <Typography.Text type="secondary" data-testid="no-plan">{t('pairing.noPlan')}</Typography.Text>
        {writable && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(true)}>{t('pairing.makePlan')}</Button>}
      </Space>
    );
  }
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="plan-view">
      {plan.overdue && <Alert type="warning" showIcon title={t('pairing.reviewOverdue', { day: plan.nextReviewOn })} data-testid="plan-overdue" />}
      <Card size="small" extra={writable && <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button>}>
        <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('pairing.needs')} span={2}>{plan.needs.map((n) => <Tag key={n.code}>{pick(n.label)}</Tag>)} {plan.needsNote}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.targetIncome')}>{plan.targetIncome === null ? '—' : `${fmtMoney(plan.targetIncome)}（${plan.targetYear ?? ''}）`}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.planCadre')}>{plan.cadreName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.agreedOn')}>{plan.agreedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.reviewEvery')}>{t('pairing.months', { n: plan.reviewEveryMonths })}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.lastReviewed')}>{plan.lastReviewedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pairing.nextReview')}>{plan.nextReviewOn ?? '—'} {plan.overdue && <Tag color="red">{t('pairing.overdue')}</Tag>}</Descriptions.Item>
          {plan.targetsNote && <Descriptions.Item label={t('pairing.targetsNote')} span={2}>{plan.targetsNote}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Table
        rowKey={(_, i) => String(i)} size="small" pagination={false} dataSource={plan.agreedMeasures} scroll={{ x: 'max-content' }} className="jz-table"
        columns={[
          { key: 'type', title: t('pairing.measureType'), render: (_, m) => pick(m.typeName) },
          { key: 'q', title: t('pairing.quantity'), render: (_, m) => (m.quantity === null ? '' : `${m.quantity} ${pick(m.unit)}`), align: 'right' },
          { key: 'a', title: t('pairing.amount'), render: (_, m) => (m.amount === null ? '' : fmtMoney(m.amount)), align: 'right' },
          { key: 'd', title: t('pairing.dueDate'), dataIndex: 'dueOn' },
          { key: 'n', title: t('pairing.note'), dataIndex: 'note' },
        ]}
      />
    </Space>
  );
}
