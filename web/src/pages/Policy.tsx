// 政策参数: every dated, sourced value the rules read, grouped by key; a parameter's description
// and all its rows; for the city administrator (policy.write) a form that sets one row, with the
// server's reasons on the fields. An unknown value is shown as a warning: an evaluation that
// needs it says so instead of guessing.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import type { AreaView } from '../api/types';
import { useSession } from '../session';
import { pick } from '../i18n';
import { applyIssues } from '../household/issues';
import { ProblemNotice } from '../household/ConflictNotice';
import { fmtMoney } from '../links';
import { PolicyValue, UnknownValue } from '../cases/params';

type ListAnswer = paths['/api/v1/policy']['get']['responses'][200]['content']['application/json'];
export type PolicyParameter = ListAnswer['items'][number];
type KeyInfo = ListAnswer['catalogue'][number];
type Detail = paths['/api/v1/policy/{key}']['get']['responses'][200]['content']['application/json'];

const FIELDS = ['key', 'year', 'region', 'value', 'source', 'note'] as const;

/** The regions an administrator may set a row for: national, Inner Mongolia, the counties of their area. */
function useRegionOptions(enabled: boolean) {
  const { t } = useTranslation();
  const [counties, setCounties] = useState<AreaView[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    (async () => {
      try {
        const roots = (await call<{ items: AreaView[] }>(api.GET('/api/v1/areas'))).items;
        const out: AreaView[] = roots.filter((a) => a.code.length === 6);
        for (const r of roots.filter((a) => a.code.length === 4)) {
          out.push(...(await call<{ items: AreaView[] }>(api.GET('/api/v1/areas/{code}/children', { params: { path: { code: r.code } } }))).items);
        }
        if (live) setCounties(out);
      } catch {
        /* national and province rows can still be set */
      }
    })();
    return () => {
      live = false;
    };
  }, [enabled]);
  return [
    { value: '', label: t('policy.national') },
    { value: '15', label: `15 ${t('policy.innerMongolia')}` },
    ...counties.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })),
  ];
}

interface EditTarget {
  key: string;
  row?: PolicyParameter;
}

