// 能人带动与景区、电商: leaders (capable persons, cooperatives, leading enterprises) with the
// households they bring along and a link form; scenic spots with the villages they bring along;
// e-commerce products. Lists follow the actor's area (and the area picked). Forms appear for
// county-level accounts with assistance.manage and show the server's reason on each field.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, LinkOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import { pick } from '../i18n';
import { useSession } from '../session';
import { STATUS_COLOR } from '../links';
import FormModal from '../components/FormModal';
import { useList } from '../components/useList';
import AreaSelect from '../cases/AreaSelect';
import { todayCn } from '../assistance/pairing-types';

type Ok<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = paths[P] extends Record<M, { responses: { 200?: { content: { 'application/json': infer R } }; 201?: { content: { 'application/json': infer R } } } }> ? R : never;
type LeaderList = Ok<'/api/v1/leaders', 'get'>;
type Leader = LeaderList['items'][number];
type LeaderHouseholds = Ok<'/api/v1/leaders/{id}/households', 'get'>;
type LinkRow = LeaderHouseholds['items'][number];
type SpotList = Ok<'/api/v1/scenic-spots', 'get'>;
type Spot = SpotList['items'][number];
type ProductList = Ok<'/api/v1/ecommerce-products', 'get'>;
type Product = ProductList['items'][number];

const LEADER_KINDS = ['person', 'cooperative', 'enterprise'] as const;
const GRADES = ['A', '2A', '3A', '4A', '5A'] as const;
const LINK_KINDS = ['dividend', 'job', 'land_rent', 'purchase', 'grant', 'custody', 'other'] as const;
const CHANNELS = ['cattle', 'mongolian_medicine', 'tourism', 'solar_wind', 'ecommerce', 'ecology', 'education', 'health', 'social_security', 'employment', 'relocation', 'housing', 'leadership'] as const;
const yuan = (n: number | null | undefined) => (n == null ? '—' : n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));



function HouseholdPicker({ value, onChange }: { value?: number; onChange?: (v: number) => void }) {
  const { t } = useTranslation();
  const [opts, setOpts] = useState<{ value: number; label: string }[]>([]);
  const search = async (q: string) => {
    if (!q.trim()) return;
    try {
      const r = await call<{ items: { id: number; householdNo: string; headName: string; villageName: string }[] }>(api.GET('/api/v1/households', { params: { query: { q, pageSize: 20 } } }));
      setOpts(r.items.map((h) => ({ value: h.id, label: `${h.householdNo} ${h.headName}（${h.villageName}）` })));
    } catch { /* keep the old options */ }
  };
  return <Select showSearch value={value} onChange={onChange} filterOption={false} onSearch={(q) => void search(q)} options={opts} placeholder={t('links.searchHousehold')} style={{ width: '100%' }} data-testid="link-household" />;
}

const nullIfEmpty = (v: unknown) => (v === undefined || v === null || v === '' ? null : v);

// --- leaders ---------------------------------------------------------------------------------

