// The assets a project created and their income: each asset expands to its incomes by period; a
// solar station's income shows the village decision computed by the solar calculator (every line
// with its arithmetic) and the rows it wrote to the measures ledger. Writers record new assets and
// incomes; for a solar station the form takes the shares by purpose and the recipients.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import ResultView, { fmtYuan, type CalcResult } from '../calculators/Result';
import { pick } from '../i18n';
import { errorText } from './errors';
import type { AssetView, Codes, IncomeView, ProjectFile } from './types';

const PURPOSES = ['jobs', 'works', 'rewards', 'subsidies'] as const;

function NewAsset({ project, codes, onDone }: { project: ProjectFile; codes: Codes; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { kind: string; name: string; villageCode: string; capacity?: number; value?: number; completedOn?: Dayjs }) => {
    setError(null);
    try {
      await call(api.POST('/api/v1/assets', {
        body: { projectId: project.id, kind: v.kind as never, name: v.name, villageCode: v.villageCode, capacity: v.capacity ?? null, value: v.value ?? null, completedOn: v.completedOn ? v.completedOn.format('YYYY-MM-DD') : null },
      }));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} style={{ marginTop: 8, rowGap: 8 }} data-testid="asset-form">
      <Form.Item name="kind" rules={[{ required: true, message: t('projects.required') }]}>
        <Select aria-label={t('projects.assetKind')} placeholder={t('projects.assetKind')} style={{ width: 160 }} options={codes.assetKinds.map((k) => ({ value: k.key, label: pick(k.label) }))} />
      </Form.Item>
      <Form.Item name="name" rules={[{ required: true, message: t('projects.required') }]}>
        <Input aria-label={t('projects.assetName')} placeholder={t('projects.assetName')} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="villageCode" rules={[{ required: true, message: t('projects.required') }]}>
        {project.villages.length
          ? <Select aria-label={t('projects.village')} placeholder={t('projects.village')} style={{ width: 160 }} options={project.villages.map((v) => ({ value: v.code, label: v.name }))} />
          : <Input aria-label={t('projects.villageCode')} placeholder={t('projects.villageCode')} style={{ width: 160 }} />}
      </Form.Item>
      <Form.Item name="capacity"><InputNumber aria-label={t('projects.capacity')} placeholder={t('projects.capacity')} min={0.01} precision={2} /></Form.Item>
      <Form.Item name="value"><InputNumber aria-label={t('projects.value')} placeholder={t('projects.value')} min={0} precision={2} /></Form.Item>
      <Form.Item name="completedOn"><DatePicker aria-label={t('projects.completedOn')} placeholder={t('projects.completedOn')} /></Form.Item>
      <Button htmlType="submit">{t('projects.addAsset')}</Button>
      {error && <Alert type="error" showIcon title={error} style={{ width: '100%' }} />}
    </Form>
  );
}

interface IncomeForm {
  year: number;
  quarter?: number;
  amount: number;
  decidedOn?: Dayjs;
  decisionNote?: string;
  fundSource?: string;
  shares?: Record<string, number | undefined>;
  noLabourFactor?: number;
  recipients?: { purpose: string; name?: string; weight?: number; householdId?: number; memberId?: number; noLabour?: boolean }[];
}

