// Add or edit a member. The ID number and phone are shown masked; leaving them empty keeps them.
import { useEffect } from 'react';
import { Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import type { HouseholdFile, Member } from '../api/types';
import { pick } from '../i18n';
import ConflictNotice, { ProblemNotice } from './ConflictNotice';
import { useEditor, type EditorProps } from './useSave';

type PatchBody = paths['/api/v1/households/{id}/members/{memberId}']['patch']['requestBody']['content']['application/json'];
type PostBody = paths['/api/v1/households/{id}/members']['post']['requestBody']['content']['application/json'];

const FIELDS = ['name', 'idNumber', 'relation', 'sex', 'birthDate', 'ethnicity', 'education', 'studentStatus', 'health', 'disabilityGrade', 'labourAbility', 'workMonths', 'medicalInsurance', 'criticalIllnessInsurance', 'pensionInsurance', 'phone'] as const;
const SECRET = ['idNumber', 'phone'];

function initial(m: Member | undefined): Record<string, unknown> {
  if (!m) return { ethnicity: '02' };
  return { ...Object.fromEntries(FIELDS.map((f) => [f, m[f]])), idNumber: '', phone: '' };
}

export default function MemberEdit({ household, member, open, onClose, onSaved, onReload }: EditorProps & { member?: Member; }) {
  const { t, codes, message, form, save, saving, conflict, problem, reset } = useEditor(FIELDS);
  const yesNo = [{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }];

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initial(member));
      reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, member?.id]);

  const submit = async (values: Record<string, unknown>) => {
    const before = initial(member);
    const body: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const raw = values[f] === undefined ? null : values[f];
      const v = typeof raw === 'string' ? raw.trim() : raw;
      if (SECRET.includes(f)) {
        if (typeof v === 'string' && v) body[f] = v;
        continue;
      }
      if (!member || JSON.stringify(v ?? null) !== JSON.stringify(before[f] ?? null)) {
        if (member || (v !== null && v !== '')) body[f] = v === '' ? null : v;
      }
    }
    if (member && !Object.keys(body).length) {
      message.info(t('edit.nothing'));
      return;
    }
    body.version = household.version;
    const saved = await save(() =>
      member
        ? call<HouseholdFile>(api.PATCH('/api/v1/households/{id}/members/{memberId}', { params: { path: { id: household.id, memberId: member.id } }, body: body as PatchBody }))
        : call<HouseholdFile>(api.POST('/api/v1/households/{id}/members', { params: { path: { id: household.id } }, body: body as PostBody })),
    );
    if (saved) {
      message.success(t('edit.saved'));
      onSaved(saved);
    }
  };

  const reload = async () => {
    const fresh = await onReload();
    if (fresh) reset();
  };

  const sel = (name: (typeof FIELDS)[number], list: string, required = false) => (
    <Form.Item name={name} label={t(`member.${name}`)} rules={required ? [{ required: true, message: t('edit.required') }] : []}>
      <Select allowClear={!required} options={codes.options(list)} showSearch={{ optionFilterProp: 'label' }} />
    </Form.Item>
  );
  const bool = (name: (typeof FIELDS)[number]) => (
    <Form.Item name={name} label={t(`member.${name}`)}><Select allowClear options={yesNo} /></Form.Item>
  );

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={member ? t('edit.memberTitle', { name: member.name }) : t('edit.addMember')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ ...({ 'data-testid': 'save-member' } as Record<string, string>) }}
      width={760}
      destroyOnHidden
    >
      {conflict && <ConflictNotice message={conflict.message} onReload={reload} />}
      {problem && <ProblemNotice title={problem.title} issues={problem.issues} scroll={problem.scroll} testId="member-error" />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('member.name')} rules={[{ required: true, message: t('edit.required') }]}><Input /></Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="idNumber" label={t('member.idNumber')} extra={member ? t('edit.maskedKeep') : undefined} rules={member ? [] : [{ required: true, message: t('edit.required') }]}>
              <Input placeholder={member?.idNumber} autoComplete="off" className="jz-mono" data-testid="member-id-input" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>{sel('relation', 'relation', true)}</Col>
          <Col xs={24} md={8}>{sel('sex', 'sex')}</Col>
          <Col xs={24} md={8}>
            <Form.Item name="birthDate" label={t('member.birthDate')} extra="YYYY-MM-DD"><Input /></Form.Item>
          </Col>
          <Col xs={24} md={8}>{sel('ethnicity', 'ethnicity', true)}</Col>
          <Col xs={24} md={8}>{sel('education', 'education')}</Col>
          <Col xs={24} md={8}>{sel('studentStatus', 'studentStatus')}</Col>
          <Col xs={24} md={8}>{sel('health', 'health')}</Col>
          <Col xs={24} md={8}>{sel('disabilityGrade', 'disabilityGrade')}</Col>
          <Col xs={24} md={8}>{sel('labourAbility', 'labourAbility')}</Col>
          <Col xs={24} md={8}>
            <Form.Item name="workMonths" label={t('member.workMonths')}><InputNumber min={0} max={12} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={24} md={8}>{bool('medicalInsurance')}</Col>
          <Col xs={24} md={8}>{bool('criticalIllnessInsurance')}</Col>
          <Col xs={24} md={8}>{bool('pensionInsurance')}</Col>
          <Col xs={24} md={16}>
            <Form.Item name="phone" label={t('member.phone')} extra={member ? t('edit.maskedKeep') : undefined}><Input placeholder={member?.phone ?? ''} autoComplete="off" /></Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
