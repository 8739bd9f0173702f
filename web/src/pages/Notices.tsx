// 公示: the cases now in a notice, by village, ready to post: a print stylesheet leaves only the
// title, the list and the end day of each notice (web/src/cases/print.css).
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Empty, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import AreaSelect from '../cases/AreaSelect';
import { daysUntil } from '../cases/format';
import type { NoticeItem } from '../cases/types';
import '../cases/print.css';

interface Village {
  code: string;
  name: string;
  township: string;
  items: NoticeItem[];
}

export default function Notices() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? undefined;
  const [data, setData] = useState<{ items: NoticeItem[]; asOf: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    call<{ items: NoticeItem[]; asOf: string }>(api.GET('/api/v1/notices', { params: { query: { area } } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')));
    return () => {
      live = false;
    };
  }, [area, t]);

  const villages = useMemo(() => {
    const m = new Map<string, Village>();
    for (const n of data?.items ?? []) {
      let v = m.get(n.villageCode);
      if (!v) m.set(n.villageCode, (v = { code: n.villageCode, name: n.villageName, township: n.townshipName, items: [] }));
      v.items.push(n);
    }
    return [...m.values()];
  }, [data]);

  const columns = [
    { key: 'no', title: t('household.householdNo'), dataIndex: 'householdNo', width: 170, render: (v: string) => <span className="jz-mono">{v}</span> },
    { key: 'head', title: t('household.headName'), render: (_: unknown, n: NoticeItem) => <Link to={`/cases/${n.caseId}`}>{n.headName}</Link> },
    { key: 'subject', title: t('notices.subject'), render: (_: unknown, n: NoticeItem) => <span>{pick(n.workflowLabel)} · {pick(n.stateLabel)}</span> },
    { key: 'started', title: t('notices.startedOn'), dataIndex: 'startedOn', width: 110 },
    {
      key: 'ends', title: t('notices.endsOn'), width: 170,
      render: (_: unknown, n: NoticeItem) => {
        const d = daysUntil(n.endsOn);
        return (
          <span>
            <strong>{n.endsOn}</strong>
            <span className="jz-noprint"> {n.ended ? <Tag color="green">{t('notices.ended')}</Tag> : <Tag color="purple">{t('notices.daysLeftN', { n: d })}</Tag>}</span>
          </span>
        );
      },
    },
  ];

  const areaName = area ? '' : me?.user.areaName ?? '';

  return (
    <Card className="jz-notices">
      <div className="jz-noprint" style={{ marginBottom: 12 }}>
        <Space wrap>
          <AreaSelect value={area} onChange={(v) => setParams(v ? { area: v } : {})} placeholder={t('cases.area')} style={{ width: 240 }} />
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!villages.length} data-testid="notices-print">{t('notices.print')}</Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('notices.intro')}</Typography.Paragraph>
      </div>
      <Typography.Title level={3} className="jz-print-title" data-testid="notices-title">{t('notices.printTitle', { area: areaName })}</Typography.Title>
      {data && <Typography.Paragraph type="secondary">{t('notices.asOf', { date: data.asOf })}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} />}
      {!data && !error && <Skeleton active />}
      {data && villages.length === 0 && <Empty description={t('notices.none')} />}
      {villages.map((v) => (
        <section key={v.code} className="jz-notice-village" data-testid={`notice-village-${v.code}`}>
          <Typography.Title level={4} style={{ marginTop: 16 }}>
            {v.township} {v.name} <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 'normal' }}>（{t('notices.count', { n: v.items.length })}）</Typography.Text>
          </Typography.Title>
          <Table<NoticeItem> rowKey="caseId" size="small" bordered pagination={false} dataSource={v.items} columns={columns} />
        </section>
      ))}
      {data && villages.length > 0 && (
        <Typography.Paragraph className="jz-print-only" style={{ marginTop: 24 }}>
          {t('notices.objection')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
