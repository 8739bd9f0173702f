// 退出评估: village exit (贫困村出列) and county exit (贫困县摘帽) from the register for an area and
// year — each bar with numerator, denominator, limit and verdict, the parameter's source on hover —
// the villages of a county or township worst first, and the county assessment of survey counts
// (错退率, 漏评率, 群众认可度) evaluated by the server, not stored.
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Drawer, Empty, Form, InputNumber, Row, Select, Skeleton, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import AreaTree from '../components/AreaTree';
import { useSession } from '../session';
import { pick } from '../i18n';
import { fmtInt } from '../links';
import { applyIssues } from '../household/issues';
import EvaluationCard, { type PanelEvaluation } from '../exit/EvaluationCard';

type VillagePanel = paths['/api/v1/exit-panels/village']['get']['responses'][200]['content']['application/json'];
type CountyPanel = paths['/api/v1/exit-panels/county']['get']['responses'][200]['content']['application/json'];
type VillageList = paths['/api/v1/exit-panels/villages']['get']['responses'][200]['content']['application/json'];
type Assessment = paths['/api/v1/exit-panels/county-assessment']['post']['responses'][200]['content']['application/json'];
type AssessmentBody = paths['/api/v1/exit-panels/county-assessment']['post']['requestBody']['content']['application/json'];
type Bar = VillagePanel['evaluation']['bars'][number];
type Param = NonNullable<Bar['bar']>;
type VillageRow = VillageList['items'][number];
type Verdict = Bar['verdict'];

const FIRST_YEAR = 2014;
const LAST_YEAR = 2025;
const COUNT_FIELDS = ['sampledExited', 'wronglyExited', 'sampledNonRegistered', 'omitted', 'surveyedHouseholds', 'approving'] as const;
type CountField = (typeof COUNT_FIELDS)[number];

function errorText(e: unknown, fallback: string): string {
  return e instanceof ApiError ? pick(e.body) : fallback;
}

export function VerdictTag({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  const { t } = useTranslation();
  const color = verdict === 'pass' ? 'green' : verdict === 'fail' ? 'red' : 'default';
  return <Tag color={color} data-testid={testId} data-verdict={verdict}>{t(`exit.verdict.${verdict}`)}</Tag>;
}

function ParamSource({ param }: { param: Param | null }) {
  const { t } = useTranslation();
  if (!param) return <Typography.Text type="warning">{t('exit.noParam')}</Typography.Text>;
  const region = param.region === '' ? t('exit.region.national') : param.region.length <= 2 ? t('exit.region.province', { code: param.region }) : t('exit.region.county', { code: param.region });
  const title = (
    <div>
      <div>{param.key}</div>
      <div>{t('exit.paramFrom', { year: param.year, region })}</div>
      <div>{t('exit.source')}: {param.source}</div>
    </div>
  );
  return (
    <Tooltip title={title}>
      <span className="jz-param" tabIndex={0} style={{ borderBottom: '1px dotted', cursor: 'help' }} data-testid="param-source">
        {param.value === null ? t('exit.unknownValue') : `${param.value}%`}
      </span>
    </Tooltip>
  );
}

/** One bar: numerator / denominator, the value, the limit (with its source on hover), the verdict and the reason. */
export function BarCard({ bar, denominatorMissing = false }: { bar: Bar; denominatorMissing?: boolean }) {
  const { t } = useTranslation();
  const cmp = bar.comparison === 'at_most' ? '≤' : '≥';
  return (
    <Card size="small" title={pick(bar.label)} extra={<VerdictTag verdict={bar.verdict} testId={`bar-verdict-${bar.key}`} />} data-testid={`bar-${bar.key}`}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('exit.fraction')}>
          <span data-testid={`bar-fraction-${bar.key}`}>{fmtInt(bar.numerator)} / {denominatorMissing ? '—' : fmtInt(bar.denominator)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('exit.value')}>{bar.percent === null ? '—' : `${bar.percent.toFixed(2)}%`}</Descriptions.Item>
        <Descriptions.Item label={t('exit.limit')}>
          <Space size={4}>
            {cmp} <ParamSource param={bar.bar} />
            {bar.limitCount !== null && <span>（{t(bar.comparison === 'at_most' ? 'exit.atMost' : 'exit.atLeast', { n: fmtInt(bar.limitCount) })}）</span>}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} data-testid={`bar-reason-${bar.key}`}>{pick(bar.reason)}</Typography.Paragraph>
    </Card>
  );
}

