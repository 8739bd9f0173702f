// 首页: the actor's area at a glance; click a child area (bar, treemap or table) to drill down.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Breadcrumb, Card, Col, Empty, Row, Select, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, ApiError, call } from '../api/client';
import type { Figures, Overview as OverviewData } from '../api/types';
import { useCodes, useSession } from '../session';
import { pick } from '../i18n';
import { fmtInt, fmtPct, registerHref, type RegisterFilter } from '../links';

const EChart = lazy(() => import('../charts/EChart'));

type Child = OverviewData['children'][number];

function inScope(mine: string, code: string) {
  return mine === '*' || code.startsWith(mine);
}

export default function Overview() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const codes = useCodes();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? undefined;
  const yearParam = params.get('year');
  const year = yearParam ? Number(yearParam) : undefined;
  const [data, setData] = useState<OverviewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const canList = can('register.read');

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    call<OverviewData>(api.GET('/api/v1/overview', { params: { query: { area, year } } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [area, year, t]);

  const go = (code: string) => {
    const next = new URLSearchParams(params);
    next.set('area', code);
    setParams(next);
  };
  const setYear = (y: string) => {
    const next = new URLSearchParams(params);
    if (y) next.set('year', y);
    else next.delete('year');
    setParams(next);
  };

  const link = (f: RegisterFilter) => registerHref({ area: data?.area.code, year: data?.year ?? undefined, ...f });
  const num = (value: number, f: RegisterFilter, testId: string) =>
    canList ? <Link to={link(f)} data-testid={testId}>{fmtInt(value)}</Link> : <span data-testid={testId}>{fmtInt(value)}</span>;

  const charts = useMemo(() => (data ? chartOptions(data, t, (c) => codes.label('cause', c)) : null), [data, t, codes]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!data) return <Skeleton active />;
  const f: Figures = data.totals;
  const years = [...data.trend.map((p) => p.year)].reverse();
  const mine = me?.user.areaCode ?? '*';
  const childLevel = data.children[0]?.level;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[8, 8]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="overview-title">
            {data.area.name} · {t('overview.title')}
          </Typography.Title>
          <Breadcrumb
            aria-label={t('overview.path')}
            items={data.area.path.map((p) => ({
              key: p.code,
              title: inScope(mine, p.code) && p.code !== data.area.code
                ? <a href={`/?area=${p.code}`} onClick={(e) => { e.preventDefault(); go(p.code); }}>{p.name}</a>
                : p.name,
            }))}
          />
        </Col>
        <Col>
          <Space wrap>
            <span id="year-label">{t('overview.year')}</span>
            <Select
              aria-labelledby="year-label"
              style={{ width: 160 }}
              value={year ? String(year) : ''}
              onChange={setYear}
              options={[{ value: '', label: t('overview.current') }, ...years.map((y) => ({ value: String(y), label: t('overview.yearEnd', { year: y }) }))]}
            />
            {canList && <Link to={link({})}>{t('overview.openRegister')}</Link>}
            {(year ?? years[0]) !== undefined && <Link to={`/reports/mpi?area=${data.area.code}&year=${year ?? years[0]}`} data-testid="link-mpi-report">{t('reports.links.mpiReport')}</Link>}
            {data.area.level === 3 && (year ?? years[0]) !== undefined && <Link to={`/reports/county-exit?area=${data.area.code}&year=${year ?? years[0]}`}>{t('reports.links.countyReport')}</Link>}
            {canList && data.area.level === 5 && (year ?? years[0]) !== undefined && <Link to={`/reports/village?area=${data.area.code}&year=${year ?? years[0]}`}>{t('reports.links.villageReport')}</Link>}
          </Space>
        </Col>
      </Row>
      {loading && <Skeleton.Input active size="small" />}

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <Card className="jz-stat" data-testid="card-registered">
            <Statistic title={t('overview.registered')} value={f.people} formatter={() => num(f.people, {}, 'stat-people')} suffix={t('overview.people')} />
            <div className="jz-sub">{num(f.households, {}, 'stat-households')} {t('overview.households')}</div>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card className="jz-stat" data-testid="card-poor">
            <Statistic title={t('overview.poor')} value={f.poorPeople} formatter={() => <span data-testid="stat-poor-people">{fmtInt(f.poorPeople)}</span>} suffix={t('overview.people')} />
            <div className="jz-sub">
              <span data-testid="stat-poor-households">{fmtInt(f.poorHouseholds)}</span> {t('overview.households')}：
              {t('status.0')} {num(f.byStatus['0']?.households ?? 0, { status: '0' }, 'stat-status-0')} · {t('status.3')} {num(f.byStatus['3']?.households ?? 0, { status: '3' }, 'stat-status-3')}
            </div>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card className="jz-stat" data-testid="card-exited">
            <Statistic title={t('overview.exited')} value={f.exitedPeople} formatter={() => <span data-testid="stat-exited-people">{fmtInt(f.exitedPeople)}</span>} suffix={t('overview.people')} />
            <div className="jz-sub">
              <span data-testid="stat-exited-households">{fmtInt(f.exitedHouseholds)}</span> {t('overview.households')}：
              {t('status.1')} {num(f.byStatus['1']?.households ?? 0, { status: '1' }, 'stat-status-1')} · {t('status.4')} {num(f.byStatus['4']?.households ?? 0, { status: '4' }, 'stat-status-4')}
            </div>
          </Card>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Card className="jz-stat" data-testid="card-incidence">
            <Statistic title={t('overview.incidence')} value={f.incidence ?? 0} formatter={() => <span data-testid="stat-incidence">{fmtPct(f.incidence)}</span>} />
            <div className="jz-sub">
              {t('overview.relapsed')} {num(f.relapsedPeople, { status: '3' }, 'stat-relapsed-people')} {t('overview.people')} ·{' '}
              {t('overview.rural', { people: fmtInt(f.ruralPeople), year: data.populationYear ?? '—' })}
            </div>
          </Card>
        </Col>
      </Row>

      {charts && (
        <Suspense fallback={<Skeleton active />}>
          <Row gutter={[16, 16]}>
            {data.children.length > 0 && (
              <>
                <Col xs={24} xl={12}>
                  <Card title={t('overview.byChild')} size="small">
                    <EChart label={t('overview.byChild')} option={charts.bar} height={320} onClick={(p) => { const c = data.children[p.dataIndex]; if (c) go(c.code); }} />
                  </Card>
                </Col>
                <Col xs={24} xl={12}>
                  <Card title={t('overview.treemap')} size="small">
                    <EChart label={t('overview.treemap')} option={charts.treemap} height={320} onClick={(p) => { const code = (p.data as { code?: string } | undefined)?.code; if (code) go(code); }} />
                  </Card>
                </Col>
              </>
            )}
            <Col xs={24} xl={12}>
              <Card title={t('overview.trend')} size="small">
                {data.trend.length ? <EChart label={t('overview.trend')} option={charts.trend} height={300} onClick={(p) => { const y = data.trend[p.dataIndex]?.year; if (y) setYear(String(y)); }} /> : <Empty />}
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('overview.causes')} size="small">
                {data.causes.length ? (
                  <EChart
                    label={t('overview.causes')}
                    option={charts.causes}
                    height={300}
                    onClick={(p) => { const c = data.causes[data.causes.length - 1 - p.dataIndex]?.cause; if (c && canList) navigate(link({ cause: c })); }}
                  />
                ) : <Empty />}
              </Card>
            </Col>
          </Row>
        </Suspense>
      )}

      <Card title={childLevel ? t(`overview.childTable.${childLevel}`, { defaultValue: t('overview.childTable.any') }) : t('overview.childTable.any')} size="small">
        {data.children.length === 0 ? (
          <Empty description={t('overview.noChildren')} />
        ) : (
          <Table<Child>
            size="small"
            rowKey="code"
            pagination={data.children.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            dataSource={data.children}
            scroll={{ x: 'max-content' }}
            className="jz-table"
            data-testid="children-table"
            columns={[
              {
                title: t('overview.area'), dataIndex: 'name', key: 'name',
                render: (name: string, c) => <a href={`/?area=${c.code}`} onClick={(e) => { e.preventDefault(); go(c.code); }}>{name}</a>,
              },
              { title: t('overview.householdsCol'), dataIndex: 'households', key: 'h', align: 'right', sorter: (a, b) => a.households - b.households, render: (v: number, c) => (canList ? <Link to={registerHref({ area: c.code, year: data.year ?? undefined })}>{fmtInt(v)}</Link> : fmtInt(v)) },
              { title: t('overview.peopleCol'), dataIndex: 'people', key: 'p', align: 'right', sorter: (a, b) => a.people - b.people, render: fmtInt },
              { title: t('overview.poorCol'), dataIndex: 'poorPeople', key: 'poor', align: 'right', sorter: (a, b) => a.poorPeople - b.poorPeople, render: (v: number, c) => (canList ? <Link to={registerHref({ area: c.code, status: '0', year: data.year ?? undefined })}>{fmtInt(v)}</Link> : fmtInt(v)) },
              { title: t('overview.exitedCol'), dataIndex: 'exitedPeople', key: 'ex', align: 'right', render: fmtInt },
              { title: t('overview.relapsedCol'), dataIndex: 'relapsedPeople', key: 'rel', align: 'right', render: fmtInt },
              { title: t('overview.ruralCol'), dataIndex: 'ruralPeople', key: 'rural', align: 'right', render: fmtInt },
              { title: t('overview.incidence'), dataIndex: 'incidence', key: 'inc', align: 'right', defaultSortOrder: undefined, sorter: (a, b) => (a.incidence ?? -1) - (b.incidence ?? -1), render: (v: number | null) => fmtPct(v) },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}

type T = TFunction;

function chartOptions(d: OverviewData, t: T, causeLabel: (c: string) => string) {
  const names = d.children.map((c: Child) => c.name);
  const bar = {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
    grid: { left: 48, right: 16, top: 24, bottom: 72 },
    xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 6 ? 40 : 0, interval: 0 } },
    yAxis: { type: 'value', name: '%' },
    series: [{ type: 'bar', name: t('overview.incidence'), data: d.children.map((c: Child) => (c.incidence === null ? 0 : +(c.incidence * 100).toFixed(3))), itemStyle: { color: '#c0392b' }, cursor: 'pointer' }],
  };
  const treemap = {
    tooltip: { formatter: (p: { data?: { name: string; value: number; incidence: number | null } }) => (p.data ? `${p.data.name}<br/>${t('overview.peopleCol')}: ${fmtInt(p.data.value)}<br/>${t('overview.incidence')}: ${fmtPct(p.data.incidence)}` : '') },
    series: [{
      type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, width: '100%', height: '100%',
      label: { show: true, formatter: '{b}' },
      data: d.children.filter((c: Child) => c.people > 0).map((c: Child) => ({
        name: c.name, value: c.people, code: c.code, incidence: c.incidence,
        itemStyle: { color: shade(c.incidence) },
      })),
    }],
  };
  const trend = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: d.trend.map((p) => String(p.year)) },
    yAxis: [{ type: 'value', name: t('overview.people') }, { type: 'value', name: '%', splitLine: { show: false } }],
    series: [
      { type: 'bar', name: t('overview.poorPeopleSeries'), data: d.trend.map((p) => p.poorPeople), itemStyle: { color: '#e67e22' } },
      { type: 'line', name: t('overview.incidence'), yAxisIndex: 1, data: d.trend.map((p) => (p.incidence === null ? null : +(p.incidence * 100).toFixed(3))), itemStyle: { color: '#c0392b' } },
    ],
  };
  const ordered = [...d.causes].reverse();
  const causes = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 110, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: ordered.map((c) => (c.cause ? causeLabel(c.cause) : t('overview.noCause'))) },
    series: [
      { type: 'bar', name: t('overview.householdsCol'), data: ordered.map((c) => c.households), itemStyle: { color: '#2980b9' }, cursor: 'pointer' },
      { type: 'bar', name: t('overview.poorHouseholdsSeries'), data: ordered.map((c) => c.poorHouseholds), itemStyle: { color: '#e67e22' }, cursor: 'pointer' },
    ],
  };
  return { bar, treemap, trend, causes };
}

/** Darker red for higher incidence (0 → pale, ≥ 10% → deep). */
function shade(incidence: number | null): string {
  if (incidence === null) return '#bdc3c7';
  const x = Math.min(1, incidence / 0.1);
  const l = Math.round(85 - x * 45);
  return `hsl(4, 60%, ${l}%)`;
}
