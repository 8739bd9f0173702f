// 结对帮扶 (who helps whom): pairings with pair/end actions, flags (households without a responsible
// cadre, cadres who are registered poor), visit frequency per cadre, assistance units, cadres and
// village work teams. Lists follow the actor's area (and the area picked); forms show the server's
// reason on each field. Laid out to work on a 768-wide tablet (wrapping filters, scrolling tables).
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, LogoutOutlined, PlusOutlined, StopOutlined, UserAddOutlined, UserDeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { STATUS_COLOR } from '../links';
import FormModal from '../components/FormModal';
import { useList } from '../components/useList';
import AreaSelect from '../cases/AreaSelect';
import { TEAM_ROLES, UNIT_KINDS, UNIT_LEVELS, todayCn, type Cadre, type Flags, type Frequency, type Page, type Pairing as PairingRow, type Team, type Unit } from '../assistance/pairing-types';




function useCadreOptions(area?: string) {
  const list = useList(() => call<Page<Cadre>>(api.GET('/api/v1/assistance/cadres', { params: { query: { area, active: 'true', pageSize: 500 } } })), [area]);
  return (list.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.unitName}）` }));
}

function useUnitOptions() {
  const list = useList(() => call<Page<Unit>>(api.GET('/api/v1/assistance/units', { params: { query: { pageSize: 500 } } })), []);
  return (list.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.countyName}）` }));
}

/** Household search by name, number or ID number, for the pair form. */
function HouseholdPicker({ value, onChange, initialLabel }: { value?: number; onChange?: (v: number) => void; initialLabel?: string }) {
  const { t } = useTranslation();
  const [opts, setOpts] = useState<{ value: number; label: string }[]>(value && initialLabel ? [{ value, label: initialLabel }] : []);
  const search = async (q: string) => {
    if (!q.trim()) return;
    try {
      const r = await call<{ items: { id: number; householdNo: string; headName: string; villageName: string }[] }>(api.GET('/api/v1/households', { params: { query: { q, pageSize: 20 } } }));
      setOpts(r.items.map((h) => ({ value: h.id, label: `${h.householdNo} ${h.headName}（${h.villageName}）` })));
    } catch { /* keep the old options */ }
  };
  return <Select showSearch value={value} onChange={onChange} filterOption={false} onSearch={(q) => void search(q)} options={opts} placeholder={t('pairing.searchHousehold')} style={{ width: '100%' }} data-testid="pair-household" />;
}

