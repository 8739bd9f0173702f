// 入户调查问卷 (/assessment/:id/survey/:sampleId), for evaluators on a tablet: the household from the
// route sheet, the outcome (completed / not reached), date, size, income, 两不愁三保障 and water, the
// stratum's own question, approval and a note. Saves with PUT (a correction sends the version it
// read); the server's reasons go next to the fields; after saving, the discrepancies with the
// register are listed.
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Breadcrumb, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Row, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import { useSession } from '../session';
import { ProblemNotice } from '../household/ConflictNotice';
import { applyIssues } from '../household/issues';
import { OutcomeTag, useLoad, when } from '../assessment/common';
import { SECURITY_FLAGS, STRATUM_QUESTION, type Discrepancy, type PlanSample, type PlanView, type SampleHousehold, type SampleVillage, type SurveyAnswer, type SurveyView } from '../assessment/types';

type YN = 'yes' | 'no' | undefined;
interface Values {
  outcome?: 'completed' | 'not_reached';
  surveyedOn?: Dayjs | null;
  headName?: string;
  householdSize?: number | null;
  perCapitaIncome?: number | null;
  foodSecure?: YN; clothingSecure?: YN; educationSecure?: YN; medicalSecure?: YN; housingSecure?: YN; waterSecure?: YN;
  exitCorrect?: YN; stillPoor?: YN; omitted?: YN; approves?: YN;
  note?: string;
}
const FIELDS = ['outcome', 'surveyedOn', 'headName', 'householdSize', 'perCapitaIncome', ...SECURITY_FLAGS, 'exitCorrect', 'stillPoor', 'omitted', 'approves', 'note'] as const;
const toYN = (b: boolean | null | undefined): YN => (b === true ? 'yes' : b === false ? 'no' : undefined);
const fromYN = (v: YN): boolean | null => (v === 'yes' ? true : v === 'no' ? false : null);

function valuesOf(s: SurveyView): Values {
  return {
    outcome: s.outcome, surveyedOn: s.surveyedOn ? dayjs(s.surveyedOn) : null, headName: s.headName ?? undefined,
    householdSize: s.householdSize, perCapitaIncome: s.perCapitaIncome,
    foodSecure: toYN(s.foodSecure), clothingSecure: toYN(s.clothingSecure), educationSecure: toYN(s.educationSecure), medicalSecure: toYN(s.medicalSecure),
    housingSecure: toYN(s.housingSecure), waterSecure: toYN(s.waterSecure), exitCorrect: toYN(s.exitCorrect), stillPoor: toYN(s.stillPoor),
    omitted: toYN(s.omitted), approves: toYN(s.approves), note: s.note ?? undefined,
  };
}

function YesNo({ name, label, disabled }: { name: keyof Values; label: string; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={label} data-testid={`q-${name}`}>
        <Radio.Group optionType="button" buttonStyle="solid" size="large" disabled={disabled} options={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }]} />
      </Form.Item>
    </Col>
  );
}

