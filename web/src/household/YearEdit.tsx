// Create or correct one year's record: income breakdown, 两不愁三保障, housing and land.
import { useEffect } from 'react';
import { Col, Divider, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import type { HouseholdFile, YearRecord } from '../api/types';
import { pick } from '../i18n';
import ConflictNotice, { ProblemNotice } from './ConflictNotice';
import { useEditor, type EditorProps } from './useSave';

type PutBody = paths['/api/v1/households/{id}/years/{year}']['put']['requestBody']['content']['application/json'];

export const MONEY = ['wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts', 'nonCountingIncome'] as const;
export const CHECKS = ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure'] as const;
export const LIVING = ['dangerousHouse', 'electricity', 'roadAccess', 'sanitaryToilet'] as const;
const NUMBERS = ['waterLitresPerDay', 'waterFetchMinutes', 'farmlandMu', 'forestMu', 'returnedFarmlandMu', 'pastureMu'] as const;
const FIELDS = ['year', 'householdSize', 'status', ...MONEY, ...CHECKS, ...LIVING, ...NUMBERS, 'note'] as const;

export default function YearEdit({ household, record, open, onClose, onSaved, onReload }: EditorProps & { record?: YearRecord; }) {
  const { t, codes, message, form, save, saving, conflict, problem, reset } = useEditor(FIELDS);
  const yesNo = [{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }];

  useEffect(() => {
    if (open) {
      form.resetFields();
      const latest = household.years[household.years.length - 1];
      form.setFieldsValue(record ?? { year: (latest?.year ?? new Date().getFullYear() - 1) + 1, householdSize: household.members.length, status: household.exitStatus });
      reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, record?.year]);

  const submit = async (values: Record<string, unknown>) => {
    const year = Number(values.year);
    const body: Record<string, unknown> = {};
    for (const f of FIELDS) if (f !== 'year') body[f] = values[f] === undefined || values[f] === '' ? null : values[f];
    if (body.householdSize === null) delete body.householdSize;
    const existing = record ?? household.years.find((y) => y.year === year);
    if (existing) body.version = existing.version;
    const saved = await save(() => call<HouseholdFile>(api.PUT('/api/v1/households/{id}/years/{year}', { params: { path: { id: household.id, year } }, body: body as PutBody })));
    if (saved) {
      message.success(t('edit.saved'));
      onSaved(saved);
    }
  };

  const money = (f: string) => (
    <Col xs={12} md={8} key={f}>
      <Form.Item name={f} label={t(`year.${f}`)}><InputNumber min={f === 'productionIncome' || f === 'propertyIncome' ? undefined : 0} step={100} style={{ width: '100%' }} /></Form.Item>
    </Col>
  );
  const flag = (f: string) => (
    <Col xs={12} md={8} key={f}>
      <Form.Item name={f} label={t(`year.${f}`)}><Select allowClear options={yesNo} /></Form.Item>
    </Col>
  );
  const number = (f: string) => (
    <Col xs={12} md={8} key={f}>
      <Form.Item name={f} label={t(`year.${f}`)}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
    </Col>
  );

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={record ? t('edit.yearTitle', { year: record.year }) : t('edit.addYear')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={saving}
      width={820}
      destroyOnHidden
    >
      {conflict && <ConflictNotice message={conflict.message} onReload={async () => { await onReload(); onClose(); }} />}
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={problem.scroll} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Row gutter={16}>
          <Col xs={12} md={8}>
            <Form.Item name="year" label={t('year.year')} rules={[{ required: true, message: t('edit.required') }]}><InputNumber min={2010} max={2100} disabled={!!record} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="householdSize" label={t('year.householdSize')}><InputNumber min={1} max={30} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="status" label={t('household.exitStatus')} extra={t('edit.yearStatusHelp')}><Select options={codes.options('exitStatus')} /></Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('year.income')}</Divider>
        <Row gutter={16}>{MONEY.map(money)}</Row>
        <Divider titlePlacement="start">{t('year.checklist')}</Divider>
        <Row gutter={16}>{CHECKS.map(flag)}{LIVING.map(flag)}</Row>
        <Divider titlePlacement="start">{t('year.landWater')}</Divider>
        <Row gutter={16}>{NUMBERS.map(number)}</Row>
        <Form.Item name="note" label={t('year.note')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
