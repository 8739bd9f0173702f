// 收入: mean and median per-capita net income, the Gini coefficient, the distribution of
// income with the poverty line, mean and median marked, and the income's composition per person.
import { useMemo } from 'react';
import { Alert, Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import ChartCard, { type Col } from '../ChartCard';
import { fmtIndex, fmtPct, fmtYuan } from '../format';
import { chartHeight, compositionOption, distributionOption, LINE_COLOR, trendOption, type Marker } from '../options';
import { StatCard, type TabContext } from '../parts';
import type { Analysis, AreaFigures, Distribution } from '../types';
import { useFetch, type Loaded } from '../useFetch';
import { sortedChildren } from './common';

type Bin = Distribution['bins'][number] & { key: string; share: number; cumulative: number };
type Part = 'wage' | 'production' | 'property' | 'transfer' | 'costs' | 'nonCounting';
const PARTS: Part[] = ['wage', 'production', 'property', 'transfer', 'costs'];
const PART_COLORS: Record<Part, string> = { wage: '#2980b9', production: '#27ae60', property: '#8e44ad', transfer: '#e67e22', costs: '#95a5a6', nonCounting: '#bdc3c7' };

export default function IncomeTab({ c, analysis }: { c: TabContext; analysis: Loaded<Analysis> }) {
  const { t } = useTranslation();
  const { f, data, year } = c;
  const area = data.area.code;
  const dist = useFetch<Distribution>(`dist|${area}|${year}`, () => call<Distribution>(api.GET('/api/v1/indicators/distribution', { params: { query: { area, year } } })));
  const a = analysis.data;
  const median = a?.median ?? null;
  const line = f.line ?? dist.data?.line?.value ?? null;

  const bins: Bin[] = useMemo(() => {
    const d = dist.data;
    if (!d) return [];
    let run = 0;
    return d.bins.map((b, i) => {
      run += b.people;
      return { ...b, key: String(i), share: d.people ? b.people / d.people : 0, cumulative: d.people ? run / d.people : 0 };
    });
  }, [dist.data]);
  const distOption = useMemo(() => {
    const d = dist.data;
    if (!d || !d.bins.length) return null;
    const marks: Marker[] = [];
    const z = d.line?.value ?? null;
    if (z !== null) marks.push({ name: t('measurement.line'), value: z, color: LINE_COLOR });
    if (d.mean !== null) marks.push({ name: t('measurement.mean'), value: d.mean, color: '#2c3e50' });
    if (median !== null) marks.push({ name: t('measurement.median'), value: median, color: '#16a085' });
    return distributionOption(d.bins, d.width, z, marks, {
      below: t('measurement.dist.below'), above: t('measurement.dist.above'), all: t('measurement.dist.all'),
      registered: t('measurement.dist.registered'), people: t('measurement.people'), income: t('measurement.dist.income'),
    });
  }, [dist.data, median, t]);
  const binText = (b: Bin) => (b.from === null ? `< ${fmtYuan(b.to)}` : b.to === null ? `≥ ${fmtYuan(b.from)}` : `${fmtYuan(b.from)} – ${fmtYuan(b.to)}`);
  const binCols: Col<Bin>[] = [
    { key: 'range', title: t('measurement.dist.range'), kind: 'text', value: binText },
    { key: 'households', title: t('measurement.householdsCol'), kind: 'int', value: (b) => b.households },
    { key: 'people', title: t('measurement.people'), kind: 'int', value: (b) => b.people },
    { key: 'registered', title: t('measurement.dist.registered'), kind: 'int', value: (b) => b.registeredPoorPeople },
    { key: 'share', title: t('measurement.dist.share'), kind: 'pct', value: (b) => b.share },
    { key: 'cumulative', title: t('measurement.dist.cumulative'), kind: 'pct', value: (b) => b.cumulative },
  ];

  // The area itself first, then its children by mean income.
  const compRows = useMemo(() => [f, ...sortedChildren(data.children, (x) => x.meanIncome)].filter((x) => x.composition), [f, data]);
  const compOption = useMemo(() => compositionOption(
    compRows.map((x) => x.name),
    PARTS.map((p) => ({ name: t(`measurement.parts.${p}`), kind: 'yuan' as const, values: compRows.map((x) => (x.composition ? (p === 'costs' ? -x.composition.costs : x.composition[p]) : null)), color: PART_COLORS[p] })),
    line, t('measurement.line'),
    { name: t('measurement.netIncome'), kind: 'yuan', values: compRows.map((x) => x.meanIncome) },
    t('measurement.yuanPerPerson'),
  ), [compRows, line, t]);
  const compCols: Col<AreaFigures>[] = [
    ...PARTS.map((p): Col<AreaFigures> => ({ key: p, title: t(`measurement.parts.${p}`), kind: 'yuan', value: (r) => r.composition?.[p] })),
    { key: 'net', title: t('measurement.netIncome'), kind: 'yuan', value: (r) => r.meanIncome, sorter: true },
    { key: 'nonCounting', title: t('measurement.parts.nonCounting'), kind: 'yuan', value: (r) => r.composition?.nonCounting },
  ];

  const years = useMemo(() => data.trend.map((p) => p.year), [data]);
  const trend = useMemo(() => trendOption(years, [
    { name: t('measurement.mean'), kind: 'yuan', values: data.trend.map((p) => p.meanIncome), color: '#2980b9' },
    { name: t('measurement.line'), kind: 'yuan', values: data.trend.map((p) => p.line), color: LINE_COLOR, step: true, dashed: true },
  ], [t('measurement.yuanPerPerson')]), [data, years, t]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {analysis.error && <Alert type="error" showIcon title={analysis.error} />}
      {dist.error && <Alert type="error" showIcon title={dist.error} />}
      <Row gutter={[16, 16]}>
        <StatCard ask={null} testId="mean" title={t('measurement.mean')} text={fmtYuan(f.meanIncome)} sub={t('measurement.yuanPerPerson')} />
        <StatCard ask={null} testId="median" title={t('measurement.median')} text={analysis.loading && !a ? '…' : fmtYuan(median)} sub={t('measurement.yuanPerPerson')} />
        <StatCard ask={null} testId="gini" title={t('measurement.gini')} text={analysis.loading && !a ? '…' : fmtIndex(a?.gini)} tip={t('measurement.giniTip')} />
        <StatCard ask={f.fgt ? c.ask : null} testId="line" figure="belowLine" title={t('measurement.line')} text={fmtYuan(line)}
          sub={f.fgt ? `P0 ${fmtPct(f.fgt.p0)}` : t('measurement.noLineShort')} />
      </Row>
      <ChartCard<Bin>
        id="distribution" title={t('measurement.charts.distribution')}
        description={t('measurement.charts.distributionDescription', { width: dist.data ? fmtYuan(dist.data.width) : '' })}
        option={distOption} rows={bins} rowKey={(b) => b.key} cols={binCols} file={c.file(t('measurement.files.distribution'))} height={340} pageSize={30}
        note={dist.loading && !dist.data ? <Alert type="info" title={t('common.loading')} /> : dist.data?.line === null ? <Alert type="warning" showIcon title={t('measurement.dist.noLine')} style={{ marginBottom: 8 }} /> : null}
      />
      <ChartCard<AreaFigures>
        id="composition" title={t('measurement.charts.composition')} description={t('measurement.charts.compositionDescription')}
        option={compOption} height={chartHeight(compRows.length)} rows={compRows} rowKey={(r) => r.code} file={c.file(t('measurement.files.composition'))}
        cols={[{ key: 'area', title: t('measurement.area'), kind: 'text', value: (r) => r.name }, ...compCols]}
        onClick={(p) => { const x = compRows[p.dataIndex]; if (x && p.dataIndex > 0) c.go(x.code); }}
      />
      <ChartCard<AreaFigures>
        id="trend" title={t('measurement.charts.trendIncome')} description={t('measurement.charts.trendDescription', { from: years[0], to: years[years.length - 1] })}
        option={trend} rows={data.trend} rowKey={(r) => String(r.year)} file={c.file(t('measurement.files.trend'))}
        cols={[{ key: 'year', title: t('measurement.year'), kind: 'text', value: (r) => r.year }, { key: 'line', title: t('measurement.line'), kind: 'yuan', value: (r) => r.line }, ...compCols]}
        onClick={(p) => { const y = years[p.dataIndex]; if (y) c.setYear(y); }}
      />
    </Space>
  );
}
