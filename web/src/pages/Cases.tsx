// 待办: the cases of the actor's area — those waiting for the actor, all, or overdue — with filters
// (procedure, state, area), server-side paging, deadlines in red when overdue, and a batch step over
// the selected cases: one transaction, all or none, every refusal shown per case.
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { TableProps } from 'antd';
import { ExclamationCircleOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, fileForm } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import AreaSelect from '../cases/AreaSelect';
import { chinaToday, daysUntil, fmtAt, stateColor } from '../cases/format';
import { useWorkflows } from '../cases/useWorkflows';
import type { AllowedAction, BatchRefusal, CaseAttachment, CaseDetailView, CaseListItem, CasePage } from '../cases/types';

const TABS = ['mine', 'all', 'overdue'] as const;
type TabKey = (typeof TABS)[number];

function BatchModal({ ids, open, onClose, onDone }: { ids: number[]; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [actions, setActions] = useState<AllowedAction[] | null>(null);
  const [action, setAction] = useState<string | undefined>();
  const [uploads, setUploads] = useState<CaseAttachment[]>([]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ title: string; refusals: BatchRefusal[]; issues: { zh: string; en: string }[] } | null>(null);
  const chosen = actions?.find((a) => a.action === action);

  // The steps every selected case allows the actor now (read from each case).
  useEffect(() => {
    if (!open) return;
    let live = true;
    setActions(null);
    setAction(undefined);
    setProblem(null);
    setUploads([]);
    form.resetFields();
    (async () => {
      const details = await Promise.all(ids.map((id) => call<CaseDetailView>(api.GET('/api/v1/cases/{id}', { params: { path: { id } } })).catch(() => null)));
      if (!live) return;
      const ok = details.filter((d): d is CaseDetailView => d !== null);
      const first = ok[0]?.allowedActions ?? [];
      // Evaluation fields are computed per household by the server; such steps are taken case by case.
      setActions(first.filter((a) => a.fields.every((f) => f.kind !== 'evaluation') && ok.every((d) => d.allowedActions.some((b) => b.action === a.action))));
    })();
    return () => {
      live = false;
    };
  }, [open, ids, form]);

  const upload = async (kind: string, file: File) => {
    try {
      const att = await call<CaseAttachment>(api.POST('/api/v1/cases/{id}/attachments', {
        params: { path: { id: ids[0]! }, query: { kind } },
        body: fileForm(file, file.name) as never,
        bodySerializer: (b: unknown) => b as FormData,
      }));
      setUploads((old) => [...old, att]);
    } catch (e) {
      message.error(e instanceof ApiError ? [pick(e.body), ...e.issues.map(pick)].join('；') : t('common.unexpected'));
    }
  };

  const run = async () => {
    if (!chosen) return;
    const values = form.getFieldsValue() as Record<string, unknown>;
    const input: Record<string, unknown> = {};
    for (const f of chosen.fields) {
      const v = values[f.key];
      if (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null) input[f.key] = typeof v === 'string' ? v.trim() : v;
    }
    setSaving(true);
    setProblem(null);
    try {
      await call(api.POST('/api/v1/cases/batch-actions', {
        body: { caseIds: ids, action: chosen.action, comment: typeof values.comment === 'string' ? values.comment.trim() : '', input, attachmentIds: uploads.map((u) => u.id) },
      }));
      message.success(t('cases.batchDone', { n: ids.length }));
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        const cur = e.body.current as { refused?: BatchRefusal[] } | undefined;
        setProblem({ title: pick(e.body), refusals: Array.isArray(cur?.refused) ? cur.refused : [], issues: e.issues });
      } else setProblem({ title: t('common.unexpected'), refusals: [], issues: [] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title={t('cases.batchTitle')} onCancel={onClose} onOk={() => void run()} okText={t('cases.batchRun')} cancelText={t('common.cancel')} confirmLoading={saving} okButtonProps={{ disabled: !chosen }} width={720} forceRender>
      <Typography.Paragraph>{t('cases.batchHint', { n: ids.length })}</Typography.Paragraph>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={problem.refusals.length ? t('cases.batchRefused') : problem.title}
          data-testid="batch-problem"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problem.refusals.map((r) => (
                <li key={r.caseId}>
                  <Link to={`/cases/${r.caseId}`}>{t('cases.caseNo', { id: r.caseId })}</Link>{r.householdNo ? `（${r.householdNo}）` : ''}：{pick(r)}
                  {r.reasons.length > 1 && <ul>{r.reasons.map((x, i) => <li key={i}>{pick(x)}</li>)}</ul>}
                </li>
              ))}
              {problem.issues.map((x, i) => <li key={`i${i}`}>{pick(x)}</li>)}
            </ul>
          }
        />
      )}
      {actions !== null && actions.length === 0 && <Alert type="warning" showIcon title={t('cases.batchNoCommon')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item label={t('cases.batchAction')} required>
          <Select aria-label={t('cases.batchAction')} placeholder={t('cases.batchAction')} loading={actions === null} value={action} onChange={(v) => { setAction(v); setUploads([]); }}
            options={(actions ?? []).map((a) => ({ value: a.action, label: pick(a.label) }))} data-testid="batch-action" />
        </Form.Item>
        {chosen?.fields.map((f) => (
          <Form.Item key={f.key} name={f.key} label={pick(f.label)} required={!f.optional}>
            {f.kind === 'date' ? <Input type="date" max={chinaToday()} style={{ width: 180 }} />
              : f.kind === 'code' ? <Select allowClear options={(f.codes ?? []).map((c) => ({ value: c.code, label: pick(c) }))} style={{ maxWidth: 320 }} />
                : <Input.TextArea rows={2} maxLength={2000} />}
          </Form.Item>
        ))}
        {chosen && chosen.attachments.length > 0 && (
          <Form.Item label={t('cases.attachments')} required extra={t('cases.batchAttachmentHelp')}>
            <Space orientation="vertical">
              {chosen.attachments.map((k) => (
                <div key={k.kind}>
                  <Upload showUploadList={false} beforeUpload={(file) => { void upload(k.kind, file); return false; }}>
                    <Button icon={<UploadOutlined />}>{t('cases.upload', { kind: pick(k.label) })}</Button>
                  </Upload>
                  {uploads.filter((u) => u.kind === k.kind).map((u) => <div key={u.id}><PaperClipOutlined /> {u.filename}</div>)}
                </div>
              ))}
            </Space>
          </Form.Item>
        )}
        <Form.Item name="comment" label={t('cases.batchComment')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Cases() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<CasePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const [reload, setReload] = useState(0);
  const workflows = useWorkflows();

  const tab: TabKey = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabKey) : 'mine';
  const q = {
    workflow: params.get('workflow') ?? undefined,
    state: params.get('state') ?? undefined,
    area: params.get('area') ?? undefined,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: Number(params.get('pageSize') ?? 20) || 20,
  };
  const key = params.toString();

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    const query = { ...q, workflow: q.workflow as 'identification' | undefined, ...(tab === 'mine' ? { mine: 'true' as const } : tab === 'overdue' ? { overdue: 'true' as const } : {}) };
    call<CasePage>(api.GET('/api/v1/cases', { params: { query } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tab, reload]);

  useEffect(() => setSelected([]), [key]);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage) next.delete('page');
    setParams(next);
  };

  // The states of the chosen procedure (of all three when none is chosen; a state key shared by
  // several procedures, e.g. village_notice, filters them all), as the server's domain names them.
  const stateOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const w of workflows.list.filter((x) => !q.workflow || x.key === q.workflow)) {
      for (const s of w.states) {
        if (s.key === w.initial) continue;
        const label = pick(s.label);
        const had = seen.get(s.key);
        seen.set(s.key, had !== undefined && had !== label ? `${had} / ${label}` : label);
      }
    }
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [q.workflow, workflows]);

  const columns: TableProps<CaseListItem>['columns'] = [
    {
      key: 'household', title: t('cases.household'),
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/cases/${r.id}`}>{r.headName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.householdNo}</Typography.Text>
        </Space>
      ),
    },
    { key: 'village', title: t('cases.village'), render: (_, r) => [r.townshipName, r.villageName].filter(Boolean).join(' ') },
    { key: 'workflow', title: t('cases.workflow'), render: (_, r) => <Link to={`/cases/${r.id}`}>{pick(r.workflowLabel)}</Link> },
    { key: 'state', title: t('cases.state'), render: (_, r) => <Tag color={stateColor(r)}>{pick(r.stateLabel)}</Tag> },
    {
      key: 'notice', title: t('cases.noticeEnds'),
      render: (_, r) => {
        if (!r.noticeEndsOn) return '';
        const d = daysUntil(r.noticeEndsOn);
        return <span>{r.noticeEndsOn}{d > 0 ? <Typography.Text type="secondary">（{t('notices.daysLeftN', { n: d })}）</Typography.Text> : null}</span>;
      },
    },
    {
      key: 'due', title: t('cases.due'),
      render: (_, r) => (r.dueOn ? <Typography.Text type={r.overdue ? 'danger' : undefined} strong={r.overdue} data-testid={r.overdue ? `overdue-${r.id}` : undefined}>{r.overdue && <ExclamationCircleOutlined />} {r.dueOn}</Typography.Text> : r.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : ''),
    },
    { key: 'updated', title: t('cases.updated'), render: (_, r) => fmtAt(r.updatedAt) },
  ];

  const writable = can('register.write');

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('cases.title')}</Typography.Title>}>
      <Tabs
        activeKey={tab}
        onChange={(k) => update({ tab: k === 'mine' ? undefined : k })}
        items={TABS.map((k) => ({ key: k, label: t(`cases.tabs.${k}`) }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('cases.workflow')} placeholder={t('cases.workflow')} allowClear style={{ width: 260 }} value={q.workflow} onChange={(v?: string) => update({ workflow: v, state: undefined })}
          options={workflows.list.map((w) => ({ value: w.key, label: pick(w.label) }))} data-testid="filter-workflow" />
        <Select aria-label={t('cases.state')} placeholder={t('cases.state')} allowClear style={{ width: 220 }} value={q.state} onChange={(v?: string) => update({ state: v })} options={stateOptions} data-testid="filter-state" />
        <AreaSelect value={q.area} onChange={(v) => update({ area: v })} placeholder={t('cases.area')} style={{ width: 220 }} />
        <Button onClick={() => setParams(new URLSearchParams(tab === 'mine' ? {} : { tab }))}>{t('cases.reset')}</Button>
        {writable && <Button type="primary" disabled={selected.length === 0} onClick={() => setBatchOpen(true)} data-testid="batch-open">{t('cases.batchTitle')}{selected.length ? `（${selected.length}）` : ''}</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<CaseListItem>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        className="jz-table"
        data-testid="cases-table"
        rowSelection={writable ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)), getCheckboxProps: (r) => ({ disabled: r.closed, 'aria-label': t('cases.select') + ' ' + r.headName }) } : undefined}
        onChange={(p) => update({ page: p.current === 1 ? undefined : p.current, pageSize: p.pageSize === 20 ? undefined : p.pageSize }, false)}
        locale={{ emptyText: t('cases.none') }}
        pagination={{
          current: q.page,
          pageSize: q.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (n) => t('cases.total', { total: n.toLocaleString('zh-CN') }),
        }}
      />
      {writable && <BatchModal ids={selected} open={batchOpen} onClose={() => setBatchOpen(false)} onDone={() => { setBatchOpen(false); setSelected([]); setReload((n) => n + 1); }} />}
    </Card>
  );
}
