// 一户一档: one household's file: members, yearly records against the poverty line,
// 两不愁三保障, change history; editing for roles that may write.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Result, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone, EditOutlined, EyeOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import type { HistoryEntry, HouseholdFile, Member, YearRecord } from '../api/types';
import { useCodes, useSession } from '../session';
import { pick } from '../i18n';
import { fmtMoney, STATUS_COLOR } from '../links';
import { resolveRow, usePolicyRows } from '../cases/policy';
import { UnknownValue } from '../cases/params';
import EditHousehold from '../household/EditHousehold';
import MemberEdit from '../household/MemberEdit';
import YearEdit, { CHECKS, LIVING } from '../household/YearEdit';
import History from '../household/History';
import Evaluation from '../household/Evaluation';
import OpenCaseButtons from '../cases/OpenCase';
import HouseholdCases from '../cases/HouseholdCases';
import HouseholdPlan from '../assistance/HouseholdPlan';
import HouseholdVisits from '../assistance/HouseholdVisits';
import HouseholdMeasures from '../assistance/HouseholdMeasures';

const EChart = lazy(() => import('../charts/EChart'));

export default function Household() {
  const { t } = useTranslation();
  const { id } = useParams();
  const hid = Number(id);
  const { can } = useSession();
  const codes = useCodes();
  const { message } = App.useApp();
  const [file, setFile] = useState<HouseholdFile | null>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [revealed, setRevealed] = useState<Record<number, { idNumber: string; phone: string | null }>>({});
  const [editing, setEditing] = useState(false);
  const [member, setMember] = useState<{ open: boolean; m?: Member }>({ open: false });
  const [year, setYear] = useState<{ open: boolean; y?: YearRecord }>({ open: false });
  const [checkYear, setCheckYear] = useState<number | undefined>();
  const writable = can('register.write');
  const lineRows = usePolicyRows('poverty_line');

  const loadHistory = useCallback(async () => {
    try {
      setHistory((await call<{ items: HistoryEntry[] }>(api.GET('/api/v1/households/{id}/history', { params: { path: { id: hid } } }))).items);
    } catch {
      setHistory([]);
    }
  }, [hid]);

  const load = useCallback(async (): Promise<HouseholdFile | undefined> => {
    try {
      const f = await call<HouseholdFile>(api.GET('/api/v1/households/{id}', { params: { path: { id: hid } } }));
      setFile(f);
      setError(null);
      return f;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, { code: 'x', zh: String(e), en: String(e) }));
      return undefined;
    }
  }, [hid]);

  useEffect(() => {
    if (!Number.isSafeInteger(hid) || hid <= 0) {
      setError(new ApiError(404, { code: 'not_found', zh: '未找到该农户', en: 'No such household' }));
      return;
    }
    setFile(null);
    setRevealed({});
    void load();
    void loadHistory();
  }, [hid, load, loadHistory]);

  const saved = (f: HouseholdFile) => {
    setFile(f);
    setEditing(false);
    setMember({ open: false });
    setYear({ open: false });
    setRevealed({});
    void loadHistory();
  };

  const reveal = async (m: Member) => {
    try {
      const r = await call<{ idNumber: string; phone: string | null }>(api.POST('/api/v1/households/{id}/members/{memberId}/reveal', { params: { path: { id: hid, memberId: m.id } } }));
      setRevealed((old) => ({ ...old, [m.id]: r }));
    } catch (e) {
      message.error(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  };

  /** The poverty line in force for a year at this household's village (null: unknown; undefined: none). */
  const lineOf = useCallback((year: number) => (lineRows && file ? resolveRow(lineRows, 'poverty_line', year, file.villageCode) : undefined), [lineRows, file]);

  const incomeChart = useMemo(() => {
    if (!file?.years.length) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: file.years.map((y) => String(y.year)) },
      yAxis: { type: 'value', name: t('year.yuan') },
      series: [
        { type: 'bar', name: t('year.perCapitaIncome'), data: file.years.map((y) => y.perCapitaIncome), itemStyle: { color: '#1677ff' } },
        { type: 'line', name: t('year.povertyLine'), data: file.years.map((y) => lineOf(y.year)?.value ?? null), connectNulls: false, itemStyle: { color: '#cf1322' }, lineStyle: { type: 'dashed' } },
      ],
    };
  }, [file, t, lineOf]);

  if (error) {
    return error.status === 404
      ? <Result status="404" title={t('household.notFound')} subTitle={pick(error.body)} extra={<Link to="/register">{t('household.backToRegister')}</Link>} data-testid="household-not-found" />
      : <Alert type="error" showIcon title={pick(error.body)} />;
  }
  if (!file) return <Skeleton active />;

  const latest = file.years[file.years.length - 1];
  const shownYear = file.years.find((y) => y.year === checkYear) ?? latest;
  const yn = (v: boolean | null) =>
    v === null ? <span><MinusCircleOutlined /> {t('common.unknown')}</span>
      : v ? <span><CheckCircleTwoTone twoToneColor="#52c41a" /> {t('common.yes')}</span>
        : <span><CloseCircleTwoTone twoToneColor="#eb2f96" /> {t('common.no')}</span>;

  const memberColumns = [
    { key: 'name', title: t('member.name'), dataIndex: 'name' },
    { key: 'relation', title: t('member.relation'), dataIndex: 'relation', render: (v: string) => codes.label('relation', v) },
    { key: 'sex', title: t('member.sex'), dataIndex: 'sex', render: (v: string) => codes.label('sex', v) },
    { key: 'birthDate', title: t('member.birthDate'), dataIndex: 'birthDate' },
    { key: 'ethnicity', title: t('member.ethnicity'), dataIndex: 'ethnicity', render: (v: string) => codes.label('ethnicity', v) },
    {
      key: 'idNumber', title: t('member.idNumber'),
      render: (_: unknown, m: Member) => (
        <Space size={4}>
          <span className="jz-mono" data-testid={`member-id-${m.id}`}>{revealed[m.id]?.idNumber ?? m.idNumber}</span>
          {!revealed[m.id] && <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => void reveal(m)} aria-label={t('member.revealFor', { name: m.name })}>{t('member.reveal')}</Button>}
        </Space>
      ),
    },
    { key: 'phone', title: t('member.phone'), render: (_: unknown, m: Member) => <span className="jz-mono">{revealed[m.id] ? revealed[m.id]!.phone ?? '' : m.phone ?? ''}</span> },
    { key: 'health', title: t('member.health'), dataIndex: 'health', render: (v: string | null) => codes.label('health', v) },
    { key: 'labourAbility', title: t('member.labourAbility'), dataIndex: 'labourAbility', render: (v: string | null) => codes.label('labourAbility', v) },
    { key: 'workMonths', title: t('member.workMonths'), dataIndex: 'workMonths', align: 'right' as const },
    ...(writable ? [{ key: 'edit', title: '', render: (_: unknown, m: Member) => <Button size="small" icon={<EditOutlined />} onClick={() => setMember({ open: true, m })} aria-label={t('edit.memberTitle', { name: m.name })} data-testid={`edit-member-${m.id}`}>{t('common.edit')}</Button> }] : []),
  ];

  const yearColumns = [
    { key: 'year', title: t('year.year'), dataIndex: 'year' },
    { key: 'size', title: t('year.householdSize'), dataIndex: 'householdSize', align: 'right' as const },
    { key: 'status', title: t('household.exitStatus'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{codes.label('exitStatus', v)}</Tag> },
    { key: 'pc', title: t('year.perCapitaIncome'), dataIndex: 'perCapitaIncome', align: 'right' as const, render: (v: number) => <strong>{fmtMoney(v)}</strong> },
    {
      key: 'line', title: t('year.povertyLine'), align: 'right' as const,
      render: (_: unknown, y: YearRecord) => {
        const row = lineOf(y.year);
        if (!row) return <span title={t('year.noLine')}>—</span>;
        if (row.value === null) return <UnknownValue />;
        const line = row.value;
        const above = y.perCapitaIncome >= line;
        return <Space size={4}>{fmtMoney(line)}<Tag color={above ? 'green' : 'red'}>{above ? t('year.above') : t('year.below')}</Tag></Space>;
      },
    },
    ...(['wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts', 'nonCountingIncome'] as const).map((f) => ({
      key: f, title: t(`year.${f}`), dataIndex: f, align: 'right' as const, render: (v: number) => fmtMoney(v),
    })),
    ...(writable ? [{ key: 'edit', title: '', render: (_: unknown, y: YearRecord) => <Button size="small" icon={<EditOutlined />} onClick={() => setYear({ open: true, y })} aria-label={t('edit.yearTitle', { year: y.year })}>{t('common.edit')}</Button> }] : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="household-title">{file.headName}</Typography.Title>
            <Tag color={STATUS_COLOR[file.exitStatus]}>{codes.label('exitStatus', file.exitStatus)}</Tag>
            <Typography.Text type="secondary">{file.area.county} {file.area.township} {file.area.village}</Typography.Text>
          </Space>
        }
        extra={<Space wrap><Link to="/register">{t('household.backToRegister')}</Link><Link to={`/reports/household/${file.id}`} data-testid="link-household-card">{t('reports.links.householdCard')}</Link>{writable && <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-household">{t('common.edit')}</Button>}</Space>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="household-info">
          <Descriptions.Item label={t('household.householdNo')}>{file.householdNo}</Descriptions.Item>
          <Descriptions.Item label={t('household.groupName')}>{file.groupName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.attribute')}>{codes.label('attribute', file.attribute)}</Descriptions.Item>
          <Descriptions.Item label={t('household.mainCause')}>{codes.label('cause', file.mainCause) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.otherCauses')}>{file.otherCauses.map((c) => codes.label('cause', c)).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.identifiedOn')}>{file.identifiedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.exitYear')}>{file.exitYear ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.phone')}><span className="jz-mono">{file.phone ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('household.assistanceUnit')}>{file.assistanceUnit ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.responsibleCadre')}>{file.responsibleCadre ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('household.relocated')}>{file.relocated ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('household.version')}>{file.version}</Descriptions.Item>
        </Descriptions>
        <OpenCaseButtons householdId={file.id} headName={file.headName} years={file.years.map((y) => y.year)} />
      </Card>

      <Card>
        <Tabs
          className="jz-wrap-tabs"
          items={[
            {
              key: 'members', label: t('household.members', { n: file.members.length }),
              children: (
                <>
                  {writable && <Button icon={<PlusOutlined />} onClick={() => setMember({ open: true })} style={{ marginBottom: 8 }}>{t('edit.addMember')}</Button>}
                  <Table<Member> rowKey="id" size="small" pagination={false} dataSource={file.members} columns={memberColumns} scroll={{ x: 'max-content' }} className="jz-table" data-testid="members-table" />
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('member.maskNote')}</Typography.Paragraph>
                </>
              ),
            },
            {
              key: 'years', label: t('household.years'),
              children: (
                <>
                  {writable && <Button icon={<PlusOutlined />} onClick={() => setYear({ open: true })} style={{ marginBottom: 8 }}>{t('edit.addYear')}</Button>}
                  {incomeChart && (
                    <Suspense fallback={<Skeleton active />}>
                      <EChart label={t('year.chart')} option={incomeChart} height={240} />
                    </Suspense>
                  )}
                  <Table<YearRecord> rowKey="year" size="small" pagination={false} dataSource={[...file.years].reverse()} columns={yearColumns} scroll={{ x: 'max-content' }} className="jz-table" data-testid="years-table" />
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('year.formula')}</Typography.Paragraph>
                </>
              ),
            },
            {
              key: 'checklist', label: t('household.checklist'),
              children: shownYear ? (
                <>
                  <Space style={{ marginBottom: 12 }}>
                    <span id="check-year">{t('year.year')}</span>
                    <Select aria-labelledby="check-year" value={shownYear.year} onChange={setCheckYear} options={file.years.map((y) => ({ value: y.year, label: String(y.year) }))} style={{ width: 100 }} />
                  </Space>
                  <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="checklist">
                    {CHECKS.map((c) => <Descriptions.Item key={c} label={t(`year.${c}`)}>{yn(shownYear[c])}</Descriptions.Item>)}
                    {LIVING.map((c) => <Descriptions.Item key={c} label={t(`year.${c}`)}>{yn(shownYear[c])}</Descriptions.Item>)}
                    <Descriptions.Item label={t('year.waterLitresPerDay')}>{shownYear.waterLitresPerDay ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('year.waterFetchMinutes')}>{shownYear.waterFetchMinutes ?? '—'}</Descriptions.Item>
                  </Descriptions>
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('year.waterStandard')}</Typography.Paragraph>
                </>
              ) : <Typography.Text type="secondary">{t('year.none')}</Typography.Text>,
            },
            {
              key: 'evaluation', label: t('evaluation.tab'),
              children: <Evaluation householdId={file.id} years={file.years.map((y) => y.year)} />,
            },
            {
              key: 'cases', label: t('cases.householdCases'),
              children: <HouseholdCases householdId={file.id} />,
            },
            {
              key: 'measures', label: t('measures.tab'),
              children: <HouseholdMeasures household={file} onYearsChanged={() => { void load(); void loadHistory(); }} />,
            },
            { key: 'plan', label: t('pairing.planTab'), children: <HouseholdPlan householdId={file.id} /> },
            { key: 'visits', label: t('pairing.visitsTab'), children: <HouseholdVisits householdId={file.id} /> },
            {
              key: 'history', label: t('household.history'),
              children: <History items={history} />,
            },
          ]}
        />
      </Card>

      {writable && (
        <>
          <EditHousehold household={file} open={editing} onClose={() => setEditing(false)} onSaved={saved} onReload={load} />
          <MemberEdit household={file} member={member.m} open={member.open} onClose={() => setMember({ open: false })} onSaved={saved} onReload={load} />
          <YearEdit household={file} record={year.y} open={year.open} onClose={() => setYear({ open: false })} onSaved={saved} onReload={load} />
        </>
      )}
    </Space>
  );
}
