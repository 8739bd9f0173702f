// One calculator result: what is missing (named, with a link to the policy page), each line with its
// amount and arithmetic, the parameters it read (key, value, year, region, source) when expanded,
// the totals and the notes.
import { Alert, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { paths } from '../api/schema';
import { pick } from '../i18n';
import type { ApiIssue } from '../api/client';

export type CalcResult = paths['/api/v1/calculators/medical']['post']['responses'][200]['content']['application/json'];
type Line = CalcResult['lines'][number];
type Param = Line['params'][number];

export const fmtYuan = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function regionText(t: (k: string, o?: Record<string, unknown>) => string, region: string): string {
  if (region === '') return t('calc.region.national');
  return region.length === 2 ? t('calc.region.province', { code: region }) : t('calc.region.county', { code: region });
}

function ParamList({ params }: { params: Param[] }) {
  const { t } = useTranslation();
  if (!params.length) return <Typography.Text type="secondary">{t('calc.noParams')}</Typography.Text>;
  return (
    <ul className="jz-calc-params">
      {params.map((p) => (
        <li key={`${p.key}|${p.year}|${p.region}`} data-testid={`param-${p.key}`}>
          <Typography.Text code>{p.key}</Typography.Text> = {p.value === null ? t('calc.unknownValue') : p.value}
          {' · '}{t('calc.paramFrom', { year: p.year, region: regionText(t, p.region) })}
          <br />
          <Typography.Text type="secondary">{t('calc.source')}：{p.source}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

const STATUS_COLOR: Record<Line['status'], string> = { ok: 'green', missing: 'red', not_applicable: 'default', warning: 'orange' };

export function Issues({ issues }: { issues: ApiIssue[] }) {
  const { t } = useTranslation();
  if (!issues.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="calc-issues"
      title={t('calc.badInput')}
      description={<ul style={{ margin: 0 }}>{issues.map((i, k) => <li key={k}><Typography.Text code>{i.field}</Typography.Text> {pick(i)}</li>)}</ul>}
    />
  );
}

export default function ResultView({ result }: { result: CalcResult }) {
  const { t } = useTranslation();
  return (
    <div data-testid="calc-result" data-complete={String(result.complete)}>
      {result.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="calc-missing"
          title={t('calc.missingTitle')}
          description={
            <>
              <ul style={{ margin: 0 }}>{result.missing.map((m) => <li key={`${m.key}|${m.year}`}>{pick(m.reason)}</li>)}</ul>
              <Link to="/policy">{t('calc.toPolicy')}</Link>
            </>
          }
        />
      )}
      <Table<Line>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={result.lines}
        expandable={{ expandedRowRender: (l) => <ParamList params={l.params} />, rowExpandable: () => true }}
        columns={[
          { key: 'label', title: t('calc.item'), render: (_, l) => pick(l.label) },
          { key: 'amount', title: t('calc.amount'), align: 'right', render: (_, l) => <span data-testid={`amount-${l.key}`}>{fmtYuan(l.amount)}</span> },
          { key: 'status', title: t('calc.status'), render: (_, l) => <Tag color={STATUS_COLOR[l.status]}>{t(`calc.lineStatus.${l.status}`)}</Tag> },
          { key: 'formula', title: t('calc.formula'), render: (_, l) => <span data-testid={`formula-${l.key}`}>{pick(l.formula)}</span> },
        ]}
      />
      <Card size="small" style={{ marginTop: 16 }}>
        <Descriptions column={1} size="small">
          {result.totals.map((x) => (
            <Descriptions.Item key={x.key} label={pick(x.label)}>
              <Typography.Text strong data-testid={`total-${x.key}`}>{fmtYuan(x.amount)}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 12 }}>{pick(x.formula)}</Typography.Text>
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {result.notes.length > 0 && (
        <ul className="jz-calc-notes">{result.notes.map((n, i) => <li key={i}><Typography.Text type="secondary">{pick(n)}</Typography.Text></li>)}</ul>
      )}
    </div>
  );
}
