// The ranked scorecard table: rank, unit, composite, the six indicator scores (each with its
// numerator and denominator under it, the indicator's explanation on its header), the weight the
// composite stands on. Every column sorts; rows without a score sort last. A click picks the row
// whose trend is drawn below.
import { Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { pick } from '../i18n';
import { INDICATOR_KEYS, fmt2, type IndicatorInfo, type IndicatorKey, type Level, type ScorecardRow } from './types';

/** Ascending with nulls last whichever way the column is sorted. */
function byNumber(get: (r: ScorecardRow) => number | null) {
  return (a: ScorecardRow, b: ScorecardRow, order?: 'ascend' | 'descend' | null) => {
    const x = get(a);
    const y = get(b);
    if (x === null && y === null) return 0;
    if (x === null) return order === 'descend' ? -1 : 1;
    if (y === null) return order === 'descend' ? 1 : -1;
    return x - y;
  };
}

function Fraction({ k, r }: { k: IndicatorKey; r: ScorecardRow }) {
  const v = r.indicators[k];
  const detail = k === 'visits'
    ? `${v.numerator} / ${v.extra.households ?? 0}×${fmt2(v.extra.months ?? 0)}`
    : `${v.numerator} / ${v.denominator}`;
  return (
    <div className="jz-score" data-testid={`score-${k}`}>
      <span>{fmt2(v.score)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 11, display: 'block' }}>{detail}</Typography.Text>
    </div>
  );
}

export default function ScoreTable({ level, rows, indicators, selected, onSelect, loading }: {
  level: Level;
  rows: ScorecardRow[] | undefined;
  indicators: IndicatorInfo[];
  selected: string | null;
  onSelect: (r: ScorecardRow) => void;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const info = (k: IndicatorKey) => indicators.find((i) => i.key === k);
  const columns: ColumnsType<ScorecardRow> = [
    {
      key: 'rank', title: t('scorecards.col.rank'), dataIndex: 'rank', width: 70, align: 'right', fixed: 'left',
      sorter: byNumber((r) => r.rank), defaultSortOrder: 'ascend', render: (v: number | null) => <strong data-testid="row-rank">{v ?? '—'}</strong>,
    },
    {
      key: 'name', title: t(`scorecards.col.name.${level}`), fixed: 'left',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh'),
      render: (_, r) => (
        <span data-testid="row-name">
          {r.name}
          <Typography.Text type="secondary" style={{ fontSize: 11, display: 'block' }}>{level === 'cadre' ? r.parentName : r.code}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'composite', title: t('scorecards.col.composite'), dataIndex: 'composite', align: 'right',
      sorter: byNumber((r) => r.composite), render: (v: number | null) => <strong data-testid="row-composite">{fmt2(v)}</strong>,
    },
    ...INDICATOR_KEYS.map((k) => ({
      key: k,
      title: (
        <Tooltip title={info(k) ? `${pick(info(k)!.description)}（${pick(info(k)!.scoring)}）` : ''}>
          <span>{info(k) ? pick(info(k)!.label) : k}<Typography.Text type="secondary" style={{ fontSize: 11, display: 'block' }}>{t('scorecards.col.weight', { w: info(k)?.weight ?? 0 })}</Typography.Text></span>
        </Tooltip>
      ),
      align: 'right' as const,
      sorter: byNumber((r) => r.indicators[k].score),
      render: (_: unknown, r: ScorecardRow) => <Fraction k={k} r={r} />,
    })),
    {
      key: 'weight', title: t('scorecards.col.weightCovered'), dataIndex: 'weightCovered', align: 'right',
      sorter: byNumber((r) => r.weightCovered),
    },
  ];
  return (
    <Table<ScorecardRow>
      rowKey="key" size="small" loading={loading} dataSource={rows} columns={columns} scroll={{ x: 'max-content' }} className="jz-table"
      data-testid="scorecard-table" pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
      rowClassName={(r) => (r.key === selected ? 'ant-table-row-selected' : '')}
      onRow={(r) => ({ onClick: () => onSelect(r), style: { cursor: 'pointer' } })}
      locale={{ emptyText: t('scorecards.empty') }}
    />
  );
}
