// 多维贫困: the default Alkire–Foster set (两不愁三保障, water, income; k = 1/3): H, A, M0, each
// indicator's uncensored and censored headcount and its contribution to M0, the trend and the
// child areas' M0 as stacks of contributions.
import { useMemo } from 'react';
import { Alert, Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { pick } from '../../i18n';
import ChartCard, { type Col } from '../ChartCard';
import { fmtIndex, fmtInt, fmtPct } from '../format';
import { chartHeight, COLORS, mpiIndicatorsOption, stackedOption, trendOption } from '../options';
import { FigureValue, StatCard, type TabContext } from '../parts';
import type { AreaFigures, Figure, MpiIndicator } from '../types';
import { areaCol, childDescription, sortedChildren } from './common';

const KEYS = ['food', 'clothing', 'education', 'medical', 'housing', 'water', 'income'];

export default function MpiTab({ c }: { c: TabContext }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { f, data } = c;
  const m = f.mpi;
  const indicators = useMemo(() => m?.indicators ?? [], [m]);
  const indOption = useMemo(() => mpiIndicatorsOption(
    indicators.map((i) => pick(i.label)),
    { name: t('measurement.mpi.uncensored'), kind: 'pct', values: indicators.map((i) => i.uncensored) },
    { name: t('measurement.mpi.censored'), kind: 'pct', values: indicators.map((i) => i.censored) },
    { name: t('measurement.mpi.share'), kind: 'pct', values: indicators.map((i) => i.share) },
  ), [indicators, t, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const indCols: Col<MpiIndicator>[] = [
    { key: 'indicator', title: t('measurement.mpi.indicator'), kind: 'text', value: (i) => pick(i.label) },
    { key: 'dimension', title: t('measurement.mpi.dimension'), kind: 'text', value: (i) => t(`measurement.mpi.dimensions.${i.dimension}`, { defaultValue: i.dimension }) },
    { key: 'weight', title: t('measurement.mpi.weight'), kind: 'index', value: (i) => i.weight },
    {
      key: 'uncensored', title: t('measurement.mpi.uncensored'), kind: 'pct', value: (i) => i.uncensored,
      render: (i, text) => <FigureValue text={text} ask={c.ask} figure={`deprived:${i.key}` as Figure} title={t('measurement.mpi.deprivedIn', { indicator: pick(i.label) })} testId={`deprived-${i.key}`} />,
    },
    { key: 'censored', title: t('measurement.mpi.censored'), kind: 'pct', value: (i) => i.censored },
    { key: 'contribution', title: t('measurement.mpi.contribution'), kind: 'index', value: (i) => i.contribution },
    { key: 'share', title: t('measurement.mpi.share'), kind: 'pct', value: (i) => i.share },
  ];

  const years = useMemo(() => data.trend.map((p) => p.year), [data]);
  const trend = useMemo(() => trendOption(years, [
    { name: 'H', kind: 'pct', values: data.trend.map((p) => p.mpi?.H) },
    { name: 'A', kind: 'pct', values: data.trend.map((p) => p.mpi?.A), dashed: true },
    { name: 'M0', kind: 'index', axis: 1, values: data.trend.map((p) => p.mpi?.M0), color: '#8e44ad' },
  ], ['H, A（%）', 'M0']), [data, years]);
  const yearCols: Col<AreaFigures>[] = [
    { key: 'population', title: t('measurement.mpi.population'), kind: 'int', value: (r) => r.mpi?.population },
    { key: 'excluded', title: t('measurement.mpi.excluded'), kind: 'int', value: (r) => r.mpi?.excludedHouseholds },
    { key: 'poor', title: t('measurement.mpi.poorPeople'), kind: 'int', value: (r) => r.mpi?.poorPeople, sorter: true },
    { key: 'H', title: t('measurement.mpi.H'), kind: 'pct', value: (r) => r.mpi?.H, sorter: true },
    { key: 'A', title: t('measurement.mpi.A'), kind: 'pct', value: (r) => r.mpi?.A, sorter: true },
    { key: 'M0', title: t('measurement.mpi.M0'), kind: 'index', value: (r) => r.mpi?.M0, sorter: true },
  ];

  const children = useMemo(() => sortedChildren(data.children, (x) => x.mpi?.M0), [data]);
  // lang: pick() reads the current language.
  const labels = useMemo(() => new Map(indicators.map((i) => [i.key, pick(i.label)])), [indicators, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const stack = useMemo(() => stackedOption(
    children.map((x) => x.name),
    KEYS.map((k, n) => ({ name: labels.get(k) ?? k, kind: 'index' as const, values: children.map((x) => x.mpi?.indicators.find((i) => i.key === k)?.contribution), color: COLORS[n % COLORS.length] })),
    'index', true,
  ), [children, labels]);
  const childCols: Col<AreaFigures>[] = [
    ...yearCols,
    ...KEYS.map((k): Col<AreaFigures> => ({ key: `c-${k}`, title: `${t('measurement.mpi.contribution')}：${labels.get(k) ?? k}`, kind: 'index', value: (r) => r.mpi?.indicators.find((i) => i.key === k)?.contribution })),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('measurement.mpi.about', { k: m ? fmtIndex(m.k) : '0.3333' })} />
      <Row gutter={[16, 16]}>
        <StatCard ask={m ? c.ask : null} testId="H" figure="mpiPoor" title={t('measurement.mpi.H')} text={fmtPct(m?.H)} tip={t('measurement.mpi.HTip')}
          sub={m ? t('measurement.mpi.poorOf', { n: fmtInt(m.poorPeople), of: fmtInt(m.population) }) : t('measurement.noLineShort')} />
        <StatCard ask={null} testId="A" title={t('measurement.mpi.A')} text={fmtPct(m?.A)} tip={t('measurement.mpi.ATip')} />
        <StatCard ask={null} testId="M0" title={t('measurement.mpi.M0')} text={fmtIndex(m?.M0)} tip={t('measurement.mpi.M0Tip')} sub="M0 = H × A" />
        <StatCard ask={null} testId="coverage" title={t('measurement.mpi.coverage')} text={m ? fmtInt(m.population) : '—'}
          sub={m ? t('measurement.mpi.excludedN', { n: fmtInt(m.excludedHouseholds) }) : undefined} />
      </Row>
      <ChartCard<MpiIndicator>
        id="contributions" title={t('measurement.charts.contributions')} description={t('measurement.charts.contributionsDescription')}
        option={m ? indOption : null} rows={indicators} rowKey={(i) => i.key} cols={indCols} file={c.file(t('measurement.files.contributions'))} height={340}
      />
      <ChartCard<AreaFigures>
        id="trend" title={t('measurement.charts.trendMpi')} description={t('measurement.charts.trendDescription', { from: years[0], to: years[years.length - 1] })}
        option={trend} rows={data.trend} rowKey={(r) => String(r.year)} file={c.file(t('measurement.files.trend'))}
        cols={[{ key: 'year', title: t('measurement.year'), kind: 'text', value: (r) => r.year }, ...yearCols]}
        onClick={(p) => { const y = years[p.dataIndex]; if (y) c.setYear(y); }}
      />
      <ChartCard<AreaFigures>
        id="children" title={t('measurement.charts.childMpi')} description={childDescription(t, children.length)}
        option={stack} height={chartHeight(children.length)} rows={children} rowKey={(r) => r.code} cols={[areaCol(t, c.go), ...childCols]} file={c.file(t('measurement.files.children'))}
        onClick={(p) => { const x = children[p.dataIndex]; if (x) c.go(x.code); }}
      />
    </Space>
  );
}
