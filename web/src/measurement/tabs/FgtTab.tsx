// 收入贫困: the Foster–Greer–Thorbecke measures P0 (headcount), P1 (gap), P2 (squared gap) and
// the Watts index against the year's line, over the years and by child area.
import { useMemo } from 'react';
import { Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import ChartCard, { type Col } from '../ChartCard';
import { fmtIndex, fmtInt, fmtPct, fmtYuan } from '../format';
import { barsOption, chartHeight, trendOption } from '../options';
import { StatCard, type TabContext } from '../parts';
import type { AreaFigures } from '../types';
import { areaCol, childDescription, sortedChildren } from './common';

export default function FgtTab({ c }: { c: TabContext }) {
  const { t } = useTranslation();
  const { f, data } = c;
  const years = useMemo(() => data.trend.map((p) => p.year), [data]);
  const trend = useMemo(() => trendOption(years, [
    { name: 'P0', kind: 'pct', values: data.trend.map((p) => p.fgt?.p0) },
    { name: 'P1', kind: 'index', axis: 1, values: data.trend.map((p) => p.fgt?.p1) },
    { name: 'P2', kind: 'index', axis: 1, values: data.trend.map((p) => p.fgt?.p2) },
    { name: 'Watts', kind: 'index', axis: 1, values: data.trend.map((p) => p.fgt?.watts), dashed: true },
  ], ['P0（%）', t('measurement.indexAxis')]), [data, years, t]);
  const children = useMemo(() => sortedChildren(data.children, (x) => x.fgt?.p0), [data]);
  const bars = useMemo(() => barsOption(children.map((x) => x.name), { name: 'P0', kind: 'pct', values: children.map((x) => x.fgt?.p0), color: '#c0392b' }, { name: 'P1', kind: 'index', values: children.map((x) => x.fgt?.p1) }, true), [children]);

  const cols: Col<AreaFigures>[] = [
    { key: 'line', title: t('measurement.line'), kind: 'yuan', value: (r) => r.line },
    { key: 'population', title: t('measurement.fgtPopulation'), kind: 'int', value: (r) => r.fgt?.population, sorter: true },
    { key: 'belowLine', title: t('measurement.belowLinePeople'), kind: 'int', value: (r) => r.fgt?.poorPeople, sorter: true },
    { key: 'p0', title: t('measurement.p0'), kind: 'pct', value: (r) => r.fgt?.p0, sorter: true },
    { key: 'p1', title: t('measurement.p1'), kind: 'index', value: (r) => r.fgt?.p1, sorter: true },
    { key: 'p2', title: t('measurement.p2'), kind: 'index', value: (r) => r.fgt?.p2, sorter: true },
    { key: 'watts', title: t('measurement.watts'), kind: 'index', value: (r) => r.fgt?.watts, sorter: true },
  ];
  const fg = f.fgt;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <StatCard ask={fg ? c.ask : null} testId="p0" title={t('measurement.p0')} text={fmtPct(fg?.p0)} figure="belowLine" tip={t('measurement.p0Tip')}
          sub={fg ? t('measurement.belowOf', { n: fmtInt(fg.poorPeople), of: fmtInt(fg.population) }) : t('measurement.noLineShort')} />
        <StatCard ask={null} testId="p1" title={t('measurement.p1')} text={fmtIndex(fg?.p1)} tip={t('measurement.p1Tip')}
          sub={fg && f.line !== null ? t('measurement.gapYuan', { yuan: fmtYuan(fg.p1 * f.line * fg.population) }) : undefined} />
        <StatCard ask={null} testId="p2" title={t('measurement.p2')} text={fmtIndex(fg?.p2)} tip={t('measurement.p2Tip')} />
        <StatCard ask={null} testId="watts" title={t('measurement.watts')} text={fmtIndex(fg?.watts)} tip={t('measurement.wattsTip')}
          sub={fg && fg.watts === null ? t('measurement.wattsUndefined') : undefined} />
      </Row>
      <ChartCard<AreaFigures>
        id="trend" title={t('measurement.charts.trendFgt')} description={t('measurement.charts.trendDescription', { from: years[0], to: years[years.length - 1] })}
        option={trend} rows={data.trend} rowKey={(r) => String(r.year)} file={c.file(t('measurement.files.trend'))}
        cols={[{ key: 'year', title: t('measurement.year'), kind: 'text', value: (r) => r.year }, ...cols]}
        onClick={(p) => { const y = years[p.dataIndex]; if (y) c.setYear(y); }}
      />
      <ChartCard<AreaFigures>
        id="children" title={t('measurement.charts.childFgt')} description={childDescription(t, children.length)}
        option={bars} height={chartHeight(children.length)} rows={children} rowKey={(r) => r.code} cols={[areaCol(t, c.go), ...cols]} file={c.file(t('measurement.files.children'))}
        onClick={(p) => { const x = children[p.dataIndex]; if (x) c.go(x.code); }}
      />
    </Space>
  );
}