function PairModal({ open, onClose, onDone, household }: { open: boolean; onClose: () => void; onDone: () => void; household?: { id: number; label: string } }) {
  const { t } = useTranslation();
  const cadres = useCadreOptions();
  return (
    <FormModal savedText={t('pairing.saved')}
      title={t('pairing.pair')} open={open} onClose={onClose} onDone={onDone} fields={['householdId', 'cadreId', 'startedOn']} testId="pair-form"
      initial={{ householdId: household?.id, startedOn: todayCn() }}
      send={(v) => call(api.POST('/api/v1/assistance/pairings', { body: { householdId: Number(v.householdId), cadreId: Number(v.cadreId), startedOn: String(v.startedOn ?? '') } }))}
    >
      {() => (
        <>
          <Form.Item name="householdId" label={t('pairing.household')} required><HouseholdPicker initialLabel={household?.label} /></Form.Item>
          <Form.Item name="cadreId" label={t('pairing.responsibleCadre')} required><Select options={cadres} showSearch optionFilterProp="label" /></Form.Item>
          <Form.Item name="startedOn" label={t('pairing.startedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
        </>
      )}
    </FormModal>
  );
}

function PairingsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'open' | 'ended' | undefined>('open');
  const [cadre, setCadre] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const [pairing, setPairing] = useState(false);
  const [ending, setEnding] = useState<PairingRow | null>(null);
  const cadres = useCadreOptions(area);
  const list = useList(() => call<Page<PairingRow>>(api.GET('/api/v1/assistance/pairings', { params: { query: { area, state, cadre, page, pageSize: 50 } } })), [area, state, cadre, page]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select value={state ?? 'all'} onChange={(v: string) => { setState(v === 'open' || v === 'ended' ? v : undefined); setPage(1); }} style={{ width: 140 }} aria-label={t('pairing.state')}
          options={[{ value: 'open', label: t('pairing.stateOpen') }, { value: 'ended', label: t('pairing.stateEnded') }, { value: 'all', label: t('pairing.stateAll') }]} />
        <Select allowClear value={cadre} onChange={(v) => { setCadre(v); setPage(1); }} options={cadres} placeholder={t('pairing.cadre')} showSearch optionFilterProp="label" style={{ width: 220 }} />
        {manage && <Button type="primary" icon={<UserAddOutlined />} onClick={() => setPairing(true)} data-testid="pair-open">{t('pairing.pair')}</Button>}
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<PairingRow>
        rowKey="id" size="small" loading={!list.data && !list.error} dataSource={list.data?.items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="pairings-table"
        pagination={{ current: page, pageSize: 50, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'hh', title: t('pairing.household'), render: (_, p) => <Link to={`/households/${p.householdId}`}>{p.householdNo} {p.headName}</Link> },
          { key: 'village', title: t('pairing.village'), dataIndex: 'villageName' },
          { key: 'status', title: t('pairing.status'), render: (_, p) => <Tag color={STATUS_COLOR[p.exitStatus]}>{pick(p.statusLabel)}</Tag> },
          { key: 'cadre', title: t('pairing.responsibleCadre'), render: (_, p) => `${p.cadreName}（${p.unitName}）` },
          { key: 'period', title: t('pairing.period'), render: (_, p) => `${p.startedOn} – ${p.endedOn ?? ''}` },
          { key: 'reason', title: t('pairing.endReason'), dataIndex: 'endReason' },
          ...(manage ? [{ key: 'end', title: '', render: (_: unknown, p: PairingRow) => !p.endedOn && <Button size="small" icon={<StopOutlined />} onClick={() => setEnding(p)}>{t('pairing.end')}</Button> }] : []),
        ]}
      />
      <PairModal open={pairing} onClose={() => setPairing(false)} onDone={list.reload} />
      <FormModal savedText={t('pairing.saved')}
        title={ending ? t('pairing.endTitle', { household: `${ending.householdNo} ${ending.headName}`, cadre: ending.cadreName }) : ''} open={!!ending} onClose={() => setEnding(null)} onDone={list.reload}
        fields={['endedOn', 'reason']} initial={{ endedOn: todayCn() }}
        send={(v) => call(api.POST('/api/v1/assistance/pairings/{id}/end', { params: { path: { id: ending!.id } }, body: { endedOn: String(v.endedOn ?? ''), reason: String(v.reason ?? '') } }))}
      >
        {() => (
          <>
            <Form.Item name="endedOn" label={t('pairing.endedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
            <Form.Item name="reason" label={t('pairing.endReason')} required><Input.TextArea rows={2} maxLength={500} placeholder={t('pairing.endReasonHint')} /></Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}

function FlagsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [pairFor, setPairFor] = useState<{ id: number; label: string } | null>(null);
  const list = useList(() => call<Flags>(api.GET('/api/v1/assistance/flags', { params: { query: { area } } })), [area]);
  const f = list.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Card size="small" title={t('pairing.unpairedTitle', { n: f?.unpairedTotal ?? 0 })}>
        <Typography.Paragraph type="secondary">{t('pairing.unpairedHelp')}</Typography.Paragraph>
        <Table
          rowKey="householdId" size="small" loading={!f && !list.error} dataSource={f?.unpaired} scroll={{ x: 'max-content' }} className="jz-table" data-testid="unpaired-table" pagination={{ pageSize: 20 }}
          columns={[
            { key: 'hh', title: t('pairing.household'), render: (_, u) => <Link to={`/households/${u.householdId}`}>{u.householdNo} {u.headName}</Link> },
            { key: 'village', title: t('pairing.village'), dataIndex: 'villageName' },
            { key: 'status', title: t('pairing.status'), render: (_, u) => <Tag color={STATUS_COLOR[u.exitStatus]}>{pick(u.statusLabel)}</Tag> },
            { key: 'last', title: t('pairing.lastEnded'), dataIndex: 'lastEndedOn' },
            ...(manage ? [{ key: 'pair', title: '', render: (_: unknown, u: Flags['unpaired'][number]) => <Button size="small" icon={<UserAddOutlined />} onClick={() => setPairFor({ id: u.householdId, label: `${u.householdNo} ${u.headName}` })}>{t('pairing.pair')}</Button> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('pairing.poorCadresTitle', { n: f?.cadresRegisteredPoor.length ?? 0 })}>
        <Typography.Paragraph type="secondary">{t('pairing.poorCadresHelp')}</Typography.Paragraph>
        <Table
          rowKey={(r) => `${r.cadreId}-${r.householdId}`} size="small" dataSource={f?.cadresRegisteredPoor} scroll={{ x: 'max-content' }} className="jz-table" data-testid="poor-cadres-table" pagination={false}
          columns={[
            { key: 'cadre', title: t('pairing.cadre'), render: (_, c) => `${c.cadreName}（${c.unitName}）` },
            { key: 'id', title: t('pairing.idNumber'), dataIndex: 'idNumber', render: (v: string) => <span className="jz-mono">{v}</span> },
            { key: 'hh', title: t('pairing.memberOf'), render: (_, c) => (c.householdId != null ? <Link to={`/households/${c.householdId}`}>{c.householdNo}（{c.villageName}）</Link> : t('pairing.registeredElsewhere', { county: c.registeredCountyName })) },
            { key: 'status', title: t('pairing.status'), render: (_, c) => <Tag color={STATUS_COLOR[c.exitStatus]}>{pick(c.statusLabel)}</Tag> },
          ]}
        />
      </Card>
      <PairModal open={!!pairFor} household={pairFor ?? undefined} onClose={() => setPairFor(null)} onDone={list.reload} />
    </Space>
  );
}

function FrequencyTab({ area }: { area?: string }) {
  const { t } = useTranslation();
  // No dates chosen: the server picks the period (this year to today, or the year of the area's
  // latest visit when none was recorded this year) and says which; the pickers show it.
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const list = useList(() => call<Frequency>(api.GET('/api/v1/assistance/visit-frequency', { params: { query: { area, from: period.from, to: period.to } } })), [area, period.from, period.to]);
  const d = list.data;
  const shown = { from: period.from ?? d?.from ?? '', to: period.to ?? d?.to ?? '' };
  const change = (k: 'from' | 'to', v: string) => setPeriod((p) => ({ ...shown, ...p, [k]: v || undefined }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('pairing.from')}</span><Input type="date" value={shown.from} onChange={(e) => change('from', e.target.value)} style={{ width: 160 }} aria-label={t('pairing.from')} data-testid="frequency-from" />
        <span>{t('pairing.to')}</span><Input type="date" value={shown.to} onChange={(e) => change('to', e.target.value)} style={{ width: 160 }} aria-label={t('pairing.to')} data-testid="frequency-to" />
        {(period.from || period.to) && <Button onClick={() => setPeriod({})} data-testid="frequency-default">{t('pairing.periodDefault')}</Button>}
        {d && <Typography.Text type="secondary">{t('pairing.monthsIn', { n: d.months })}</Typography.Text>}
      </Space>
      {d && (
        <Typography.Text type={d.basis === 'latest_visit_year' ? 'warning' : 'secondary'} data-testid="frequency-period">
          {d.basis === 'given' ? t('pairing.periodGiven', { from: d.from, to: d.to })
            : d.basis === 'this_year' ? t('pairing.periodThisYear', { from: d.from, to: d.to })
              : t('pairing.periodLatestYear', { from: d.from, to: d.to, day: d.latestVisit, year: d.from.slice(0, 4) })}
        </Typography.Text>
      )}
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table
        rowKey="cadreId" size="small" loading={!list.data && !list.error} dataSource={list.data?.items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="frequency-table" pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { key: 'cadre', title: t('pairing.cadre'), render: (_, r) => `${r.cadreName}（${r.unitName}）` },
          { key: 'hh', title: t('pairing.householdsPaired'), dataIndex: 'householdsPaired', align: 'right' },
          { key: 'v', title: t('pairing.visits'), dataIndex: 'visits', align: 'right' },
          { key: 'rate', title: t('pairing.rate'), dataIndex: 'visitsPerHouseholdMonth', align: 'right', render: (v: number | null) => (v === null ? '—' : v.toFixed(2)) },
          { key: 'last', title: t('pairing.lastVisit'), dataIndex: 'lastVisit' },
          {
            key: 'nv', title: t('pairing.notVisited'), align: 'right',
            render: (_, r) => (r.notVisited ? <Typography.Text type="danger" title={r.notVisitedHouseholds.map((h) => `${h.householdNo} ${h.headName}`).join('、')}>{r.notVisited}</Typography.Text> : 0),
          },
        ]}
      />
      <Typography.Paragraph type="secondary">{t('pairing.rateHelp')}</Typography.Paragraph>
    </Space>
  );
}

function UnitsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Unit | null>(null);
  const editInitial = useMemo(() => (editing ? { name: editing.name, kind: editing.kind, level: editing.level, contactName: editing.contactName ?? '' } : undefined), [editing]);
  const list = useList(() => call<Page<Unit>>(api.GET('/api/v1/assistance/units', { params: { query: { area, pageSize: 500 } } })), [area]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {manage && <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('pairing.addUnit')}</Button>}
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<Unit>
        rowKey="id" size="small" loading={!list.data && !list.error} dataSource={list.data?.items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="units-table" pagination={{ pageSize: 50 }}
        columns={[
          { key: 'name', title: t('pairing.unitName'), dataIndex: 'name' },
          { key: 'county', title: t('pairing.county'), dataIndex: 'countyName' },
          { key: 'kind', title: t('pairing.unitKind'), render: (_, u) => pick(u.kindLabel) },
          { key: 'level', title: t('pairing.unitLevel'), render: (_, u) => pick(u.levelLabel) },
          { key: 'contact', title: t('pairing.contact'), render: (_, u) => [u.contactName, u.contactPhone].filter(Boolean).join(' ') },
          { key: 'cadres', title: t('pairing.activeCadres'), dataIndex: 'cadres', align: 'right' },
          { key: 'pairs', title: t('pairing.openPairings'), dataIndex: 'openPairings', align: 'right' },
          ...(manage ? [{
            key: 'edit', title: '',
            render: (_: unknown, u: Unit) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} aria-label={t('pairing.editUnitFor', { name: u.name })} data-testid={`edit-unit-${u.id}`}>{t('common.edit')}</Button>,
          }] : []),
        ]}
      />
      <FormModal savedText={t('pairing.saved')}
        title={editing ? t('pairing.editUnitFor', { name: editing.name }) : ''} open={!!editing} onClose={() => setEditing(null)} onDone={list.reload}
        fields={['name', 'kind', 'level', 'contactName', 'contactPhone']} initial={editInitial} testId="unit-edit-form"
        send={(v) => call(api.PATCH('/api/v1/assistance/units/{id}', { params: { path: { id: editing!.id } }, body: {
          name: String(v.name ?? ''), kind: String(v.kind ?? ''), level: String(v.level ?? ''), contactName: (v.contactName as string) || null,
          // The phone is shown masked: left empty it stays as it is.
          ...((v.contactPhone as string)?.trim() ? { contactPhone: String(v.contactPhone) } : {}),
        } }))}
      >
        {() => (
          <>
            <Form.Item name="name" label={t('pairing.unitName')} required><Input maxLength={100} /></Form.Item>
            <Form.Item name="kind" label={t('pairing.unitKind')} required><Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`pairing.unitKinds.${k}`) }))} /></Form.Item>
            <Form.Item name="level" label={t('pairing.unitLevel')} required><Select options={UNIT_LEVELS.map((k) => ({ value: k, label: t(`pairing.unitLevels.${k}`) }))} /></Form.Item>
            <Space wrap>
              <Form.Item name="contactName" label={t('pairing.contactName')}><Input maxLength={50} /></Form.Item>
              <Form.Item name="contactPhone" label={t('pairing.contactPhone')} extra={editing?.contactPhone ? t('pairing.keepMasked', { value: editing.contactPhone }) : undefined}><Input maxLength={20} /></Form.Item>
            </Space>
          </>
        )}
      </FormModal>
      <FormModal savedText={t('pairing.saved')}
        title={t('pairing.addUnit')} open={adding} onClose={() => setAdding(false)} onDone={list.reload} fields={['countyCode', 'name', 'kind', 'level', 'contactName', 'contactPhone']}
        send={(v) => call(api.POST('/api/v1/assistance/units', { body: {
          countyCode: (v.countyCode as string) || undefined, name: String(v.name ?? ''), kind: String(v.kind ?? ''), level: String(v.level ?? ''),
          contactName: (v.contactName as string) || null, contactPhone: (v.contactPhone as string) || null,
        } }))}
      >
        {() => (
          <>
            <Form.Item name="countyCode" label={t('pairing.countyCode')} extra={t('pairing.countyCodeHelp')}><Input maxLength={6} /></Form.Item>
            <Form.Item name="name" label={t('pairing.unitName')} required><Input maxLength={100} /></Form.Item>
            <Form.Item name="kind" label={t('pairing.unitKind')} required><Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`pairing.unitKinds.${k}`) }))} /></Form.Item>
            <Form.Item name="level" label={t('pairing.unitLevel')} required><Select options={UNIT_LEVELS.map((k) => ({ value: k, label: t(`pairing.unitLevels.${k}`) }))} /></Form.Item>
            <Space wrap>
              <Form.Item name="contactName" label={t('pairing.contactName')}><Input maxLength={50} /></Form.Item>
              <Form.Item name="contactPhone" label={t('pairing.contactPhone')}><Input maxLength={20} /></Form.Item>
            </Space>
          </>
        )}
      </FormModal>
    </Space>
  );
}

function CadresTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Cadre | null>(null);
  const editInitial = useMemo(() => (editing ? { unitId: editing.unitId, name: editing.name, position: editing.position ?? '' } : undefined), [editing]);
  const units = useUnitOptions();
  const setActive = async (c: Cadre, active: boolean) => {
    try {
      await call(api.PATCH('/api/v1/assistance/cadres/{id}', { params: { path: { id: c.id } }, body: { active } }));
      message.success(t('pairing.saved'));
      list.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };
  const [q, setQ] = useState('');
  const list = useList(() => call<Page<Cadre>>(api.GET('/api/v1/assistance/cadres', { params: { query: { area, q: q || undefined, pageSize: 500 } } })), [area, q]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search allowClear placeholder={t('pairing.cadreSearch')} aria-label={t('pairing.cadreSearch')} onSearch={(v) => setQ(v.trim())} style={{ width: 240 }} data-testid="cadre-search" />
        {manage && <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('pairing.addCadre')}</Button>}
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<Cadre>
        rowKey="id" size="small" loading={!list.data && !list.error} dataSource={list.data?.items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="cadres-table" pagination={{ pageSize: 50 }}
        columns={[
          { key: 'name', title: t('pairing.cadre'), dataIndex: 'name' },
          { key: 'id', title: t('pairing.idNumber'), dataIndex: 'idNumber', render: (v: string) => <span className="jz-mono">{v}</span> },
          { key: 'unit', title: t('pairing.unitName'), dataIndex: 'unitName' },
          { key: 'position', title: t('pairing.position'), dataIndex: 'position' },
          { key: 'active', title: t('pairing.active'), render: (_, c) => (c.active ? <Tag color="green">{t('pairing.activeYes')}</Tag> : <Tag>{t('pairing.activeNo')}</Tag>) },
          { key: 'pairs', title: t('pairing.openPairings'), dataIndex: 'openPairings', align: 'right' },
          { key: 'teams', title: t('pairing.teams'), render: (_, c) => c.teams.map((x) => <Tag key={x.teamId}>{x.villageName} · {t(`pairing.roles.${x.role}`)}</Tag>) },
          ...(manage ? [{
            key: 'actions', title: '',
            render: (_: unknown, c: Cadre) => (
              <Space size="small">
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)} aria-label={t('pairing.editCadreFor', { name: c.name })} data-testid={`edit-cadre-${c.id}`}>{t('common.edit')}</Button>
                {c.active ? (
                  <Popconfirm
                    title={t('pairing.deactivateConfirm', { name: c.name })}
                    description={c.openPairings || c.teams.length ? t('pairing.deactivateStill', { n: c.openPairings, teams: c.teams.length }) : undefined}
                    okText={t('pairing.deactivate')} cancelText={t('common.cancel')} onConfirm={() => setActive(c, false)}
                  >
                    <Button size="small" danger icon={<StopOutlined />} data-testid={`deactivate-cadre-${c.id}`}>{t('pairing.deactivate')}</Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" icon={<CheckOutlined />} onClick={() => void setActive(c, true)} data-testid={`reactivate-cadre-${c.id}`}>{t('pairing.reactivate')}</Button>
                )}
              </Space>
            ),
          }] : []),
        ]}
      />
      <FormModal savedText={t('pairing.saved')}
        title={editing ? t('pairing.editCadreFor', { name: editing.name }) : ''} open={!!editing} onClose={() => setEditing(null)} onDone={list.reload}
        fields={['unitId', 'name', 'idNumber', 'phone', 'position']} initial={editInitial} testId="cadre-edit-form"
        send={(v) => call(api.PATCH('/api/v1/assistance/cadres/{id}', { params: { path: { id: editing!.id } }, body: {
          unitId: Number(v.unitId ?? 0), name: String(v.name ?? ''), position: (v.position as string) || null,
          // ID number and phone are shown masked: left empty they stay as they are.
          ...((v.idNumber as string)?.trim() ? { idNumber: String(v.idNumber) } : {}),
          ...((v.phone as string)?.trim() ? { phone: String(v.phone) } : {}),
        } }))}
      >
        {() => (
          <>
            <Form.Item name="unitId" label={t('pairing.unitName')} required extra={t('pairing.unitSameCounty')}><Select options={units} showSearch optionFilterProp="label" /></Form.Item>
            <Form.Item name="name" label={t('pairing.cadreName')} required><Input maxLength={50} /></Form.Item>
            <Form.Item name="idNumber" label={t('pairing.idNumber')} extra={editing ? t('pairing.keepMasked', { value: editing.idNumber }) : undefined}><Input maxLength={18} className="jz-mono" /></Form.Item>
            <Space wrap>
              <Form.Item name="phone" label={t('pairing.phone')} extra={editing?.phone ? t('pairing.keepMasked', { value: editing.phone }) : undefined}><Input maxLength={20} /></Form.Item>
              <Form.Item name="position" label={t('pairing.position')}><Input maxLength={50} /></Form.Item>
            </Space>
          </>
        )}
      </FormModal>
      <FormModal savedText={t('pairing.saved')}
        title={t('pairing.addCadre')} open={adding} onClose={() => setAdding(false)} onDone={list.reload} fields={['unitId', 'name', 'idNumber', 'phone', 'position']}
        send={(v) => call(api.POST('/api/v1/assistance/cadres', { body: {
          unitId: Number(v.unitId ?? 0), name: String(v.name ?? ''), idNumber: String(v.idNumber ?? ''), phone: (v.phone as string) || null, position: (v.position as string) || null,
        } }))}
      >
        {() => (
          <>
            <Form.Item name="unitId" label={t('pairing.unitName')} required><Select options={units} showSearch optionFilterProp="label" /></Form.Item>
            <Form.Item name="name" label={t('pairing.cadreName')} required><Input maxLength={50} /></Form.Item>
            <Form.Item name="idNumber" label={t('pairing.idNumber')} required extra={t('pairing.idNumberHelp')}><Input maxLength={18} className="jz-mono" /></Form.Item>
            <Space wrap>
              <Form.Item name="phone" label={t('pairing.phone')}><Input maxLength={20} /></Form.Item>
              <Form.Item name="position" label={t('pairing.position')}><Input maxLength={50} /></Form.Item>
            </Space>
          </>
        )}
      </FormModal>
    </Space>
  );
}

