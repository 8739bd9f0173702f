// 本户案件: the cases of one household (every procedure, open and closed) on its page.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import { fmtAt, stateColor } from './format';
import type { CaseListItem, CasePage } from './types';

export default function HouseholdCases({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<CaseListItem[] | null>(null);
  useEffect(() => {
    let live = true;
    call<CasePage>(api.GET('/api/v1/cases', { params: { query: { householdId, pageSize: 100 } } })).then((p) => live && setItems(p.items), () => live && setItems([]));
    return () => {
      live = false;
    };
  }, [householdId]);
  return (
    <Table<CaseListItem>
      rowKey="id"
      size="small"
      loading={items === null}
      dataSource={items ?? []}
      pagination={false}
      locale={{ emptyText: t('cases.none') }}
      data-testid="household-cases"
      columns={[
        { key: 'id', title: '#', render: (_, c) => <Link to={`/cases/${c.id}`}>{t('cases.caseNo', { id: c.id })}</Link> },
        { key: 'workflow', title: t('cases.workflow'), render: (_, c) => pick(c.workflowLabel) },
        { key: 'state', title: t('cases.state'), render: (_, c) => <Tag color={stateColor(c)}>{pick(c.stateLabel)}</Tag> },
        { key: 'year', title: t('cases.openYear'), dataIndex: 'year' },
        { key: 'due', title: t('cases.due'), render: (_, c) => (c.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : c.dueOn ?? '') },
        { key: 'updated', title: t('cases.updated'), render: (_, c) => fmtAt(c.updatedAt) },
      ]}
    />
  );
}
