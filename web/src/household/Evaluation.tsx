// 评估: one household's yearly record evaluated by the server (domain/evaluate.ts): the seven checks
// with pass / fail / unknown and their reasons, the identification, exit and risk-elimination
// decisions with their reasons, and every policy value used (value, year and region, source).
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Collapse, Descriptions, List, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone, QuestionCircleTwoTone } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { pick } from '../i18n';
import { fmtMoney } from '../links';
import { ParamList } from '../cases/params';
import type { Decision, HouseholdEvaluation, RuleResult, Status } from '../cases/types';

export function StatusIcon({ status }: { status: Status }) {
  const { t } = useTranslation();
  const label = t(`evaluation.status.${status}`);
  if (status === 'pass') return <CheckCircleTwoTone twoToneColor="#52c41a" aria-label={label} />;
  if (status === 'fail') return <CloseCircleTwoTone twoToneColor="#cf1322" aria-label={label} />;
  return <QuestionCircleTwoTone twoToneColor="#faad14" aria-label={label} />;
}

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Tag color={status === 'pass' ? 'green' : status === 'fail' ? 'red' : 'orange'}>{t(`evaluation.status.${status}`)}</Tag>;
}

/** 符合 / 不符合 / 无法判断. */
export function EligibleTag({ eligible }: { eligible: boolean | null }) {
  const { t } = useTranslation();
  if (eligible === null) return <Tag color="orange" data-testid="eligible-unknown">{t('evaluation.cannotDecide')}</Tag>;
  return eligible ? <Tag color="green" data-testid="eligible-yes">{t('evaluation.eligible')}</Tag> : <Tag color="red" data-testid="eligible-no">{t('evaluation.notEligible')}</Tag>;
}

function Rules({ items, testId }: { items: readonly RuleResult[]; testId?: string }) {
  return (
    <List
      size="small"
      dataSource={[...items]}
      data-testid={testId}
      renderItem={(c) => (
        <List.Item key={c.key} data-testid={testId ? `${testId}-${c.key}` : undefined} data-status={c.status}>
          <List.Item.Meta
            avatar={<span style={{ fontSize: 20 }}><StatusIcon status={c.status} /></span>}
            title={<Space wrap size={4}>{pick(c.label)}<StatusTag status={c.status} /></Space>}
            description={<span style={{ color: 'rgba(0,0,0,0.75)' }}>{pick(c.reason)}</span>}
          />
        </List.Item>
      )}
    />
  );
}

/** A decision (identification, exit, risk elimination, or one computed for a case step). */
export function DecisionView({ decision, title, testId }: { decision: Decision; title?: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={<Space wrap>{title ?? t(`evaluation.decision.${decision.key}`)}<EligibleTag eligible={decision.eligible} /></Space>} data-testid={testId}>
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {decision.reasons.map((r, i) => <li key={i} style={i === 0 ? { fontWeight: 500 } : undefined}>{pick(r)}</li>)}
      </ul>
      {decision.rules.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>{t('evaluation.extraRules')}</Typography.Text>
          <Rules items={decision.rules} />
        </>
      )}
      {decision.params.length > 0 && (
        <Collapse
          ghost
          size="small"
          items={[{ key: 'p', label: t('evaluation.paramsUsed', { n: decision.params.length }), children: <ParamList params={decision.params} /> }]}
        />
      )}
    </Card>
  );
}

/** The evaluation of one household, with a year selector over its yearly records. */
export default function Evaluation({ householdId, years }: { householdId: number; years: readonly number[] }) {
  const { t } = useTranslation();
  const [year, setYear] = useState<number | undefined>(years[years.length - 1]);
  const [data, setData] = useState<HouseholdEvaluation | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (year === undefined) return;
    let live = true;
    setData(null);
    setError(null);
    call<HouseholdEvaluation>(api.GET('/api/v1/households/{id}/evaluation', { params: { path: { id: householdId }, query: { year } } }))
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected')));
    return () => {
      live = false;
    };
  }, [householdId, year, t]);

  if (!years.length) return <Typography.Text type="secondary">{t('year.none')}</Typography.Text>;
  const line = data?.checks.find((c) => c.key === 'income')?.facts.povertyLine;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="evaluation">
      <Space wrap>
        <span id="eval-year">{t('year.year')}</span>
        <Select aria-labelledby="eval-year" value={year} onChange={setYear} options={[...years].reverse().map((y) => ({ value: y, label: String(y) }))} style={{ width: 100 }} data-testid="evaluation-year" />
        {data && <Typography.Text type="secondary">{t('evaluation.asOf', { date: data.asOf })}</Typography.Text>}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {!data && !error && <Skeleton active />}
      {data && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
            <Descriptions.Item label={t('year.perCapitaIncome')}>{data.perCapitaNetIncome === null ? '—' : `${fmtMoney(data.perCapitaNetIncome)} ${t('year.yuan')}`}</Descriptions.Item>
            <Descriptions.Item label={t('year.povertyLine')}>{typeof line === 'number' ? `${fmtMoney(line)} ${t('year.yuan')}` : <Tag color="warning">{t('policy.unknown')}</Tag>}</Descriptions.Item>
          </Descriptions>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('evaluation.checks')}>
                <Rules items={data.checks} testId="check" />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <DecisionView decision={data.identification} testId="decision-identification" />
                <DecisionView decision={data.exit} testId="decision-exit" />
                {data.riskElimination && <DecisionView decision={data.riskElimination} testId="decision-risk" />}
              </Space>
            </Col>
          </Row>
          <Card size="small" title={t('evaluation.allParams')}>
            <ParamList params={data.params} testId="evaluation-params" />
          </Card>
        </>
      )}
    </Space>
  );
}
