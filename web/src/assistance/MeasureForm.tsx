// Record or correct one measure of a household: type (grouped by channel), member (for member types),
// year and date, quantity, money value, project (searched in the county's project library) and fund
// source (that project's budget sources), income component, note. The server checks everything; its
// reasons land on the fields. A correction sends the version read; a 409 shows who won and reloads.
import { useEffect, useRef } from 'react';
import { App, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { HouseholdFile } from '../api/types';
import { pick } from '../i18n';
import { useSave } from '../household/useSave';
import ConflictNotice, { ProblemNotice } from '../household/ConflictNotice';
import type { Measure, MeasureBody } from './measure-types';
import type { useCatalogue } from './useCatalogue';
import { useProjectBudgets, useProjectOptions } from './useProjectOptions';

const FIELDS = ['typeCode', 'memberId', 'year', 'givenOn', 'quantity', 'amount', 'projectId', 'fundSource', 'incomeComponent', 'note'] as const;

interface Props {
  household: HouseholdFile;
  measure?: Measure;
  open: boolean;
  defaultYear: number;
  catalogue: ReturnType<typeof useCatalogue>;
  onClose: () => void;
  onSaved: (m: Measure) => void;
  /** After a 409: reload, with the measure as it now is (the conflict's `current`). */
  onReload: (current?: Measure) => void;
}

export default function MeasureForm({ household, measure, open, defaultYear, catalogue, onClose, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { save, saving, conflict, problem, reset } = useSave(form, FIELDS);
  const typeCode = Form.useWatch('typeCode', form) as string | undefined;
  const type = catalogue.typeOf(typeCode);
  const projectId = Form.useWatch('projectId', form) as number | undefined;
  const projects = useProjectOptions(household.countyCode, open);
  const budgets = useProjectBudgets(projectId);
  // Set when the user picks a project: its only budget source is then chosen for them.
  const picked = useRef(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    reset();
    picked.current = false;
    form.setFieldsValue(measure
      ? { ...measure }
      : { year: defaultYear, amount: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, measure?.id, measure?.version]);

  useEffect(() => {
    if (!picked.current || !budgets) return;
    picked.current = false;
    if (budgets.length === 1) form.setFieldValue('fundSource', budgets[0]!.fundSource);
  }, [budgets, form]);

  // The project's budget sources once one is chosen (all sources without a project).
  const fundOptions = projectId && budgets
    ? budgets.map((b) => ({ value: b.fundSource, label: pick(b.fundSourceLabel) }))
    : catalogue.fundOptions;
  // The stored project stays shown while editing even when the search does not list it.
  const projectOptions = measure?.projectId && !projects.options.some((o) => o.value === measure.projectId)
    ? [{ value: measure.projectId, label: measure.projectName ?? String(measure.projectId) }, ...projects.options]
    : projects.options;

  // A new type brings its own income component (the user may change it afterwards).
  const onValues = (changed: Record<string, unknown>) => {
    if ('typeCode' in changed) {
      const next = catalogue.typeOf(changed.typeCode as string);
      if (next) form.setFieldValue('incomeComponent', next.incomeComponent);
      if (next?.target === 'household') form.setFieldValue('memberId', undefined);
    }
    // Another project has other budget sources: choose again (its only one is filled in when loaded).
    if ('projectId' in changed) {
      form.setFieldValue('fundSource', undefined);
      picked.current = changed.projectId != null;
    }
  };

  const submit = async (values: Record<string, unknown>) => {
    const body: Record<string, unknown> = {};
    for (const f of FIELDS) body[f] = values[f] === undefined || values[f] === '' ? null : values[f];
    if (body.amount === null) body.amount = 0;
    const saved = await save(() => (measure
      ? call<Measure>(api.PATCH('/api/v1/measures/{id}', { params: { path: { id: measure.id } }, body: { ...(body as Partial<MeasureBody>), version: measure.version } }))
      : call<Measure>(api.POST('/api/v1/households/{id}/measures', { params: { path: { id: household.id } }, body: body as MeasureBody }))));
    if (saved) {
      message.success(t('measures.saved'));
      onSaved(saved);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={measure ? t('measures.editTitle') : t('measures.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'measure-save' } as Record<string, string>}
      confirmLoading={saving}
      width={760}
      destroyOnHidden
    >
      {conflict && <ConflictNotice message={conflict.message} onReload={() => onReload(conflict.current as Measure | undefined)} />}
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={problem.scroll} testId="measure-problem" />}
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={onValues} data-testid="measure-form">
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="typeCode" label={t('measures.type')} rules={[{ required: true, message: t('measures.required') }]}>
              <Select showSearch optionFilterProp="label" options={catalogue.typeOptions} data-testid="measure-type" aria-label={t('measures.type')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="memberId" label={t('measures.member')} extra={type?.target === 'member' ? t('measures.memberRequired') : undefined}>
              <Select allowClear options={household.members.map((m) => ({ value: m.id, label: m.name }))} data-testid="measure-member" aria-label={t('measures.member')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="year" label={t('measures.year')} rules={[{ required: true, message: t('measures.required') }]}>
              <InputNumber min={2010} max={2100} precision={0} style={{ width: '100%' }} data-testid="measure-year" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="givenOn" label={t('measures.givenOn')}>
              <Input placeholder="YYYY-MM-DD" data-testid="measure-given-on" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="quantity" label={type ? `${t('measures.quantity')}（${pick(type.unit)}）` : t('measures.quantity')}>
              <InputNumber style={{ width: '100%' }} data-testid="measure-quantity" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="amount" label={t('measures.amount')}>
              <InputNumber style={{ width: '100%' }} step={100} data-testid="measure-amount" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="projectId" label={t('measures.project')} extra={t('measures.projectHelp')}>
              <Select
                allowClear
                showSearch={{ filterOption: false, onSearch: projects.search }}
                onClear={() => projects.search('')}
                onOpenChange={(o) => {
                  if (!o) projects.search('');
                }}
                loading={projects.loading}
                placeholder={t('measures.projectPlaceholder')}
                notFoundContent={projects.loading ? t('measures.projectLoading') : t('measures.projectNone')}
                options={projectOptions}
                data-testid="measure-project"
                aria-label={t('measures.project')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="fundSource"
              label={t('measures.fundSource')}
              extra={projectId && budgets ? (budgets.length ? t('measures.fundFromBudget') : t('measures.projectNoBudget')) : undefined}
            >
              <Select allowClear options={fundOptions} data-testid="measure-fund" aria-label={t('measures.fundSource')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="incomeComponent" label={t('measures.incomeComponent')} extra={t('measures.incomeComponentHelp')}>
              <Select options={catalogue.componentOptions} data-testid="measure-component" aria-label={t('measures.incomeComponent')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('measures.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
