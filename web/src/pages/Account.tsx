// 我的账号: who I am, my role and area, what my role may do; language; log out.
import { Button, Card, Descriptions, Segmented, Space, Tag } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession } from '../session';
import { currentLang, pick, setLang } from '../i18n';

export default function Account() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  if (!me) return null;
  return (
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
      <Button icon={<LogoutOutlined />} onClick={async () => { await logout(); navigate('/', { replace: true }); }} style={{ marginTop: 16 }} data-testid="logout">
        {t('nav.logout')}
      </Button>
    </Card>
  );
}
