import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, call } from '../api/client';
import { currentLang, pick, setLang } from '../i18n';
import ChangePasswordForm from './ChangePasswordForm';

/** The login answer (issue 7): a second step for the TOTP code, or a session and its security state. */
type LoginAnswer = { needTotp: true } | { needTotp: false; security: { mustChangePassword: boolean } };

type Step = { kind: 'password' } | { kind: 'totp'; username: string; password: string } | { kind: 'change'; password: string };

/** With the session cookie set, the app starts from /auth/me (the session provider reads it at load). */
const enterApp = () => window.location.reload();

export default function Login() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'password' });

  const attempt = async (username: string, password: string, totp?: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await call<LoginAnswer>(api.POST('/api/v1/auth/login', { body: { username, password, ...(totp ? { totp } : {}) } }));
      if (r.needTotp) setStep({ kind: 'totp', username, password });
      else if (r.security.mustChangePassword) setStep({ kind: 'change', password });
      else enterApp();
    } catch (e) {
      setError(e instanceof ApiError ? pick(e.body) : t('common.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (step.kind === 'change') await api.POST('/api/v1/auth/logout').catch(() => undefined);
    setError(null);
    setStep({ kind: 'password' });
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: 400, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>
          <Segmented
            size="small"
            aria-label={t('nav.language')}
            value={currentLang()}
            options={[{ value: 'zh', label: '中文' }, { value: 'en', label: 'EN' }]}
            onChange={(v) => setLang(v === 'en' ? 'en' : 'zh')}
          />
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        {step.kind === 'password' && (
          <>
            <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
            <Form layout="vertical" onFinish={(v: { username: string; password: string }) => attempt(v.username.trim(), v.password)} requiredMark={false}>
              <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.usernameRequired') }]}>
                <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
              </Form.Item>
              <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
            </Form>
          </>
        )}
        {step.kind === 'totp' && (
          <Form layout="vertical" onFinish={(v: { totp: string }) => attempt(step.username, step.password, v.totp.trim())} requiredMark={false} data-testid="totp-step">
            <Typography.Paragraph type="secondary">{t('security.totpStep')}</Typography.Paragraph>
            <Form.Item label={t('security.totpCode')} name="totp" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('security.totpRequired') }]}>
              <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="numeric" maxLength={8} autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('security.verify')}</Button>
            <Button type="link" block onClick={cancel} style={{ marginTop: 8 }}>{t('security.back')}</Button>
          </Form>
        )}
        {step.kind === 'change' && (
          <>
            <Alert type="warning" showIcon title={t('security.mustChangeTitle')} description={t('security.mustChangeText')} style={{ marginBottom: 16 }} data-testid="must-change" />
            <ChangePasswordForm currentPassword={step.password} onDone={enterApp} />
            <Button type="link" onClick={cancel} style={{ marginTop: 8, paddingLeft: 0 }}>{t('security.back')}</Button>
          </>
        )}
      </Card>
    </main>
  );
}