export function DiscrepancyList({ items }: { items: Discrepancy[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Alert type="success" showIcon title={t('assessment.noDiscrepanciesHere')} data-testid="survey-discrepancies" />;
  return (
    <Alert
      type="warning" showIcon data-testid="survey-discrepancies"
      title={t('assessment.discrepanciesFound', { n: items.length })}
      description={<ul style={{ margin: 0, paddingLeft: 18 }}>{items.map((d) => <li key={d.field}>{pick(d.reason)}</li>)}</ul>}
    />
  );
}

export default function AssessmentSurvey() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id: idParam, sampleId: sParam } = useParams();
  const id = Number(idParam);
  const sampleId = Number(sParam);
  const [form] = Form.useForm<Values>();
  const plan = useLoad<PlanView>(() => api.GET('/api/v1/assessment/plans/{id}', { params: { path: { id } } }), [id]);
  const sample = useLoad<PlanSample>(() => api.GET('/api/v1/assessment/plans/{id}/sample', { params: { path: { id }, query: {} } }), [id]);
  const survey = useLoad<SurveyAnswer>(() => api.GET('/api/v1/assessment/plans/{id}/surveys/{sampleId}', { params: { path: { id, sampleId } } }), [id, sampleId]);
  const [saved, setSaved] = useState<SurveyView | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; issues: ApiIssue[]; conflict: boolean } | null>(null);
  const outcome = Form.useWatch('outcome', form);

  const found = useMemo(() => {
    const all: { v: SampleVillage; h: SampleHousehold }[] = [];
    for (const v of sample.data?.villages ?? []) for (const h of v.households) all.push({ v, h });
    const at = all.findIndex((x) => x.h.sampleId === sampleId);
    return at < 0 ? null : { ...all[at]!, next: all[at + 1]?.h.sampleId ?? null, prev: all[at - 1]?.h.sampleId ?? null };
  }, [sample.data, sampleId]);

  // The saved questionnaire (or none) fills the form once it has loaded.
  const current: SurveyView | null = saved ?? (survey.data && survey.data.outcome !== null ? (survey.data as SurveyView) : null);
  useEffect(() => {
    setSaved(null);
    setProblem(null);
  }, [id, sampleId]);
  // The form starts from the saved questionnaire, or empty with today's date.
  const initial = useMemo<Values>(() => (survey.data && survey.data.outcome !== null ? valuesOf(survey.data as SurveyView) : { surveyedOn: dayjs() }), [survey.data]);

  const p = plan.data;
  const isMember = !!p && p.members.some((m) => m.username === me?.user.username);
  const editable = !!p && p.status === 'drawn' && isMember && can('assessment.survey');
  const stratum = found?.h.stratum;
  const own = stratum ? STRATUM_QUESTION[stratum] : null;

  const submit = async () => {
    if (!stratum || !own) return;
    const v = form.getFieldsValue();
    const reached = v.outcome !== 'not_reached';
    const body: Record<string, unknown> = {
      outcome: v.outcome ?? '',
      surveyedOn: v.surveyedOn ? v.surveyedOn.format('YYYY-MM-DD') : '',
      note: v.note?.trim() ? v.note.trim() : null,
    };
    if (reached) {
      Object.assign(body, {
        householdSize: v.householdSize ?? null,
        perCapitaIncome: v.perCapitaIncome ?? null,
        approves: fromYN(v.approves),
        [own]: fromYN(v[own]),
        ...Object.fromEntries(SECURITY_FLAGS.map((f) => [f, fromYN(v[f])])),
        ...(stratum === 'nonRegistered' ? { headName: v.headName?.trim() ? v.headName.trim() : null } : {}),
      });
    }
    if (current) body.version = current.version;
    setBusy(true);
    setProblem(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    try {
      const r = await call<SurveyView>(api.PUT('/api/v1/assessment/plans/{id}/surveys/{sampleId}', { params: { path: { id, sampleId } }, body: body as never }));
      setSaved(r);
      form.setFieldsValue(valuesOf(r));
      message.success(t('assessment.surveySaved'));
    } catch (e) {
      if (e instanceof ApiError) setProblem({ title: pick(e.body), issues: applyIssues(form, e.issues, FIELDS), conflict: e.status === 409 });
      else setProblem({ title: t('common.unexpected'), issues: [], conflict: false });
    } finally {
      setBusy(false);
    }
  };

  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 8 }}
      items={[
        { title: <Link to="/assessment">{t('assessment.title')}</Link> },
        { title: <Link to={`/assessment/${id}?tab=sample`}>{p?.name ?? `#${id}`}</Link> },
        { title: t('assessment.questionnaire') },
      ]}
    />
  );
  const loadError = plan.error ?? sample.error ?? survey.error;
  if (loadError) return <>{crumbs}<Alert type="error" showIcon title={loadError} data-testid="survey-load-error" /></>;
  if (!p || !sample.data || !survey.data) return <>{crumbs}<Skeleton active /></>;
  if (!found) return <>{crumbs}<Alert type="error" showIcon title={t('assessment.noSuchSample', { id: sampleId })} /></>;
  const { v, h } = found;

  return (
    <div data-testid="survey-page" style={{ maxWidth: 880 }}>
      {crumbs}
      <Card size="small" style={{ marginBottom: 12 }} data-testid="survey-household">
        <Space wrap align="center" style={{ marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>{h.headName ?? (h.rosterNo !== null ? t('assessment.rosterNo', { n: h.rosterNo }) : t('assessment.questionnaire'))}</Typography.Title>
          <Tag color="blue">{pick(h.stratumLabel)}</Tag>
          <OutcomeTag outcome={current?.outcome ?? null} />
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('assessment.col.village')}>{v.townshipName} {v.name}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.col.householdNo')}>{h.householdNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.col.group')}>{h.groupName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('assessment.col.size')}>{h.registerSize ?? '—'}</Descriptions.Item>
          {h.rosterNo !== null && <Descriptions.Item label={t('assessment.col.roster')}>{t('assessment.rosterNo', { n: h.rosterNo })}</Descriptions.Item>}
          <Descriptions.Item label={t('assessment.col.order')}>{h.drawOrder}</Descriptions.Item>
          {current && <Descriptions.Item label={t('assessment.enteredBy')}>{current.enteredBy} · {when(current.updatedAt)} · v{current.version}</Descriptions.Item>}
        </Descriptions>
      </Card>

      {!editable && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={p.status !== 'drawn' ? t('assessment.readOnlyStatus', { status: pick(p.statusLabel) }) : t('assessment.readOnlyRole')} />}
      {problem && (
        <div data-testid="survey-problem">
          <ProblemNotice title={problem.title} issues={problem.issues} scroll={false} />
          {problem.conflict && <Button style={{ marginBottom: 12 }} onClick={() => { setSaved(null); survey.reload(); setProblem(null); }}>{t('assessment.reload')}</Button>}
        </div>
      )}

      <Form key={`${sampleId}-${survey.data.outcome === null ? 0 : (survey.data as SurveyView).version}`} form={form} initialValues={initial} layout="vertical" disabled={!editable} data-testid="survey-form" onFinish={() => void submit()}>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="outcome" label={t('assessment.field.outcome')} data-testid="q-outcome">
              <Radio.Group optionType="button" buttonStyle="solid" size="large" options={[{ value: 'completed', label: t('assessment.outcome.completed') }, { value: 'not_reached', label: t('assessment.outcome.not_reached') }]} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="surveyedOn" label={t('assessment.field.surveyedOn')} data-testid="q-surveyedOn">
              <DatePicker size="large" style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} inputReadOnly />
            </Form.Item>
          </Col>
        </Row>
        {outcome !== 'not_reached' && (
          <>
            <Row gutter={16}>
              {stratum === 'nonRegistered' && (
                <Col xs={24} sm={12}>
                  <Form.Item name="headName" label={t('assessment.field.headName')} data-testid="q-headName"><Input size="large" maxLength={50} /></Form.Item>
                </Col>
              )}
              <Col xs={12} sm={6}>
                <Form.Item name="householdSize" label={t('assessment.field.householdSize')} data-testid="q-householdSize">
                  <InputNumber size="large" min={1} max={30} precision={0} inputMode="numeric" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name="perCapitaIncome" label={t('assessment.field.perCapitaIncome')} data-testid="q-perCapitaIncome">
                  <InputNumber size="large" min={-1000000} max={1000000} precision={2} inputMode="decimal" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Title level={5}>{t('assessment.twoThree')}</Typography.Title>
            <Row gutter={16}>
              {SECURITY_FLAGS.map((f) => <YesNo key={f} name={f} label={t(`assessment.field.${f}`)} disabled={!editable} />)}
            </Row>
            <Typography.Title level={5}>{t('assessment.stratumQuestion')}</Typography.Title>
            <Row gutter={16}>
              {own && <YesNo name={own} label={t(`assessment.question.${own}`)} disabled={!editable} />}
              <YesNo name="approves" label={t('assessment.question.approves')} disabled={!editable} />
            </Row>
          </>
        )}
        <Form.Item name="note" label={outcome === 'not_reached' ? t('assessment.notReachedNote') : t('assessment.field.note')} data-testid="q-note">
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        {editable && (
          <Space wrap>
            <Button type="primary" size="large" htmlType="submit" loading={busy} data-testid="survey-save">{current ? t('assessment.saveCorrection') : t('assessment.saveSurvey')}</Button>
            {found.prev !== null && <Button size="large" onClick={() => navigate(`/assessment/${id}/survey/${found.prev}`)}>{t('assessment.prevHousehold')}</Button>}
            {found.next !== null && <Button size="large" onClick={() => navigate(`/assessment/${id}/survey/${found.next}`)} data-testid="survey-next">{t('assessment.nextHousehold')}</Button>}
          </Space>
        )}
      </Form>
      {current && current.outcome === 'completed' && (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t('assessment.tabs.discrepancies')}</Typography.Title>
          <DiscrepancyList items={current.discrepancies} />
        </div>
      )}
    </div>
  );
}
