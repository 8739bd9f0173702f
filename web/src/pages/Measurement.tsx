// 贫困测量: the poverty measures of an area and year from GET /api/v1/indicators (rollups, fast),
// with the slower on-demand analysis (median, Gini, subgroups) and the income distribution
// loaded only by the tabs that show them. Every chart has its table and a CSV download; figures
// open the households behind them for roles that may read the register. Area, year and tab live
// in the address, so a drill-down can be shared and undone with the back button.
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Breadcrumb, Col, Empty, Row, Select, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, call } from '../api/client';
import { useSession } from '../session';
import { pick } from '../i18n';
import AreaPicker from '../measurement/AreaPicker';
import { fileName } from '../measurement/csv';
import { fmtInt, fmtYuan } from '../measurement/format';
import HouseholdsDrawer, { type FigureAsk } from '../measurement/HouseholdsDrawer';
import type { TabContext } from '../measurement/parts';
import FgtTab from '../measurement/tabs/FgtTab';
import GroupsTab, { GROUP_MEASURES, type GroupMeasure } from '../measurement/tabs/GroupsTab';
import IncomeTab from '../measurement/tabs/IncomeTab';
import MpiTab from '../measurement/tabs/MpiTab';
import OverviewTab from '../measurement/tabs/OverviewTab';
import { forgetAll, useFetch } from '../measurement/useFetch';
import { GROUPINGS, TABS, type Analysis, type AreaFigures, type Grouping, type Indicators, type Tab } from '../measurement/types';

function oneOf<T extends string>(list: readonly T[], v: string | null, fallback: T): T {
  return (list as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
}

/** Why figures of this area and year are missing, from the rollup alone. */
function missingReasons(t: TFunction, f: AreaFigures, analysed: boolean): { key: string; text: string }[] {
  const out: { key: string; text: string }[] = [];
  if (!analysed && f.line === null && !f.fgt) out.push({ key: 'noLine', text: t('measurement.missing.noLine', { year: f.year }) });
  if (f.line === null && f.fgt) out.push({ key: 'mixedLines', text: t('measurement.missing.mixedLines') });
  if (!analysed && f.fgt && f.fgt.watts === null && f.fgt.poorPeople > 0) out.push({ key: 'watts', text: t('measurement.missing.watts') });
  if (f.fgt && !f.mpi) out.push({ key: 'noMpi', text: t('measurement.missing.noMpi') });
  if (f.ruralPeople === null) out.push({ key: 'noPopulation', text: t('measurement.missing.noPopulation', { year: f.year }) });
  return out;
}

function refreshedText(s: string | null): string | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toLocaleString('zh-CN', { hour12: false });
}

function regionText(t: TFunction, region: string): string {
  if (region === '') return t('measurement.region.national');
  if (region.length === 2) return t('measurement.region.province');
  return t('measurement.region.county');
}

