// Edit the household's own fields (PATCH with the version read); only changed fields are sent.
// 脱贫标志, identification date and exit year are shown read-only and never sent: procedures set
// them, so the form offers the procedure to open instead.
import { useEffect } from 'react';
import { Alert, Button, Descriptions, Drawer, Form, Input, Select, Space, Switch, Tag } from 'antd';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import type { HouseholdFile } from '../api/types';
import { STATUS_COLOR } from '../links';
import OpenCaseButtons, { type WorkflowKey } from '../cases/OpenCase';
import ConflictNotice, { ProblemNotice } from './ConflictNotice';
import { useEditor, type EditorProps } from './useSave';

type PatchBody = paths['/api/v1/households/{id}']['patch']['requestBody']['content']['application/json'];

const FIELDS = ['householdNo', 'villageCode', 'groupName', 'attribute', 'mainCause', 'otherCauses', 'phone', 'assistanceUnit', 'responsibleCadre', 'relocated'] as const;

/** The procedures that can change this household's status next (src/domain/register-status.ts). */
export function nextProcedures(h: Pick<HouseholdFile, 'exitStatus' | 'identifiedOn'>): WorkflowKey[] {
  if (!h.identifiedOn) return ['identification'];
  if (h.exitStatus === '0') return ['household_exit'];
  if (h.exitStatus === '3') return ['monitoring', 'household_exit'];
  return ['monitoring'];
}

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
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 8 }} data-testid="household-status-readonly">
        <Descriptions.Item label={t('household.exitStatus')}><Tag color={STATUS_COLOR[household.exitStatus]}>{codes.label('exitStatus', household.exitStatus)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('household.identifiedOn')}>{household.identifiedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('household.exitYear')}>{household.exitYear ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('edit.statusByProcedure')}
        description={<OpenCaseButtons householdId={household.id} headName={household.headName} years={household.years.map((y) => y.year)} workflows={nextProcedures(household)} />}
        data-testid="household-status-hint"
      />
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={() => problem && reset()}>
        <Form.Item name="householdNo" label={t('household.householdNo')} rules={[{ required: true, message: t('edit.required') }]}><Input /></Form.Item>
        <Form.Item name="villageCode" label={t('household.villageCode')} extra={t('edit.villageCodeHelp')} rules={[{ required: true, message: t('edit.required') }]}><Input inputMode="numeric" maxLength={12} /></Form.Item>
        <Form.Item name="groupName" label={t('household.groupName')}><Input /></Form.Item>
        <Form.Item name="attribute" label={t('household.attribute')} rules={[{ required: true, message: t('edit.required') }]}><Select options={codes.options('attribute')} /></Form.Item>
        <Form.Item name="mainCause" label={t('household.mainCause')}><Select allowClear options={codes.options('cause')} /></Form.Item>
        <Form.Item name="otherCauses" label={t('household.otherCauses')}><Select mode="multiple" allowClear options={codes.options('cause')} /></Form.Item>
        <Form.Item name="phone" label={t('household.phone')} extra={t('edit.maskedKeep')}><Input placeholder={household.phone ?? ''} autoComplete="off" /></Form.Item>
        <Form.Item name="assistanceUnit" label={t('household.assistanceUnit')}><Input /></Form.Item>
        <Form.Item name="responsibleCadre" label={t('household.responsibleCadre')}><Input /></Form.Item>
        <Form.Item name="relocated" label={t('household.relocated')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Drawer>
  );
}