function EditParameter({ target, info, onClose, onSaved }: { target: EditTarget | null; info?: KeyInfo; onClose: () => void; onSaved: (p: PolicyParameter) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiError['issues'] } | null>(null);
  const regions = useRegionOptions(!!target);
  const unknown = Form.useWatch('unknown', form) as boolean | undefined;

  useEffect(() => {
    if (!target) return;
    setProblem(null);
    form.resetFields();
    const r = target.row;
    form.setFieldsValue(r
      ? { year: r.year, region: r.region, unknown: r.value === null, value: r.value ?? undefined, source: r.source, note: r.note ?? '' }
      : { year: new Date().getFullYear(), region: '', unknown: false, value: undefined, source: '', note: '' });
  }, [target, form]);

  const submit = async () => {
    let v: { year: number; region: string; unknown: boolean; value?: number | null; source: string; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!target) return;
    setSaving(true);
    setProblem(null);
    try {
      const r = await call<{ parameter: PolicyParameter; created: boolean }>(api.PUT('/api/v1/policy', {
        body: {
          key: target.key,
          year: v.year,
          region: v.region ?? '',
          value: v.unknown ? null : (v.value ?? (undefined as unknown as number)),
          source: v.source ?? '',
          note: v.note?.trim() ? v.note.trim() : null,
        },
      }));
      message.success(r.created ? t('policy.created') : t('policy.updated'));
      onSaved(r.parameter);
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = applyIssues(form, e.issues, FIELDS);
        setProblem({ title: pick(e.body), issues: rest });
      } else setProblem({ title: t('common.unexpected'), issues: [] });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!target}
      title={target ? t(target.row ? 'policy.editTitle' : 'policy.addTitle', { name: info ? pick(info.name) : target.key }) : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'policy-save' } as Record<`data-${string}`, string>}
      forceRender
    >
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} testId="policy-problem" scroll={problem.issues.length > 0} />}
      <Form form={form} layout="vertical" data-testid="policy-form" onFinish={() => void submit()}>
        <Typography.Paragraph type="secondary">{info ? pick(info.description) : ''}</Typography.Paragraph>
        <Space wrap align="start">
          <Form.Item name="year" label={t('policy.yearFrom')} rules={[{ required: true, message: t('policy.yearRequired') }]} extra={t('policy.yearHelp')}>
            <InputNumber min={1978} max={2100} precision={0} style={{ width: 140 }} data-testid="policy-year" />
          </Form.Item>
          <Form.Item name="region" label={t('policy.region')} extra={info ? t('policy.levels', { levels: info.levels.map((l) => t(`policy.level.${l}`)).join('、') }) : undefined}>
            <Select style={{ width: 240 }} options={regions} showSearch={{ optionFilterProp: 'label' }} data-testid="policy-region" />
          </Form.Item>
        </Space>
        <Form.Item name="unknown" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox data-testid="policy-unknown-check">{t('policy.markUnknown')}</Checkbox>
        </Form.Item>
        <Form.Item
          name="value"
          label={`${t('policy.value')}${info ? `（${pick(info.unitLabel)}）` : ''}`}
          rules={[{ required: !unknown, message: t('policy.valueRequired') }]}
          extra={unknown ? t('policy.unknownExplain') : undefined}
        >
          <InputNumber disabled={!!unknown} style={{ width: 200 }} data-testid="policy-value" />
        </Form.Item>
        <Form.Item name="source" label={t('policy.source')} rules={[{ required: true, whitespace: true, message: t('policy.sourceRequired') }]} extra={t('policy.sourceHelp')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="policy-source" />
        </Form.Item>
        <Form.Item name="note" label={t('policy.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

function ParameterDetail({ paramKey, canWrite, onClose, onEdit, version }: { paramKey: string | null; canWrite: boolean; onClose: () => void; onEdit: (t: EditTarget) => void; version: number }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!paramKey) return;
    let live = true;
    setDetail(null);
    setError(null);
    call<Detail>(api.GET('/api/v1/policy/{key}', { params: { path: { key: paramKey } } }))
      .then((d) => live && setDetail(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')));
    return () => {
      live = false;
    };
  }, [paramKey, version, t]);

  const columns: TableProps<PolicyParameter>['columns'] = [
    { key: 'region', title: t('policy.region'), render: (_, r) => pick(r.regionName) },
    { key: 'year', title: t('policy.yearFrom'), dataIndex: 'year' },
    { key: 'value', title: t('policy.value'), render: (_, r) => <PolicyValue value={r.value} unit={r.unitLabel} /> },
    { key: 'source', title: t('policy.source'), dataIndex: 'source' },
    { key: 'note', title: t('policy.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
    { key: 'updated', title: t('policy.updatedBy'), render: (_, r) => (r.updatedBy ? `${r.updatedBy} · ${r.updatedAt.slice(0, 16)}` : t('policy.shipped')) },
    ...(canWrite ? [{ key: 'edit', title: '', render: (_: unknown, r: PolicyParameter) => <Button size="small" icon={<EditOutlined />} onClick={() => onEdit({ key: r.key, row: r })} aria-label={t('policy.editRow', { year: r.year, region: pick(r.regionName) })}>{t('common.edit')}</Button> }] : []),
  ];

  return (
    <Drawer
      open={!!paramKey}
      onClose={onClose}
      size="large"
      title={detail ? pick(detail.name) : paramKey}
      extra={canWrite && paramKey ? <Button type="primary" icon={<PlusOutlined />} onClick={() => onEdit({ key: paramKey })} data-testid="policy-add">{t('policy.add')}</Button> : null}
      data-testid="policy-detail"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {detail && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('policy.key')}><span className="jz-mono">{detail.key}</span></Descriptions.Item>
            <Descriptions.Item label={t('policy.description')}>{pick(detail.description)}</Descriptions.Item>
            <Descriptions.Item label={t('policy.unit')}>{pick(detail.unitLabel)}{detail.integer ? `（${t('policy.integer')}）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('policy.levelsLabel')}>{detail.levels.map((l) => t(`policy.level.${l}`)).join('、')}</Descriptions.Item>
            {detail.projectDefault && <Descriptions.Item label={t('policy.origin')}><Tag color="blue">{t('policy.projectDefault')}</Tag></Descriptions.Item>}
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('policy.resolution')}</Typography.Paragraph>
          <Table<PolicyParameter> rowKey="id" size="small" pagination={false} dataSource={detail.rows} columns={columns} scroll={{ x: 'max-content' }} data-testid="policy-rows" />
        </Space>
      )}
    </Drawer>
  );
}

export default function Policy() {
  const { t } = useTranslation();
  const { can } = useSession();
  const canWrite = can('policy.write');
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<ListAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<EditTarget | null>(null);
  const [version, setVersion] = useState(0);
  const filterKey = params.get('filter') ?? undefined;
  const region = params.get('region') ?? undefined;
  const open = params.get('key');

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await call<ListAnswer>(api.GET('/api/v1/policy')));
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    } finally {
      setLoading(false);
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const setParam = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v === undefined) next.delete(k);
    else next.set(k, v);
    setParams(next);
  };

  const rows = useMemo(() => (data?.items ?? []).filter((r) => (!filterKey || r.key === filterKey) && (region === undefined || r.region === region)), [data, filterKey, region]);
  const unknownCount = rows.filter((r) => r.value === null).length;
  // Rows of one key are adjacent (the server sorts by catalogue order): the first row of a key spans the group.
  const spans = useMemo(() => {
    const s = new Map<number, number>();
    rows.forEach((r, i) => {
      if (i > 0 && rows[i - 1]!.key === r.key) s.set(r.id, 0);
      else {
        let n = 1;
        while (rows[i + n]?.key === r.key) n++;
        s.set(r.id, n);
      }
    });
    return s;
  }, [rows]);
  const info = (key: string) => data?.catalogue.find((c) => c.key === key);

  const columns: TableProps<PolicyParameter>['columns'] = [
    {
      key: 'name', title: t('policy.parameter'),
      onCell: (r) => ({ rowSpan: spans.get(r.id) ?? 1 }),
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => setParam('key', r.key)} data-testid={`policy-open-${r.key}`}>{pick(r.name)}</Button>
          <Typography.Text type="secondary" className="jz-mono" style={{ fontSize: 12 }}>{r.key}</Typography.Text>
          {info(r.key)?.projectDefault && <Tag color="blue" style={{ marginTop: 2 }}>{t('policy.projectDefault')}</Tag>}
        </Space>
      ),
    },
    { key: 'region', title: t('policy.region'), render: (_, r) => pick(r.regionName) },
    { key: 'year', title: t('policy.yearFrom'), dataIndex: 'year' },
    { key: 'value', title: t('policy.value'), align: 'right', render: (_, r) => (r.value === null ? <UnknownValue /> : <strong>{fmtMoney(r.value)}</strong>) },
    { key: 'unit', title: t('policy.unit'), render: (_, r) => pick(r.unitLabel) },
    {
      key: 'source', title: t('policy.source'), dataIndex: 'source',
      render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0, maxWidth: 260, minWidth: 160 }}>{v}</Typography.Paragraph>,
    },
    ...(canWrite ? [{
      key: 'edit', title: '', render: (_: unknown, r: PolicyParameter) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ key: r.key, row: r })} aria-label={t('policy.editRowOf', { name: pick(r.name), year: r.year, region: pick(r.regionName) })} data-testid={`policy-edit-${r.key}-${r.year}-${r.region || 'cn'}`}>{t('common.edit')}</Button>
      ),
    }] : []),
  ];

  const regionsSeen = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of data?.items ?? []) m.set(r.region, pick(r.regionName));
    return [...m].map(([value, label]) => ({ value, label }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, t]);

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }} data-testid="policy-title">{t('policy.title')}</Typography.Title>}
      extra={<Space wrap>
        <Select aria-label={t('policy.parameter')} placeholder={t('policy.parameter')} allowClear style={{ width: 240 }} value={filterKey} onChange={(v?: string) => setParam('filter', v)}
          options={(data?.catalogue ?? []).map((c) => ({ value: c.key, label: pick(c.name) }))} showSearch={{ optionFilterProp: 'label' }} data-testid="policy-filter" />
        <Select aria-label={t('policy.region')} placeholder={t('policy.region')} allowClear style={{ width: 160 }} value={region} onChange={(v?: string) => setParam('region', v)} options={regionsSeen} />
      </Space>}
    >
      <Typography.Paragraph type="secondary">{t('policy.intro')}</Typography.Paragraph>
      {unknownCount > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('policy.unknownCount', { n: unknownCount })} description={canWrite ? t('policy.unknownAdmin') : t('policy.unknownOthers')} data-testid="policy-unknown-alert" />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<PolicyParameter>
        rowKey="id"
        size="small"
        bordered
        loading={loading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        className="jz-table"
        data-testid="policy-table"
      />
      <ParameterDetail paramKey={open} canWrite={canWrite} version={version} onClose={() => setParam('key', undefined)} onEdit={setEditing} />
      {canWrite && (
        <EditParameter
          target={editing}
          info={editing ? info(editing.key) : undefined}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
            void load();
          }}
        />
      )}
    </Card>
  );
}