export default function Measurement() {
  // Figures change with the register; a new visit to the page asks the server again.
  useState(() => forgetAll());
  const { t } = useTranslation();
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? undefined;
  const yearParam = params.get('year');
  const year = yearParam && /^\d{4}$/.test(yearParam) ? Number(yearParam) : undefined;
  const tab: Tab = oneOf(TABS, params.get('tab'), 'overview');
  const by: Grouping = oneOf(GROUPINGS, params.get('by'), 'child');
  const measure: GroupMeasure = oneOf(GROUP_MEASURES, params.get('measure'), 'M0');
  const [ask, setAsk] = useState<FigureAsk | null>(null);

  const ind = useFetch<Indicators>(`ind|${area ?? ''}|${year ?? ''}`, () => call<Indicators>(api.GET('/api/v1/indicators', { params: { query: { area, year } } })));
  const data = ind.data;
  const code = data?.area.code;
  const y = data?.year ?? null;
  const analysisKey = code && y !== null && (tab === 'income' || tab === 'groups') ? `an|${code}|${y}|${tab === 'groups' ? by : ''}` : null;
  const analysis = useFetch<Analysis>(analysisKey, () => call<Analysis>(api.GET('/api/v1/indicators/analysis', {
    params: { query: { area: code, year: y ?? 0, by: tab === 'groups' ? by : undefined } },
  })));

  const update = useCallback((changes: Record<string, string | undefined>) => {
    setParams((old) => {
      const next = new URLSearchParams(old);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      return next;
    });
  }, [setParams]);
  const go = useCallback((c: string) => update({ area: c }), [update]);
  const setYear = useCallback((v: number) => update({ year: String(v) }), [update]);
  const canList = can('register.read');
  const mine = me?.user.areaCode ?? '*';

  const f = data?.figures ?? null;
  const ctx: TabContext | null = useMemo(() => (data && f && y !== null
    ? {
      data, f, year: y, go, setYear,
      ask: canList ? (figure, title) => setAsk({ figure, title }) : null,
      file: (table: string) => fileName([data.area.name, y, table]),
    }
    : null), [data, f, y, go, setYear, canList]);

  if (ind.error && !data) return <Alert type="error" showIcon title={ind.error} />;
  if (!data) return <Skeleton active />;

  const analysed = !!analysis.data && analysis.dataKey === analysisKey;
  const reasons = [
    ...(analysed ? analysis.data!.missing.map((m, i) => ({ key: `a${i}`, text: pick(m) })) : []),
    ...(f ? missingReasons(t, f, analysed) : []),
  ];
  const lineParam = analysed ? analysis.data!.line : null;
  const years = [...data.trend.map((p) => p.year)].reverse();
  const refreshed = refreshedText(data.refreshedAt);

  const tabBody = (k: Tab) => {
    if (k !== tab || !ctx) return null;
    if (k === 'overview') return <OverviewTab c={ctx} />;
    if (k === 'fgt') return <FgtTab c={ctx} />;
    if (k === 'income') return <IncomeTab c={ctx} analysis={analysis} />;
    if (k === 'mpi') return <MpiTab c={ctx} />;
    return <GroupsTab c={ctx} analysis={analysis} by={by} measure={measure} setBy={(b) => update({ by: b })} setMeasure={(m) => update({ measure: m })} />;
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[8, 8]}>
        <Col>
          <Typography.Title level={2} style={{ margin: 0, fontSize: 22 }} data-testid="measurement-title">
            {data.area.name} · {t('measurement.title')}
          </Typography.Title>
          <Breadcrumb
            aria-label={t('measurement.path')}
            items={data.area.path.map((p) => ({
              key: p.code,
              title: (mine === '*' || p.code.startsWith(mine)) && p.code !== data.area.code
                ? <a href={`/measurement?area=${p.code}`} onClick={(e) => { e.preventDefault(); go(p.code); }}>{p.name}</a>
                : p.name,
            }))}
          />
        </Col>
        <Col>
          <Space wrap>
            <label htmlFor="measurement-area">{t('measurement.area')}</label>
            <AreaPicker id="measurement-area" code={data.area.code} name={data.area.name} onChange={go} label={t('measurement.area')} />
            <span id="measurement-year-label">{t('measurement.year')}</span>
            <Select
              aria-labelledby="measurement-year-label"
              data-testid="year-select"
              style={{ width: 120 }}
              virtual={false}
              value={y !== null ? String(y) : undefined}
              disabled={years.length === 0}
              onChange={(v: string) => setYear(Number(v))}
              options={years.map((v) => ({ value: String(v), label: t('measurement.yearN', { year: v }) }))}
            />
          </Space>
        </Col>
      </Row>

      <Space wrap size={[16, 4]} className="jz-sub" data-testid="measurement-info">
        <span data-testid="line-used">
          {t('measurement.lineUsed')}：{f?.line !== null && f?.line !== undefined ? `${fmtYuan(f.line)} ${t('measurement.yuanPerPersonYear')}` : t('measurement.noLineShort')}
          {lineParam && lineParam.value !== null && (
            <Tooltip title={lineParam.source}>
              <Tag style={{ marginLeft: 8 }}>{t('measurement.lineFrom', { year: lineParam.year, region: regionText(t, lineParam.region) })}</Tag>
            </Tooltip>
          )}
        </span>
        {f?.mpi && (
          <span data-testid="coverage">
            {t('measurement.coverage', { people: fmtInt(f.mpi.population), of: fmtInt(f.people), n: fmtInt(f.mpi.excludedHouseholds) })}
          </span>
        )}
        {refreshed && <span data-testid="refreshed">{t('measurement.refreshed', { at: refreshed })}</span>}
        {(ind.loading || analysis.loading) && <span role="status">{t('common.loading')}…</span>}
      </Space>

      {ind.error && <Alert type="error" showIcon title={ind.error} />}
      {reasons.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="missing-reasons"
          title={t('measurement.missing.title')}
          description={<ul style={{ margin: 0, paddingLeft: 20 }}>{reasons.map((r) => <li key={r.key}>{r.text}</li>)}</ul>}
        />
      )}

      {!f || !ctx ? (
        <Empty description={y === null ? t('measurement.noRecords') : t('measurement.noRecordsYear', { year: y })} />
      ) : (
        <Tabs
          className="jz-wrap-tabs"
          activeKey={tab}
          onChange={(k) => update({ tab: k === 'overview' ? undefined : k })}
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{t(`measurement.tabs.${k}`)}</span>, children: tabBody(k) }))}
        />
      )}

      {canList && code && y !== null && <HouseholdsDrawer area={code} year={y} ask={ask} onClose={() => setAsk(null)} />}
    </Space>
  );
}
