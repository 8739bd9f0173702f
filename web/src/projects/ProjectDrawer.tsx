// One project in a drawer: its fields and status moves, budgets by fund source with the form to set
// one, disbursements with the form to pay (a refusal shows the server's numbers), beneficiaries
// (利益联结) and assets with their income (AssetsPanel). Buttons follow projects.write; the server
// refuses anyway.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { fmtYuan } from '../calculators/Result';
import { pick } from '../i18n';
import { useSession } from '../session';
import AssetsPanel from './AssetsPanel';
import { errorText } from './errors';
import { STATUS_COLOR, type Codes, type ProjectFile } from './types';

const day = (d: Dayjs | null | undefined): string | undefined => (d ? d.format('YYYY-MM-DD') : undefined);

function BudgetForm({ project, codes, onDone }: { project: ProjectFile; codes: Codes; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ fundSource: string; amount: number }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { fundSource: string; amount: number }) => {
    setError(null);
    try {
      await call(api.PUT('/api/v1/projects/{id}/budgets', { params: { path: { id: project.id } }, body: v as never }));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} data-testid="budget-form" style={{ marginTop: 8 }}>
      <Form.Item name="fundSource" rules={[{ required: true, message: t('projects.required') }]}>
        <Select aria-label={t('projects.fundSource')} placeholder={t('projects.fundSource')} style={{ width: 240 }} options={codes.fundSources.map((f) => ({ value: f.key, label: pick(f.label) }))} />
      </Form.Item>
      <Form.Item name="amount" rules={[{ required: true, message: t('projects.required') }]}>
        <InputNumber aria-label={t('projects.allocated')} placeholder={t('projects.allocated')} min={0} precision={2} style={{ width: 160 }} />
      </Form.Item>
      <Button htmlType="submit">{t('projects.setBudget')}</Button>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8, width: '100%' }} data-testid="budget-error" />}
    </Form>
  );
}

interface PayValues { fundSource: string; amount: number; paidOn: Dayjs; payee: string; voucherNo?: string }

function DisburseForm({ project, onDone }: { project: ProjectFile; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PayValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: PayValues) => {
    setError(null);
    setBusy(true);
    try {
      await call(api.POST('/api/v1/projects/{id}/disbursements', {
        params: { path: { id: project.id } },
        body: { fundSource: v.fundSource as never, amount: v.amount, paidOn: day(v.paidOn)!, payee: v.payee, voucherNo: v.voucherNo || null },
      }));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} data-testid="disburse-form" style={{ marginTop: 8, rowGap: 8 }}>
      <Form.Item name="fundSource" rules={[{ required: true, message: t('projects.required') }]}>
        <Select aria-label={t('projects.fundSource')} placeholder={t('projects.fundSource')} style={{ width: 220 }} options={project.budgets.map((b) => ({ value: b.fundSource, label: pick(b.fundSourceLabel) }))} />
      </Form.Item>
      <Form.Item name="amount" rules={[{ required: true, message: t('projects.required') }]}>
        <InputNumber aria-label={t('projects.amount')} placeholder={t('projects.amount')} min={0} precision={2} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="paidOn" rules={[{ required: true, message: t('projects.required') }]}>
        <DatePicker aria-label={t('projects.paidOn')} placeholder={t('projects.paidOn')} />
      </Form.Item>
      <Form.Item name="payee" rules={[{ required: true, message: t('projects.required') }]}>
        <Input aria-label={t('projects.payee')} placeholder={t('projects.payee')} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="voucherNo">
        <Input aria-label={t('projects.voucherNo')} placeholder={t('projects.voucherNo')} style={{ width: 120 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="disburse-submit">{t('projects.disburse')}</Button>
      {error && <Alert type="error" showIcon title={t('projects.refused')} description={error} style={{ marginTop: 8, width: '100%' }} data-testid="disburse-error" />}
    </Form>
  );
}

function BeneficiaryForm({ project, codes, onDone }: { project: ProjectFile; codes: Codes; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ householdId: number; linkKind: string; expectedBenefit?: number }>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { householdId: number; linkKind: string; expectedBenefit?: number }) => {
    setError(null);
    try {
      await call(api.POST('/api/v1/projects/{id}/beneficiaries', { params: { path: { id: project.id } }, body: { householdId: v.householdId, linkKind: v.linkKind as never, expectedBenefit: v.expectedBenefit ?? null } }));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} style={{ marginTop: 8 }} data-testid="beneficiary-form">
      <Form.Item name="householdId" rules={[{ required: true, message: t('projects.required') }]}>
        <InputNumber aria-label={t('projects.householdId')} placeholder={t('projects.householdId')} min={1} precision={0} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="linkKind" rules={[{ required: true, message: t('projects.required') }]}>
        <Select aria-label={t('projects.linkKind')} placeholder={t('projects.linkKind')} style={{ width: 160 }} options={codes.linkKinds.map((k) => ({ value: k.key, label: pick(k.label) }))} />
      </Form.Item>
      <Form.Item name="expectedBenefit">
        <InputNumber aria-label={t('projects.expectedBenefit')} placeholder={t('projects.expectedBenefit')} min={0} precision={2} style={{ width: 160 }} />
      </Form.Item>
      <Button htmlType="submit">{t('projects.addBeneficiary')}</Button>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8, width: '100%' }} />}
    </Form>
  );
}

