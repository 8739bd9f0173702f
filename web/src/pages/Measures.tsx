// 帮扶措施台账: the measures of the actor's area with filters (area, year, channel, type, project),
// the total, and export to Excel; county measure types (add, deactivate) for roles that keep them.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, saveBlob } from '../api/client';
import { useSession } from '../session';
import { pick } from '../i18n';
import { fmtMoney } from '../links';
import AreaSelect from '../cases/AreaSelect';
import { useSave } from '../household/useSave';
import { ProblemNotice } from '../household/ConflictNotice';
import { useCatalogue } from '../assistance/useCatalogue';
import type { Measure, MeasurePage, MeasureType, MeasureTypeBody } from '../assistance/measure-types';

interface Filters {
  area?: string;
  year?: number;
  channel?: string;
  type?: string;
  project?: number;
}

function CountyTypes() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const catalogue = useCatalogue(true);
  const [form] = Form.useForm();
  const fields = ['code', 'channel', 'nameZh', 'nameEn', 'unitZh', 'unitEn', 'target', 'incomeComponent', 'countyCode'] as const;
  const { save, saving, problem } = useSave(form, fields);
  const own = catalogue.types.filter((x) => x.countyCode !== null);

  const add = async (values: Record<string, unknown>) => {
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as MeasureTypeBody;
    const saved = await save(() => call<MeasureType>(api.POST('/api/v1/measure-types', { body })));
    if (saved) {
      message.success(t('measures.typeAdded', { code: saved.code }));
      form.resetFields();
      void catalogue.reload();
    }
  };
  const toggle = async (x: MeasureType, active: boolean) => {
    try {
      await call(api.PATCH('/api/v1/measure-types/{code}', { params: { path: { code: x.code } }, body: { active } }));
      void catalogue.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };

  return (
    <Card title={t('measures.countyTypes')} data-testid="county-types">
      <Typography.Paragraph type="secondary">{t('measures.countyTypesHelp')}</Typography.Paragraph>
      <Table<MeasureType>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={own}
        locale={{ emptyText: t('measures.noCountyTypes') }}
        columns={[
          { key: 'code', title: t('measures.code'), dataIndex: 'code', render: (v: string) => <span className="jz-mono">{v}</span> },
          { key: 'channel', title: t('measures.channel'), render: (_, x) => catalogue.channelOptions.find((c) => c.value === x.channel)?.label },
          { key: 'name', title: t('measures.typeName'), render: (_, x) => pick(x.name) },
          { key: 'unit', title: t('measures.unit'), render: (_, x) => pick(x.unit) },
          { key: 'target', title: t('measures.target'), render: (_, x) => t(`measures.targets.${x.target}`) },
          { key: 'component', title: t('measures.incomeComponent'), render: (_, x) => catalogue.componentOptions.find((c) => c.value === x.incomeComponent)?.label },
          { key: 'active', title: t('measures.active'), render: (_, x) => <Switch checked={x.active} onChange={(v) => void toggle(x, v)} aria-label={t('measures.active')} /> },
        ]}
      />
      {problem && <div style={{ marginTop: 12 }}><ProblemNotice title={problem.title} issues={problem.issues} scroll={problem.scroll} /></div>}
      <Form form={form} layout="vertical" onFinish={add} style={{ marginTop: 12 }} initialValues={{ target: 'household' }}>
        <Row gutter={12}>
          <Col xs={12} md={6}><Form.Item name="code" label={t('measures.code')} extra={t('measures.codeHelp')}><Input /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="channel" label={t('measures.channel')}><Select options={catalogue.channelOptions} /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="nameZh" label={t('measures.nameZh')}><Input /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="nameEn" label={t('measures.nameEn')}><Input /></Form.Item></Col>
          <Col xs={12} md={4}><Form.Item name="unitZh" label={t('measures.unitZh')}><Input /></Form.Item></Col>
          <Col xs={12} md={4}><Form.Item name="unitEn" label={t('measures.unitEn')}><Input /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="target" label={t('measures.target')}><Select options={['household', 'member'].map((v) => ({ value: v, label: t(`measures.targets.${v}`) }))} /></Form.Item></Col>
          <Col xs={12} md={6}><Form.Item name="incomeComponent" label={t('measures.incomeComponent')}><Select options={catalogue.componentOptions} /></Form.Item></Col>
          <Col xs={12} md={4}><Form.Item label=" "><Button htmlType="submit" icon={<PlusOutlined />} loading={saving}>{t('measures.addType')}</Button></Form.Item></Col>
        </Row>
      </Form>
    </Card>
  );
}

