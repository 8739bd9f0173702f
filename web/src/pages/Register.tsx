// 建档立卡: area tree, filters, server-side sorted and paginated household table, export.
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Col, Input, InputNumber, Popover, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, saveBlob } from '../api/client';
import type { HouseholdListItem, HouseholdPage } from '../api/types';
import AreaTree from '../components/AreaTree';
import { useCodes, useSession } from '../session';
import { pick } from '../i18n';
import { fmtMoney, STATUS_COLOR } from '../links';

const SORTS = ['householdNo', 'headName', 'size', 'perCapitaIncome', 'identifiedOn', 'exitYear'] as const;
type Sort = (typeof SORTS)[number];
const COLUMNS_KEY = 'jingzhun.register.columns';
const ALL_COLUMNS = ['householdNo', 'headName', 'headIdNumber', 'area', 'size', 'attribute', 'exitStatus', 'mainCause', 'identifiedOn', 'exitYear', 'perCapitaIncome'] as const;
const DEFAULT_HIDDEN = ['identifiedOn'];


function savedColumns(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  } catch {
    /* ignore */
  }
  return ALL_COLUMNS.filter((c) => !DEFAULT_HIDDEN.includes(c));
}

export default function Register() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const codes = useCodes();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<HouseholdPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [visible, setVisible] = useState<string[]>(savedColumns);
  const [exporting, setExporting] = useState(false);
  const [qText, setQText] = useState(params.get('q') ?? '');

  const q = {
    area: params.get('area') ?? undefined,
    status: params.get('status') ?? undefined,
    attribute: params.get('attribute') ?? undefined,
    cause: params.get('cause') ?? undefined,
    year: params.get('year') ? Number(params.get('year')) : undefined,
    q: params.get('q') ?? undefined,
    sort: (SORTS as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as Sort) : undefined,
    order: params.get('order') === 'desc' ? ('desc' as const) : params.get('order') === 'asc' ? ('asc' as const) : undefined,
    page: Number(params.get('page') ?? 1) || 1,
    pageSize: Number(params.get('pageSize') ?? 20) || 20,
  };
  const key = params.toString();

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    call<HouseholdPage>(api.GET('/api/v1/households', { params: { query: q } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => setQText(params.get('q') ?? ''), [params]);

  const update = (changes: Record<string, string | number | undefined | null>, resetPage = true) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (resetPage) next.delete('page');
    setParams(next);
  };

  const onTable: TableProps<HouseholdListItem>['onChange'] = (pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = s?.order ? String(s.columnKey ?? s.field ?? '') : '';
    const sortChanged = (field || undefined) !== q.sort || (s?.order === 'descend' ? 'desc' : s?.order === 'ascend' ? 'asc' : undefined) !== q.order;
    update({
      sort: field || undefined,
      order: s?.order === 'descend' ? 'desc' : s?.order === 'ascend' ? 'asc' : undefined,
      page: sortChanged ? undefined : pagination.current,
      pageSize: pagination.pageSize,
    }, false);
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const area = q.area ?? (me?.user.areaCode && me.user.areaCode !== '*' ? me.user.areaCode : '1505');
      const r = await api.GET('/api/v1/exports/households', {
        params: { query: { area, format: 'xlsx', status: q.status, attribute: q.attribute, cause: q.cause, year: q.year } },
        parseAs: 'blob',
      });
      if (!r.response.ok) throw new ApiError(r.response.status, (r.error as unknown as { error: { code: string; zh: string; en: string } }).error);
      saveBlob(r.data as unknown as Blob, r.response, `households-${area}.xlsx`);
      message.success(t('register.exported'));
    } catch (e) {
      message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    } finally {
      setExporting(false);
    }
  };

  const sortOrder = (k: Sort) => (q.sort === k ? (q.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns = useMemo(() => {
    const all: NonNullable<TableProps<HouseholdListItem>['columns']> = [
      { key: 'householdNo', title: t('household.householdNo'), dataIndex: 'householdNo', sorter: true, sortOrder: sortOrder('householdNo'), render: (v: string, r) => <Link to={`/households/${r.id}`}>{v}</Link> },
      { key: 'headName', title: t('household.headName'), dataIndex: 'headName', sorter: true, sortOrder: sortOrder('headName'), render: (v: string, r) => <Link to={`/households/${r.id}`}>{v}</Link> },
      { key: 'headIdNumber', title: t('household.headId'), dataIndex: 'headIdNumber', render: (v: string) => <span className="jz-mono">{v}</span> },
      { key: 'area', title: t('household.village'), render: (_: unknown, r) => `${r.townshipName} ${r.villageName}` },
      { key: 'size', title: t('household.size'), dataIndex: 'size', sorter: true, sortOrder: sortOrder('size'), align: 'right' },
      { key: 'attribute', title: t('household.attribute'), dataIndex: 'attribute', render: (v: string) => codes.label('attribute', v) },
      { key: 'exitStatus', title: t('household.exitStatus'), dataIndex: 'exitStatus', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{codes.label('exitStatus', v)}</Tag> },
      { key: 'mainCause', title: t('household.mainCause'), dataIndex: 'mainCause', render: (v: string | null) => codes.label('cause', v) },
      { key: 'identifiedOn', title: t('household.identifiedOn'), dataIndex: 'identifiedOn', sorter: true, sortOrder: sortOrder('identifiedOn') },
      { key: 'exitYear', title: t('household.exitYear'), dataIndex: 'exitYear', sorter: true, sortOrder: sortOrder('exitYear'), align: 'right' },
      { key: 'perCapitaIncome', title: t('household.perCapitaIncome'), dataIndex: 'perCapitaIncome', sorter: true, sortOrder: sortOrder('perCapitaIncome'), align: 'right', render: (v: number | null) => fmtMoney(v) },
    ];
    return all.filter((c) => visible.includes(String(c.key)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, codes, visible, q.sort, q.order]);

  const chooser = (
    <Checkbox.Group
      value={visible}
      onChange={(v) => {
        const next = (v as string[]).length ? (v as string[]) : ['householdNo'];
        setVisible(next);
        localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
      }}
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      options={ALL_COLUMNS.map((c) => ({ value: c, label: t(c === 'area' ? 'household.village' : c === 'headIdNumber' ? 'household.headId' : `household.${c}`) }))}
    />
  );

  const years = Array.from({ length: new Date().getFullYear() - 2013 }, (_, i) => 2014 + i).reverse();

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={6} xl={5}>
        <Card size="small" title={t('register.areas')}>
          <AreaTree selected={q.area} onSelect={(code) => update({ area: code })} />
          {q.area && <Button type="link" size="small" onClick={() => update({ area: undefined })}>{t('register.allAreas')}</Button>}
        </Card>
      </Col>
      <Col xs={24} lg={18} xl={19}>
        <Card size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            <Input.Search
              aria-label={t('register.search')}
              placeholder={t('register.search')}
              allowClear
              value={qText}
              onChange={(e) => setQText(e.target.value)}
              onSearch={(v) => update({ q: v.trim() || undefined })}
              style={{ width: 260 }}
              data-testid="register-search"
            />
            <Select aria-label={t('household.exitStatus')} placeholder={t('household.exitStatus')} allowClear style={{ width: 170 }} value={q.status} onChange={(v) => update({ status: v })} options={codes.options('exitStatus')} data-testid="filter-status" />
            <Select aria-label={t('household.attribute')} placeholder={t('household.attribute')} allowClear style={{ width: 160 }} value={q.attribute} onChange={(v) => update({ attribute: v })} options={codes.options('attribute')} />
            <Select aria-label={t('household.mainCause')} placeholder={t('household.mainCause')} allowClear style={{ width: 150 }} value={q.cause} onChange={(v) => update({ cause: v })} options={codes.options('cause')} />
            <Select aria-label={t('register.year')} placeholder={t('register.year')} allowClear style={{ width: 120 }} value={q.year} onChange={(v) => update({ year: v })} options={years.map((y) => ({ value: y, label: String(y) }))} />
            <Button onClick={() => setParams(new URLSearchParams(q.area ? { area: q.area } : {}))}>{t('register.reset')}</Button>
            <Popover content={chooser} title={t('register.columns')} trigger="click">
              <Button icon={<SettingOutlined />}>{t('register.columns')}</Button>
            </Popover>
            {can('register.export') && <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx}>{t('register.export')}</Button>}
          </Space>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="register-total">
            {t('register.total', { total: (data?.total ?? 0).toLocaleString('zh-CN') })}
          </Typography.Paragraph>
          <Table<HouseholdListItem>
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={data?.items ?? []}
            columns={columns}
            onChange={onTable}
            scroll={{ x: 'max-content' }}
            className="jz-table"
            data-testid="register-table"
            pagination={{
              current: q.page,
              pageSize: q.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              showTotal: (n) => t('register.total', { total: n.toLocaleString('zh-CN') }),
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}