export default function ProjectDrawer({ id, codes, onClose, onChanged }: { id: number | null; codes: Codes; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const write = can('projects.write');
  const [p, setP] = useState<ProjectFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (id === null) return;
    setError(null);
    try {
      setP(await call<ProjectFile>(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })));
    } catch (e) {
      setP(null);
      setError(errorText(e, t('common.unexpected')));
    }
  }, [id, t]);
  useEffect(() => {
    setP(null);
    void load();
  }, [load]);
  const changed = () => {
    void load();
    onChanged();
  };
  const move = async (status: string) => {
    if (!p) return;
    try {
      await call(api.POST('/api/v1/projects/{id}/status', { params: { path: { id: p.id } }, body: { status: status as never, version: p.version } }));
      message.success(t('projects.saved'));
      changed();
    } catch (e) {
      message.error(errorText(e, t('common.unexpected')));
      void load();
    }
  };
  const disclose = async (on: string | null) => {
    if (!p) return;
    try {
      await call(api.PUT('/api/v1/projects/{id}/disclosure', { params: { path: { id: p.id } }, body: { disclosedOn: on, disclosureNote: p.disclosureNote, version: p.version } }));
      changed();
    } catch (e) {
      message.error(errorText(e, t('common.unexpected')));
    }
  };
  const remove = async (householdId: number) => {
    if (!p) return;
    try {
      await call(api.DELETE('/api/v1/projects/{id}/beneficiaries/{householdId}', { params: { path: { id: p.id, householdId } } }));
      changed();
    } catch (e) {
      message.error(errorText(e, t('common.unexpected')));
    }
  };
  const statusName = (s: string) => pick(codes.statuses.find((x) => x.key === s)?.label);

  return (
    <Drawer open={id !== null} onClose={onClose} size="min(1100px, 100vw)" title={p ? p.name : t('projects.project')} destroyOnHidden data-testid="project-drawer">
      {error && <Alert type="error" showIcon title={error} />}
      {!p && !error && <Spin />}
      {p && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('projects.status')}><Tag color={STATUS_COLOR[p.status]} data-testid="project-status">{pick(p.statusLabel)}</Tag></Descriptions.Item>
            <Descriptions.Item label={t('projects.channel')}>{pick(p.channelLabel)}</Descriptions.Item>
            <Descriptions.Item label={t('projects.year')}>{p.year}</Descriptions.Item>
            <Descriptions.Item label={t('projects.county')}>{p.countyName ?? p.countyCode}</Descriptions.Item>
            <Descriptions.Item label={t('projects.villages')}>{p.villages.length ? p.villages.map((v) => v.name).join('、') : t('projects.countyWide')}</Descriptions.Item>
            <Descriptions.Item label={t('projects.implementer')}>{p.implementer ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.schedule')}>{p.startsOn ?? '—'} ~ {p.endsOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.disclosedOn')}>{p.disclosedOn ?? '—'} {p.disclosureNote ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('projects.description')} span={2}>{p.description || '—'}</Descriptions.Item>
          </Descriptions>
          {write && (
            <Space wrap>
              {p.allowedMoves.map((s) => (
                <Popconfirm key={s} title={t('projects.moveConfirm', { status: statusName(s) })} onConfirm={() => void move(s)}>
                  <Button danger={s === 'cancelled'} data-testid={`move-${s}`}>{t('projects.moveTo', { status: statusName(s) })}</Button>
                </Popconfirm>
              ))}
              <DatePicker aria-label={t('projects.disclosedOn')} placeholder={t('projects.setDisclosure')} onChange={(d) => d && void disclose(day(d)!)} />
              <Link to={`/projects/disclosure?year=${p.year}&area=${p.villages.length === 1 ? p.villages[0]!.code : p.countyCode}`}>{t('projects.disclosureList')}</Link>
            </Space>
          )}

          <div>
            <Typography.Title level={5}>{t('projects.budgets')}</Typography.Title>
            <Table size="small" pagination={false} rowKey="fundSource" dataSource={p.budgets} data-testid="budgets-table"
              columns={[
                { key: 's', title: t('projects.fundSource'), render: (_, b) => pick(b.fundSourceLabel) },
                { key: 'a', title: t('projects.allocated'), align: 'right', render: (_, b) => fmtYuan(b.allocated) },
                { key: 'd', title: t('projects.disbursed'), align: 'right', render: (_, b) => fmtYuan(b.disbursed) },
                { key: 'b', title: t('projects.balance'), align: 'right', render: (_, b) => fmtYuan(b.balance) },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>{t('projects.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">{fmtYuan(p.allocated)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">{fmtYuan(p.disbursed)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">{fmtYuan(p.balance)}</Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
            {write && <BudgetForm project={p} codes={codes} onDone={changed} />}
          </div>

          <div>
            <Typography.Title level={5}>{t('projects.disbursements')}</Typography.Title>
            <Table size="small" pagination={false} rowKey="id" dataSource={p.disbursements} data-testid="disbursements-table"
              columns={[
                { key: 'on', title: t('projects.paidOn'), dataIndex: 'paidOn' },
                { key: 's', title: t('projects.fundSource'), render: (_, d) => pick(d.fundSourceLabel) },
                { key: 'a', title: t('projects.amount'), align: 'right', render: (_, d) => fmtYuan(d.amount) },
                { key: 'p', title: t('projects.payee'), render: (_, d) => d.payee ?? '—' },
                { key: 'v', title: t('projects.voucherNo'), render: (_, d) => d.voucherNo ?? '' },
                { key: 'r', title: t('projects.recordedBy'), render: (_, d) => d.recordedBy ?? '—' },
              ]}
            />
            {write && (p.status === 'approved' || p.status === 'in_progress'
              ? <DisburseForm project={p} onDone={changed} />
              : <Typography.Text type="secondary">{t('projects.notPayable')}</Typography.Text>)}
          </div>

          <div>
            <Typography.Title level={5}>{t('projects.beneficiaries')} ({p.beneficiaryCount})</Typography.Title>
            {p.beneficiaries === null
              ? <Typography.Text type="secondary">{t('projects.beneficiariesHidden')}</Typography.Text>
              : (
                <Table size="small" pagination={false} rowKey="householdId" dataSource={p.beneficiaries} data-testid="beneficiaries-table"
                  columns={[
                    { key: 'no', title: t('projects.householdNo'), render: (_, b) => <Link to={`/households/${b.householdId}`}>{b.householdNo}</Link> },
                    { key: 'h', title: t('projects.head'), dataIndex: 'headName' },
                    { key: 'v', title: t('projects.village'), render: (_, b) => b.villageName ?? b.villageCode },
                    { key: 'k', title: t('projects.linkKind'), render: (_, b) => pick(b.linkKindLabel) },
                    { key: 'e', title: t('projects.expectedBenefit'), align: 'right', render: (_, b) => fmtYuan(b.expectedBenefit) },
                    ...(write ? [{ key: 'x', title: '', render: (_: unknown, b: { householdId: number }) => <Popconfirm title={t('projects.removeConfirm')} onConfirm={() => void remove(b.householdId)}><Button size="small" type="link" danger>{t('projects.remove')}</Button></Popconfirm> }] : []),
                  ]}
                />
              )}
            {write && <BeneficiaryForm project={p} codes={codes} onDone={changed} />}
          </div>

          <AssetsPanel project={p} codes={codes} write={write} onChanged={changed} />
        </Space>
      )}
    </Drawer>
  );
}