export default function Measures() {
  const { t } = useTranslation();
  const { can } = useSession();
  const catalogue = useCatalogue();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<MeasurePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await call<MeasurePage>(api.GET('/api/v1/measures', { params: { query: { ...filters, channel: filters.channel as never, ...page } } })));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [filters, page, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, page: 1 }));
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const r = await api.GET('/api/v1/measures/export', { params: { query: { ...filters, channel: filters.channel as never } }, parseAs: 'blob' });
      if (!r.response.ok) throw new ApiError(r.response.status, (r.error as { error: never } | undefined)?.error ?? { code: 'x', zh: t('common.unexpected'), en: t('common.unexpected') });
      saveBlob(r.data as Blob, r.response, 'measures.xlsx');
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    } finally {
      setExporting(false);
    }
  };

  const typeOptions = filters.channel ? catalogue.typeOptions.filter((g) => g.label === catalogue.channelOptions.find((c) => c.value === filters.channel)?.label) : catalogue.typeOptions;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('measures.ledgerTitle')}</Typography.Title>}>
        <Space wrap style={{ marginBottom: 12 }}>
          <AreaSelect value={filters.area} onChange={(area) => set({ area })} placeholder={t('measures.area')} style={{ width: 220 }} />
          <InputNumber aria-label={t('measures.year')} placeholder={t('measures.year')} min={2010} max={2100} precision={0} value={filters.year} onChange={(v) => set({ year: v ?? undefined })} style={{ width: 110 }} data-testid="ledger-year" />
          <Select aria-label={t('measures.channel')} placeholder={t('measures.channel')} allowClear value={filters.channel} onChange={(channel) => set({ channel, type: undefined })} options={catalogue.channelOptions} style={{ width: 170 }} />
          <Select aria-label={t('measures.type')} placeholder={t('measures.type')} allowClear showSearch optionFilterProp="label" value={filters.type} onChange={(type) => set({ type })} options={typeOptions} style={{ width: 240 }} />
          <InputNumber aria-label={t('measures.projectId')} placeholder={t('measures.projectId')} min={1} precision={0} value={filters.project} onChange={(v) => set({ project: v ?? undefined })} style={{ width: 120 }} />
          {can('register.export') && <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="ledger-export">{t('measures.export')}</Button>}
        </Space>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Typography.Paragraph data-testid="ledger-summary">{data ? t('measures.ledgerSummary', { n: data.total, amount: fmtMoney(data.totalAmount) }) : ''}</Typography.Paragraph>
        <Table<Measure>
          rowKey="id"
          size="small"
          loading={!data}
          dataSource={data?.items ?? []}
          scroll={{ x: 'max-content' }}
          className="jz-table"
          data-testid="ledger-table"
          pagination={{ current: page.page, pageSize: page.pageSize, total: data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => setPage({ page: p, pageSize: s }) }}
          columns={[
            { key: 'village', title: t('measures.village'), render: (_, m) => m.villageName ?? m.villageCode },
            { key: 'household', title: t('measures.household'), render: (_, m) => <Link to={`/households/${m.householdId}`}>{m.householdNo} {m.headName}</Link> },
            { key: 'member', title: t('measures.member'), dataIndex: 'memberName', render: (v: string | null) => v ?? '—' },
            { key: 'year', title: t('measures.year'), dataIndex: 'year' },
            { key: 'channel', title: t('measures.channel'), render: (_, m) => <Tag>{pick(m.channelLabel)}</Tag> },
            { key: 'type', title: t('measures.type'), render: (_, m) => pick(m.typeName) },
            { key: 'quantity', title: t('measures.quantity'), align: 'right', render: (_, m) => (m.quantity == null ? '—' : `${m.quantity} ${pick(m.unit)}`) },
            { key: 'amount', title: t('measures.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => fmtMoney(v) },
            { key: 'component', title: t('measures.incomeComponent'), render: (_, m) => pick(m.incomeComponentLabel) },
            { key: 'project', title: t('measures.project'), render: (_, m) => m.projectName ?? '—' },
            { key: 'fund', title: t('measures.fundSource'), render: (_, m) => (m.fundSourceLabel ? pick(m.fundSourceLabel) : '—') },
          ]}
        />
      </Card>
      {can('assistance.manage') && <CountyTypes />}
    </Space>
  );
}
