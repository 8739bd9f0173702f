// 走访 for the people who visit (usable on a tablet): pick a paired household of your area, record
// the visit in one short form, see the follow-ups still open (overdue first) and the latest visits.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Card, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { VisitForm, VisitTable } from '../assistance/HouseholdVisits';
import { todayCn, type Page, type Pairing, type Visit } from '../assistance/pairing-types';

export default function Visits() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [pairings, setPairings] = useState<Pairing[]>([]);
  const [pairedTotal, setPairedTotal] = useState(0);
  const [search, setSearch] = useState('');
  const searchSeq = useRef(0);
  const [household, setHousehold] = useState<number | undefined>();
  const [due, setDue] = useState<Visit[]>([]);
  const [recent, setRecent] = useState<Visit[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [d, r] = await Promise.all([
        call<Page<Visit>>(api.GET('/api/v1/assistance/visits', { params: { query: { openFollowUps: 'true', pageSize: 100 } } })),
        call<Page<Visit>>(api.GET('/api/v1/assistance/visits', { params: { query: { pageSize: 20 } } })),
      ]);
      setDue(d.items);
      setRecent(r.items);
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    }
  }, [t]);
  useEffect(() => { void load(); }, [load]);

  // The paired households are looked up on the server as the user types (a county has thousands):
  // the first 50 matches of a household number, head name or cadre name.
  useEffect(() => {
    const seq = ++searchSeq.current;
    const timer = setTimeout(() => {
      void call<Page<Pairing>>(api.GET('/api/v1/assistance/pairings', { params: { query: { state: 'open', pageSize: 50, ...(search ? { q: search } : {}) } } }))
        .then((p) => {
          if (seq !== searchSeq.current) return;
          setPairings((cur) => {
            const kept = cur.filter((x) => x.householdId === household && !p.items.some((y) => y.householdId === x.householdId));
            return [...kept, ...p.items];
          });
          setPairedTotal(p.total);
        })
        .catch((e: unknown) => setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')));
    }, search ? 300 : 0);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, t]);

  const chosen = pairings.find((p) => p.householdId === household);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('pairing.visitsTitle')}</Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      {can('assistance.write') && (
        <Card size="small" title={t('pairing.recordVisit')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select
              showSearch filterOption={false} onSearch={setSearch} value={household} onChange={setHousehold} placeholder={t('pairing.pickHousehold')} style={{ width: '100%', maxWidth: 520 }} size="large"
              aria-label={t('pairing.pickHousehold')} data-testid="visit-household"
              options={pairings.map((p) => ({ value: p.householdId, label: `${p.householdNo} ${p.headName}（${p.villageName}，${p.cadreName}）` }))}
              notFoundContent={t('pairing.noPaired')}
            />
            {pairedTotal > pairings.length && !household && (
              <Typography.Text type="secondary" data-testid="visit-household-more">{t('pairing.moreToSearch', { shown: pairings.length, total: pairedTotal })}</Typography.Text>
            )}
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
      <Card size="small" title={t('pairing.followUpsDue', { n: due.length })} extra={<Typography.Text type="secondary" data-testid="follow-ups-as-of">{t('pairing.asOf', { day: todayCn() })}</Typography.Text>}>
        {due.length ? <VisitTable items={due} onChange={() => void load()} showHousehold /> : <Typography.Text type="secondary">{t('pairing.noFollowUps')}</Typography.Text>}
      </Card>
      <Card size="small" title={t('pairing.recentVisits')}>
        {recent.length ? <VisitTable items={recent} onChange={() => void load()} showHousehold /> : <Typography.Text type="secondary">{t('pairing.noVisits')}</Typography.Text>}
      </Card>
    </Space>
  );
}