function TeamsTab({ area, manage }: { area?: string; manage: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [memberFor, setMemberFor] = useState<Team | null>(null);
  const [leaveFor, setLeaveFor] = useState<Team | null>(null);
  const [endFor, setEndFor] = useState<Team | null>(null);
  const endInitial = useMemo(() => ({ endedOn: todayCn() }), []);
  const units = useUnitOptions();
  const cadres = useCadreOptions();
  const list = useList(() => call<Page<Team>>(api.GET('/api/v1/assistance/work-teams', { params: { query: { area, pageSize: 200 } } })), [area]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {manage && <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('pairing.addTeam')}</Button>}
      {list.error && <Alert type="error" showIcon title={list.error} />}
      <Table<Team>
        rowKey="id" size="small" loading={!list.data && !list.error} dataSource={list.data?.items} scroll={{ x: 'max-content' }} className="jz-table" data-testid="teams-table" pagination={{ pageSize: 50 }}
        columns={[
          { key: 'village', title: t('pairing.village'), render: (_, x) => `${x.townshipName ?? ''} ${x.villageName}` },
          { key: 'unit', title: t('pairing.unitName'), dataIndex: 'unitName' },
          { key: 'period', title: t('pairing.period'), render: (_, x) => `${x.startedOn} – ${x.endedOn ?? ''}` },
          {
            key: 'members', title: t('pairing.members'),
            render: (_, x) => x.members.map((m) => <Tag key={`${m.cadreId}-${m.startedOn}`} color={m.endedOn ? undefined : m.role === 'first_secretary' ? 'red' : 'blue'}>{m.name} · {pick(m.roleLabel)}{m.endedOn ? ` (${m.startedOn} – ${m.endedOn})` : ''}</Tag>),
          },
          ...(manage ? [{
            key: 'add', title: '',
            render: (_: unknown, x: Team) => !x.endedOn && (
              <Space size="small" wrap>
                <Button size="small" icon={<UserAddOutlined />} onClick={() => setMemberFor(x)} data-testid={`add-member-${x.id}`}>{t('pairing.addMember')}</Button>
                {x.members.some((m) => !m.endedOn) && <Button size="small" icon={<UserDeleteOutlined />} onClick={() => setLeaveFor(x)} data-testid={`end-member-${x.id}`}>{t('pairing.endMember')}</Button>}
                <Button size="small" danger icon={<LogoutOutlined />} onClick={() => setEndFor(x)} data-testid={`end-team-${x.id}`}>{t('pairing.endTeam')}</Button>
              </Space>
            ),
          }] : []),
        ]}
      />
      <FormModal savedText={t('pairing.saved')}
        title={t('pairing.addTeam')} open={adding} onClose={() => setAdding(false)} onDone={list.reload} fields={['villageCode', 'unitId', 'startedOn']} initial={{ startedOn: todayCn() }}
        send={(v) => call(api.POST('/api/v1/assistance/work-teams', { body: { villageCode: String(v.villageCode ?? ''), unitId: Number(v.unitId ?? 0), startedOn: String(v.startedOn ?? '') } }))}
      >
        {() => (
          <>
            <Form.Item name="villageCode" label={t('pairing.villageCode')} required><Input maxLength={12} className="jz-mono" /></Form.Item>
            <Form.Item name="unitId" label={t('pairing.unitName')} required><Select options={units} showSearch optionFilterProp="label" /></Form.Item>
            <Form.Item name="startedOn" label={t('pairing.startedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
          </>
        )}
      </FormModal>
      <FormModal savedText={t('pairing.saved')}
        title={t('pairing.addMember')} open={!!memberFor} onClose={() => setMemberFor(null)} onDone={list.reload} fields={['cadreId', 'role', 'startedOn']} initial={{ startedOn: todayCn(), role: 'member' }}
        send={(v) => call(api.POST('/api/v1/assistance/work-teams/{id}/members', { params: { path: { id: memberFor!.id } }, body: { cadreId: Number(v.cadreId ?? 0), role: String(v.role ?? ''), startedOn: String(v.startedOn ?? '') } }))}
      >
        {() => (
          <>
            <Form.Item name="cadreId" label={t('pairing.cadre')} required><Select options={cadres} showSearch optionFilterProp="label" /></Form.Item>
            <Form.Item name="role" label={t('pairing.role')} required><Select options={TEAM_ROLES.map((r) => ({ value: r, label: t(`pairing.roles.${r}`) }))} /></Form.Item>
            <Form.Item name="startedOn" label={t('pairing.startedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
          </>
        )}
      </FormModal>
      <FormModal savedText={t('pairing.saved')}
        title={leaveFor ? t('pairing.endMemberTitle', { village: leaveFor.villageName }) : ''} open={!!leaveFor} onClose={() => setLeaveFor(null)} onDone={list.reload}
        fields={['cadreId', 'endedOn']} initial={endInitial} testId="end-member-form"
        send={(v) => call(api.POST('/api/v1/assistance/work-teams/{id}/members/end', { params: { path: { id: leaveFor!.id } }, body: { cadreId: Number(v.cadreId ?? 0), endedOn: String(v.endedOn ?? '') } }))}
      >
        {() => (
          <>
            <Form.Item name="cadreId" label={t('pairing.member')} required>
              <Select options={(leaveFor?.members ?? []).filter((m) => !m.endedOn).map((m) => ({ value: m.cadreId, label: `${m.name} · ${pick(m.roleLabel)}（${m.startedOn} –）` }))} />
            </Form.Item>
            <Form.Item name="endedOn" label={t('pairing.endedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
          </>
        )}
      </FormModal>
      <FormModal savedText={t('pairing.saved')}
        title={endFor ? t('pairing.endTeamTitle', { village: endFor.villageName, unit: endFor.unitName }) : ''} open={!!endFor} onClose={() => setEndFor(null)} onDone={list.reload}
        fields={['endedOn']} initial={endInitial} testId="end-team-form"
        send={(v) => call(api.POST('/api/v1/assistance/work-teams/{id}/end', { params: { path: { id: endFor!.id } }, body: { endedOn: String(v.endedOn ?? '') } }))}
      >
        {() => (
          <>
            <Typography.Paragraph type="secondary">{t('pairing.endTeamHelp')}</Typography.Paragraph>
            <Form.Item name="endedOn" label={t('pairing.endedOn')} required><Input type="date" max={todayCn()} /></Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}

export default function Pairing() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [area, setArea] = useState<string | undefined>(params.get('area') ?? undefined);
  const tab = params.get('tab') ?? 'pairings';
  const manage = can('assistance.manage');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('pairing.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('pairing.intro')}</Typography.Paragraph>
      <Space wrap>
        <AreaSelect value={area} onChange={setArea} placeholder={t('pairing.area')} style={{ width: 260 }} />
      </Space>
      <Card>
        <Tabs
          className="jz-wrap-tabs"
          activeKey={tab}
          onChange={(k) => setParams((p) => { p.set('tab', k); return p; }, { replace: true })}
          items={[
            { key: 'pairings', label: t('pairing.tabPairings'), children: <PairingsTab area={area} manage={manage} /> },
            { key: 'flags', label: t('pairing.tabFlags'), children: <FlagsTab area={area} manage={manage} /> },
            { key: 'frequency', label: t('pairing.tabFrequency'), children: <FrequencyTab area={area} /> },
            { key: 'units', label: t('pairing.tabUnits'), children: <UnitsTab area={area} manage={manage} /> },
            { key: 'cadres', label: t('pairing.tabCadres'), children: <CadresTab area={area} manage={manage} /> },
            { key: 'teams', label: t('pairing.tabTeams'), children: <TeamsTab area={area} manage={manage} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