function NewIncome({ asset, codes, budgets, onDone }: { asset: AssetView; codes: Codes; budgets: ProjectFile['budgets']; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<IncomeForm>();
  const [error, setError] = useState<string | null>(null);
  const solar = asset.kind === 'solar_station';
  const submit = async (v: IncomeForm) => {
    setError(null);
    try {
      await call(api.POST('/api/v1/assets/{id}/incomes', {
        params: { path: { id: asset.id } },
        body: {
          year: v.year, quarter: v.quarter ?? null, amount: v.amount, decidedOn: v.decidedOn ? v.decidedOn.format('YYYY-MM-DD') : null, decisionNote: v.decisionNote ?? null,
          ...(solar && v.fundSource ? { fundSource: v.fundSource as never } : {}),
          distribution: solar ? {
            shares: Object.fromEntries(PURPOSES.map((p) => [p, v.shares?.[p] ?? 0])),
            noLabourFactor: v.noLabourFactor ?? 1,
            recipients: (v.recipients ?? []).map((r) => ({
              purpose: r.purpose as never, ...(r.name ? { name: r.name } : {}), ...(r.weight ? { weight: r.weight } : {}),
              householdId: r.householdId ?? null, memberId: r.memberId ?? null, ...(r.noLabour ? { noLabour: true } : {}),
            })),
          } : null,
        },
      }));
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  };
  return (
    <Card size="small" title={t('projects.recordIncome')} data-testid={`income-form-${asset.id}`}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ year: new Date().getFullYear(), noLabourFactor: 2, recipients: [] }}>
        <Space wrap>
          <Form.Item name="year" label={t('projects.year')} rules={[{ required: true, message: t('projects.required') }]}><InputNumber min={2000} max={2100} precision={0} /></Form.Item>
          <Form.Item name="quarter" label={t('projects.quarter')} rules={solar ? [{ required: true, message: t('projects.required') }] : []}>
            <Select style={{ width: 100 }} allowClear options={[1, 2, 3, 4].map((q) => ({ value: q, label: `Q${q}` }))} />
          </Form.Item>
          <Form.Item name="amount" label={t('projects.incomeAmount')} rules={[{ required: true, message: t('projects.required') }]}><InputNumber min={0} precision={2} style={{ width: 160 }} /></Form.Item>
          <Form.Item name="decidedOn" label={t('projects.decidedOn')}><DatePicker /></Form.Item>
          <Form.Item name="decisionNote" label={t('projects.decisionNote')}><Input style={{ width: 240 }} /></Form.Item>
          {/* Ledger rows name one of the project's budget sources: asked only when it has several. */}
          {solar && budgets.length > 1 && (
            <Form.Item name="fundSource" label={t('projects.fundSource')} rules={[{ required: true, message: t('projects.required') }]}>
              <Select style={{ width: 220 }} options={budgets.map((b) => ({ value: b.fundSource, label: pick(b.fundSourceLabel) }))} />
            </Form.Item>
          )}
        </Space>
        {solar && (
          <>
            <Space wrap>
              {PURPOSES.map((p) => (
                <Form.Item key={p} name={['shares', p]} label={`${pick(codes.purposes.find((x) => x.key === p)?.label)} %`}>
                  <InputNumber min={0} max={100} precision={2} style={{ width: 110 }} />
                </Form.Item>
              ))}
              <Form.Item name="noLabourFactor" label={t('projects.noLabourFactor')}><InputNumber min={1} max={10} precision={2} /></Form.Item>
            </Space>
            <Form.List name="recipients">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} wrap align="baseline">
                      <Form.Item name={[f.name, 'purpose']} rules={[{ required: true, message: t('projects.required') }]}>
                        <Select aria-label={t('projects.purpose')} placeholder={t('projects.purpose')} style={{ width: 140 }} options={codes.purposes.map((x) => ({ value: x.key, label: pick(x.label) }))} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'name']}><Input aria-label={t('projects.recipientName')} placeholder={t('projects.recipientName')} style={{ width: 160 }} /></Form.Item>
                      <Form.Item name={[f.name, 'weight']}><InputNumber aria-label={t('projects.weight')} placeholder={t('projects.weight')} min={0} precision={2} /></Form.Item>
                      <Form.Item name={[f.name, 'householdId']}><InputNumber aria-label={t('projects.householdId')} placeholder={t('projects.householdId')} min={1} precision={0} /></Form.Item>
                      <Form.Item name={[f.name, 'memberId']}><InputNumber aria-label={t('projects.memberId')} placeholder={t('projects.memberId')} min={1} precision={0} /></Form.Item>
                      <Form.Item name={[f.name, 'noLabour']} valuePropName="checked"><Checkbox>{t('projects.noLabour')}</Checkbox></Form.Item>
                      <MinusCircleOutlined aria-label={t('projects.remove')} onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ purpose: 'rewards' })}>{t('projects.addRecipient')}</Button>
                </>
              )}
            </Form.List>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('projects.recipientsHint')}</Typography.Paragraph>
          </>
        )}
        <Button type="primary" htmlType="submit">{t('projects.recordIncome')}</Button>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid="income-error" />}
      </Form>
    </Card>
  );
}

function Incomes({ asset, codes, budgets, write, onChanged }: { asset: AssetView; codes: Codes; budgets: ProjectFile['budgets']; write: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<IncomeView[] | null>(null);
  const load = useCallback(async () => {
    try {
      setItems(await call<IncomeView[]>(api.GET('/api/v1/assets/{id}/incomes', { params: { path: { id: asset.id } } })));
    } catch {
      setItems([]);
    }
  }, [asset.id]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Table size="small" pagination={false} rowKey="id" dataSource={items ?? []} loading={items === null} data-testid={`incomes-${asset.id}`}
        columns={[
          { key: 'p', title: t('projects.period'), render: (_, i) => (i.quarter ? `${i.year} Q${i.quarter}` : String(i.year)) },
          { key: 'a', title: t('projects.incomeAmount'), align: 'right', render: (_, i) => fmtYuan(i.amount) },
          { key: 'd', title: t('projects.decidedOn'), render: (_, i) => i.decidedOn ?? '—' },
          { key: 'n', title: t('projects.decisionNote'), render: (_, i) => i.decisionNote ?? '' },
          { key: 'l', title: t('projects.ledgerRows'), render: (_, i) => (i.distribution ? i.distribution.ledger.length : '—') },
        ]}
        expandable={{
          rowExpandable: (i) => i.distribution !== null,
          expandedRowRender: (i) => i.distribution && (
            <div data-testid={`distribution-${i.id}`}>
              <ResultView result={i.distribution.result as CalcResult} />
            </div>
          ),
        }}
      />
      {write && <NewIncome asset={asset} codes={codes} budgets={budgets} onDone={() => { void load(); onChanged(); }} />}
    </Space>
  );
}

export default function AssetsPanel({ project, codes, write, onChanged }: { project: ProjectFile; codes: Codes; write: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Title level={5}>{t('projects.assets')}</Typography.Title>
      <Table size="small" pagination={false} rowKey="id" dataSource={project.assets} data-testid="assets-table"
        columns={[
          { key: 'n', title: t('projects.assetName'), dataIndex: 'name' },
          { key: 'k', title: t('projects.assetKind'), render: (_, a) => pick(a.kindLabel) },
          { key: 'v', title: t('projects.village'), render: (_, a) => a.villageName ?? a.villageCode },
          { key: 'c', title: t('projects.capacity'), align: 'right', render: (_, a) => (a.capacity === null ? '—' : `${a.capacity} ${pick(codes.assetKinds.find((k) => k.key === a.kind)?.unit)}`) },
          { key: 'val', title: t('projects.value'), align: 'right', render: (_, a) => fmtYuan(a.value) },
          { key: 'i', title: t('projects.incomeTotal'), align: 'right', render: (_, a) => fmtYuan(a.incomeTotal) },
        ]}
        expandable={{ expandedRowRender: (a) => <Incomes asset={a} codes={codes} budgets={project.budgets} write={write} onChanged={onChanged} /> }}
      />
      {write && <NewAsset project={project} codes={codes} onDone={onChanged} />}
    </div>
  );
}
