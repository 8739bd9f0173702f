// 第三方评估: the evaluation plans the account may read (members see their plans, the city's
// supervisors every plan of their area), each opening its plan page; inspectors create plans here
// (county, year, name, optional published seed, sample sizes).
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Col, Form, Input, InputNumber, Modal, Row, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, type ApiIssue } from '../api/client';
import AreaSelect from '../cases/AreaSelect';
import { ProblemNotice } from '../household/ConflictNotice';
import { applyIssues } from '../household/issues';
import { pick } from '../i18n';
import { useSession } from '../session';
import { errorText } from '../projects/errors';
import { STATUS_COLOR, type PlanView } from '../assessment/types';

interface NewValues {
  county?: string;
  year?: number;
  name?: string;
  seed?: string;
  poor?: number;
  nonPoor?: number;
  exited?: number;
  remaining?: number;
  nonRegistered?: number;
  poorVillages?: string;
}
const FIELDS = ['county', 'year', 'name', 'seed', 'poor', 'nonPoor', 'exited', 'remaining', 'nonRegistered', 'poorVillages'] as const;

/** 12-digit village codes typed or pasted from Excel (commas, spaces, new lines, 、). */
function villageCodes(text: string | undefined): string[] | null {
  const codes = (text ?? '').split(/[\s,，、;；]+/).map((c) => c.trim()).filter(Boolean);
  return codes.length ? codes : null;
}
const DEFAULTS: NewValues = { year: new Date().getFullYear() - 1, poor: 2, nonPoor: 1, exited: 10, remaining: 5, nonRegistered: 5 };

function NewPlan({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[] } | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setProblem(null);
    }
  }, [open, form]);
  const submit = async () => {
    const v = form.getFieldsValue();
    setBusy(true);
    setProblem(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    try {
      const p = await call<PlanView>(api.POST('/api/v1/assessment/plans', {
        body: {
          county: v.county ?? '', year: v.year ?? 0, name: (v.name ?? '').trim(), ...(v.seed?.trim() ? { seed: v.seed.trim() } : {}),
          poorVillages: villageCodes(v.poorVillages),
          sizes: {
            villages: { poor: v.poor ?? 0, nonPoor: v.nonPoor ?? 0 },
            households: { exited: v.exited ?? 0, remaining: v.remaining ?? 0, nonRegistered: v.nonRegistered ?? 0 },
          },
        },
      }));
      onCreated(p.id);
    } catch (e) {
      if (e instanceof ApiError) setProblem({ title: pick(e.body), issues: applyIssues(form, e.issues, FIELDS) });
      else setProblem({ title: t('common.unexpected'), issues: [] });
    } finally {
      setBusy(false);
    }
  };
  const num = (name: keyof NewValues, label: string, max: number) => (
    <Col xs={12} sm={8}>
      <Form.Item name={name} label={label}><InputNumber min={0} max={max} precision={0} style={{ width: '100%' }} /></Form.Item>
    </Col>
  );
  return (
    <Modal open={open} title={t('assessment.newPlan')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t('assessment.create')} cancelText={t('common.cancel')} destroyOnHidden width={640}>
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={false} testId="plan-form-error" />}
      <Form form={form} layout="vertical" initialValues={DEFAULTS} data-testid="plan-form">
        <Form.Item name="county" label={t('assessment.county')} extra={t('assessment.countyHint')} rules={[{ required: true, message: t('assessment.required') }]}>
          <AreaSelect onChange={(c) => form.setFieldValue('county', c)} placeholder={t('assessment.county')} style={{ width: '100%' }} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}><Form.Item name="year" label={t('assessment.year')}><InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
          <Col xs={24} sm={16}><Form.Item name="name" label={t('assessment.name')}><Input maxLength={200} /></Form.Item></Col>
        </Row>
        <Form.Item name="seed" label={t('assessment.seed')} extra={t('assessment.seedHint')}><Input maxLength={200} /></Form.Item>
        <Typography.Text strong>{t('assessment.sizesVillages')}</Typography.Text>
        <Row gutter={12}>
          {num('poor', t('assessment.kind.poor'), 200)}
          {num('nonPoor', t('assessment.kind.nonPoor'), 200)}
        </Row>
        <Typography.Text strong>{t('assessment.sizesHouseholds')}</Typography.Text>
        <Row gutter={12}>
          {num('exited', t('assessment.stratum.exited'), 500)}
          {num('remaining', t('assessment.stratum.remaining'), 500)}
          {num('nonRegistered', t('assessment.stratum.nonRegistered'), 500)}
        </Row>
        <Form.Item name="poorVillages" label={t('assessment.poorVillages')} extra={t('assessment.poorVillagesHint')}>
          <Input.TextArea rows={2} placeholder="150524100001, 150524100002 …" data-testid="plan-poor-villages" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Assessment() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<PlanView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await call<{ items: PlanView[] }>(api.GET('/api/v1/assessment/plans', { params: { query: {} } }))).items);
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
      setItems([]);
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div>
      <Typography.Title level={3}>{t('assessment.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('assessment.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        {can('assessment.manage') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-plan">{t('assessment.newPlan')}</Button>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="middle"
        loading={items === null}
        dataSource={items ?? []}
        data-testid="plans-table"
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('assessment.noPlans') }}
        onRow={(p) => ({ onClick: () => navigate(`/assessment/${p.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { key: 'id', title: t('assessment.planNo'), dataIndex: 'id' },
          { key: 'name', title: t('assessment.name'), render: (_, p) => <Link to={`/assessment/${p.id}`} data-testid={`plan-${p.id}`}>{p.name}</Link> },
          { key: 'county', title: t('assessment.county'), render: (_, p) => `${p.countyName}（${p.countyCode}）` },
          { key: 'year', title: t('assessment.year'), dataIndex: 'year' },
          { key: 'status', title: t('assessment.status'), render: (_, p) => <Tag color={STATUS_COLOR[p.status]}>{pick(p.statusLabel)}</Tag> },
          { key: 'seed', title: t('assessment.seed'), render: (_, p) => <Typography.Text code copyable={{ text: p.seed }} style={{ maxWidth: 220 }} ellipsis>{p.seed}</Typography.Text> },
          { key: 'samples', title: t('assessment.samples'), align: 'right', dataIndex: 'samples' },
          { key: 'surveys', title: t('assessment.surveys'), align: 'right', dataIndex: 'surveys' },
        ]}
      />
      <NewPlan
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          message.success(t('assessment.created'));
          navigate(`/assessment/${id}`);
        }}
      />
    </div>
  );
}
