// The four calculator forms. Each posts to /api/v1/calculators/<kind>, which does all the arithmetic
// and names any missing parameter; the form only collects the input and shows the result.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, Col, Collapse, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, type ApiIssue } from '../api/client';
import type { paths } from '../api/schema';
import { pick } from '../i18n';
import ResultView, { Issues, type CalcResult } from './Result';

type Kind = 'medical' | 'education' | 'ecology' | 'solar';
type Body<K extends Kind> = paths[`/api/v1/calculators/${K}`]['post']['requestBody']['content']['application/json'];

const THIS_YEAR = new Date().getFullYear();

function useCalc<K extends Kind>(kind: K) {
  const { t } = useTranslation();
  const [result, setResult] = useState<CalcResult | null>(null);
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (body: Body<K>) => {
    setBusy(true);
    setIssues([]);
    setError(null);
    try {
      // One call per kind keeps openapi-fetch's path typing.
      const p = kind === 'medical' ? api.POST('/api/v1/calculators/medical', { body: body as Body<'medical'> })
        : kind === 'education' ? api.POST('/api/v1/calculators/education', { body: body as Body<'education'> })
          : kind === 'ecology' ? api.POST('/api/v1/calculators/ecology', { body: body as Body<'ecology'> })
            : api.POST('/api/v1/calculators/solar', { body: body as Body<'solar'> });
      setResult(await call<CalcResult>(p));
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError && e.issues.length) setIssues(e.issues);
      else setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <div style={{ marginTop: 16 }}>
      <Issues issues={issues} />
      {error && <Alert type="error" showIcon title={error} />}
      {result && <ResultView result={result} />}
    </div>
  );
  return { submit, busy, view };
}

/** Year and area, shared by every form. */
function Where() {
  const { t } = useTranslation();
  return (
    <Row gutter={16}>
      <Col xs={24} sm={8}>
        <Form.Item name="year" label={t('calc.year')} rules={[{ required: true, message: t('calc.required') }]}>
          <InputNumber min={2000} max={2100} style={{ width: '100%' }} data-testid="calc-year" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={16}>
        <Form.Item name="area" label={t('calc.area')} extra={t('calc.areaHelp')}>
          <Input allowClear placeholder={t('calc.areaPlaceholder')} data-testid="calc-area" />
        </Form.Item>
      </Col>
    </Row>
  );
}

function Explain({ children }: { children: ReactNode }) {
  return <Typography.Paragraph type="secondary" className="jz-calc-explain">{children}</Typography.Paragraph>;
}

const money = { min: 0, max: 1_000_000_000, precision: 2, style: { width: '100%' } } as const;
const clean = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

// --- medical ------------------------------------------------------------------------------------

interface MedicalForm {
  year: number;
  area?: string;
  person: 'poor' | 'general';
  total: number;
  eligible?: number;
  used?: Record<'basic' | 'critical' | 'assistance', { paid?: number; deductibleMet?: number } | undefined>;
}

export function MedicalCalc() {
  const { t } = useTranslation();
  const { submit, busy, view } = useCalc('medical');
  const onFinish = (v: MedicalForm) => void submit(clean({
    year: v.year,
    area: v.area || undefined,
    person: v.person,
    bill: clean({ total: v.total, eligible: v.eligible ?? undefined }) as Body<'medical'>['bill'],
    used: v.used ? Object.fromEntries(Object.entries(v.used).map(([k, u]) => [k, clean({ ...(u ?? {}) })])) : undefined,
  }) as Body<'medical'>);
  return (
    <Card>
      <Explain>{t('calc.medical.explain')}</Explain>
      <Form<MedicalForm> layout="vertical" initialValues={{ year: THIS_YEAR, person: 'poor' }} onFinish={onFinish} data-testid="form-medical">
        <Where />
        <Form.Item name="person" label={t('calc.medical.person')}>
          <Radio.Group options={[{ value: 'poor', label: t('calc.medical.poor') }, { value: 'general', label: t('calc.medical.general') }]} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="total" label={t('calc.medical.total')} rules={[{ required: true, message: t('calc.required') }]}>
              <InputNumber {...money} data-testid="medical-total" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="eligible" label={t('calc.medical.eligible')} extra={t('calc.medical.eligibleHelp')}>
              <InputNumber {...money} data-testid="medical-eligible" />
            </Form.Item>
          </Col>
        </Row>
        <Collapse
          size="small"
          style={{ marginBottom: 16 }}
          items={[{
            key: 'used',
            label: t('calc.medical.used'),
            children: (['basic', 'critical', 'assistance'] as const).map((l) => (
              <Row gutter={16} key={l}>
                <Col xs={24} sm={12}>
                  <Form.Item name={['used', l, 'deductibleMet']} label={t('calc.medical.deductibleMet', { layer: t(`calc.medical.layer.${l}`) })}>
                    <InputNumber {...money} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name={['used', l, 'paid']} label={t('calc.medical.paid', { layer: t(`calc.medical.layer.${l}`) })}>
                    <InputNumber {...money} />
                  </Form.Item>
                </Col>
              </Row>
            )),
          }]}
        />
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit-medical">{t('calc.compute')}</Button>
      </Form>
      {view}
    </Card>
  );
}

