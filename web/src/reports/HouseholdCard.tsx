// 一户一档, printable: the household, its members (ID numbers masked; “显示完整身份证号” asks the
// server, which audits the reveal), yearly income against the line, 两不愁三保障 and the assistance
// of a year (GET /api/v1/reports/household).
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button, Popconfirm } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import { Controls, Heading, int, money, ReportBody, Th, useReport, YesNo } from './Shell';
import { SECURITY_FLAGS, type HouseholdReport } from './types';

export default function HouseholdCard() {
  const { t } = useTranslation();
  const { id } = useParams();
  const hid = Number(id);
  const [params, setParams] = useSearchParams();
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const [reveal, setReveal] = useState(false);
  const query = { id: hid, year, reveal: reveal ? ('true' as const) : undefined };
  const { data: r, error } = useReport<HouseholdReport>(() => api.GET('/api/v1/reports/household', { params: { query: { ...query, format: 'json' } } }), [hid, year, reveal]);
  const setYear = (y: number | undefined) => {
    const next = new URLSearchParams(params);
    if (y) next.set('year', String(y));
    else next.delete('year');
    setParams(next, { replace: true });
  };
  const download = () => api.GET('/api/v1/reports/household', { params: { query: { ...query, format: 'xlsx' } }, parseAs: 'blob' });
  const h = r?.household;
  return (
    <>
      <Controls
        year={year ?? r?.assistance.year ?? null}
        onYear={setYear}
        download={download}
        fallbackName={`一户一档-${hid}.xlsx`}
        extra={
          <>
            {!reveal && (
              <Popconfirm title={t('reports.household.revealConfirm')} onConfirm={() => setReveal(true)} okText={t('common.yes')} cancelText={t('common.no')}>
                <Button icon={<EyeOutlined />} data-testid="report-reveal">{t('reports.household.reveal')}</Button>
              </Popconfirm>
            )}
            <Link to={`/households/${hid}`}>{t('reports.household.back')}</Link>
          </>
        }
      />
      <ReportBody testId="household-card" error={error} loading={!r}>
        {r && h && (
          <>
            <Heading
              title={t('reports.household.title', { village: h.area.village, head: h.headName })}
              sub={`${h.area.county} ${h.area.township} ${h.area.village}（${h.villageCode}）　${t('reports.household.no')}：${h.householdNo}　${t('reports.date')}：${r.generatedOn}　${r.revealed ? t('reports.household.revealed') : t('reports.household.masked')}`}
            />
            <section>
              <h2>{t('reports.household.basic')}</h2>
              <table className="jz-kv" data-testid="card-household">
                <tbody>
                  <tr><th>{t('household.attribute')}</th><td>{pick(h.attribute)}</td><th>{t('household.exitStatus')}</th><td>{pick(h.exitStatusLabel)}</td><th>{t('household.mainCause')}</th><td>{pick(h.mainCause) || '—'}</td></tr>
                  <tr><th>{t('household.otherCauses')}</th><td>{h.otherCauses.map(pick).join('、') || '—'}</td><th>{t('household.identifiedOn')}</th><td>{h.identifiedOn ?? '—'}</td><th>{t('household.exitYear')}</th><td>{h.exitYear ?? '—'}</td></tr>
                  <tr><th>{t('household.phone')}</th><td className="jz-mono">{h.phone ?? '—'}</td><th>{t('household.assistanceUnit')}</th><td>{h.assistanceUnit ?? '—'}</td><th>{t('household.responsibleCadre')}</th><td>{h.responsibleCadre ?? '—'}</td></tr>
                  <tr><th>{t('household.groupName')}</th><td>{h.groupName ?? '—'}</td><th>{t('household.relocated')}</th><td>{h.relocated ? t('common.yes') : t('common.no')}</td><th>{t('reports.household.members')}</th><td>{r.members.length}</td></tr>
                </tbody>
              </table>
            </section>
            <section>
              <h2>{t('reports.household.members')}</h2>
              <table className="jz-rt" data-testid="card-members">
                <thead>
                  <tr>
                    <Th k="member.name" /><Th k="member.relation" /><Th k="member.sex" /><Th k="member.birthDate" /><Th k="member.ethnicity" />
                    <Th k="member.idNumber" /><Th k="member.phone" /><Th k="member.health" /><Th k="member.labourAbility" /><Th k="member.workMonths" />
                  </tr>
                </thead>
                <tbody>
                  {r.members.map((m) => (
                    <tr key={m.id}>
                      <td>{m.name}</td><td>{pick(m.relation)}</td><td>{pick(m.sex)}</td><td>{m.birthDate}</td><td>{pick(m.ethnicity)}</td>
                      <td className="jz-mono" data-testid={`card-id-${m.id}`}>{m.idNumber}</td><td className="jz-mono">{m.phone ?? ''}</td>
                      <td>{pick(m.health)}</td><td>{pick(m.labourAbility)}</td><td className="num">{m.workMonths ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section>
              <h2>{t('reports.household.income')}</h2>
              <table className="jz-rt" data-testid="card-years">
                <thead>
                  <tr>
                    <Th k="year.year" /><Th k="year.householdSize" /><Th k="household.exitStatus" /><Th k="year.wageIncome" /><Th k="year.productionIncome" />
                    <Th k="year.propertyIncome" /><Th k="year.transferIncome" /><Th k="year.productionCosts" /><Th k="reports.col.net" /><Th k="year.perCapitaIncome" />
                    <Th k="year.povertyLine" /><Th k="reports.col.gap" />
                  </tr>
                </thead>
                <tbody>
                  {r.years.map((y) => (
                    <tr key={y.year}>
                      <td>{y.year}</td><td className="num">{y.householdSize}</td><td>{pick(y.statusLabel)}</td>
                      <td className="num">{money(y.wageIncome)}</td><td className="num">{money(y.productionIncome)}</td><td className="num">{money(y.propertyIncome)}</td>
                      <td className="num">{money(y.transferIncome)}</td><td className="num">{money(y.productionCosts)}</td><td className="num">{money(y.netIncome)}</td>
                      <td className="num"><strong>{money(y.perCapitaIncome)}</strong></td>
                      <td className="num">{y.povertyLine === null ? t('common.unknown') : money(y.povertyLine)}</td>
                      <td className={`num ${y.atOrAboveLine === false ? 'jz-bad' : ''}`}>{money(y.gap)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="jz-note">{t('year.formula')}</div>
            </section>
            <section>
              <h2>{t('reports.household.checklist')}</h2>
              <table className="jz-rt" data-testid="card-checks">
                <thead><tr><Th k="year.year" />{SECURITY_FLAGS.map((f) => <Th key={f} k={`reports.flag.${f}`} />)}</tr></thead>
                <tbody>
                  {r.years.map((y) => <tr key={y.year}><td>{y.year}</td>{SECURITY_FLAGS.map((f) => <td key={f}><YesNo v={y[f]} /></td>)}</tr>)}
                </tbody>
              </table>
            </section>
            <section>
              <h2>{t('reports.household.assistance', { year: r.assistance.year ?? '' })}</h2>
              <table className="jz-kv">
                <tbody>
                  <tr>
                    <th>{t('reports.household.cadre')}</th><td>{r.assistance.pairing ? `${r.assistance.pairing.cadreName}（${r.assistance.pairing.unitName}，${r.assistance.pairing.startedOn}）` : t('reports.household.unpaired')}</td>
                    <th>{t('reports.household.plan')}</th>
                    <td>{r.assistance.plan ? `${r.assistance.plan.needs.map(pick).join('、') || '—'}；${t('reports.household.target', { income: money(r.assistance.plan.targetIncome), year: r.assistance.plan.targetYear ?? '—' })}` : t('reports.household.noPlan')}</td>
                  </tr>
                </tbody>
              </table>
              <table className="jz-rt" style={{ marginTop: 6 }} data-testid="card-measures">
                <thead><tr><Th k="reports.col.channel" /><Th k="reports.col.measure" /><Th k="reports.col.member" /><Th k="reports.col.givenOn" /><Th k="reports.col.quantity" /><Th k="reports.col.amount" /></tr></thead>
                <tbody>
                  {r.assistance.measures.map((m, i) => (
                    <tr key={i}><td>{pick(m.channel)}</td><td>{pick(m.typeName)}</td><td>{m.memberName ?? ''}</td><td>{m.givenOn ?? ''}</td><td className="num">{m.quantity === null ? '' : `${m.quantity} ${pick(m.unit)}`}</td><td className="num">{money(m.amount)}</td></tr>
                  ))}
                  <tr className="jz-total"><td colSpan={5}>{t('reports.total')}（{t('reports.items', { n: int(r.assistance.measures.length) })}）</td><td className="num">{money(r.assistance.measuresTotal)}</td></tr>
                </tbody>
              </table>
            </section>
          </>
        )}
      </ReportBody>
    </>
  );
}
