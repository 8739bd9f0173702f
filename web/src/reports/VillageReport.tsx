// 村级报表, printable: every household of a village with a record for the year, a totals row, the
// incidence against the rural population and the village exit verdict (GET /api/v1/reports/village).
import { useSearchParams } from 'react-router';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { Controls, Heading, int, money, pct, ReportBody, Th, useReport, VerdictText, YesNo } from './Shell';
import { SECURITY_FLAGS, type VillageReport as Report } from './types';

export default function VillageReport() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? '';
  const year = params.get('year') ? Number(params.get('year')) : null;
  const ready = area !== '' && year !== null;
  const { data, error } = useReport<Report>(ready ? () => api.GET('/api/v1/reports/village', { params: { query: { area, year: year!, format: 'json' } } }) : null, [area, year]);
  const setYear = (y: number | undefined) => {
    const next = new URLSearchParams(params);
    if (y) next.set('year', String(y));
    else next.delete('year');
    setParams(next, { replace: true });
  };
  const download = () => api.GET('/api/v1/reports/village', { params: { query: { area, year: year ?? 0, format: 'xlsx' } }, parseAs: 'blob' });
  const r = data;
  return (
    <>
      <Controls year={year} onYear={setYear} download={download} fallbackName={`村级报表-${area}-${year ?? ''}.xlsx`} />
      {!ready && <Alert type="info" showIcon title={t('reports.pickVillage')} />}
      {ready && (
        <ReportBody testId="village-report" error={error} loading={!r}>
          {r && (
            <>
              <Heading title={t('reports.village.title', { name: r.area.name, year: r.year })} sub={t('reports.sub', { area: r.area.path.slice(2).map((p) => p.name).join(' '), code: r.area.code, year: r.year, date: r.generatedOn })} />
              <table className="jz-rt" data-testid="village-households">
                <thead>
                  <tr>
                    <Th k="reports.col.no" /><Th k="reports.col.householdNo" /><Th k="reports.col.head" /><Th k="reports.col.size" />
                    <Th k="reports.col.status" /><Th k="reports.col.cause" /><Th k="reports.col.perCapita" /><Th k="reports.col.belowLine" />
                    {SECURITY_FLAGS.map((f) => <Th key={f} k={`reports.flag.${f}`} />)}
                  </tr>
                </thead>
                <tbody>
                  {r.households.map((h) => (
                    <tr key={h.id}>
                      <td className="num">{h.no}</td>
                      <td className="jz-mono">{h.householdNo}</td>
                      <td>{h.headName}</td>
                      <td className="num">{h.size}</td>
                      <td>{pick(h.statusLabel)}</td>
                      <td>{pick(h.mainCause)}</td>
                      <td className="num">{money(h.perCapitaIncome)}</td>
                      <td>{h.belowLine === null ? t('common.unknown') : h.belowLine ? <span className="jz-bad">{t('common.yes')}</span> : t('common.no')}</td>
                      {SECURITY_FLAGS.map((f) => <td key={f}><YesNo v={h[f]} /></td>)}
                    </tr>
                  ))}
                  <tr className="jz-total" data-testid="village-totals">
                    <td colSpan={2}>{t('reports.total')}</td>
                    <td>{t('reports.households', { n: r.totals.households })}</td>
                    <td className="num">{int(r.totals.people)}</td>
                    <td colSpan={2} />
                    <td className="num">{money(r.totals.meanPerCapitaIncome)}</td>
                    <td className="num">{int(r.totals.belowLineHouseholds)}</td>
                    {SECURITY_FLAGS.map((f) => <td key={f} className="num">{r.totals.notMet[f]}</td>)}
                  </tr>
                </tbody>
              </table>
              <div className="jz-note">{t('reports.village.totalsNote')}</div>
              <section>
                <h2>{t('reports.village.summary')}</h2>
                <table className="jz-kv" data-testid="village-summary">
                  <tbody>
                    <tr>
                      <th>{t('reports.registered')}</th><td>{t('reports.hp', { h: int(r.totals.households), p: int(r.totals.people) })}</td>
                      <th>{t('reports.poor')}</th><td>{t('reports.hp', { h: int(r.totals.poorHouseholds), p: int(r.totals.poorPeople) })}</td>
                    </tr>
                    <tr>
                      <th>{t('reports.rural')}</th><td>{r.population ? int(r.population.ruralPeople) : t('reports.notLoaded')}{r.population?.synthetic ? `（${t('reports.synthetic')}）` : ''}</td>
                      <th>{t('reports.incidence')}</th><td data-testid="village-incidence">{pct(r.incidence)}</td>
                    </tr>
                    <tr>
                      <th>{t('reports.povertyLine')}</th><td>{r.povertyLine?.value == null ? t('common.unknown') : money(r.povertyLine.value)}</td>
                      <th>{t('reports.exitVerdict')}</th>
                      <td data-testid="village-verdict"><VerdictText v={r.exit.verdict} />{r.exit.limitPct !== null ? `（≤ ${r.exit.limitPct}%${r.exit.limitCount !== null ? `，${t('reports.atMost', { n: int(r.exit.limitCount) })}` : ''}）` : ''}</td>
                    </tr>
                  </tbody>
                </table>
                <div className="jz-note">{pick(r.exit.reason)}</div>
                {r.exit.missing && <div className="jz-note jz-bad">{pick(r.exit.missing)}</div>}
              </section>
            </>
          )}
        </ReportBody>
      )}
    </>
  );
}
