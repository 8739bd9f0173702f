// The households behind a figure (GET /api/v1/indicators/households), for roles that may read the
// register; each links to its 一户一档.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Drawer, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { STATUS_COLOR } from '../links';
import { fmtIndex, fmtInt, fmtPct, fmtYuan } from './format';
import type { Figure, FigureHouseholds } from './types';

export interface FigureAsk {
  figure: Figure;
  title: string;
}

const SIZE = 20;

export default function HouseholdsDrawer({ area, year, ask, onClose }: { area: string; year: number; ask: FigureAsk | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<FigureHouseholds | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const figure = ask?.figure;

  useEffect(() => setPage(1), [figure, area, year]);
  useEffect(() => {
    if (!figure) return;
    let live = true;
    setLoading(true);
    setError(null);
    call<FigureHouseholds>(api.GET('/api/v1/indicators/households', { params: { query: { area, year, figure, page, size: SIZE } } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [figure, area, year, page, t]);

  const rows = data && data.figure === figure ? data : null;
  return (
    <Drawer open={!!ask} onClose={onClose} size="min(960px, 100vw)" title={ask ? t('measurement.households.title', { figure: ask.title, year }) : ''} destroyOnHidden data-testid="households-drawer">
      {error && <Alert type="error" showIcon title={error} />}
      {rows && (
        <Typography.Paragraph data-testid="households-summary">
          {t('measurement.households.summary', { households: fmtInt(rows.total), people: fmtInt(rows.people) })}
          {rows.line !== null && ` · ${t('measurement.lineUsed')}：${fmtYuan(rows.line)} ${t('measurement.yuan')}`}
        </Typography.Paragraph>
      )}
      <Table
        size="small"
        className="jz-table"
        rowKey={(r) => `${r.countyCode}-${r.id}`}
        loading={loading}
        dataSource={rows?.rows ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: SIZE, total: rows?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          { key: 'no', title: t('measurement.households.no'), render: (_, r) => <Link to={`/households/${r.id}`}>{r.householdNo}</Link> },
          { key: 'head', title: t('measurement.households.head'), dataIndex: 'headName' },
          { key: 'village', title: t('measurement.households.village'), dataIndex: 'villageName' },
          { key: 'status', title: t('measurement.households.status'), render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{t(`status.${r.status}`, { defaultValue: r.status })}</Tag> },
          { key: 'size', title: t('measurement.households.size'), align: 'right', render: (_, r) => fmtInt(r.size) },
          { key: 'income', title: t('measurement.households.income'), align: 'right', render: (_, r) => fmtYuan(r.perCapitaIncome) },
          { key: 'gap', title: t('measurement.households.gap'), align: 'right', render: (_, r) => fmtPct(r.gap) },
          { key: 'score', title: t('measurement.households.score'), align: 'right', render: (_, r) => fmtIndex(r.score) },
        ]}
      />
    </Drawer>
  );
}
