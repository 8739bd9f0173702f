import { useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Button, Dropdown, Layout, Menu, Segmented, Typography } from 'antd';
import { BarChartOutlined, GiftOutlined, ShopOutlined } from '@ant-design/icons';
import { LineChartOutlined } from '@ant-design/icons';
import { TrophyOutlined } from '@ant-design/icons';
import {
  AlertOutlined, ApartmentOutlined, AuditOutlined, CalculatorOutlined, ControlOutlined, DashboardOutlined, InboxOutlined, NotificationOutlined, LogoutOutlined, TeamOutlined, UploadOutlined, UserOutlined, IdcardOutlined,
} from '@ant-design/icons';
import { FundOutlined, ProjectOutlined } from '@ant-design/icons';
import { CarryOutOutlined, SolutionOutlined } from '@ant-design/icons';
import { FileSearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { setLang, currentLang, pick } from '../i18n';
import type { Action } from '../api/types';

const { Header, Sider, Content } = Layout;

interface Item {
  key: string;
  icon: ReactNode;
  label: string;
  action?: Action;
}

export default function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, can, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items: Item[] = [
    { key: '/', icon: <DashboardOutlined />, label: t('nav.overview'), action: 'aggregates.read' as const },
    { key: '/register', icon: <TeamOutlined />, label: t('nav.register'), action: 'register.read' as const },
    { key: '/cases', icon: <InboxOutlined />, label: t('nav.cases'), action: 'register.read' as const },
    { key: '/notices', icon: <NotificationOutlined />, label: t('nav.notices'), action: 'register.read' as const },
    { key: '/alerts', icon: <AlertOutlined />, label: t('nav.alerts'), action: 'alerts.handle' as const },
    { key: '/pairing', icon: <SolutionOutlined />, label: t('pairing.menu'), action: 'register.read' as const },
    { key: '/visits', icon: <CarryOutOutlined />, label: t('pairing.visitsMenu'), action: 'assistance.write' as const },
    { key: '/import', icon: <UploadOutlined />, label: t('nav.import'), action: 'register.import' as const },
    { key: '/measures', icon: <GiftOutlined />, label: t('measures.menu'), action: 'register.read' as const },
    { key: '/channels', icon: <BarChartOutlined />, label: t('measures.channelsMenu'), action: 'aggregates.read' as const },
    { key: '/links', icon: <ShopOutlined />, label: t('links.menu'), action: 'register.read' as const },
    { key: '/measurement', icon: <LineChartOutlined />, label: t('measurement.menu'), action: 'aggregates.read' as const },
    { key: '/scorecards', icon: <TrophyOutlined />, label: t('scorecards.menu'), action: 'supervision.read' as const },
    { key: '/assessment', icon: <FileSearchOutlined />, label: t('assessment.menu'), action: (can('assessment.survey') ? 'assessment.survey' : 'assessment.read') as Action },
    { key: '/exit', icon: <AuditOutlined />, label: t('exit.menu'), action: 'aggregates.read' as const },
    { key: '/projects', icon: <ProjectOutlined />, label: t('projects.menu'), action: 'aggregates.read' as const },
    { key: '/funds', icon: <FundOutlined />, label: t('projects.fundsMenu'), action: 'aggregates.read' as const },
    { key: '/calculators', icon: <CalculatorOutlined />, label: t('calc.menu'), action: 'aggregates.read' as const },
    { key: '/policy', icon: <ControlOutlined />, label: t('nav.policy'), action: 'aggregates.read' as const },
    { key: '/admin/areas', icon: <ApartmentOutlined />, label: t('nav.areas'), action: 'users.manage' as const },
    { key: '/admin/accounts', icon: <IdcardOutlined />, label: t('nav.accounts'), action: 'users.manage' as const },
    { key: '/account', icon: <UserOutlined />, label: t('nav.account') },
  ].filter((i) => !i.action || can(i.action));

  const path = location.pathname;
  const selected = path.startsWith('/households') ? '/register' : (items.map((i) => i.key).filter((k) => k !== '/' && path.startsWith(k))[0] ?? (path === '/' ? '/' : ''));

  const onLogout = async () => {
    await logout();
    navigate('/', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="jz-skip" href="#main">{t('nav.skip')}</a>
      <Sider breakpoint="lg" collapsible collapsed={collapsed} onCollapse={setCollapsed} width={200} aria-label={t('nav.menu')}>
        <div className="jz-brand">{collapsed ? t('app.short') : t('app.name')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={items.map(({ key, icon, label }) => ({ key, icon, label }))}
          onClick={(e) => navigate(e.key)}
        />
      </Sider>
      <Layout>
        <Header className="jz-header">
          <span className="jz-title">{t('app.title')}</span>
          <span className="jz-spacer" />
          <Segmented
            size="small"
            aria-label={t('nav.language')}
            value={currentLang()}
            options={[{ value: 'zh', label: '中文' }, { value: 'en', label: 'English' }]}
            onChange={(v) => setLang(v === 'en' ? 'en' : 'zh')}
          />
          <Dropdown
            menu={{
              items: [
                { key: 'account', icon: <UserOutlined />, label: t('nav.account'), onClick: () => navigate('/account') },
                { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), onClick: () => void onLogout() },
              ],
            }}
          >
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                {me?.user.displayName} · {pick(me?.user.roleLabel)}
              </Typography.Text>
            </Button>
          </Dropdown>
        </Header>
        <Content id="main" className="jz-content" tabIndex={-1}>
          {children}
        </Content>
      </Layout>
    </Layout>
  );
}
