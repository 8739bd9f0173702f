// Change my password (issue 7): on the login page when the initial password must be changed, and on
// 我的账号. The server checks the rules and ends the account's other sessions.
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { pick } from '../i18n';
import { useSave } from '../household/useSave';

const FIELDS = ['currentPassword', 'newPassword'] as const;

interface Props {
  /** Known already (the login page just checked it): the field is not shown. */
  currentPassword?: string;
  onDone: (r: { otherSessionsEnded: number }) => void;
}

export default function ChangePasswordForm({ currentPassword, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { save, saving, problem, reset } = useSave(form, FIELDS);

  const submit = async (v: { currentPassword?: string; newPassword: string }) => {
    const r = await save(() =>
      call<{ otherSessionsEnded: number }>(api.POST('/api/v1/auth/password', { body: { currentPassword: currentPassword ?? v.currentPassword ?? '', newPassword: v.newPassword } })),
    );
    if (r) {
      form.resetFields();
      onDone(r);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} onValuesChange={reset} requiredMark={false} data-testid="change-password" style={{ maxWidth: 420 }}>
      {problem && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problem.title} description={problem.issues.length ? problem.issues.map((i) => pick(i)).join('；') : undefined} />}
      {currentPassword === undefined && (
        <Form.Item label={t('security.currentPassword')} name="currentPassword" rules={[{ required: true, message: t('security.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <Form.Item label={t('security.newPassword')} name="newPassword" extra={t('security.passwordRule')} rules={[{ required: true, message: t('security.required') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('security.confirmPassword')}
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('security.required') },
          ({ getFieldValue }) => ({
            validator: (_r, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('security.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="change-password-submit">{t('security.changeSubmit')}</Button>
    </Form>
  );
}