function Missing({ text }: { text: { zh: string; en: string } | null }) {
  const { t } = useTranslation();
  if (!text) return null;
  return <Alert type="warning" showIcon title={t('exit.missingTitle')} description={pick(text)} data-testid="exit-missing" />;
}

function Counts({ c }: { c: VillagePanel['counts'] }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered>
      <Descriptions.Item label={t('exit.registered')}>{t('exit.householdsPeople', { h: fmtInt(c.households), p: fmtInt(c.people) })}</Descriptions.Item>
      <Descriptions.Item label={t('exit.poor')}>{t('exit.householdsPeople', { h: fmtInt(c.poorHouseholds), p: fmtInt(c.poorPeople) })}</Descriptions.Item>
      <Descriptions.Item label={t('exit.rural')}>
        {c.ruralPeople === null ? <Typography.Text type="warning">{t('exit.notLoaded')}</Typography.Text> : fmtInt(c.ruralPeople)}
        {c.populationSynthetic ? <Tag style={{ marginLeft: 8 }}>{t('exit.synthetic')}</Tag> : null}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** A village or county incidence panel. */
function PanelBody({ panel, testId }: { panel: VillagePanel | CountyPanel; testId: string }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid={testId}>
      <Alert
        type={panel.verdict === 'pass' ? 'success' : panel.verdict === 'fail' ? 'error' : 'info'}
        showIcon
        title={<Space><VerdictTag verdict={panel.verdict} testId={`${testId}-verdict`} />{pick(panel.reason)}</Space>}
      />
      <Missing text={panel.missing} />
      <Counts c={panel.counts} />
      {panel.evaluation.bars.map((b) => <BarCard key={b.key} bar={b} denominatorMissing={panel.counts.ruralPeople === null} />)}
    </Space>
  );
}

