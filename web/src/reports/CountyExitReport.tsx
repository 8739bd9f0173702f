// 县级退出报告, printable: the county bar (and the assessment bars when survey counts are in the
// address), the townships and the villages worst first (GET /api/v1/reports/county-exit).
import { useSearchParams } from 'react-router';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { Controls, Heading, int, pct, ReportBody, Th, useReport, VerdictText } from './Shell';
import type { CountyExitReport as Report } from './types';

const SURVEY = ['sampledExited', 'wronglyExited', 'sampledNonRegistered', 'omitted', 'surveyedHouseholds', 'approving'] as const;

export default function CountyExitReport() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? '';
  const year = params.get('year') ? Number(params.get('year')) : null;
  const survey = Object.fromEntries(SURVEY.flatMap((k) => (params.get(k) ? [[k, Number(params.get(k))]] : []))) as Partial<Record<(typeof SURVEY)[number], number>>;
  const ready = area !== '' && year !== null;
  const query = { area, year: year ?? 0, ...survey };
  const { data: r, error } = useReport<Report>(ready ? () => api.GET('/api/v1/reports/county-exit', { params: { query: { ...query, format: 'json' } } }) : null, [area, year, params.toString()]);
  const setYear = (y: number | undefined) => {
    const next = new URLSearchParams(params);
    if (y) next.set('year', String(y));
    else next.delete('year');
    setParams(next, { replace: true });
  };
  const download = () => api.GET('/api/v1/reports/county-exit', { params: { query: { ...query, format: 'xlsx' } }, parseAs: 'blob' });
  return (
    <>
      <Controls year={year} onYear={setYear} download={download} fallbackName={`县级退出报告-${area}-${year ?? ''}.xlsx`} />
      {!ready && <Alert type="info" showIcon title={t('reports.pickCounty')} />}
      {ready && (
        <ReportBody testId="county-exit-report" error={error} loading={!r}>
          {r && (
            <>
              <Heading title={t('reports.county.title', { name: r.area.name, year: r.year })} sub={t('reports.sub', { area: r.area.path.slice(1).map((p) => p.name).join(' '), code: r.area.code, year: r.year, date: r.generatedOn })} />
              <section>
                <h2>{t('reports.county.verdict')}：<span data-testid="county-verdict"><VerdictText v={r.verdict} /></span></h2>
                <div className="jz-note">{pick(r.reason)}</div>
                <table className="jz-rt" style={{ marginTop: 6 }} data-testid="county-bars">
                  <thead><tr><Th k="reports.col.bar" /><Th k="reports.col.numerator" /><Th k="reports.col.denominator" /><Th k="reports.col.rate" /><Th k="reports.col.limit" /><Th k="reports.col.verdict" /><Th k="reports.col.reason" /></tr></thead>
                  <tbody>
                    {r.bars.map((b) => (
                      <tr key={b.key} data-testid={`county-bar-${b.key}`}>
                        <td>{pick(b.label)}</td>
                        <td className="num">{int(b.numerator)}</td>
                        <td className="num">{b.verdict === 'unknown' && b.denominator === 0 ? '—' : int(b.denominator)}</td>
                        <td className="num">{b.percent === null ? '—' : `${b.percent.toFixed(2)}%`}</td>
                        <td className="num">{b.bar?.value == null ? t('common.unknown') : `${b.comparison === 'at_most' ? '≤' : '≥'} ${b.bar.value}%`}</td>
                        <td><VerdictText v={b.verdict} /></td>
                        <td>{pick(b.reason)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {r.missing && <div className="jz-note jz-bad">{pick(r.missing)}</div>}
                {r.assessmentNote && <div className="jz-note">{pick(r.assessmentNote)}</div>}
              </section>
              <section>
                <h2>{t('reports.county.townships')}</h2>
                <table className="jz-rt" data-testid="county-townships">
                  <thead>
                    <tr>
                      <Th k="reports.col.township" /><Th k="reports.col.villages" /><Th k="reports.col.pass" /><Th k="reports.col.fail" /><Th k="reports.col.unknownVerdict" />
                      <Th k="reports.col.households" /><Th k="reports.col.people" /><Th k="reports.col.poorPeople" /><Th k="reports.col.rural" /><Th k="reports.col.incidence" />
                    </tr>
                  </thead>
                  <tbody>
                    {r.townships.map((x) => (
                      <tr key={x.code}>
                        <td>{x.name}</td><td className="num">{x.villages}</td><td className="num">{x.pass}</td><td className="num">{x.fail}</td><td className="num">{x.unknown}</td>
                        <td className="num">{int(x.households)}</td><td className="num">{int(x.people)}</td><td className="num">{int(x.poorPeople)}</td>
                        <td className="num">{int(x.ruralPeople)}</td><td className="num">{pct(x.incidence)}</td>
                      </tr>
                    ))}
                    <tr className="jz-total">
                      <td>{t('reports.total')}</td><td className="num">{r.townshipTotals.villages}</td><td className="num">{r.townshipTotals.pass}</td><td className="num">{r.townshipTotals.fail}</td>
                      <td className="num">{r.townshipTotals.unknown}</td><td className="num">{int(r.townshipTotals.households)}</td><td className="num">{int(r.townshipTotals.people)}</td>
                      <td className="num">{int(r.townshipTotals.poorPeople)}</td><td className="num">{int(r.townshipTotals.ruralPeople)}</td><td className="num">{pct(r.townshipTotals.incidence)}</td>
                    </tr>
                  </tbody>
                </table>
              </section>
              <section>
                <h2>{t('reports.county.villages', { n: r.villageSummary.villages, pass: r.villageSummary.pass, fail: r.villageSummary.fail, unknown: r.villageSummary.unknown })}</h2>
                <table className="jz-rt" data-testid="county-villages">
                  <thead>
                    <tr>
                      <Th k="reports.col.no" /><Th k="reports.col.village" /><Th k="reports.col.township" /><Th k="reports.col.households" /><Th k="reports.col.people" />
                      <Th k="reports.col.poorPeople" /><Th k="reports.col.rural" /><Th k="reports.col.incidence" /><Th k="reports.col.maxPoor" /><Th k="reports.col.verdict" />
                    </tr>
                  </thead>
                  <tbody>
                    {r.villages.map((v, i) => (
                      <tr key={v.code} title={pick(v.reason)}>
                        <td className="num">{i + 1}</td><td>{v.name}</td><td>{v.townshipName ?? ''}</td><td className="num">{int(v.households)}</td><td className="num">{int(v.people)}</td>
                        <td className="num">{int(v.poorPeople)}</td><td className="num">{int(v.ruralPeople)}</td><td className="num">{pct(v.incidence)}</td>
                        <td className="num">{int(v.limitCount)}</td><td><VerdictText v={v.verdict} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="jz-note">{t('reports.county.order')}</div>
              </section>
            </>
          )}
        </ReportBody>
      )}
    </>
  );
}
