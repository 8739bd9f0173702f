// Edit the household's own fields (PATCH with the version read); only changed fields are sent.
import { useEffect } from 'react';
import { Button, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import type { HouseholdFile } from '../api/types';
import { pick } from '../i18n';
import ConflictNotice, { ProblemNotice } from './ConflictNotice';
import { useEditor, type EditorProps } from './useSave';

type PatchBody = paths['/api/v1/households/{id}']['patch']['requestBody']['content']['application/json'];

const FIELDS = ['householdNo', 'villageCode', 'groupName', 'attribute', 'exitStatus', 'mainCause', 'otherCauses', 'identifiedOn', 'exitYear', 'phone', 'assistanceUnit', 'responsibleCadre', 'relocated'] as const;

function initial(h: HouseholdFile) {
  return { ...Object.fromEntries(FIELDS.map((f) => [f, h[f]])), phone: '' } as Record<string, unknown>;
}

export default function EditHousehold({ household, open, onClose, onSaved, onReload }: EditorProps) {
  const { t, codes, message, form, save, saving, conflict, problem, reset } = useEditor(FIELDS);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initial(household));
      reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, household.id]);

  const submit = async (values: Record<string, unknown>) => {
    const before = initial(household);
    const changed: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const v = values[f] === undefined ? null : values[f];
      if (f === 'phone') {
        if (typeof v === 'string' && v.trim()) changed.phone = v.trim();
        continue;
      }
      if (JSON.stringify(v ?? null) !== JSON.stringify(before[f] ?? null)) changed[f] = typeof v === 'string' ? v.trim() : v;
    }
    if (!Object.keys(changed).length) {
      message.info(t('edit.nothing'));
      return;
    }
    const body = { ...changed, version: household.version } as PatchBody;
    const saved = await save(() => call<HouseholdFile>(api.PATCH('/api/v1/households/{id}', { params: { path: { id: household.id } }, body })));
    if (saved) {
      message.success(t('edit.saved'));
      onSaved(saved);
    }
  };

  const reload = async () => {
    const fresh = await onReload();
    if (fresh) {
      form.resetFields();
      form.setFieldsValue(initial(fresh));
      reset();
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('edit.householdTitle', { no: household.householdNo })}
      size="large"
      destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="save-household">{t('common.save')}</Button></Space>}
    >
      {conflict && <ConflictNotice message={conflict.message} onReload={reload} />}
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={problem.scroll} />}
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={() => problem && reset()}>
        <Form.Item name="householdNo" label={t('household.householdNo')} rules={[{ required: true, message: t('edit.required') }]}><Input /></Form.Item>
        <Form.Item name="villageCode" label={t('household.villageCode')} extra={t('edit.villageCodeHelp')} rules={[{ required: true, message: t('edit.required') }]}><Input inputMode="numeric" maxLength={12} /></Form.Item>
        <Form.Item name="groupName" label={t('household.groupName')}><Input /></Form.Item>
        <Form.Item name="attribute" label={t('household.attribute')} rules={[{ required: true, message: t('edit.required') }]}><Select options={codes.options('attribute')} /></Form.Item>
        <Form.Item name="exitStatus" label={t('household.exitStatus')}><Select options={codes.options('exitStatus')} /></Form.Item>
        <Form.Item name="mainCause" label={t('household.mainCause')}><Select allowClear options={codes.options('cause')} /></Form.Item>
        <Form.Item name="otherCauses" label={t('household.otherCauses')}><Select mode="multiple" allowClear options={codes.options('cause')} /></Form.Item>
        <Form.Item name="identifiedOn" label={t('household.identifiedOn')} extra="YYYY-MM-DD"><Input /></Form.Item>
        <Form.Item name="exitYear" label={t('household.exitYear')}><InputNumber min={2010} max={2100} style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="phone" label={t('household.phone')} extra={t('edit.maskedKeep')}><Input placeholder={household.phone ?? ''} autoComplete="off" /></Form.Item>
        <Form.Item name="assistanceUnit" label={t('household.assistanceUnit')}><Input /></Form.Item>
        <Form.Item name="responsibleCadre" label={t('household.responsibleCadre')}><Input /></Form.Item>
        <Form.Item name="relocated" label={t('household.relocated')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Drawer>
  );
}