function LeaderModal({ open, onClose, onDone, leader }: { open: boolean; onClose: () => void; onDone: () => void; leader?: Leader | null }) {
  const { t } = useTranslation();
  const fields = ['name', 'kind', 'villageCode', 'channel', 'memberId', 'contactPhone', 'note'] as const;
  return (
    <FormModal savedText={t('links.saved')}
      title={leader ? t('links.editLeader') : t('links.addLeader')} open={open} onClose={onClose} onDone={onDone} fields={fields} testId="leader-form"
      initial={leader ? { name: leader.name, kind: leader.kind, villageCode: leader.villageCode, channel: leader.channel, memberId: leader.memberId, note: leader.note } : { kind: 'cooperative', channel: 'cattle' }}
      send={(v) => {
        const body = {
          name: String(v.name ?? ''), kind: String(v.kind ?? ''), villageCode: String(v.villageCode ?? ''), channel: String(v.channel ?? ''),
          memberId: v.memberId == null || v.memberId === '' ? null : Number(v.memberId), note: nullIfEmpty(v.note) as string | null,
          ...(v.contactPhone ? { contactPhone: String(v.contactPhone) } : {}),
        };
        return leader
          ? call(api.PATCH('/api/v1/leaders/{id}', { params: { path: { id: leader.id } }, body }))
          : call(api.POST('/api/v1/leaders', { body }));
      }}
    >
      {() => (
        <>
          <Form.Item name="name" label={t('links.name')} required><Input maxLength={100} /></Form.Item>
          <Form.Item name="kind" label={t('links.kind')} required><Select options={LEADER_KINDS.map((k) => ({ value: k, label: t(`links.kinds.${k}`) }))} /></Form.Item>
          <Form.Item name="villageCode" label={t('links.village')} required extra={t('links.villageHint')}><Input maxLength={12} placeholder="150521100001" /></Form.Item>
          <Form.Item name="channel" label={t('links.channel')} required><Select options={CHANNELS.map((c) => ({ value: c, label: t(`links.channels.${c}`) }))} /></Form.Item>
          <Form.Item name="memberId" label={t('links.memberId')} extra={t('links.memberHint')}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="contactPhone" label={t('links.phone')} extra={leader ? t('links.phoneKeep') : undefined}><Input maxLength={20} /></Form.Item>
          <Form.Item name="note" label={t('links.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function LinkModal({ open, onClose, onDone, leaderId }: { open: boolean; onClose: () => void; onDone: () => void; leaderId: number }) {
  const { t } = useTranslation();
  return (
    <FormModal savedText={t('links.saved')}
      title={t('links.linkHousehold')} open={open} onClose={onClose} onDone={onDone} fields={['householdId', 'linkKind', 'since', 'until', 'expectedBenefit', 'note']} testId="link-form"
      initial={{ since: todayCn(), linkKind: 'dividend' }}
      send={(v) => call(api.POST('/api/v1/leaders/{id}/households', {
        params: { path: { id: leaderId } },
        body: {
          householdId: Number(v.householdId ?? 0), linkKind: String(v.linkKind ?? ''), since: String(v.since ?? ''), until: nullIfEmpty(v.until) as string | null,
          expectedBenefit: v.expectedBenefit == null ? null : Number(v.expectedBenefit), note: nullIfEmpty(v.note) as string | null,
        },
      }))}
    >
      {() => (
        <>
          <Form.Item name="householdId" label={t('links.household')} required><HouseholdPicker /></Form.Item>
          <Form.Item name="linkKind" label={t('links.linkKind')} required><Select options={LINK_KINDS.map((k) => ({ value: k, label: t(`links.linkKinds.${k}`) }))} /></Form.Item>
          <Space wrap>
            <Form.Item name="since" label={t('links.since')} required><Input placeholder="YYYY-MM-DD" /></Form.Item>
            <Form.Item name="until" label={t('links.until')} extra={t('links.untilHint')}><Input placeholder="YYYY-MM-DD" /></Form.Item>
          </Space>
          <Form.Item name="expectedBenefit" label={t('links.expectedBenefit')}><InputNumber min={0} step={100} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="note" label={t('links.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function EndLinkModal({ row, leaderId, onClose, onDone }: { row: LinkRow | null; leaderId: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal savedText={t('links.saved')}
      title={t('links.endLink')} open={!!row} onClose={onClose} onDone={onDone} fields={['until', 'since']} testId="end-link-form" initial={{ until: todayCn() }}
      send={(v) => call(api.PATCH('/api/v1/leaders/{id}/households/{householdId}', { params: { path: { id: leaderId, householdId: row!.householdId } }, body: { since: row!.since, until: String(v.until ?? '') } }))}
    >
      {() => (
        <>
          <Typography.Paragraph>{row ? `${row.householdNo} ${row.headName}：${row.since} – ` : ''}</Typography.Paragraph>
          <Form.Item name="until" label={t('links.until')} required><Input placeholder="YYYY-MM-DD" /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function LeaderDrawer({ leader, onClose, manage, onChanged }: { leader: Leader | null; onClose: () => void; manage: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const id = leader?.id ?? 0;
  const hh = useList(() => (id ? call<LeaderHouseholds>(api.GET('/api/v1/leaders/{id}/households', { params: { path: { id } } })) : Promise.resolve(null)), [id]);
  const [linking, setLinking] = useState(false);
  const [ending, setEnding] = useState<LinkRow | null>(null);
  const done = () => { hh.reload(); onChanged(); };
  const d = hh.data;
  return (
    <Drawer open={!!leader} onClose={onClose} width={Math.min(960, window.innerWidth)} title={leader ? (leader.name ?? `#${leader.id}`) : ''} destroyOnHidden data-testid="leader-drawer">
      {leader && (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('links.kind')}>{pick(leader.kindLabel)}</Descriptions.Item>
          <Descriptions.Item label={t('links.channel')}>{pick(leader.channelLabel)}</Descriptions.Item>
          <Descriptions.Item label={t('links.village')}>{leader.countyName} {leader.villageName}</Descriptions.Item>
          <Descriptions.Item label={t('links.phone')}>{leader.contactPhone ?? '—'}</Descriptions.Item>
          {leader.memberName && <Descriptions.Item label={t('links.memberId')}><Link to={`/households/${leader.memberHouseholdId}`}>{leader.memberName}</Link></Descriptions.Item>}
          {leader.note && <Descriptions.Item label={t('links.note')}>{leader.note}</Descriptions.Item>}
        </Descriptions>
      )}
      {hh.error && <Alert type="error" showIcon message={hh.error} style={{ marginTop: 12 }} />}
      {d && (
        <>
          <Space wrap size="large" style={{ margin: '16px 0' }}>
            <Statistic title={t('links.current')} value={d.counts.current} />
            <Statistic title={t('links.ended')} value={d.counts.ended} />
            <Statistic title={t('links.expectedBenefitSum')} value={yuan(d.counts.expectedBenefit)} />
            {d.counts.outsideArea > 0 && <Statistic title={t('links.outsideArea')} value={d.counts.outsideArea} />}
          </Space>
          {manage && <div style={{ marginBottom: 12 }}><Button type="primary" icon={<LinkOutlined />} onClick={() => setLinking(true)} data-testid="link-open">{t('links.linkHousehold')}</Button></div>}
          {d.personal ? (
            <Table<LinkRow>
              rowKey={(r) => `${r.householdId}:${r.since}`} size="small" dataSource={d.items} pagination={{ pageSize: 20 }} scroll={{ x: 'max-content' }} data-testid="leader-households"
              columns={[
                { key: 'hh', title: t('links.household'), render: (_, r) => <Link to={`/households/${r.householdId}`}>{r.householdNo} {r.headName}</Link> },
                { key: 'village', title: t('links.village'), dataIndex: 'villageName' },
                { key: 'status', title: t('links.status'), render: (_, r) => <Tag color={STATUS_COLOR[r.exitStatus]}>{pick(r.exitStatusLabel)}</Tag> },
                { key: 'income', title: t('links.income'), render: (_, r) => (r.latestYear ? `${yuan(r.latestPerCapitaIncome)}（${r.latestYear}）` : '—') },
                { key: 'kind', title: t('links.linkKind'), render: (_, r) => pick(r.linkKindLabel) },
                { key: 'period', title: t('links.period'), render: (_, r) => <span>{r.since} – {r.until ?? t('links.now')} {r.current ? <Tag color="green">{t('links.currentTag')}</Tag> : null}</span> },
                { key: 'benefit', title: t('links.expectedBenefit'), align: 'right', render: (_, r) => yuan(r.expectedBenefit) },
                ...(manage ? [{ key: 'end', title: '', render: (_: unknown, r: LinkRow) => (r.until === null ? <Button size="small" icon={<StopOutlined />} onClick={() => setEnding(r)}>{t('links.endLink')}</Button> : null) }] : []),
              ]}
            />
          ) : <Alert type="info" showIcon message={t('links.aggregatesOnly')} />}
        </>
      )}
      {leader && <LinkModal open={linking} onClose={() => setLinking(false)} onDone={done} leaderId={leader.id} />}
      {leader && <EndLinkModal row={ending} leaderId={leader.id} onClose={() => setEnding(null)} onDone={done} />}
    </Drawer>
  );
}

function LeadersTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const list = useList(() => call<LeaderList>(api.GET('/api/v1/leaders', { params: { query: { area, kind, page, pageSize: 50 } } })), [area, kind, page]);
  const [editing, setEditing] = useState<Leader | null | undefined>(undefined);
  const [open, setOpen] = useState<Leader | null>(null);
  const d = list.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('links.kind')} style={{ width: 200 }} value={kind} onChange={(v) => { setKind(v); setPage(1); }} options={LEADER_KINDS.map((k) => ({ value: k, label: t(`links.kinds.${k}`) }))} />
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="leader-add">{t('links.addLeader')}</Button>}
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} />}
      {d && (
        <Space wrap size="large" style={{ marginBottom: 12 }} data-testid="leader-counts">
          <Statistic title={t('links.leaders')} value={d.counts.leaders} />
          {d.counts.byKind.map((k) => <Statistic key={k.kind} title={pick(k.label)} value={k.n} />)}
          <Statistic title={t('links.householdsToday')} value={d.counts.households} />
          <Statistic title={t('links.expectedBenefitSum')} value={yuan(d.counts.expectedBenefit)} />
        </Space>
      )}
      {d && !d.personal && <Alert type="info" showIcon message={t('links.aggregatesOnly')} />}
      {d?.personal && (
        <Table<Leader>
          rowKey="id" size="small" dataSource={d.items} scroll={{ x: 'max-content' }} data-testid="leaders-table"
          pagination={{ current: d.page, pageSize: d.pageSize, total: d.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            { key: 'name', title: t('links.name'), render: (_, l) => <a onClick={() => setOpen(l)}>{l.name}</a> },
            { key: 'kind', title: t('links.kind'), render: (_, l) => pick(l.kindLabel) },
            { key: 'channel', title: t('links.channel'), render: (_, l) => pick(l.channelLabel) },
            { key: 'village', title: t('links.village'), render: (_, l) => `${l.countyName} ${l.villageName}` },
            { key: 'hh', title: t('links.householdsToday'), dataIndex: 'currentHouseholds', align: 'right' },
            { key: 'benefit', title: t('links.expectedBenefitSum'), align: 'right', render: (_, l) => yuan(l.expectedBenefit) },
            { key: 'products', title: t('links.products'), dataIndex: 'products', align: 'right' },
            ...(manage ? [{ key: 'edit', title: '', render: (_: unknown, l: Leader) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(l)}>{t('links.edit')}</Button> }] : []),
          ]}
        />
      )}
      <LeaderModal open={editing !== undefined} leader={editing} onClose={() => setEditing(undefined)} onDone={list.reload} />
      <LeaderDrawer leader={open} onClose={() => setOpen(null)} manage={manage} onChanged={list.reload} />
    </>
  );
}

// --- scenic spots ----------------------------------------------------------------------------

function SpotModal({ open, onClose, onDone, spot }: { open: boolean; onClose: () => void; onDone: () => void; spot?: Spot | null }) {
  const { t } = useTranslation();
  return (
    <FormModal savedText={t('links.saved')}
      title={spot ? t('links.editSpot') : t('links.addSpot')} open={open} onClose={onClose} onDone={onDone} fields={['name', 'grade', 'villageCode', 'linkedVillageCodes', 'note']} testId="spot-form"
      initial={spot ? { name: spot.name, grade: spot.grade ?? '', villageCode: spot.villageCode, linkedVillageCodes: spot.linkedVillages.map((v) => v.code), note: spot.note } : { grade: '', linkedVillageCodes: [] }}
      send={(v) => {
        const body = {
          name: String(v.name ?? ''), grade: (nullIfEmpty(v.grade) as string | null), villageCode: String(v.villageCode ?? ''),
          linkedVillageCodes: (v.linkedVillageCodes as string[] | undefined ?? []).map((x) => String(x).trim()).filter(Boolean), note: nullIfEmpty(v.note) as string | null,
        };
        return spot ? call(api.PATCH('/api/v1/scenic-spots/{id}', { params: { path: { id: spot.id } }, body })) : call(api.POST('/api/v1/scenic-spots', { body }));
      }}
    >
      {() => (
        <>
          <Form.Item name="name" label={t('links.spotName')} required><Input maxLength={100} /></Form.Item>
          <Form.Item name="grade" label={t('links.grade')}><Select options={[{ value: '', label: t('links.ungraded') }, ...GRADES.map((g) => ({ value: g, label: g }))]} /></Form.Item>
          <Form.Item name="villageCode" label={t('links.spotVillage')} required extra={t('links.villageHint')}><Input maxLength={12} /></Form.Item>
          <Form.Item name="linkedVillageCodes" label={t('links.linkedVillages')} extra={t('links.linkedHint')}><Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} /></Form.Item>
          <Form.Item name="note" label={t('links.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function SpotsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useList(() => call<SpotList>(api.GET('/api/v1/scenic-spots', { params: { query: { area, page, pageSize: 50 } } })), [area, page]);
  const [editing, setEditing] = useState<Spot | null | undefined>(undefined);
  const d = list.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="spot-add">{t('links.addSpot')}</Button>}
        {d && <Typography.Text type="secondary">{t('links.spotsSummary', { n: d.total, v: d.linkedVillages })}</Typography.Text>}
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} />}
      <Table<Spot>
        rowKey="id" size="small" dataSource={d?.items} loading={!d && !list.error} scroll={{ x: 'max-content' }} data-testid="spots-table"
        pagination={{ current: d?.page, pageSize: d?.pageSize, total: d?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'name', title: t('links.spotName'), dataIndex: 'name' },
          { key: 'grade', title: t('links.grade'), render: (_, s) => (s.grade ? <Tag color="gold">{s.grade}</Tag> : t('links.ungraded')) },
          { key: 'village', title: t('links.spotVillage'), render: (_, s) => `${s.countyName} ${s.villageName}` },
          { key: 'linked', title: t('links.linkedVillages'), render: (_, s) => <Space wrap size={4}>{s.linkedVillages.map((v) => <Tag key={v.code}>{v.name}（{t('links.householdsN', { n: v.households })}）</Tag>)}</Space> },
          ...(manage ? [{ key: 'edit', title: '', render: (_: unknown, s: Spot) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>{t('links.edit')}</Button> }] : []),
        ]}
      />
      <SpotModal open={editing !== undefined} spot={editing} onClose={() => setEditing(undefined)} onDone={list.reload} />
    </>
  );
}

// --- e-commerce products ---------------------------------------------------------------------

function ProductModal({ open, onClose, onDone, product, leaders }: { open: boolean; onClose: () => void; onDone: () => void; product?: Product | null; leaders: { value: number; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <FormModal savedText={t('links.saved')}
      title={product ? t('links.editProduct') : t('links.addProduct')} open={open} onClose={onClose} onDone={onDone} fields={['name', 'category', 'villageCode', 'leaderId', 'shop', 'note']} testId="product-form"
      initial={product ? { name: product.name, category: product.category, villageCode: product.villageCode, leaderId: product.leaderId, shop: product.shop, note: product.note } : undefined}
      send={(v) => {
        const body = {
          name: String(v.name ?? ''), category: String(v.category ?? ''), villageCode: String(v.villageCode ?? ''),
          leaderId: v.leaderId == null ? null : Number(v.leaderId), shop: nullIfEmpty(v.shop) as string | null, note: nullIfEmpty(v.note) as string | null,
        };
        return product ? call(api.PATCH('/api/v1/ecommerce-products/{id}', { params: { path: { id: product.id } }, body })) : call(api.POST('/api/v1/ecommerce-products', { body }));
      }}
    >
      {() => (
        <>
          <Form.Item name="name" label={t('links.productName')} required><Input maxLength={100} /></Form.Item>
          <Form.Item name="category" label={t('links.category')} required><Input maxLength={50} /></Form.Item>
          <Form.Item name="villageCode" label={t('links.village')} required extra={t('links.villageHint')}><Input maxLength={12} /></Form.Item>
          <Form.Item name="leaderId" label={t('links.seller')}><Select allowClear showSearch optionFilterProp="label" options={leaders} /></Form.Item>
          <Form.Item name="shop" label={t('links.shop')}><Input maxLength={100} /></Form.Item>
          <Form.Item name="note" label={t('links.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function ProductsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useList(() => call<ProductList>(api.GET('/api/v1/ecommerce-products', { params: { query: { area, page, pageSize: 50 } } })), [area, page]);
  const leaders = useList(() => (manage ? call<LeaderList>(api.GET('/api/v1/leaders', { params: { query: { pageSize: 500 } } })) : Promise.resolve(null)), [manage]);
  const [editing, setEditing] = useState<Product | null | undefined>(undefined);
  const d = list.data;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="product-add">{t('links.addProduct')}</Button>}
        {d?.byCategory.map((c) => <Tag key={c.category}>{c.category} {c.n}</Tag>)}
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} />}
      <Table<Product>
        rowKey="id" size="small" dataSource={d?.items} loading={!d && !list.error} scroll={{ x: 'max-content' }} data-testid="products-table"
        pagination={{ current: d?.page, pageSize: d?.pageSize, total: d?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'name', title: t('links.productName'), dataIndex: 'name' },
          { key: 'category', title: t('links.category'), dataIndex: 'category' },
          { key: 'village', title: t('links.village'), render: (_, p) => `${p.countyName} ${p.villageName}` },
          { key: 'seller', title: t('links.seller'), render: (_, p) => p.leaderName ?? '—' },
          { key: 'shop', title: t('links.shop'), render: (_, p) => p.shop ?? '—' },
          ...(manage ? [{ key: 'edit', title: '', render: (_: unknown, p: Product) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)}>{t('links.edit')}</Button> }] : []),
        ]}
      />
      <ProductModal open={editing !== undefined} product={editing} onClose={() => setEditing(undefined)} onDone={list.reload}
        leaders={(leaders.data?.items ?? []).map((l) => ({ value: l.id, label: `${l.name ?? l.id}（${pick(l.kindLabel)}）` }))} />
    </>
  );
}

export default function Links() {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const [area, setArea] = useState<string | undefined>();
  const scope = me?.user.areaCode ?? '';
  // Managed at county level and above (the server refuses township and village accounts).
  const manage = can('assistance.manage') && (scope === '*' || scope.length <= 6);
  return (
    <Card title={t('links.title')} extra={<AreaSelect value={area} onChange={setArea} placeholder={t('links.area')} style={{ minWidth: 220 }} />}>
      <Typography.Paragraph type="secondary">{t('links.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'leaders', label: t('links.tabLeaders'), children: <LeadersTab area={area} manage={manage} /> },
          { key: 'spots', label: t('links.tabSpots'), children: <SpotsTab area={area} manage={manage} /> },
          { key: 'products', label: t('links.tabProducts'), children: <ProductsTab area={area} manage={manage} /> },
        ]}
      />
    </Card>
  );
}
