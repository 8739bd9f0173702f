// One step of a case: a form generated from the step's field definitions (text, date, code, an
// evaluation computed by the server and shown read-only), the upload of the attachment kinds it
// requires, and the server's answer: field reasons on the fields, every other reason listed in
// full, a stale step (someone acted first) explained with a reload.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call, fileForm } from '../api/client';
import { pick } from '../i18n';
import { DecisionView } from '../household/Evaluation';
import type { AllowedAction, CaseAttachment, Decision, FieldDef, HouseholdEvaluation } from './types';
import { isStale, refusalsOf } from './types';

export interface StepTarget {
  caseId: number;
  seq: number;
  action: AllowedAction;
  /** For an evaluation field: the household and year the server evaluates (a monitoring case's own facts included). */
  householdId: number;
  year: number | null;
  monitoring: boolean;
}

interface Facts {
  monthsAboveThreshold?: number | null;
  rigidExpensesResolved?: boolean | null;
}

type Reason = { zh: string; en: string; field?: string; code?: string };

interface Uploaded {
  kind: string;
  attachment: CaseAttachment;
}

function today(): string {
  // The day in China time, like the server (dates may not be later than today).
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The server's refusal reasons in full (409 / 403 / 400 without a field of this form). */
export function Reasons({ title, reasons, testId }: { title: string; reasons: readonly { zh: string; en: string }[]; testId?: string }) {
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={title}
      data-testid={testId}
      description={reasons.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{reasons.map((r, i) => <li key={i}>{pick(r)}</li>)}</ul> : undefined}
    />
  );
}