// --- education ----------------------------------------------------------------------------------

const STAGES = ['primary', 'lower_secondary', 'upper_secondary', 'vocational', 'yulu'] as const;

interface EducationForm {
  year: number;
  area?: string;
  students: { name?: string; stage: (typeof STAGES)[number]; boarding?: boolean }[];
}

export function EducationCalc() {
  const { t } = useTranslation();
  const { submit, busy, view } = useCalc('education');
  const [form] = Form.useForm<EducationForm>();
  const onFinish = (v: EducationForm) => void submit(clean({
    year: v.year,
    area: v.area || undefined,
    students: (v.students ?? []).map((s) => clean({ name: s.name, stage: s.stage, boarding: s.stage === 'primary' || s.stage === 'lower_secondary' ? Boolean(s.boarding) : undefined })),
  }) as Body<'education'>);
  return (
    <Card>
      <Explain>{t('calc.education.explain')}</Explain>
      <Form<EducationForm> form={form} layout="vertical" initialValues={{ year: THIS_YEAR, students: [{ stage: 'primary', boarding: true }] }} onFinish={onFinish} data-testid="form-education">
        <Where />
        <Form.List name="students">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'name']} label={t('calc.education.name')}>
                    <Input style={{ width: 140 }} maxLength={50} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'stage']} label={t('calc.education.stage')}>
                    <Select style={{ width: 180 }} options={STAGES.map((s) => ({ value: s, label: t(`calc.education.stages.${s}`) }))} data-testid={`education-stage-${f.name}`} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const stage = form.getFieldValue(['students', f.name, 'stage']) as string | undefined;
                      return stage === 'primary' || stage === 'lower_secondary' ? (
                        <Form.Item name={[f.name, 'boarding']} label={t('calc.education.boarding')} valuePropName="checked">
                          <Switch data-testid={`education-boarding-${f.name}`} />
                        </Form.Item>
                      ) : <Typography.Text type="secondary">{t('calc.education.noBoarding')}</Typography.Text>;
                    }}
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined aria-label={t('calc.remove')} onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add({ stage: 'primary', boarding: false })} icon={<PlusOutlined />} disabled={fields.length >= 20} data-testid="education-add">
                  {t('calc.education.add')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit-education">{t('calc.compute')}</Button>
      </Form>
      {view}
    </Card>
  );
}

// --- ecology ------------------------------------------------------------------------------------

const PROGRAMMES = ['forest', 'grass', 'public_forest', 'ranger'] as const;

interface EcologyForm {
  year: number;
  area?: string;
  programme: (typeof PROGRAMMES)[number];
  mu?: number;
  startYear?: number;
  rangers?: number;
  months?: number;
}

export function EcologyCalc() {
  const { t } = useTranslation();
  const { submit, busy, view } = useCalc('ecology');
  const [form] = Form.useForm<EcologyForm>();
  const programme = Form.useWatch('programme', form) ?? 'forest';
  const onFinish = (v: EcologyForm) => {
    const plot = v.programme === 'forest' || v.programme === 'grass';
    void submit(clean({
      year: v.year,
      area: v.area || undefined,
      programme: v.programme,
      mu: v.programme !== 'ranger' ? v.mu : undefined,
      startYear: plot ? v.startYear : undefined,
      rangers: v.programme === 'ranger' ? v.rangers : undefined,
      months: v.programme === 'ranger' ? v.months : undefined,
    }) as Body<'ecology'>);
  };
  return (
    <Card>
      <Explain>{t('calc.ecology.explain')}</Explain>
      <Form<EcologyForm> form={form} layout="vertical" initialValues={{ year: THIS_YEAR, programme: 'forest', startYear: THIS_YEAR, rangers: 1, months: 12 }} onFinish={onFinish} data-testid="form-ecology">
        <Where />
        <Form.Item name="programme" label={t('calc.ecology.programme')}>
          <Radio.Group options={PROGRAMMES.map((p) => ({ value: p, label: t(`calc.ecology.programmes.${p}`) }))} data-testid="ecology-programme" />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t(`calc.ecology.about.${programme}`)}</Typography.Paragraph>
        <Row gutter={16}>
          {programme !== 'ranger' && (
            <Col xs={24} sm={12}>
              <Form.Item name="mu" label={t('calc.ecology.mu')} rules={[{ required: true, message: t('calc.required') }]}>
                <InputNumber min={0} max={10_000_000} precision={2} style={{ width: '100%' }} data-testid="ecology-mu" />
              </Form.Item>
            </Col>
          )}
          {(programme === 'forest' || programme === 'grass') && (
            <Col xs={24} sm={12}>
              <Form.Item name="startYear" label={t('calc.ecology.startYear')} extra={t('calc.ecology.startYearHelp')}>
                <InputNumber min={2000} max={2100} style={{ width: '100%' }} data-testid="ecology-start" />
              </Form.Item>
            </Col>
          )}
          {programme === 'ranger' && (
            <>
              <Col xs={24} sm={12}>
                <Form.Item name="rangers" label={t('calc.ecology.rangers')}><InputNumber min={1} max={100_000} precision={0} style={{ width: '100%' }} /></Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="months" label={t('calc.ecology.months')}><InputNumber min={1} max={12} precision={0} style={{ width: '100%' }} /></Form.Item>
              </Col>
            </>
          )}
        </Row>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit-ecology">{t('calc.compute')}</Button>
      </Form>
      {view}
    </Card>
  );
}

