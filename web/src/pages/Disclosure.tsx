// 项目公告公示: the list a village or county posts — project, channel, villages, implementer,
// schedule, budget by source, money paid, number of beneficiary households, status — with no
// personal data. Styled for printing: the menu and controls are hidden on paper.
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, InputNumber, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { fmtYuan } from '../calculators/Result';
import AreaSelect from '../cases/AreaSelect';
import { pick } from '../i18n';
import { errorText } from '../projects/errors';
import type { DisclosureList } from '../projects/types';

const PRINT_CSS = `
@media print {
  .ant-layout-sider, .ant-layout-header, .jz-no-print { display: none !important; }
  .ant-layout, .ant-layout-content { margin: 0 !important; padding: 0 !important; background: #fff !important; }
  .jz-disclosure table { font-size: 10pt; }
}
.jz-disclosure table { border-collapse: collapse; width: 100%; }
.jz-disclosure th, .jz-disclosure td { border: 1px solid #888; padding: 4px 6px; vertical-align: top; }
.jz-disclosure th { background: #f3f3f3; }
.jz-disclosure td.num { text-align: right; white-space: nowrap; }
`;

export default function Disclosure() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? undefined;
  const year = Number(params.get('year') ?? new Date().getFullYear());
  const [data, setData] = useState<DisclosureList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await call<DisclosureList>(api.GET('/api/v1/projects/disclosure', { params: { query: { area, year } } })));
    } catch (e) {
      setData(null);
      setError(errorText(e, t('common.unexpected')));
    }
  }, [area, year, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <div className="jz-disclosure" data-testid="disclosure-page">
      <style>{PRINT_CSS}</style>
      <Space wrap className="jz-no-print" style={{ marginBottom: 12 }}>
        <AreaSelect value={area} onChange={(v) => set('area', v)} placeholder={t('projects.area')} style={{ width: 220 }} />
        <InputNumber aria-label={t('projects.year')} min={2000} max={2100} precision={0} value={year} onChange={(v) => set('year', v ? String(v) : undefined)} />
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>{t('projects.print')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <>
          <Typography.Title level={3} style={{ textAlign: 'center' }}>
            {t('projects.disclosureHeading', { area: data.area.name ?? '', year: data.year })}
          </Typography.Title>
          <table data-testid="disclosure-table">
            <thead>
              <tr>
                <th>{t('projects.no')}</th><th>{t('projects.name')}</th><th>{t('projects.channel')}</th><th>{t('projects.villages')}</th>
                <th>{t('projects.implementer')}</th><th>{t('projects.schedule')}</th><th>{t('projects.budgetBySource')}</th>
                <th>{t('projects.disbursed')}</th><th>{t('projects.beneficiaryHouseholds')}</th><th>{t('projects.status')}</th><th>{t('projects.disclosedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p, i) => (
                <tr key={p.id}>
                  <td>{i + 1}</td>
                  <td>{p.name}</td>
                  <td>{pick(p.channelLabel)}</td>
                  <td>{p.villages.length ? p.villages.map((v) => v.name).join('、') : t('projects.countyWide')}</td>
                  <td>{p.implementer ?? '—'}</td>
                  <td>{p.startsOn ?? '—'} ~ {p.endsOn ?? '—'}</td>
                  <td>{p.budgets.length ? p.budgets.map((b) => <div key={b.fundSource}>{pick(b.fundSourceLabel)}：{fmtYuan(b.allocated)}</div>) : '—'}</td>
                  <td className="num">{fmtYuan(p.disbursed)}</td>
                  <td className="num">{p.beneficiaryHouseholds}</td>
                  <td>{pick(p.statusLabel)}</td>
                  <td>{p.disclosedOn ?? '—'}</td>
                </tr>
              ))}
              <tr>
                <td colSpan={6}>{t('projects.totalProjects', { n: data.totals.projects })}</td>
                <td className="num">{fmtYuan(data.totals.allocated)}</td>
                <td className="num">{fmtYuan(data.totals.disbursed)}</td>
                <td className="num">{data.totals.beneficiaryHouseholds}</td>
                <td colSpan={2} />
              </tr>
            </tbody>
          </table>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('projects.disclosureFooter')}</Typography.Paragraph>
        </>
      )}
    </div>
  );
}
