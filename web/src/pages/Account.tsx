// 我的账号: who I am, my role and area, what my role may do; language; password, second factor,
// log out here or everywhere (issue 7).
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Popconfirm, QRCode, Segmented, Space, Tag, Typography } from 'antd';
import { LogoutOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../session';
import { api, ApiError, call } from '../api/client';
import { currentLang, pick, setLang } from '../i18n';
import ChangePasswordForm from './ChangePasswordForm';

interface Security {
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpAvailable: boolean;
}

export default function Account() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  // /auth/me carries `security` (issue 7); kept here so enrolment shows at once without a reload.
  const initial = (me as { security?: Security } | null)?.security;
  const [security, setSecurity] = useState<Security | undefined>(initial);
  if (!me) return null;

  const logoutAll = async () => {
    try {
      await call(api.POST('/api/v1/auth/logout-all'));
    } finally {
      await logout();
      navigate('/', { replace: true });
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {security?.mustChangePassword && <Alert type="warning" showIcon title={t('security.mustChangeTitle')} description={t('security.mustChangeText')} />}
      <Card title={t('nav.account')}>
        <Descriptions column={1} size="small" data-testid="account">
          <Descriptions.Item label={t('accounts.username')}>{me.user.username}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.displayName')}>{me.user.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.role')}>{pick(me.user.roleLabel)}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.area')}>{me.user.areaName ?? ''} {me.user.areaCode}</Descriptions.Item>
          <Descriptions.Item label={t('account.actions')}>
            <Space wrap>{me.actions.map((a) => <Tag key={a}>{t(`actions.${a}`, { defaultValue: a })}</Tag>)}</Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('nav.language')}>
            <Segmented value={currentLang()} options={[{ value: 'zh', label: '中文' }, { value: 'en', label: 'English' }]} onChange={(v) => setLang(v === 'en' ? 'en' : 'zh')} />
          </Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 16 }}>
          <Button icon={<LogoutOutlined />} onClick={async () => { await logout(); navigate('/', { replace: true }); }} data-testid="logout">
            {t('nav.logout')}
          </Button>
          <Popconfirm title={t('security.logoutAllConfirm')} onConfirm={logoutAll} okText={t('security.logoutAll')}>
            <Button danger icon={<LogoutOutlined />} data-testid="logout-all">{t('security.logoutAll')}</Button>
          </Popconfirm>
        </Space>
      </Card>
      <Card title={t('security.changeTitle')}>
        <ChangePasswordForm
          onDone={(r) => {
            message.success(t('security.changed', { count: r.otherSessionsEnded }));
            setSecurity((s) => s && { ...s, mustChangePassword: false });
          }}
        />
      </Card>
      {security?.totpAvailable && (
        <TotpCard enabled={security.totpEnabled} onChange={(totpEnabled) => setSecurity((s) => s && { ...s, totpEnabled })} />
      )}
    </Space>
  );
}

function TotpCard({ enabled, onChange }: { enabled: boolean; onChange: (enabled: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string; currentPassword: string }>();

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? [pick(e.body), ...e.issues.map((i) => pick(i))].join('：') : t('common.unexpected'));
    } finally {
      setBusy(false);
    }
  };
  const start = (v: { currentPassword: string }) =>
    run(async () => {
      setEnrolment(await call<{ secret: string; uri: string }>(api.POST('/api/v1/auth/totp/enrol', { body: { currentPassword: v.currentPassword } })));
      form.resetFields();
    });
  const confirm = (v: { code: string }) =>
    run(async () => {
      await call(api.POST('/api/v1/auth/totp/confirm', { body: { code: v.code.trim() } }));
      setEnrolment(null);
      form.resetFields();
      onChange(true);
      message.success(t('security.totpEnabled'));
    });
  const disable = (v: { currentPassword: string; code: string }) =>
    run(async () => {
      await call(api.POST('/api/v1/auth/totp/disable', { body: { currentPassword: v.currentPassword, code: v.code.trim() } }));
      form.resetFields();
      onChange(false);
      message.success(t('security.totpDisabled'));
    });

  const codeItem = (
    <Form.Item label={t('security.totpCode')} name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('security.totpRequired') }]}>
      <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="numeric" maxLength={8} style={{ maxWidth: 200 }} />
    </Form.Item>
  );

  // Enrolling and disabling need the current password: a session left open must not be enough.
  const passwordItem = (
    <Form.Item label={t('security.currentPassword')} name="currentPassword" rules={[{ required: true, message: t('security.required') }]}>
      <Input.Password autoComplete="current-password" style={{ maxWidth: 320 }} data-testid="totp-password" />
    </Form.Item>
  );

  return (
    <Card title={t('security.totpTitle')} extra={<Tag color={enabled ? 'green' : undefined} data-testid="totp-state">{enabled ? t('security.totpOn') : t('security.totpOff')}</Tag>}>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('security.totpAbout')}</Typography.Paragraph>
      {enabled ? (
        <Form form={form} layout="vertical" onFinish={disable} requiredMark={false}>
          {passwordItem}
          {codeItem}
          <Button danger htmlType="submit" loading={busy} data-testid="totp-disable">{t('security.totpDisable')}</Button>
        </Form>
      ) : enrolment ? (
        <Form form={form} layout="vertical" onFinish={confirm} requiredMark={false} data-testid="totp-enrolment">
          <Typography.Paragraph>{t('security.totpScan')}</Typography.Paragraph>
          <QRCode value={enrolment.uri} />
          <Typography.Paragraph copyable={{ text: enrolment.secret }} style={{ marginTop: 8 }}>
            {t('security.totpSecret')}: <Typography.Text code data-testid="totp-secret">{enrolment.secret}</Typography.Text>
          </Typography.Paragraph>
          {codeItem}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">{t('security.totpConfirm')}</Button>
        </Form>
      ) : (
        <Form form={form} layout="vertical" onFinish={start} requiredMark={false}>
          {passwordItem}
          <Button type="primary" htmlType="submit" icon={<SafetyOutlined />} loading={busy} data-testid="totp-enrol">{t('security.totpEnrol')}</Button>
        </Form>
      )}
    </Card>
  );
}
