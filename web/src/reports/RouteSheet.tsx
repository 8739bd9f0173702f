// 入户路线单, printable (A4): one village of an evaluation plan's sample — the households to visit in
// draw order with their stratum, household number, head, group and, for non-registered households,
// their position on the village roster; blank columns for the evaluator's notes on paper.
import { Link, useParams } from 'react-router';
import { Button, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { pick } from '../i18n';
import type { PlanSample, PlanView } from '../assessment/types';
import { Heading, ReportBody, Th, useReport } from './Shell';

export default function RouteSheet() {
  const { t } = useTranslation();
  const { id: idParam, village = '' } = useParams();
  const id = Number(idParam);
  const plan = useReport<PlanView>(() => api.GET('/api/v1/assessment/plans/{id}', { params: { path: { id } } }), [id]);
  const sample = useReport<PlanSample>(() => api.GET('/api/v1/assessment/plans/{id}/sample', { params: { path: { id }, query: { village } } }), [id, village]);
  const p = plan.data;
  const v = sample.data?.villages[0];
  const today = new Date().toLocaleDateString('sv-SE');
  return (
    <>
      <div className="jz-report-controls" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">{t('reports.print')}</Button>
          <Link to={`/assessment/${id}?tab=sample`}><ArrowLeftOutlined /> {t('assessment.backToSample')}</Link>
        </Space>
      </div>
      <ReportBody testId="route-sheet" error={plan.error ?? sample.error ?? (sample.data && !v ? t('assessment.villageNotInSample', { village }) : null)} loading={!p || !v}>
        {p && v && (
          <>
            <Heading title={t('assessment.route.title', { name: v.name })} sub={t('assessment.route.sub', { plan: p.name, id: p.id, county: p.countyName, township: v.townshipName, code: v.code, year: p.year, date: today })} />
            <table className="jz-rt" data-testid="route-households">
              <thead>
                <tr>
                  <Th k="assessment.col.order" /><Th k="assessment.col.stratum" /><Th k="assessment.col.householdNo" /><Th k="assessment.col.head" />
                  <Th k="assessment.col.group" /><Th k="assessment.col.size" /><Th k="assessment.col.roster" /><Th k="assessment.col.sample" />
                  <Th k="assessment.route.visited" /><Th k="assessment.route.notes" />
                </tr>
              </thead>
              <tbody>
                {v.households.map((h) => (
                  <tr key={h.sampleId}>
                    <td className="num">{h.drawOrder}</td>
                    <td>{pick(h.stratumLabel)}</td>
                    <td className="jz-mono">{h.householdNo ?? ''}</td>
                    <td>{h.headName ?? ''}</td>
                    <td>{h.groupName ?? ''}</td>
                    <td className="num">{h.registerSize ?? ''}</td>
                    <td className="num">{h.rosterNo ?? ''}</td>
                    <td className="num jz-mono">{h.sampleId}</td>
                    <td style={{ minWidth: 90 }} />
                    <td style={{ minWidth: 220 }} />
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="jz-note">{t('assessment.route.note', { n: v.households.length, kind: pick(v.kindLabel), seed: p.seed })}</div>
            <div className="jz-note" style={{ marginTop: 24 }}>{t('assessment.route.signature')}</div>
          </>
        )}
      </ReportBody>
    </>
  );
}