// --- solar --------------------------------------------------------------------------------------

const PURPOSES = ['jobs', 'works', 'rewards', 'subsidies'] as const;

interface SolarForm {
  year: number;
  area?: string;
  quarter: number;
  village?: string;
  revenue: number;
  capacityKw?: number;
  shares: Partial<Record<(typeof PURPOSES)[number], number>>;
  noLabourFactor?: number;
  recipients: { name: string; purpose: (typeof PURPOSES)[number]; weight?: number; noLabour?: boolean }[];
}

export function SolarCalc() {
  const { t } = useTranslation();
  const { submit, busy, view } = useCalc('solar');
  const onFinish = (v: SolarForm) => void submit(clean({
    year: v.year,
    area: v.area || undefined,
    quarter: v.quarter,
    village: v.village || undefined,
    revenue: v.revenue,
    capacityKw: v.capacityKw ?? undefined,
    shares: clean({ ...v.shares }),
    noLabourFactor: v.noLabourFactor ?? undefined,
    recipients: (v.recipients ?? []).map((r) => clean({ name: r.name ?? '', purpose: r.purpose, weight: r.weight ?? undefined, noLabour: Boolean(r.noLabour) })),
  }) as Body<'solar'>);
  return (
    <Card>
      <Explain>{t('calc.solar.explain')}</Explain>
      <Form<SolarForm>
        layout="vertical"
        initialValues={{ year: THIS_YEAR, quarter: 1, shares: { jobs: 60, works: 20, rewards: 10, subsidies: 10 }, noLabourFactor: 1, recipients: [{ name: '', purpose: 'jobs', weight: 1 }] }}
        onFinish={onFinish}
        data-testid="form-solar"
      >
        <Where />
        <Row gutter={16}>
          <Col xs={12} sm={6}><Form.Item name="quarter" label={t('calc.solar.quarter')}><Select options={[1, 2, 3, 4].map((q) => ({ value: q, label: t('calc.solar.q', { q }) }))} /></Form.Item></Col>
          <Col xs={12} sm={6}><Form.Item name="village" label={t('calc.solar.village')}><Input maxLength={100} /></Form.Item></Col>
          <Col xs={12} sm={6}>
            <Form.Item name="revenue" label={t('calc.solar.revenue')} rules={[{ required: true, message: t('calc.required') }]}><InputNumber {...money} data-testid="solar-revenue" /></Form.Item>
          </Col>
          <Col xs={12} sm={6}><Form.Item name="capacityKw" label={t('calc.solar.capacity')}><InputNumber min={0} max={100_000} precision={2} style={{ width: '100%' }} /></Form.Item></Col>
        </Row>
        <div><Typography.Text strong>{t('calc.solar.shares')}</Typography.Text></div>
        <Row gutter={16}>
          {PURPOSES.map((p) => (
            <Col xs={12} sm={6} key={p}>
              <Form.Item name={['shares', p]} label={t(`calc.solar.purposes.${p}`)}><InputNumber min={0} max={100} precision={2} addonAfter="%" style={{ width: '100%' }} data-testid={`solar-share-${p}`} /></Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="noLabourFactor" label={t('calc.solar.factor')} extra={t('calc.solar.factorHelp')}>
          <InputNumber min={1} max={10} precision={2} />
        </Form.Item>
        <div style={{ marginBottom: 8 }}><Typography.Text strong>{t('calc.solar.recipients')}</Typography.Text></div>
        <Form.List name="recipients">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'name']} label={t('calc.solar.name')}><Input style={{ width: 160 }} maxLength={100} data-testid={`solar-name-${f.name}`} /></Form.Item>
                  <Form.Item name={[f.name, 'purpose']} label={t('calc.solar.purpose')}>
                    <Select style={{ width: 160 }} options={PURPOSES.map((p) => ({ value: p, label: t(`calc.solar.purposes.${p}`) }))} data-testid={`solar-purpose-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'weight']} label={t('calc.solar.weight')}><InputNumber min={0} max={1_000_000} precision={2} style={{ width: 100 }} /></Form.Item>
                  <Form.Item name={[f.name, 'noLabour']} valuePropName="checked" label=" "><Checkbox>{t('calc.solar.noLabour')}</Checkbox></Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined aria-label={t('calc.remove')} onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add({ name: '', purpose: 'subsidies', weight: 1 })} icon={<PlusOutlined />} disabled={fields.length >= 500} data-testid="solar-add">
                  {t('calc.solar.add')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="calc-submit-solar">{t('calc.compute')}</Button>
      </Form>
      {view}
    </Card>
  );
}