export default function ActionForm({ target, onClose, onDone, onReload }: {
  target: StepTarget | null;
  onClose: () => void;
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [uploads, setUploads] = useState<Uploaded[]>([]);
  const [uploadErrors, setUploadErrors] = useState<Record<string, string[]>>({});
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ title: string; reasons: Reason[] } | null>(null);
  const [stale, setStale] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [facts, setFacts] = useState<Facts>({});
  const [preview, setPreview] = useState<{ decision: Decision | null; error: string | null } | null>(null);
  const a = target?.action;
  const evalField = a?.fields.find((f) => f.kind === 'evaluation');
  const riskElimination = evalField?.evaluationKey === 'risk_elimination';

  // Cleared on closing too, so a step opened again never shows (or sends) the uploads and reasons
  // of an earlier attempt, not even for the first render.
  useEffect(() => {
    form.resetFields();
    setUploads([]);
    setUploadErrors({});
    setProblem(null);
    setStale(false);
    setFieldErrors({});
    setFacts({});
  }, [target, form]);

  // The evaluation the server will compute when the step is taken, shown read-only beforehand.
  useEffect(() => {
    if (!target || !evalField) {
      setPreview(null);
      return;
    }
    let live = true;
    setPreview(null);
    const query = {
      ...(target.year ? { year: target.year } : {}),
      ...(target.monitoring ? { caseId: target.caseId } : {}),
      ...(facts.monthsAboveThreshold !== undefined && facts.monthsAboveThreshold !== null ? { monthsAboveThreshold: facts.monthsAboveThreshold } : {}),
      ...(facts.rigidExpensesResolved !== undefined && facts.rigidExpensesResolved !== null ? { rigidExpensesResolved: facts.rigidExpensesResolved } : {}),
    };
    call<HouseholdEvaluation>(api.GET('/api/v1/households/{id}/evaluation', { params: { path: { id: target.householdId }, query: query as never } }))
      .then((ev) => {
        if (!live) return;
        const k = evalField.evaluationKey;
        setPreview({ decision: k === 'risk_elimination' ? ev.riskElimination : k === 'exit' ? ev.exit : ev.identification, error: null });
      })
      .catch((e) => live && setPreview({ decision: null, error: e instanceof ApiError ? [pick(e.body), ...e.issues.map(pick)].join('；') : t('common.unexpected') }));
    return () => {
      live = false;
    };
  }, [target, evalField, facts, t]);

  const upload = async (kind: string, file: File) => {
    if (!target) return;
    try {
      const att = await call<CaseAttachment>(api.POST('/api/v1/cases/{id}/attachments', {
        params: { path: { id: target.caseId }, query: { kind } },
        body: fileForm(file, file.name) as never,
        bodySerializer: (b: unknown) => b as FormData,
      }));
      setUploads((old) => [...old, { kind, attachment: att }]);
      setUploadErrors((old) => ({ ...old, [kind]: [] }));
      message.success(t('cases.uploaded', { name: file.name }));
    } catch (e) {
      const reason = e instanceof ApiError ? [pick(e.body), ...e.issues.map(pick)].join('；') : t('common.unexpected');
      setUploadErrors((old) => ({ ...old, [kind]: [t('cases.uploadFailed', { reason })] }));
    }
  };

  const fieldNames = (a?.fields ?? []).map((f) => f.key);

  const submit = async () => {
    if (!target || !a) return;
    const values = form.getFieldsValue() as Record<string, unknown>;
    const input: Record<string, unknown> = {};
    for (const f of a.fields) {
      // An evaluation is computed by the server when the step is taken; it is never sent.
      if (f.kind === 'evaluation') continue;
      const v = values[f.key];
      if (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null) input[f.key] = typeof v === 'string' ? v.trim() : v;
    }
    const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
    setSaving(true);
    setProblem(null);
    setStale(false);
    setFieldErrors({});
    form.setFields(fieldNames.map((name) => ({ name, errors: [] })));
    setUploadErrors({});
    try {
      await call(api.POST('/api/v1/cases/{id}/actions', {
        params: { path: { id: target.caseId } },
        body: {
          action: a.action, seq: target.seq, comment, input, attachmentIds: uploads.map((u) => u.attachment.id),
          ...(riskElimination && Object.values(facts).some((v) => v !== undefined && v !== null) ? { facts } : {}),
        },
      }));
      message.success(t('cases.done', { action: pick(a.label) }));
      onDone();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setProblem({ title: t('common.unexpected'), reasons: [] });
        return;
      }
      if (isStale(e)) {
        setStale(true);
        return;
      }
      const reasons = refusalsOf(e);
      const byField = new Map<string, string[]>();
      const byKind: Record<string, string[]> = {};
      const rest: Reason[] = [];
      for (const r of reasons) {
        const f = r.field ?? '';
        if (fieldNames.includes(f) && a.fields.find((x) => x.key === f)?.kind !== 'evaluation') byField.set(f, [...(byField.get(f) ?? []), pick(r)]);
        else if (f === 'facts.monthsAboveThreshold' || f === 'monthsAboveThreshold') byField.set('monthsAboveThreshold', [...(byField.get('monthsAboveThreshold') ?? []), pick(r)]);
        else if (f.startsWith('attachments.') && a.attachments.some((k) => `attachments.${k.kind}` === f)) (byKind[f.slice(12)] ??= []).push(pick(r));
        else rest.push(r);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      // Reasons about the evaluation (not eligible, cannot evaluate) are shown on it too.
      const evalErrs: Record<string, string[]> = {};
      for (const r of reasons) if (r.field && a.fields.find((x) => x.key === r.field)?.kind === 'evaluation') (evalErrs[r.field] ??= []).push(pick(r));
      setFieldErrors(evalErrs);
      setUploadErrors(byKind);
      setProblem({ title: pick(e.body), reasons: rest.length ? rest : [] });
    } finally {
      setSaving(false);
    }
  };

  const renderField = (f: FieldDef) => {
    const label = pick(f.label);
    switch (f.kind) {
      case 'text':
        return (
          <Form.Item key={f.key} name={f.key} label={label} required={!f.optional}>
            <Input.TextArea rows={f.key === 'description' || f.key === 'findings' || f.key === 'measures' ? 3 : 2} maxLength={2000} data-testid={`field-${f.key}`} />
          </Form.Item>
        );
      case 'date':
        return (
          <Form.Item key={f.key} name={f.key} label={label} required={!f.optional}>
            <Input type="date" max={today()} style={{ width: 180 }} data-testid={`field-${f.key}`} />
          </Form.Item>
        );
      case 'code':
        return (
          <Form.Item key={f.key} name={f.key} label={label} required={!f.optional}>
            <Select
              allowClear
              placeholder={t('cases.selectPlaceholder')}
              options={(f.codes ?? []).map((c) => ({ value: c.code, label: pick(c) }))}
              style={{ maxWidth: 320 }}
              data-testid={`field-${f.key}`}
            />
          </Form.Item>
        );
      case 'evaluation': {
        const d = preview?.decision;
        return (
          <div key={f.key}>
            {f.evaluationKey === 'risk_elimination' && (
              <Space wrap align="start">
                <Form.Item name="monthsAboveThreshold" label={t('cases.monthsAboveThreshold')} extra={t('cases.monthsAboveThresholdHelp')}>
                  <InputNumber min={0} max={600} precision={0} style={{ width: 140 }} onChange={(v) => setFacts((o) => ({ ...o, monthsAboveThreshold: typeof v === 'number' ? v : null }))} data-testid="fact-months" />
                </Form.Item>
                <Form.Item name="rigidExpensesResolved" label={t('cases.rigidExpensesResolved')}>
                  <Select allowClear style={{ width: 160 }} placeholder={t('common.unknown')} onChange={(v?: string) => setFacts((o) => ({ ...o, rigidExpensesResolved: v === 'yes' ? true : v === 'no' ? false : null }))}
                    options={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }]} />
                </Form.Item>
              </Space>
            )}
            <Form.Item label={<Space>{label}<Tag>{t('cases.evaluationField')}</Tag></Space>} extra={t('evaluation.computed')} validateStatus={fieldErrors[f.key]?.length ? 'error' : undefined} help={fieldErrors[f.key]?.join('；')}>
              {preview === null ? <Skeleton active paragraph={{ rows: 2 }} />
                : d ? <DecisionView decision={d} testId={`field-${f.key}`} />
                  : <Alert type="warning" showIcon title={preview.error ?? t('cases.evaluationMissing')} />}
            </Form.Item>
          </div>
        );
      }
      default:
        return null;
    }
  };

  return (
    <Modal
      open={!!target}
      title={a ? pick(a.label) : ''}
      onCancel={onClose}
      width={720}
      forceRender
      footer={stale ? [
        <Button key="reload" type="primary" onClick={onReload}>{t('cases.reload')}</Button>,
      ] : [
        <Button key="cancel" onClick={onClose}>{t('common.cancel')}</Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => void submit()} data-testid="action-submit">{t('cases.submit')}</Button>,
      ]}
    >
      {a && (
        <Typography.Paragraph type="secondary">
          {t('cases.nextState', { state: pick(a.toLabel) })}
          {a.noticeEndsOn && <><br />{t('cases.noticeStarts', { date: a.noticeEndsOn })}</>}
          {a.dueOn && <><br />{t('cases.deadlineStarts', { date: a.dueOn })}</>}
        </Typography.Paragraph>
      )}
      {stale && <Alert type="warning" showIcon role="alert" data-testid="case-stale" style={{ marginBottom: 16 }} title={t('cases.stale', { seq: target?.seq ?? 0 })} />}
      {problem && <Reasons title={problem.title} reasons={problem.reasons} testId="action-problem" />}
      <Form form={form} layout="vertical" data-testid="action-form" onFinish={() => void submit()}>
        {a?.fields.map(renderField)}
        {a && a.attachments.length > 0 && (
          <Form.Item label={t('cases.attachments')} required extra={t('cases.attachmentRequired', { kinds: a.attachments.map((k) => pick(k.label)).join('、') })}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {a.attachments.map((k) => {
                const mine = uploads.filter((u) => u.kind === k.kind);
                const errs = uploadErrors[k.kind] ?? [];
                return (
                  <div key={k.kind} data-testid={`attachment-${k.kind}`}>
                    <Upload
                      showUploadList={false}
                      beforeUpload={(file) => {
                        void upload(k.kind, file);
                        return false;
                      }}
                    >
                      <Button icon={<UploadOutlined />} danger={errs.length > 0}>{t('cases.upload', { kind: pick(k.label) })}</Button>
                    </Upload>
                    {mine.map((u) => <div key={u.attachment.id}><PaperClipOutlined /> {u.attachment.filename}</div>)}
                    {errs.map((m, i) => <div key={i} className="ant-form-item-explain-error" style={{ color: '#ff4d4f' }}>{m}</div>)}
                  </div>
                );
              })}
            </Space>
          </Form.Item>
        )}
        <Form.Item name="comment" label={t('cases.comment')}>
          <Input.TextArea rows={2} maxLength={2000} placeholder={t('cases.commentPlaceholder')} data-testid="field-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
