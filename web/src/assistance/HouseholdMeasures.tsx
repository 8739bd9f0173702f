// 帮扶措施 tab of the household page: the measures given to the household by year, recording,
// correcting and deleting them, and filling a yearly income record from the ledger after a preview
// (per component: the record's value, the ledger's sum and lines; per-capita income before → after).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import type { HouseholdFile } from '../api/types';
import { useSession } from '../session';
import { pick } from '../i18n';
import { fmtMoney } from '../links';
import ConflictNotice from '../household/ConflictNotice';
import MeasureForm from './MeasureForm';
import { useCatalogue } from './useCatalogue';
import type { IncomePreview, Measure } from './measure-types';

function FillIncome({ household, onFilled, stamp }: { household: HouseholdFile; onFilled: () => void; stamp: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const years = household.years.map((y) => y.year);
  const [year, setYear] = useState<number | undefined>(years[years.length - 1]);
  const [chosen, setChosen] = useState<string[] | undefined>();
  const [preview, setPreview] = useState<IncomePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (y: number, c?: string[]) => {
    try {
      const p = await call<IncomePreview>(api.GET('/api/v1/households/{id}/years/{year}/income-from-measures', {
        params: { path: { id: household.id, year: y }, query: c ? { components: c.join(',') } : {} },
      }));
      setPreview(p);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [household.id, t]);

  useEffect(() => {
    if (year) void load(year, chosen && chosen.length ? chosen : undefined);
  }, [year, chosen, load, stamp]);

  const confirm = async () => {
    if (!preview?.record || !year) return;
    setBusy(true);
    try {
      await call<IncomePreview>(api.POST('/api/v1/households/{id}/years/{year}/income-from-measures', {
        params: { path: { id: household.id, year } }, body: { version: preview.record.version, components: preview.chosen },
      }));
      message.success(t('measures.filled', { year }));
      setChosen(undefined);
      await load(year);
      onFilled();
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
      if (e instanceof ApiError && e.status === 409) await load(year, chosen);
    } finally {
      setBusy(false);
    }
  };

  if (!years.length) return <Typography.Text type="secondary">{t('measures.fillNoYears')}</Typography.Text>;
  const selected = preview?.chosen ?? [];
  return (
    <Card size="small" title={t('measures.fillTitle')} data-testid="fill-income">
      <Typography.Paragraph type="secondary">{t('measures.fillHelp')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <span id="fill-year">{t('measures.year')}</span>
        <Select aria-labelledby="fill-year" value={year} onChange={(y) => { setYear(y); setChosen(undefined); }} options={years.map((y) => ({ value: y, label: String(y) }))} style={{ width: 100 }} data-testid="fill-year" />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="fill-error" />}
      {preview && (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="component"
            dataSource={preview.components}
            data-testid="fill-table"
            expandable={{ rowExpandable: (c) => c.lines.length > 0, expandedRowRender: (c) => (
              <ul style={{ margin: 0 }}>{c.lines.map((l) => <li key={l.id}>{pick(l.typeName)}{l.memberName ? `（${l.memberName}）` : ''} {l.givenOn ?? ''}：{fmtMoney(l.amount)}</li>)}</ul>
            ) }}
            columns={[
              {
                key: 'chosen', title: t('measures.replace'), width: 70,
                render: (_, c) => (
                  <Checkbox
                    checked={selected.includes(c.component)}
                    aria-label={t('measures.replaceThis', { name: pick(c.label) })}
                    onChange={(e) => setChosen(e.target.checked ? [...selected, c.component] : selected.filter((x) => x !== c.component))}
                  />
                ),
              },
              { key: 'label', title: t('measures.incomeComponent'), render: (_, c) => pick(c.label) },
              { key: 'recorded', title: t('measures.recorded'), dataIndex: 'recorded', align: 'right', render: (v: number | null) => fmtMoney(v) },
              { key: 'ledger', title: t('measures.ledgerSum'), dataIndex: 'ledger', align: 'right', render: (v: number, c) => <span data-testid={`ledger-${c.component}`}>{fmtMoney(v)}</span> },
              { key: 'lines', title: t('measures.lines'), align: 'right', render: (_, c) => c.lines.length },
            ]}
          />
          {preview.record ? (
            <Space wrap style={{ marginTop: 12 }}>
              <span data-testid="fill-before-after">{t('measures.perCapitaChange', { before: fmtMoney(preview.perCapitaBefore), after: fmtMoney(preview.perCapitaAfter) })}</span>
              {can('register.write') && (
                <Popconfirm title={t('measures.fillConfirm', { year, n: selected.length })} onConfirm={() => void confirm()} okText={t('common.yes')} cancelText={t('common.no')}>
                  <Button type="primary" disabled={!selected.length} loading={busy} data-testid="fill-confirm">{t('measures.fillButton')}</Button>
                </Popconfirm>
              )}
            </Space>
          ) : <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('measures.fillNoRecord', { year })} />}
        </>
      )}
    </Card>
  );
}

export default function HouseholdMeasures({ household, onYearsChanged }: { household: HouseholdFile; onYearsChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const catalogue = useCatalogue();
  const [items, setItems] = useState<Measure[] | null>(null);
  // Bumped after every load so the income preview follows the ledger.
  const [stamp, setStamp] = useState(0);
  const [year, setYear] = useState<number | undefined>();
  const [editing, setEditing] = useState<{ open: boolean; m?: Measure }>({ open: false });
  // A deletion refused because someone corrected the measure since it was read (409).
  const [deleteConflict, setDeleteConflict] = useState<string | null>(null);
  const writable = can('assistance.write');

  const load = useCallback(async () => {
    try {
      setItems((await call<{ items: Measure[] }>(api.GET('/api/v1/households/{id}/measures', { params: { path: { id: household.id } } }))).items);
    } catch {
      setItems([]);
    }
    setStamp((n) => n + 1);
  }, [household.id]);
  useEffect(() => {
    void load();
  }, [load]);

  const years = useMemo(() => [...new Set((items ?? []).map((m) => m.year))].sort((a, b) => b - a), [items]);
  const shown = (items ?? []).filter((m) => year === undefined || m.year === year);
  const total = shown.reduce((s, m) => Math.round((s + m.amount) * 100) / 100, 0);
  const latestYear = household.years[household.years.length - 1]?.year ?? new Date().getFullYear();

  const remove = async (m: Measure) => {
    setDeleteConflict(null);
    try {
      await call(api.DELETE('/api/v1/measures/{id}', { params: { path: { id: m.id }, query: { version: m.version } } }));
      message.success(t('measures.deleted'));
      void load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setDeleteConflict(pick(e.body));
      else message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {writable && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="measure-add">{t('measures.add')}</Button>}
        <span id="measure-year-filter">{t('measures.year')}</span>
        <Select aria-labelledby="measure-year-filter" allowClear placeholder={t('measures.allYears')} value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: String(y) }))} style={{ width: 120 }} />
        <Typography.Text type="secondary" data-testid="measure-total">{t('measures.totalOf', { n: shown.length, amount: fmtMoney(total) })}</Typography.Text>
      </Space>
      {deleteConflict && <ConflictNotice message={deleteConflict} onReload={() => { setDeleteConflict(null); void load(); }} />}
      {items && !items.length ? <Empty description={t('measures.none')} /> : (
        <Table<Measure>
          rowKey="id"
          size="small"
          loading={!items}
          dataSource={shown}
          pagination={shown.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 'max-content' }}
          className="jz-table"
          data-testid="measures-table"
          columns={[
            { key: 'year', title: t('measures.year'), dataIndex: 'year' },
            { key: 'channel', title: t('measures.channel'), render: (_, m) => <Tag>{pick(m.channelLabel)}</Tag> },
            { key: 'type', title: t('measures.type'), render: (_, m) => pick(m.typeName) },
            { key: 'member', title: t('measures.member'), dataIndex: 'memberName', render: (v: string | null) => v ?? '—' },
            { key: 'givenOn', title: t('measures.givenOn'), dataIndex: 'givenOn', render: (v: string | null) => v ?? '—' },
            { key: 'quantity', title: t('measures.quantity'), align: 'right', render: (_, m) => (m.quantity == null ? '—' : `${m.quantity} ${pick(m.unit)}`) },
            { key: 'amount', title: t('measures.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => fmtMoney(v) },
            { key: 'component', title: t('measures.incomeComponent'), render: (_, m) => pick(m.incomeComponentLabel) },
            { key: 'project', title: t('measures.project'), render: (_, m) => m.projectName ?? '—' },
            { key: 'fund', title: t('measures.fundSource'), render: (_, m) => (m.fundSourceLabel ? pick(m.fundSourceLabel) : '—') },
            { key: 'note', title: t('measures.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
            ...(writable ? [{
              key: 'actions', title: '',
              render: (_: unknown, m: Measure) => (m.assetIncomeId != null ? <Tag>{t('measures.fromAssetIncome')}</Tag> : (
                <Space size={4}>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ open: true, m })} aria-label={t('measures.editTitle')}>{t('common.edit')}</Button>
                  <Popconfirm title={t('measures.deleteConfirm')} onConfirm={() => void remove(m)} okText={t('common.yes')} cancelText={t('common.no')}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('measures.delete')}>{t('measures.delete')}</Button>
                  </Popconfirm>
                </Space>
              )),
            }] : []),
          ]}
        />
      )}
      <FillIncome household={household} onFilled={onYearsChanged} stamp={stamp} />
      {writable && (
        <MeasureForm
          household={household}
          measure={editing.m}
          open={editing.open}
          defaultYear={year ?? latestYear}
          catalogue={catalogue}
          onClose={() => setEditing({ open: false })}
          onSaved={() => {
            setEditing({ open: false });
            void load();
          }}
          onReload={(current) => {
            // The form starts again from the measure as it now is (or closes if it is gone).
            setEditing(current ? { open: true, m: current } : { open: false });
            void load();
          }}
        />
      )}
    </Space>
  );
}
