// 分组: the on-demand analysis broken down by child area, ethnicity or sex of the household head,
// or main cause of poverty; a measure per group with the group's share of the whole.
import { useMemo } from 'react';
import { Alert, Segmented, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { pick } from '../../i18n';
import ChartCard, { type Col } from '../ChartCard';
import { fmtIndex, fmtPct, fmtYuan } from '../format';
import { barsOption, chartHeight } from '../options';
import type { TabContext } from '../parts';
import { GROUPINGS, type Analysis, type AnalysisGroup, type Grouping } from '../types';
import type { Loaded } from '../useFetch';

export const GROUP_MEASURES = ['M0', 'H', 'P0', 'mean'] as const;
export type GroupMeasure = (typeof GROUP_MEASURES)[number];

type Row = AnalysisGroup & { key: string; name: string; populationShare: number | null; poorShare: number | null; mpiPoorShare: number | null };

function value(r: Row, m: GroupMeasure): number | null | undefined {
  return m === 'M0' ? r.mpi?.M0 : m === 'H' ? r.mpi?.H : m === 'P0' ? r.fgt?.p0 : r.mean;
}
function share(r: Row, m: GroupMeasure): number | null | undefined {
  return m === 'M0' ? r.mpiShare : m === 'H' ? r.mpiPoorShare : m === 'P0' ? r.poorShare : r.populationShare;
}

export default function GroupsTab({ c, analysis, by, measure, setBy, setMeasure }: {
  c: TabContext; analysis: Loaded<Analysis>; by: Grouping; measure: GroupMeasure; setBy: (b: Grouping) => void; setMeasure: (m: GroupMeasure) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const a = analysis.data && analysis.data.by === by ? analysis.data : null;
  const rows: Row[] = useMemo(() => {
    if (!a?.groups) return [];
    const mpiPoor = a.mpi ? a.mpi.H * a.mpi.population : 0;
    return a.groups.map((g) => ({
      ...g,
      key: g.group || '-',
      name: pick(g.label),
      populationShare: a.people ? g.people / a.people : null,
      poorShare: a.fgt && g.fgt && a.fgt.poorPeople > 0 ? g.fgt.poorPeople / a.fgt.poorPeople : null,
      mpiPoorShare: a.mpi && g.mpi && mpiPoor > 0 ? (g.mpi.H * g.mpi.population) / mpiPoor : null,
    }));
    // lang: the group labels follow the language switch.
  }, [a, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const sorted = useMemo(() => [...rows].sort((x, y) => (value(y, measure) ?? -1) - (value(x, measure) ?? -1)), [rows, measure]);
  const kind = measure === 'M0' ? 'index' : measure === 'mean' ? 'yuan' : 'pct';
  const measureName = t(`measurement.groups.measures.${measure}`);
  const shareName = t(`measurement.groups.shares.${measure}`);
  const option = useMemo(() => barsOption(
    sorted.map((r) => r.name),
    { name: measureName, kind, values: sorted.map((r) => value(r, measure)), color: '#8e44ad' },
    { name: shareName, kind: 'pct', values: sorted.map((r) => share(r, measure)), type: 'line' },
    by === 'child',
  ), [sorted, measure, measureName, shareName, kind, by]);
  const cols: Col<Row>[] = [
    { key: 'group', title: t(`measurement.groups.by.${by}`), kind: 'text', value: (r) => r.name, sorter: true },
    { key: 'households', title: t('measurement.householdsCol'), kind: 'int', value: (r) => r.households, sorter: true },
    { key: 'people', title: t('measurement.people'), kind: 'int', value: (r) => r.people, sorter: true },
    { key: 'populationShare', title: t('measurement.groups.shares.mean'), kind: 'pct', value: (r) => r.populationShare },
    { key: 'registeredPoor', title: t('measurement.poorPeople'), kind: 'int', value: (r) => r.registeredPoorPeople, sorter: true },
    { key: 'p0', title: 'P0', kind: 'pct', value: (r) => r.fgt?.p0, sorter: true },
    { key: 'p1', title: 'P1', kind: 'index', value: (r) => r.fgt?.p1, sorter: true },
    { key: 'p2', title: 'P2', kind: 'index', value: (r) => r.fgt?.p2, sorter: true },
    { key: 'watts', title: 'Watts', kind: 'index', value: (r) => r.watts, sorter: true },
    { key: 'poorShare', title: t('measurement.groups.shares.P0'), kind: 'pct', value: (r) => r.poorShare },
    { key: 'mean', title: t('measurement.mean'), kind: 'yuan', value: (r) => r.mean, sorter: true },
    { key: 'median', title: t('measurement.median'), kind: 'yuan', value: (r) => r.median, sorter: true },
    { key: 'gini', title: t('measurement.gini'), kind: 'index', value: (r) => r.gini, sorter: true },
    { key: 'H', title: 'H', kind: 'pct', value: (r) => r.mpi?.H, sorter: true },
    { key: 'A', title: 'A', kind: 'pct', value: (r) => r.mpi?.A, sorter: true },
    { key: 'M0', title: 'M0', kind: 'index', value: (r) => r.mpi?.M0, sorter: true },
    { key: 'mpiShare', title: t('measurement.groups.shares.M0'), kind: 'pct', value: (r) => r.mpiShare },
    { key: 'excluded', title: t('measurement.mpi.excluded'), kind: 'int', value: (r) => r.mpiExcludedHouseholds },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap size="large">
        <Space>
          <Typography.Text id="groups-by-label">{t('measurement.groups.byLabel')}</Typography.Text>
          <Segmented<Grouping> aria-labelledby="groups-by-label" value={by} onChange={setBy} data-testid="groups-by"
            options={GROUPINGS.map((g) => ({ value: g, label: t(`measurement.groups.by.${g}`) }))} />
        </Space>
        <Space>
          <Typography.Text id="groups-measure-label">{t('measurement.groups.measureLabel')}</Typography.Text>
          <Segmented<GroupMeasure> aria-labelledby="groups-measure-label" value={measure} onChange={setMeasure} data-testid="groups-measure"
            options={GROUP_MEASURES.map((m) => ({ value: m, label: t(`measurement.groups.measures.${m}`) }))} />
        </Space>
      </Space>
      {analysis.error && <Alert type="error" showIcon title={analysis.error} />}
      {!a && !analysis.error && <Skeleton active />}
      {a && (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('measurement.groups.totals', { people: a.people.toLocaleString('zh-CN'), p0: fmtPct(a.fgt?.p0), mean: fmtYuan(a.mean), gini: fmtIndex(a.gini), m0: fmtIndex(a.mpi?.M0) })}
          </Typography.Paragraph>
          <ChartCard<Row>
            id="groups" title={t('measurement.charts.groups', { by: t(`measurement.groups.by.${by}`), measure: measureName })}
            description={t('measurement.charts.groupsDescription', { share: shareName })}
            option={option} height={chartHeight(sorted.length)} rows={sorted} rowKey={(r) => r.key} cols={cols} file={c.file(`${t('measurement.files.groups')}-${t(`measurement.groups.by.${by}`)}`)} 
            onClick={(p) => { const r = sorted[p.dataIndex]; if (by === 'child' && r?.group) c.go(r.group); }}
          />
        </>
      )}
    </Space>
  );
}
