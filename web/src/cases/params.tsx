// Showing policy values: the 未知 warning, and the parameters a check, decision or step used
// (value, the year and region of the row, its source), each linking to the policy page.
import { Link } from 'react-router';
import { Table, Tag, Tooltip, Typography } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { pick } from '../i18n';
import { fmtMoney } from '../links';

/** A parameter value as a decision stored it (domain ResolvedParam). */
export interface ResolvedParam {
  key: string;
  value: number | null;
  year: number;
  region: string;
  source: string;
}

/** 未知 · 请录入: a parameter row whose value nobody has entered. */
export function UnknownValue() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('policy.unknownHelp')}>
      <Tag color="warning" icon={<WarningOutlined />} data-testid="policy-unknown">{t('policy.unknown')} · {t('policy.enterIt')}</Tag>
    </Tooltip>
  );
}

export function PolicyValue({ value, unit }: { value: number | null; unit?: { zh: string; en: string } }) {
  if (value === null) return <UnknownValue />;
  return <span><strong>{fmtMoney(value)}</strong>{unit ? ` ${pick(unit)}` : ''}</span>;
}

export function regionText(region: string, t: (k: string) => string): string {
  if (region === '') return t('policy.national');
  if (region === '15') return t('policy.innerMongolia');
  return region;
}

/** The parameters used, as a small table. */
export function ParamList({ params, testId }: { params: readonly ResolvedParam[]; testId?: string }) {
  const { t } = useTranslation();
  if (!params.length) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Table<ResolvedParam>
      size="small"
      pagination={false}
      rowKey={(p) => `${p.key}|${p.year}|${p.region}|${p.value}`}
      dataSource={[...params]}
      scroll={{ x: 'max-content' }}
      data-testid={testId}
      columns={[
        { key: 'key', title: t('policy.parameter'), render: (_, p) => <Link to={`/policy?key=${encodeURIComponent(p.key)}`} className="jz-mono">{p.key}</Link> },
        { key: 'value', title: t('policy.value'), align: 'right', render: (_, p) => (p.value === null ? <UnknownValue /> : <strong>{fmtMoney(p.value)}</strong>) },
        { key: 'from', title: t('policy.yearFrom'), render: (_, p) => t('policy.from', { year: p.year, region: regionText(p.region, t) }) },
        { key: 'source', title: t('policy.source'), dataIndex: 'source', render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0, maxWidth: 360, minWidth: 160 }}>{v}</Typography.Paragraph> },
      ]}
    />
  );
}
