// 项目库: the projects visible from the account's area, filtered by area, year, channel and status,
// with allocation, money paid, balance and beneficiary count; a project opens in a drawer
// (?id=…) with its budgets, disbursements, beneficiaries and assets. Writers create projects here.
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { fmtYuan } from '../calculators/Result';
import AreaSelect from '../cases/AreaSelect';
import { pick } from '../i18n';
import { useSession } from '../session';
import ProjectDrawer from '../projects/ProjectDrawer';
import { errorText } from '../projects/errors';
import { STATUS_COLOR, type Codes, type ProjectList } from '../projects/types';
import { useCodes } from '../projects/useCodes';

interface NewValues { name: string; channel: string; year: number; villageCodes?: string; implementer?: string; description?: string; range?: [Dayjs | null, Dayjs | null] }

function NewProject({ open, codes, onClose, onCreated }: { open: boolean; codes: Codes; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewValues>();
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: NewValues) => {
    setError(null);
    try {
      const p = await call<{ id: number }>(api.POST('/api/v1/projects', {
        body: {
          name: v.name, channel: v.channel as never, year: v.year, implementer: v.implementer || null, description: v.description ?? '',
          villageCodes: (v.villageCodes ?? '').split(/[\s,，、]+/).filter(Boolean),
          startsOn: v.range?.[0]?.format('YYYY-MM-DD') ?? null, endsOn: v.range?.[1]?.format('YYYY-MM-DD') ?? null,
        },
      }));
      form.resetFields();
      onCreated(p.id);
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  };
  return (
    <Modal open={open} title={t('projects.new')} onCancel={onClose} onOk={() => form.submit()} okText={t('projects.create')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ year: new Date().getFullYear() }} data-testid="project-form">
        <Form.Item name="name" label={t('projects.name')} rules={[{ required: true, message: t('projects.required') }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="channel" label={t('projects.channel')} rules={[{ required: true, message: t('projects.required') }]}>
          <Select options={codes.channels.map((c) => ({ value: c.key, label: pick(c.label) }))} />
        </Form.Item>
        <Form.Item name="year" label={t('projects.year')} rules={[{ required: true, message: t('projects.required') }]}><InputNumber min={2000} max={2100} precision={0} /></Form.Item>
        <Form.Item name="villageCodes" label={t('projects.villageCodes')} extra={t('projects.villageCodesHint')}><Input /></Form.Item>
        <Form.Item name="implementer" label={t('projects.implementer')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="range" label={t('projects.schedule')}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="description" label={t('projects.description')}><Input.TextArea rows={3} /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="project-form-error" />}
    </Modal>
  );
}

export default function Projects() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const codes = useCodes();
  const [data, setData] = useState<ProjectList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const area = params.get('area') ?? undefined;
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const channel = params.get('channel') ?? undefined;
  const status = params.get('status') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const openId = params.get('id') ? Number(params.get('id')) : null;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
    if (k !== 'page' && k !== 'id') next.delete('page');
    setParams(next, { replace: k !== 'id' });
  };
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await call<ProjectList>(api.GET('/api/v1/projects', { params: { query: { area, year, channel: channel as never, status: status as never, page, pageSize: 20 } } })));
    } catch (e) {
      setError(errorText(e, t('common.unexpected')));
    }
  }, [area, year, channel, status, page, t]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div>
      <Typography.Title level={3}>{t('projects.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('projects.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <AreaSelect value={area} onChange={(v) => set('area', v)} placeholder={t('projects.area')} style={{ width: 220 }} />
        <InputNumber aria-label={t('projects.year')} placeholder={t('projects.year')} min={2000} max={2100} precision={0} value={year ?? null} onChange={(v) => set('year', v ? String(v) : undefined)} />
        <Select aria-label={t('projects.channel')} placeholder={t('projects.channel')} allowClear style={{ width: 180 }} value={channel} onChange={(v) => set('channel', v)} options={(codes?.channels ?? []).map((c) => ({ value: c.key, label: pick(c.label) }))} />
        <Select aria-label={t('projects.status')} placeholder={t('projects.status')} allowClear style={{ width: 140 }} value={status} onChange={(v) => set('status', v)} options={(codes?.statuses ?? []).map((c) => ({ value: c.key, label: pick(c.label) }))} />
        {can('projects.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-project">{t('projects.new')}</Button>}
        <Link to="/funds">{t('projects.fundsLink')}</Link>
        <Link to={`/projects/disclosure?year=${year ?? new Date().getFullYear()}${area ? `&area=${area}` : ''}`}>{t('projects.disclosureList')}</Link>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="middle"
        loading={data === null && !error}
        dataSource={data?.items ?? []}
        data-testid="projects-table"
        onRow={(r) => ({ onClick: () => set('id', String(r.id)), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, showSizeChanger: false, onChange: (p) => set('page', String(p)) }}
        columns={[
          { key: 'name', title: t('projects.name'), render: (_, p) => <a data-testid={`project-${p.id}`}>{p.name}</a> },
          { key: 'year', title: t('projects.year'), dataIndex: 'year' },
          { key: 'channel', title: t('projects.channel'), render: (_, p) => pick(p.channelLabel) },
          { key: 'villages', title: t('projects.villages'), render: (_, p) => (p.villages.length === 0 ? t('projects.countyWide') : p.villages.length <= 3 ? p.villages.map((v) => v.name).join('、') : t('projects.villagesMore', { names: p.villages.slice(0, 3).map((v) => v.name).join('、'), n: p.villages.length })) },
          { key: 'status', title: t('projects.status'), render: (_, p) => <Tag color={STATUS_COLOR[p.status]}>{pick(p.statusLabel)}</Tag> },
          { key: 'allocated', title: t('projects.allocated'), align: 'right', render: (_, p) => fmtYuan(p.allocated) },
          { key: 'disbursed', title: t('projects.disbursed'), align: 'right', render: (_, p) => fmtYuan(p.disbursed) },
          { key: 'balance', title: t('projects.balance'), align: 'right', render: (_, p) => fmtYuan(p.balance) },
          { key: 'beneficiaries', title: t('projects.beneficiaryCount'), align: 'right', dataIndex: 'beneficiaryCount' },
        ]}
      />
      {codes && (
        <>
          <NewProject open={creating} codes={codes} onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); message.success(t('projects.saved')); void load(); set('id', String(id)); }} />
          <ProjectDrawer id={openId} codes={codes} onClose={() => set('id', undefined)} onChanged={() => void load()} />
        </>
      )}
    </div>
  );
}