function VillageTable({ items, onOpen }: { items: VillageRow[]; onOpen: (code: string) => void }) {
  const { t } = useTranslation();
  const [failingOnly, setFailingOnly] = useState(false);
  const shown = failingOnly ? items.filter((v) => v.verdict === 'fail') : items;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Switch checked={failingOnly} onChange={setFailingOnly} aria-label={t('exit.onlyFailing')} data-testid="only-failing" />
        <span>{t('exit.onlyFailing')}</span>
      </Space>
      <Table<VillageRow>
        size="small"
        rowKey="code"
        className="jz-table"
        data-testid="village-table"
        dataSource={shown}
        pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        onRow={(v) => ({ onClick: () => onOpen(v.code), style: { cursor: 'pointer' } })}
        locale={{ emptyText: <Empty description={t('exit.noVillages')} /> }}
        columns={[
          { title: t('exit.village'), dataIndex: 'name', key: 'name', render: (name: string, v) => <a href={`/exit?village=${v.code}`} onClick={(e) => { e.preventDefault(); onOpen(v.code); }}>{name}</a> },
          { title: t('exit.township'), dataIndex: 'townshipName', key: 'township' },
          { title: t('exit.poorPeople'), dataIndex: 'poorPeople', key: 'poor', align: 'right', render: fmtInt },
          { title: t('exit.ruralPeople'), dataIndex: 'ruralPeople', key: 'rural', align: 'right', render: (v: number | null) => (v === null ? <Typography.Text type="warning">{t('exit.notLoaded')}</Typography.Text> : fmtInt(v)) },
          { title: t('exit.incidence'), dataIndex: 'percent', key: 'pct', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}%`) },
          { title: t('exit.allowed'), dataIndex: 'limitCount', key: 'limit', align: 'right', render: fmtInt },
          { title: t('exit.verdictCol'), dataIndex: 'verdict', key: 'verdict', render: (v: Verdict, row) => <Tooltip title={pick(row.reason)}><span><VerdictTag verdict={v} /></span></Tooltip> },
        ]}
      />
    </Space>
  );
}

function Summary({ s }: { s: VillageList['summary'] }) {
  const { t } = useTranslation();
  return <Typography.Text data-testid="village-summary">{t('exit.summary', { n: s.villages, pass: s.pass, fail: s.fail, unknown: s.unknown })}</Typography.Text>;
}

function AssessmentForm({ county, year }: { county: string; year: number }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<CountField, number | null>>();
  const [result, setResult] = useState<Assessment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setResult(null);
    setError(null);
  }, [county, year]);

  const submit = async (values: Record<CountField, number | null>) => {
    setBusy(true);
    setError(null);
    form.setFields(COUNT_FIELDS.map((name) => ({ name, errors: [] })));
    try {
      const body = { county, year, ...values } as AssessmentBody;
      setResult(await call<Assessment>(api.POST('/api/v1/exit-panels/county-assessment', { body })));
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError && e.issues.length) {
        const rest = applyIssues(form, e.issues, COUNT_FIELDS);
        setError(rest.length ? rest.map(pick).join('；') : pick(e.body));
      } else setError(errorText(e, t('common.unexpected')));
    } finally {
      setBusy(false);
    }
  };

  const pair = (a: CountField, b: CountField) => (
    <Row gutter={12}>
      {[a, b].map((name) => (
        <Col xs={24} sm={12} key={name}>
          <Form.Item name={name} label={t(`exit.fields.${name}`)}>
            <InputNumber style={{ width: '100%' }} data-testid={`assess-${name}`} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );

  return (
    <Card title={t('exit.assessTitle')} size="small" data-testid="assessment">
      <Typography.Paragraph type="secondary">{t('exit.assessHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {pair('wronglyExited', 'sampledExited')}
        {pair('omitted', 'sampledNonRegistered')}
        {pair('approving', 'surveyedHouseholds')}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="assess-submit">{t('exit.assess')}</Button>
      </Form>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} data-testid="assess-error" />}
      {result && (
        <Space orientation="vertical" size="middle" style={{ width: '100%', marginTop: 16 }} data-testid="assess-result">
          <Alert type={result.verdict === 'pass' ? 'success' : result.verdict === 'fail' ? 'error' : 'info'} showIcon title={<Space><VerdictTag verdict={result.verdict} testId="assess-verdict" />{pick(result.reason)}</Space>} />
          <Missing text={result.missing} />
          <Row gutter={[12, 12]}>
            {result.evaluation.bars.map((b) => (
              <Col xs={24} lg={12} key={b.key}><BarCard bar={b} denominatorMissing={b.key === 'incidence' && result.register.ruralPeople === null} /></Col>
            ))}
          </Row>
          <Typography.Text type="secondary">{t('exit.notStored')}</Typography.Text>
        </Space>
      )}
    </Card>
  );
}

function useYears(area: string | undefined) {
  const [latest, setLatest] = useState<number | null>(null);
  useEffect(() => {
    if (!area) return;
    let live = true;
    call<{ trend: { year: number }[] }>(api.GET('/api/v1/overview', { params: { query: { area } } }))
      .then((o) => live && setLatest(o.trend.length ? Math.max(...o.trend.map((p) => p.year)) : LAST_YEAR))
      .catch(() => live && setLatest(LAST_YEAR));
    return () => {
      live = false;
    };
  }, [area]);
  return latest;
}

export default function ExitPanels() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  const mine = me?.user.areaCode && me.user.areaCode !== '*' ? me.user.areaCode : '1505';
  const area = params.get('area') ?? mine;
  const village = params.get('village');
  const latest = useYears(area);
  const year = params.get('year') ? Number(params.get('year')) : latest;

  const [county, setCounty] = useState<CountyPanel | null>(null);
  const [list, setList] = useState<VillageList | null>(null);
  const [vPanel, setVPanel] = useState<VillagePanel | null>(null);
  const [drawer, setDrawer] = useState<VillagePanel | null>(null);
  const [drawerError, setDrawerError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const level = area.length === 6 ? 'county' : area.length === 9 ? 'township' : area.length === 12 ? 'village' : 'other';

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };

  useEffect(() => {
    if (year === null || level === 'other') return;
    let live = true;
    setLoading(true);
    setError(null);
    setCounty(null);
    setList(null);
    setVPanel(null);
    const query = { params: { query: { area, year } } };
    const p =
      level === 'county'
        ? call<CountyPanel>(api.GET('/api/v1/exit-panels/county', query)).then((d) => live && setCounty(d))
        : level === 'township'
          ? call<VillageList>(api.GET('/api/v1/exit-panels/villages', query)).then((d) => live && setList(d))
          : call<VillagePanel>(api.GET('/api/v1/exit-panels/village', query)).then((d) => live && setVPanel(d));
    p.catch((e) => live && setError(errorText(e, t('common.unexpected')))).finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [area, year, level, t]);

  useEffect(() => {
    if (!village || year === null) {
      setDrawer(null);
      return;
    }
    let live = true;
    setDrawerError(null);
    call<VillagePanel>(api.GET('/api/v1/exit-panels/village', { params: { query: { area: village, year } } }))
      .then((d) => live && setDrawer(d))
      .catch((e) => live && setDrawerError(errorText(e, t('common.unexpected'))));
    return () => {
      live = false;
    };
  }, [village, year, t]);

  const years = useMemo(() => Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => LAST_YEAR - i), []);
  const items = county?.villages.items ?? list?.items ?? [];
  const summary = county?.villages.summary ?? list?.summary;
  const title = county?.area.name ?? list?.area.name ?? vPanel?.area.name ?? '';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[8, 8]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="exit-title">
            {title ? `${title} · ` : ''}{t('exit.title')}
          </Typography.Title>
        </Col>
        <Col>
          <Space>
            <span id="exit-year-label">{t('exit.year')}</span>
            <Select
              aria-labelledby="exit-year-label"
              style={{ width: 120 }}
              value={year ?? undefined}
              onChange={(y: number) => set({ year: String(y), village: null })}
              options={years.map((y) => ({ value: y, label: String(y) }))}
              data-testid="exit-year"
            />
          </Space>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('exit.chooseArea')}>
            <AreaTree selected={area} onSelect={(code) => set({ area: code, village: null })} />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          {error && <Alert type="error" showIcon title={error} data-testid="exit-error" />}
          {level === 'other' && <Alert type="info" showIcon title={t('exit.pickCounty')} data-testid="exit-pick" />}
          {(loading || year === null) && level !== 'other' && <Skeleton active />}
          {county && (
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Card title={t('exit.countyCard')} size="small" extra={<Link to={`/reports/county-exit?area=${county.area.code}&year=${county.year}`} data-testid="link-county-report">{t('reports.links.countyReport')}</Link>}><PanelBody panel={county} testId="county-panel" /></Card>
              <EvaluationCard evaluation={county.assessment as PanelEvaluation | null} exitVerdict={county.exitVerdict} exitReason={county.exitReason} />
            </Space>
          )}
          {vPanel && <Card title={t('exit.villageCard')} size="small" extra={can('register.read') ? <Link to={`/reports/village?area=${vPanel.area.code}&year=${vPanel.year}`} data-testid="link-village-report">{t('reports.links.villageReport')}</Link> : null}><PanelBody panel={vPanel} testId="village-panel" /></Card>}
          {(county || list) && summary && (
            <Card
              size="small"
              style={{ marginTop: 16 }}
              title={t('exit.villagesTitle')}
              extra={list ? <Space size={4}>{t('exit.villageBar')} ≤ <ParamSource param={list.threshold} /></Space> : null}
            >
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Summary s={summary} />
                <Missing text={list?.missing ?? null} />
                <VillageTable items={items} onOpen={(code) => set({ village: code })} />
              </Space>
            </Card>
          )}
          {county && <div style={{ marginTop: 16 }}><AssessmentForm county={county.area.code} year={county.year} /></div>}
        </Col>
      </Row>
      <Drawer
        open={!!village}
        onClose={() => set({ village: null })}
        size="large"
        title={drawer ? `${drawer.area.name} · ${t('exit.villageCard')}` : t('exit.villageCard')}
        data-testid="village-drawer"
      >
        {drawer && can('register.read') && <div style={{ marginBottom: 12 }}><Link to={`/reports/village?area=${drawer.area.code}&year=${drawer.year}`} data-testid="drawer-village-report">{t('reports.links.villageReport')}</Link></div>}
        {drawerError ? <Alert type="error" showIcon title={drawerError} /> : drawer ? <PanelBody panel={drawer} testId="drawer-panel" /> : <Skeleton active />}
      </Drawer>
    </Space>
  );
}
