// 概况: registered, poor, exited and relapsed people and households, the incidence; its trend and
// the child areas side by side.
import { useMemo } from 'react';
import { Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import ChartCard, { type Col } from '../ChartCard';
import { fmtInt, fmtPct } from '../format';
import { barsOption, chartHeight, trendOption } from '../options';
import { StatCard, type TabContext } from '../parts';
import type { AreaFigures } from '../types';
import { areaCol, childDescription, sortedChildren } from './common';

export default function OverviewTab({ c }: { c: TabContext }) {
  const { t } = useTranslation();
  const { f, data } = c;
  const years = useMemo(() => data.trend.map((p) => p.year), [data]);
  const trend = useMemo(() => trendOption(years, [
    { name: t('measurement.poorPeople'), kind: 'int', type: 'bar', values: data.trend.map((p) => p.poorPeople), color: '#e67e22' },
    { name: t('measurement.incidence'), kind: 'pct', axis: 1, values: data.trend.map((p) => p.incidence), color: '#c0392b' },
  ], [t('measurement.people'), '%']), [data, years, t]);
  const children = useMemo(() => sortedChildren(data.children, (x) => x.incidence), [data]);
  const bars = useMemo(() => barsOption(children.map((x) => x.name), { name: t('measurement.incidence'), kind: 'pct', values: children.map((x) => x.incidence), color: '#c0392b' }, undefined, true), [children, t]);

  const cols: Col<AreaFigures>[] = [
    { key: 'households', title: t('measurement.registeredHouseholds'), kind: 'int', value: (r) => r.households, sorter: true },
    { key: 'people', title: t('measurement.registeredPeople'), kind: 'int', value: (r) => r.people, sorter: true },
    { key: 'poorHouseholds', title: t('measurement.poorHouseholds'), kind: 'int', value: (r) => r.poorHouseholds, sorter: true },
    { key: 'poorPeople', title: t('measurement.poorPeople'), kind: 'int', value: (r) => r.poorPeople, sorter: true },
    { key: 'exitedPeople', title: t('measurement.exitedPeople'), kind: 'int', value: (r) => r.exitedPeople, sorter: true },
    { key: 'relapsedPeople', title: t('measurement.relapsedPeople'), kind: 'int', value: (r) => r.relapsedPeople, sorter: true },
    { key: 'ruralPeople', title: t('measurement.ruralPeople'), kind: 'int', value: (r) => r.ruralPeople, sorter: true },
    { key: 'incidence', title: t('measurement.incidence'), kind: 'pct', value: (r) => r.incidence, sorter: true },
  ];
  const yearCol: Col<AreaFigures> = { key: 'year', title: t('measurement.year'), kind: 'text', value: (r) => r.year };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <StatCard ask={c.ask} testId="people" title={t('measurement.registeredPeople')} text={fmtInt(f.people)} figure="registered"
          sub={t('measurement.householdsN', { n: fmtInt(f.households) })} />
        <StatCard ask={c.ask} testId="poor-people" title={t('measurement.poorPeople')} text={fmtInt(f.poorPeople)} figure="poor"
          sub={t('measurement.householdsN', { n: fmtInt(f.poorHouseholds) })} />
        <StatCard ask={c.ask} testId="exited-people" title={t('measurement.exitedPeople')} text={fmtInt(f.exitedPeople)} figure="exited"
          sub={<>{t('measurement.householdsN', { n: fmtInt(f.exitedHouseholds) })} · {t('measurement.relapsedPeople')} {fmtInt(f.relapsedPeople)}</>} />
        <StatCard ask={c.ask} testId="incidence" title={t('measurement.incidence')} text={fmtPct(f.incidence)} tip={t('measurement.incidenceTip')}
          sub={t('measurement.ruralOf', { n: fmtInt(f.ruralPeople) })} />
      </Row>
      <ChartCard<AreaFigures>
        id="trend" title={t('measurement.charts.trendOverview')} description={t('measurement.charts.trendDescription', { from: years[0], to: years[years.length - 1] })}
        option={trend} rows={data.trend} rowKey={(r) => String(r.year)} cols={[yearCol, ...cols]} file={c.file(t('measurement.files.trend'))}
        onClick={(p) => { const y = years[p.dataIndex]; if (y) c.setYear(y); }}
      />
      <ChartCard<AreaFigures>
        id="children" title={t('measurement.charts.childIncidence')} description={childDescription(t, children.length)}
        option={bars} height={chartHeight(children.length)} rows={children} rowKey={(r) => r.code} cols={[areaCol(t, c.go), ...cols]} file={c.file(t('measurement.files.children'))}
        onClick={(p) => { const x = children[p.dataIndex]; if (x) c.go(x.code); }}
      />
    </Space>
  );
}
