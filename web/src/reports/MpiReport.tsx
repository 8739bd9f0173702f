// 年度多维贫困报告, printable: H, A, M0 with the default dimension set, the indicators' headcounts and
// contributions (with a chart of the contributions to M0), by dimension, and the subgroup
// breakdowns (GET /api/v1/reports/mpi).
import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import AreaSelect from '../cases/AreaSelect';
import { pick } from '../i18n';
import { useSession } from '../session';
import { Controls, dec, Heading, int, money, pct, ReportBody, Th, useReport } from './Shell';
import type { MpiReport as Report } from './types';

const EChart = lazy(() => import('../charts/EChart'));
const COLORS = ['#1677ff', '#52c41a', '#faad14', '#13c2c2', '#eb2f96', '#722ed1', '#cf1322'];

export default function MpiReport() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const mine = me?.user.areaCode && me.user.areaCode !== '*' ? me.user.areaCode : '1505';
  const area = params.get('area') ?? mine;
  const year = params.get('year') ? Number(params.get('year')) : null;
  const { data: r, error } = useReport<Report>(year !== null ? () => api.GET('/api/v1/reports/mpi', { params: { query: { area, year, format: 'json' } } }) : null, [area, year]);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const download = () => api.GET('/api/v1/reports/mpi', { params: { query: { area, year: year ?? 0, format: 'xlsx' } }, parseAs: 'blob' });

  // Per indicator: its share of M0 (the contributions, coloured; they add up to 100%) beside the
  // share of people deprived in it at all (uncensored headcount ratio, grey).
  const chart = useMemo(() => {
    if (!r?.mpi || !r.indicators.length) return null;
    return {
      tooltip: { trigger: 'item', valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 48, bottom: 32 },
      xAxis: { type: 'category', data: r.indicators.map((i) => pick(i.label)), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
      yAxis: [{ type: 'value', name: t('reports.mpi.shareAxis'), axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } }],
      series: [
        {
          type: 'bar',
          name: t('reports.mpi.share'),
          data: r.indicators.map((i, n) => ({ value: i.share ?? 0, itemStyle: { color: COLORS[n % COLORS.length] } })),
          label: { show: true, position: 'top', formatter: (p: { value: number }) => `${(p.value * 100).toFixed(1)}%` },
        },
        {
          type: 'bar',
          name: t('reports.mpi.uncensored'),
          data: r.indicators.map((i) => i.uncensored),
          itemStyle: { color: '#d9d9d9' },
        },
      ],
    };
  }, [r, t]);

  return (
    <>
      <Controls
        year={year}
        onYear={(y) => set('year', y ? String(y) : undefined)}
        download={download}
        fallbackName={`多维贫困报告-${area}-${year ?? ''}.xlsx`}
        extra={<AreaSelect value={area} onChange={(v) => set('area', v)} placeholder={t('reports.area')} style={{ width: 220 }} />}
      />
      {year === null && <Alert type="info" showIcon title={t('reports.pickYear')} />}
      {year !== null && (
        <ReportBody testId="mpi-report" error={error} loading={!r}>
          {r && (
            <>
              <Heading title={t('reports.mpi.title', { name: r.area.name, year: r.year })} sub={t('reports.mpi.sub', { area: r.area.path.slice(1).map((p) => p.name).join(' ') || r.area.name, code: r.area.code, year: r.year, line: r.line?.value ?? t('common.unknown'), k: pct(r.k), date: r.generatedOn })} />
              {r.missing.map((m, i) => <Alert key={i} type="warning" showIcon title={pick(m)} style={{ marginBottom: 8 }} data-testid="mpi-missing" />)}
              <section>
                <h2>{t('reports.mpi.headline')}</h2>
                <table className="jz-kv" data-testid="mpi-headline">
                  <tbody>
                    <tr>
                      <th>{t('reports.mpi.H')}</th><td data-testid="mpi-H">{pct(r.mpi?.H)}</td>
                      <th>{t('reports.mpi.A')}</th><td data-testid="mpi-A">{pct(r.mpi?.A)}</td>
                      <th>{t('reports.mpi.M0')}</th><td data-testid="mpi-M0">{dec(r.mpi?.M0)}</td>
                    </tr>
                    <tr>
                      <th>{t('reports.registered')}</th><td>{t('reports.hp', { h: int(r.households), p: int(r.people) })}</td>
                      <th>{t('reports.mpi.covered')}</th><td>{int(r.mpi?.population)}</td>
                      <th>{t('reports.mpi.excluded')}</th><td>{int(r.excludedHouseholds)}</td>
                    </tr>
                    <tr>
                      <th>{t('reports.mpi.p0')}</th><td>{pct(r.income.p0)}</td>
                      <th>{t('reports.mpi.gini')}</th><td>{dec(r.income.gini)}</td>
                      <th>{t('reports.mpi.mean')}</th><td>{money(r.income.mean)}</td>
                    </tr>
                  </tbody>
                </table>
              </section>
              {chart && (
                <section>
                  <h2>{t('reports.mpi.chart')}</h2>
                  <Suspense fallback={<Skeleton active />}>
                    <div data-testid="mpi-chart"><EChart label={t('reports.mpi.chart')} option={chart} height={300} /></div>
                  </Suspense>
                </section>
              )}
              <section>
                <h2>{t('reports.mpi.indicators')}</h2>
                <table className="jz-rt" data-testid="mpi-indicators">
                  <thead><tr><Th k="reports.mpi.dimension" /><Th k="reports.mpi.indicator" /><Th k="reports.mpi.weight" /><Th k="reports.mpi.uncensored" /><Th k="reports.mpi.censored" /><Th k="reports.mpi.contribution" /><Th k="reports.mpi.share" /></tr></thead>
                  <tbody>
                    {r.indicators.map((i) => (
                      <tr key={i.key}>
                        <td>{pick(i.dimension)}</td><td>{pick(i.label)}</td><td className="num">{dec(i.weight)}</td><td className="num">{pct(i.uncensored)}</td>
                        <td className="num">{pct(i.censored)}</td><td className="num">{dec(i.contribution)}</td><td className="num">{pct(i.share)}</td>
                      </tr>
                    ))}
                    {r.dimensions.map((d) => (
                      <tr key={d.key} className="jz-total">
                        <td colSpan={2}>{t('reports.mpi.dimensionTotal', { name: pick(d.label) })}</td><td className="num">{dec(d.weight)}</td><td colSpan={2} />
                        <td className="num">{dec(d.contribution)}</td><td className="num">{pct(d.share)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="jz-note">{t('reports.mpi.note')}</div>
              </section>
              {r.breakdowns.map((b) => (
                <section key={b.by}>
                  <h2>{pick(b.label)}</h2>
                  <table className="jz-rt" data-testid={`mpi-by-${b.by}`}>
                    <thead><tr><Th k="reports.mpi.group" /><Th k="reports.col.households" /><Th k="reports.col.people" /><Th k="reports.mpi.populationShare" /><Th k="reports.mpi.H" /><Th k="reports.mpi.A" /><Th k="reports.mpi.M0" /><Th k="reports.mpi.share" /></tr></thead>
                    <tbody>
                      {b.groups.map((g) => (
                        <tr key={g.group}>
                          <td>{pick(g.label)}</td><td className="num">{int(g.households)}</td><td className="num">{int(g.people)}</td><td className="num">{pct(g.populationShare)}</td>
                          <td className="num">{pct(g.H)}</td><td className="num">{pct(g.A)}</td><td className="num">{dec(g.M0)}</td><td className="num">{pct(g.share)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              ))}
            </>
          )}
        </ReportBody>
      )}
    </>
  );
}
