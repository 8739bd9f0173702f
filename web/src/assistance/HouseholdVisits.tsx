// 走访 on the household page: the visits to this household (newest first, follow-ups and whether they
// are done or overdue) and the form to record one. VisitForm is shared with the /visits page.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Form, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { applyIssues } from '../household/issues';
import { ProblemNotice } from '../household/ConflictNotice';
import { VISIT_KINDS, todayCn, type Cadre, type Page, type Pairing, type Visit } from './pairing-types';

const FIELDS = ['visitedOn', 'cadreId', 'kind', 'findings', 'followUps', 'followUpDue'] as const;

interface VisitValues { visitedOn: string; cadreId?: number; kind: string; findings: string; followUps?: string; followUpDue?: string }

/** Records one visit to `householdId`; the cadre defaults to the household's responsible cadre. */
export function VisitForm({ householdId, onSaved }: { householdId: number; onSaved: (v: Visit) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<VisitValues>();
  const [cadres, setCadres] = useState<{ value: number; label: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [open, list] = await Promise.all([
          call<Page<Pairing>>(api.GET('/api/v1/assistance/pairings', { params: { query: { household: householdId, state: 'open' } } })),
          call<Page<Cadre>>(api.GET('/api/v1/assistance/cadres', { params: { query: { active: 'true', pageSize: 500 } } })),
        ]);
        if (!live) return;
        const opts = list.items.map((c) => ({ value: c.id, label: `${c.name}（${c.unitName}）` }));
        const current = open.items[0];
        if (current && !opts.some((o) => o.value === current.cadreId)) opts.unshift({ value: current.cadreId, label: `${current.cadreName}（${current.unitName}）` });
        setCadres(opts);
        if (current && form.getFieldValue('cadreId') === undefined) form.setFieldValue('cadreId', current.cadreId);
      } catch {
        /* the list stays empty; the server names the problem on save */
      }
    })();
    return () => { live = false; };
  }, [householdId, form]);

  const submit = async (v: VisitValues) => {
    setBusy(true);
    setProblem(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    try {
      const saved = await call<Visit>(api.POST('/api/v1/households/{id}/visits', {
        params: { path: { id: householdId } },
        body: { visitedOn: v.visitedOn, cadreId: v.cadreId ?? null, kind: v.kind, findings: v.findings ?? '', followUps: v.followUps || null, followUpDue: v.followUpDue || null },
      }));
      message.success(t('pairing.visitSaved'));
      form.setFieldsValue({ findings: '', followUps: '', followUpDue: '' });
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = applyIssues(form, e.issues, FIELDS);
        setProblem({ title: pick(e.body), issues: rest });
      } else setProblem({ title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ visitedOn: todayCn(), kind: 'home' }} onFinish={(v) => void submit(v)} data-testid="visit-form">
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} testId="visit-problem" scroll={false} />}
      <Space wrap align="start" style={{ width: '100%' }}>
        <Form.Item name="visitedOn" label={t('pairing.visitedOn')} required>
          <Input type="date" max={todayCn()} style={{ width: 170 }} data-testid="visit-date" />
        </Form.Item>
        <Form.Item name="cadreId" label={t('pairing.visitCadre')} required>
          <Select options={cadres} style={{ width: 240 }} showSearch optionFilterProp="label" placeholder={t('pairing.chooseCadre')} data-testid="visit-cadre" />
        </Form.Item>
        <Form.Item name="kind" label={t('pairing.visitKind')}>
          <Radio.Group optionType="button" options={VISIT_KINDS.map((k) => ({ value: k, label: t(`pairing.kind.${k}`) }))} />
        </Form.Item>
      </Space>
      <Form.Item name="findings" label={t('pairing.findings')} required>
        <Input.TextArea rows={3} maxLength={4000} placeholder={t('pairing.findingsHint')} data-testid="visit-findings" />
      </Form.Item>
      <Space wrap align="start" style={{ width: '100%' }}>
        <Form.Item name="followUps" label={t('pairing.followUps')} style={{ minWidth: 320, flex: 1 }}>
          <Input.TextArea rows={2} maxLength={2000} style={{ width: 360, maxWidth: '100%' }} />
        </Form.Item>
        <Form.Item name="followUpDue" label={t('pairing.followUpDue')}>
          <Input type="date" style={{ width: 170 }} />
        </Form.Item>
      </Space>
      <Button type="primary" htmlType="submit" loading={busy} size="large" data-testid="visit-save">{t('pairing.saveVisit')}</Button>
    </Form>
  );
}

/** The visits of one household; `onChange` after a follow-up is marked done. */
export function VisitTable({ items, onChange, showHousehold = false }: { items: Visit[]; onChange: () => void; showHousehold?: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const done = async (v: Visit) => {
    try {
      await call(api.POST('/api/v1/households/{id}/visits/{visitId}/follow-up-done', { params: { path: { id: v.householdId, visitId: v.id } }, body: { doneOn: todayCn() } }));
      message.success(t('pairing.followUpMarked'));
      onChange();
    } catch (e) {
      message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };
  return (
    <Table<Visit>
      rowKey="id" size="small" pagination={false} dataSource={items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="visits-table"
      columns={[
        { key: 'date', title: t('pairing.visitedOn'), dataIndex: 'visitedOn' },
        ...(showHousehold ? [{ key: 'hh', title: t('pairing.household'), render: (_: unknown, v: Visit) => <Link to={`/households/${v.householdId}`}>{v.householdNo} {v.headName}</Link> }] : []),
        { key: 'cadre', title: t('pairing.cadre'), dataIndex: 'cadreName' },
        { key: 'kind', title: t('pairing.visitKind'), render: (_, v) => pick(v.kindLabel) },
        { key: 'findings', title: t('pairing.findings'), dataIndex: 'findings', render: (s: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{s}</span> },
        {
          key: 'follow', title: t('pairing.followUps'),
          render: (_, v) => v.followUps ? (
            <Space direction="vertical" size={2}>
              <span>{v.followUps}</span>
              <Space size={4} wrap>
                {v.followUpDue && <Typography.Text type="secondary">{t('pairing.dueOn', { day: v.followUpDue })}</Typography.Text>}
                {v.followUpDoneOn ? <Tag color="green">{t('pairing.doneOn', { day: v.followUpDoneOn })}</Tag> : v.followUpOverdue ? <Tag color="red">{t('pairing.overdue')}</Tag> : <Tag>{t('pairing.open')}</Tag>}
                {!v.followUpDoneOn && can('assistance.write') && <Button size="small" icon={<CheckOutlined />} onClick={() => void done(v)}>{t('pairing.markDone')}</Button>}
              </Space>
            </Space>
          ) : '—',
        },
      ]}
    />
  );
}

export default function HouseholdVisits({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [items, setItems] = useState<Visit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await call<{ items: Visit[] }>(api.GET('/api/v1/households/{id}/visits', { params: { path: { id: householdId } } }))).items);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [householdId, t]);
  useEffect(() => { void load(); }, [load]);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {can('assistance.write') && (
        <Card size="small" title={t('pairing.recordVisit')}>
          <VisitForm householdId={householdId} onSaved={() => void load()} />
        </Card>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {items && (items.length ? <VisitTable items={items} onChange={() => void load()} /> : <Typography.Text type="secondary" data-testid="no-visits">{t('pairing.noVisits')}</Typography.Text>)}
    </Space>
  );
}
