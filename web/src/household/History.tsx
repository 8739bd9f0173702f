// The household's change history from the audit log: who, when, which fields from what to what.
import { Empty, Skeleton, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../api/types';

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (Array.isArray(v)) return v.map(show).join('、');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function changes(e: HistoryEntry): { field: string; before: unknown; after: unknown }[] {
  const b = (e.before && typeof e.before === 'object' ? e.before : {}) as Record<string, unknown>;
  const a = (e.after && typeof e.after === 'object' ? e.after : {}) as Record<string, unknown>;
  if (e.action !== 'update') return [];
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !['version', 'updatedAt', 'createdAt', 'id', 'householdId'].includes(k));
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ field: k, before: b[k], after: a[k] }));
}

export default function History({ items }: { items: HistoryEntry[] | null }) {
  const { t } = useTranslation();
  if (!items) return <Skeleton active />;
  if (!items.length) return <Empty description={t('history.empty')} />;
  return (
    <Table<HistoryEntry>
      rowKey="id"
      size="small"
      data-testid="history-table"
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      dataSource={items}
      scroll={{ x: 800 }}
      columns={[
        { key: 'at', title: t('history.at'), dataIndex: 'at', width: 170, render: (v: string) => new Date(v).toLocaleString('zh-CN', { hour12: false }) },
        { key: 'actor', title: t('history.actor'), dataIndex: 'actorName', width: 140 },
        { key: 'action', title: t('history.action'), width: 140, render: (_: unknown, e) => <Tag>{t(`history.actions.${e.action}`, { defaultValue: e.action })} · {t(`history.entities.${e.entity}`, { defaultValue: e.entity })}</Tag> },
        {
          key: 'what', title: t('history.what'),
          render: (_: unknown, e) => {
            const c = changes(e);
            if (!c.length) return e.entity === 'household_years' && e.entityId ? t('history.yearRecord', { year: e.entityId.split(':')[1] ?? '' }) : '';
            return (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {c.map((x) => (
                  <li key={x.field}>
                    {t(`fields.${x.field}`, { defaultValue: x.field })}: {show(x.before)} → <strong>{show(x.after)}</strong>
                  </li>
                ))}
              </ul>
            );
          },
        },
      ]}
    />
  );
}
