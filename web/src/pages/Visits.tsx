// 走访 for the people who visit (usable on a tablet): pick a paired household of your area, record
// the visit in one short form, see the follow-ups still open (overdue first) and the latest visits.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { VisitForm, VisitTable } from '../assistance/HouseholdVisits';
import type { Page, Pairing, Visit } from '../assistance/pairing-types';

export default function Visits() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [pairings, setPairings] = useState<Pairing[]>([]);
  const [household, setHousehold] = useState<number | undefined>();
  const [due, setDue] = useState<Visit[]>([]);
  const [recent, setRecent] = useState<Visit[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [p, d, r] = await Promise.all([
        call<Page<Pairing>>(api.GET('/api/v1/assistance/pairings', { params: { query: { state: 'open', pageSize: 500 } } })),
        call<Page<Visit>>(api.GET('/api/v1/assistance/visits', { params: { query: { openFollowUps: 'true', pageSize: 100 } } })),
        call<Page<Visit>>(api.GET('/api/v1/assistance/visits', { params: { query: { pageSize: 20 } } })),
      ]);
      setPairings(p.items);
      setDue(d.items);
      setRecent(r.items);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [t]);
  useEffect(() => { void load(); }, [load]);

  const chosen = pairings.find((p) => p.householdId === household);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('pairing.visitsTitle')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      {can('assistance.write') && (
        <Card size="small" title={t('pairing.recordVisit')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select
              showSearch optionFilterProp="label" value={household} onChange={setHousehold} placeholder={t('pairing.pickHousehold')} style={{ width: '100%', maxWidth: 520 }} size="large"
              aria-label={t('pairing.pickHousehold')} data-testid="visit-household"
              options={pairings.map((p) => ({ value: p.householdId, label: `${p.householdNo} ${p.headName}（${p.villageName}，${p.cadreName}）` }))}
              notFoundContent={t('pairing.noPaired')}
            />
            {chosen && (
              <>
                <Typography.Text type="secondary">
                  <Link to={`/households/${chosen.householdId}`}>{t('pairing.openHousehold')}</Link> · {pick(chosen.statusLabel)} · {t('pairing.responsibleCadre')} {chosen.cadreName}
                </Typography.Text>
                <VisitForm key={chosen.householdId} householdId={chosen.householdId} onSaved={() => void load()} />
              </>
            )}
          </Space>
        </Card>
      )}
      <Card size="small" title={t('pairing.followUpsDue', { n: due.length })}>
        {due.length ? <VisitTable items={due} onChange={() => void load()} showHousehold /> : <Typography.Text type="secondary">{t('pairing.noFollowUps')}</Typography.Text>}
      </Card>
      <Card size="small" title={t('pairing.recentVisits')}>
        {recent.length ? <VisitTable items={recent} onChange={() => void load()} showHousehold /> : <Typography.Text type="secondary">{t('pairing.noVisits')}</Typography.Text>}
      </Card>
    </Space>
  );
}
