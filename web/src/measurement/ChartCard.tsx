// One chart with its table and a CSV download of that table. The table is the chart's text
// alternative too: the chart's aria description says so.
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { Button, Card, Empty, Skeleton, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { EChartsCoreOption } from 'echarts/core';
import type { ChartClick } from '../charts/EChart';
import { downloadCsv } from './csv';
import { plain, show, type Kind } from './format';

const EChart = lazy(() => import('./MeasureChart'));

export interface Col<R> {
  key: string;
  title: string;
  kind: Kind;
  value: (r: R) => string | number | null | undefined;
  /** the cell as shown (a link, a tag); the CSV keeps the plain value */
  render?: (r: R, text: string) => ReactNode;
  sorter?: boolean;
}

export interface ChartCardProps<R> {
  id: string;
  title: string;
  /** one sentence for screen readers, beside the title */
  description: string;
  option: EChartsCoreOption | null;
  height?: number;
  onClick?: (p: ChartClick) => void;
  rows: R[];
  cols: Col<R>[];
  rowKey: (r: R) => string;
  file: string;
  extra?: ReactNode;
  note?: ReactNode;
  pageSize?: number;
}

export default function ChartCard<R>({ id, title, description, option, height = 320, onClick, rows, cols, rowKey, file, extra, note, pageSize = 20 }: ChartCardProps<R>) {
  const { t } = useTranslation();
  const headingId = `chart-${id}-title`;
  const label = `${title}：${description}`;
  // ECharts' aria option writes this description onto the chart's element (its aria-label).
  const withAria = useMemo(() => (option ? { ...option, aria: { enabled: true, label: { description: label } } } : null), [option, label]);
  const download = () => downloadCsv(file, cols.map((c) => c.title), rows.map((r) => cols.map((c) => plain(c.kind, c.value(r)))));
  const columns: ColumnsType<R> = cols.map((c) => ({
    key: c.key,
    title: c.title,
    align: c.kind === 'text' ? 'left' : 'right',
    render: (_: unknown, r: R) => {
      const text = show(c.kind, c.value(r));
      return c.render ? c.render(r, text) : text;
    },
    sorter: c.sorter
      ? (a: R, b: R) => {
        const x = c.value(a);
        const y = c.value(b);
        if (c.kind === 'text') return String(x ?? '').localeCompare(String(y ?? ''), 'zh-CN');
        return (x === null || x === undefined ? -Infinity : Number(x)) - (y === null || y === undefined ? -Infinity : Number(y));
      }
      : undefined,
  }));
  return (
    <Card
      size="small"
      data-testid={`card-${id}`}
      title={<Typography.Title level={3} id={headingId} style={{ margin: 0, fontSize: 15 }}>{title}</Typography.Title>}
      extra={
        <Space wrap>
          {extra}
          <Button size="small" icon={<DownloadOutlined />} onClick={download} disabled={rows.length === 0} data-testid={`download-${id}`} aria-label={t('measurement.downloadOf', { title })}>
            {t('measurement.download')}
          </Button>
        </Space>
      }
    >
      <section aria-labelledby={headingId}>
        {note}
        {withAria && rows.length > 0 ? (
          <Suspense fallback={<Skeleton active />}>
            <EChart label={label} option={withAria} height={height} onClick={onClick} />
          </Suspense>
        ) : (
          <Empty description={t('measurement.noData')} />
        )}
        {rows.length > 0 && (
          <Table<R>
            size="small"
            className="jz-table"
            style={{ marginTop: 8 }}
            data-testid={`table-${id}`}
            rowKey={rowKey}
            dataSource={rows}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={rows.length > pageSize ? { pageSize, showSizeChanger: false, size: 'small' } : false}
          />
        )}
      </section>
    </Card>
  );
}
