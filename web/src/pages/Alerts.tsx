// 预警: relapse-monitoring alerts of the actor's area with filters (status, rule, year), the reason of
// each, and what to do: open a monitoring case for the household (发起监测) or dismiss it with a
// reason (排除). Roles that may scan get "运行扫描" (the summary per rule, and parameters missing) and
// the upload of other departments' records for the cross-check, with every row error listed.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableProps } from 'antd';
import { RadarChartOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, fileForm, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import AreaSelect from '../cases/AreaSelect';
import { fmtAt } from '../cases/format';
import { ParamList } from '../cases/params';
import { openCase } from '../cases/OpenCase';
import type { AlertPage, AlertStatus, AlertView, DepartmentResult, MonitoringRule, ScanResult } from '../cases/types';

const STATUSES = ['open', 'case_opened', 'dismissed', 'resolved'] as const;
const STATUS_COLOR: Record<string, string> = { open: 'red', case_opened: 'blue', dismissed: 'default', resolved: 'green' };
/** A department record kind as GET /monitoring/rules lists it (the server's catalogue). */
interface DepartmentKindOption {
  key: string;
  label: { zh: string; en: string };
}

function ScanPanel({ onScanned }: { onScanned: () => void }) {
  const { t } = useTranslation();
  const [year, setYear] = useState<number | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const r = await call<ScanResult>(api.POST('/api/v1/monitoring/scan', { body: year ? { year } : {} }));
      setResult(r);
      onScanned();
    } catch (e) {
      setError(e instanceof ApiError ? [pick(e.body), ...e.issues.map(pick)].join('；') : t('common.unexpected'));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card size="small" title={t('alerts.scan')} data-testid="scan-panel">
      <Space wrap>
        <span id="scan-year">{t('alerts.scanYear')}</span>
        <InputNumber aria-labelledby="scan-year" min={2010} max={2100} precision={0} value={year} onChange={(v) => setYear(v)} placeholder={t('alerts.scanYearLatest')} style={{ width: 140 }} />
        <Button type="primary" icon={<RadarChartOutlined />} loading={running} onClick={() => void run()} data-testid="scan-run">{t('alerts.scan')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {result && (
        <div style={{ marginTop: 12 }} data-testid="scan-result">
          <Typography.Paragraph>{t('alerts.scanDoneText', { year: result.year, candidates: result.candidates, found: result.totals.found, new: result.totals.new, ms: result.elapsedMs })}</Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="rule"
            dataSource={result.rules}
            columns={[
              { key: 'rule', title: t('alerts.rule'), render: (_, r) => pick(r.label) },
              { key: 'found', title: t('alerts.hits'), dataIndex: 'found', align: 'right' },
              { key: 'new', title: t('alerts.newAlerts'), dataIndex: 'new', align: 'right' },
              { key: 'known', title: t('alerts.existing'), dataIndex: 'known', align: 'right' },
            ]}
          />
          {result.missing.map((m, i) => <Alert key={i} type="warning" showIcon style={{ marginTop: 8 }} title={pick(m.reason)} description={<Link to={`/policy?key=${m.key}`}>{t('policy.open')}</Link>} />)}
        </div>
      )}
    </Card>
  );
}

function DepartmentUpload({ kinds }: { kinds: DepartmentKindOption[] }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | undefined>();
  const [department, setDepartment] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DepartmentResult | null>(null);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await call<DepartmentResult>(api.POST('/api/v1/monitoring/department-records', {
        params: { query: { department: department.trim() || undefined, kind } },
        body: fileForm(file, file.name) as never,
        bodySerializer: (b: unknown) => b as FormData,
      })));
    } catch (e) {
      setProblem(e instanceof ApiError ? { title: pick(e.body), issues: e.issues } : { title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('alerts.departmentUpload')} data-testid="department-panel">
      <Typography.Paragraph type="secondary">{t('alerts.departmentHelp')}</Typography.Paragraph>
      <Space wrap align="start">
        <Select aria-label={t('alerts.departmentKind')} placeholder={t('alerts.departmentKind')} allowClear value={kind} onChange={setKind} style={{ width: 180 }} options={kinds.map((k) => ({ value: k.key, label: pick(k.label) }))} />
        <Input aria-label={t('alerts.department')} placeholder={t('alerts.department')} value={department} onChange={(e) => setDepartment(e.target.value)} style={{ width: 220 }} />
        <Upload accept=".xlsx,.csv" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)} fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}>
          <Button icon={<UploadOutlined />}>{t('alerts.chooseFile')}</Button>
        </Upload>
        <Button type="primary" disabled={!file} loading={busy} onClick={() => void send()} data-testid="department-send">{t('alerts.load')}</Button>
      </Space>
      {result && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('alerts.departmentLoaded', { n: result.rows, matched: result.matchedPeople })} data-testid="department-loaded" />}
      {problem && (
        <div style={{ marginTop: 12 }}>
          <Alert type="error" showIcon title={problem.title} description={problem.issues.length ? t('alerts.departmentErrors', { n: problem.issues.length }) : undefined} data-testid="department-problem" />
          {problem.issues.length > 0 && (
            <Table<ApiIssue>
              size="small"
              rowKey={(_, i) => String(i)}
              dataSource={problem.issues}
              pagination={problem.issues.length > 20 ? { pageSize: 20 } : false}
              style={{ marginTop: 8 }}
              data-testid="department-issues"
              columns={[
                { key: 'row', title: t('alerts.row'), dataIndex: 'row', width: 70 },
                { key: 'column', title: t('alerts.column'), dataIndex: 'column', width: 120 },
                { key: 'value', title: t('alerts.value'), dataIndex: 'value', width: 160, render: (v?: string) => <span className="jz-mono">{v ?? ''}</span> },
                { key: 'message', title: t('alerts.message'), render: (_, i) => pick(i) },
              ]}
            />
          )}
        </div>
      )}
    </Card>
  );
}

export default function Alerts() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<AlertPage | null>(null);
  const [rules, setRules] = useState<MonitoringRule[]>([]);
  const [kinds, setKinds] = useState<DepartmentKindOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<AlertView | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const [form] = Form.useForm<{ reason: string }>();
  const [dismissProblem, setDismissProblem] = useState<string | null>(null);
  const handle = can('alerts.handle');
  const mayOpen = handle && !!me && ['village_cadre', 'city_admin'].includes(me.user.role);

  const q = {
    status: (params.get('status') || (params.has('status') ? undefined : 'open')) as AlertStatus | undefined,
    rule: params.get('rule') ?? undefined,
    year: params.get('year') ? Number(params.get('year')) : undefined,
    area: params.get('area') ?? undefined,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: Number(params.get('pageSize') ?? 20) || 20,
  };
  const key = params.toString();

  useEffect(() => {
    call<{ rules: MonitoringRule[]; departmentKinds: DepartmentKindOption[] }>(api.GET('/api/v1/monitoring/rules')).then((r) => {
      setRules(r.rules);
      setKinds(r.departmentKinds);
    }, () => {});
  }, []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    const query = q;
    call<AlertPage>(api.GET('/api/v1/monitoring/alerts', { params: { query } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reload]);

  const update = (changes: Record<string, string | number | undefined>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage) next.delete('page');
    setParams(next);
  };

  const startCase = async (a: AlertView) => {
    setOpening(a.id);
    try {
      const c = await openCase({ workflow: 'monitoring', householdId: a.householdId, year: a.year, alertId: a.id });
      message.success(t('alerts.caseOpened'));
      navigate(`/cases/${c.id}`);
    } catch (e) {
      message.error(e instanceof ApiError ? [pick(e.body), ...e.issues.map(pick)].join('；') : t('common.unexpected'), 8);
    } finally {
      setOpening(null);
    }
  };

  const dismiss = async () => {
    if (!dismissing) return;
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setDismissProblem(null);
    try {
      await call(api.POST('/api/v1/monitoring/alerts/{id}/dismiss', { params: { path: { id: dismissing.id } }, body: { reason: v.reason } }));
      message.success(t('alerts.dismissed'));
      setDismissing(null);
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError) {
        const onField = e.issues.filter((i) => i.field === 'reason');
        if (onField.length) form.setFields([{ name: 'reason', errors: onField.map(pick) }]);
        setDismissProblem(pick(e.body));
      } else setDismissProblem(t('common.unexpected'));
    }
  };

  const columns: TableProps<AlertView>['columns'] = [
    {
      key: 'household', title: t('alerts.household'),
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/households/${a.householdId}`}>{a.headName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.householdNo} · {a.villageName ?? a.villageCode}</Typography.Text>
        </Space>
      ),
    },
    { key: 'rule', title: t('alerts.rule'), render: (_, a) => pick(a.ruleLabel) },
    { key: 'year', title: t('alerts.year'), dataIndex: 'year' },
    {
      key: 'reason', title: t('alerts.reason'),
      render: (_, a) => <Typography.Paragraph style={{ margin: 0, maxWidth: 420, minWidth: 220, wordBreak: 'break-word', overflowWrap: 'anywhere' }} ellipsis={{ rows: 3, expandable: true, symbol: t('alerts.more') }}>{pick(a.reason)}</Typography.Paragraph>,
    },
    {
      key: 'status', title: t('alerts.status'),
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <Tag color={STATUS_COLOR[a.status]}>{pick(a.statusLabel)}</Tag>
          {a.resolution && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.resolution}</Typography.Text>}
        </Space>
      ),
    },
    { key: 'found', title: t('alerts.foundAt'), render: (_, a) => fmtAt(a.foundAt) },
    {
      key: 'do', title: '',
      render: (_, a) => (
        <Space>
          {a.caseId && <Link to={`/cases/${a.caseId}`}>{t('alerts.viewCase')}</Link>}
          {a.status === 'open' && mayOpen && <Button size="small" type="primary" loading={opening === a.id} onClick={() => void startCase(a)} data-testid={`alert-open-${a.id}`}>{t('alerts.openCase')}</Button>}
          {a.status === 'open' && handle && <Button size="small" onClick={() => { form.resetFields(); setDismissProblem(null); setDismissing(a); }} data-testid={`alert-dismiss-${a.id}`}>{t('alerts.dismiss')}</Button>}
        </Space>
      ),
    },
  ];

  const years = Array.from({ length: new Date().getFullYear() - 2013 }, (_, i) => 2014 + i).reverse();

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('alerts.title')}</Typography.Title>}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select aria-label={t('alerts.status')} placeholder={t('alerts.status')} allowClear style={{ width: 150 }} value={q.status} onChange={(v?: string) => update({ status: v ?? '' })}
            options={STATUSES.map((s) => ({ value: s, label: t(`alerts.statuses.${s}`) }))} data-testid="alerts-status" />
          <Select aria-label={t('alerts.rule')} placeholder={t('alerts.rule')} allowClear style={{ width: 240 }} value={q.rule} onChange={(v?: string) => update({ rule: v })}
            options={rules.map((r) => ({ value: r.key, label: pick(r.label) }))} />
          <Select aria-label={t('alerts.year')} placeholder={t('alerts.year')} allowClear style={{ width: 110 }} value={q.year} onChange={(v?: number) => update({ year: v })} options={years.map((y) => ({ value: y, label: String(y) }))} />
          <AreaSelect value={q.area} onChange={(v) => update({ area: v })} placeholder={t('cases.area')} style={{ width: 220 }} />
        </Space>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Table<AlertView>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          className="jz-table"
          data-testid="alerts-table"
          expandable={{ expandedRowRender: (a) => <ParamList params={a.params} />, rowExpandable: (a) => a.params.length > 0 }}
          onChange={(p) => update({ page: p.current === 1 ? undefined : p.current, pageSize: p.pageSize === 20 ? undefined : p.pageSize }, false)}
          pagination={{ current: q.page, pageSize: q.pageSize, total: data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (n) => t('alerts.total', { total: n.toLocaleString('zh-CN') }) }}
        />
      </Card>
      {can('monitor.scan') && <ScanPanel onScanned={() => setReload((n) => n + 1)} />}
      {can('monitor.scan') && <DepartmentUpload kinds={kinds} />}
      {rules.length > 0 && (
        <Card size="small" title={t('alerts.rules')}>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {rules.map((r) => <li key={r.key}><strong>{pick(r.label)}</strong>：{pick(r.description)}</li>)}
          </ul>
        </Card>
      )}
      <Modal
        open={!!dismissing}
        title={dismissing ? t('alerts.dismissTitle', { name: dismissing.headName }) : ''}
        onCancel={() => setDismissing(null)}
        onOk={() => void dismiss()}
        okText={t('alerts.dismiss')}
        cancelText={t('common.cancel')}
        forceRender
      >
        {dismissProblem && <Alert type="error" showIcon title={dismissProblem} style={{ marginBottom: 12 }} />}
        {dismissing && <Typography.Paragraph type="secondary">{pick(dismissing.reason)}</Typography.Paragraph>}
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('alerts.dismissReason')} rules={[{ required: true, whitespace: true, message: t('alerts.dismissReasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="dismiss-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
