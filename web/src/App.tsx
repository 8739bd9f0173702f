import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Alert, App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSession } from './session';
import type { Action } from './api/types';
import AppLayout from './components/AppLayout';
import Login from './pages/Login';
import ChangePasswordForm from './pages/ChangePasswordForm';

const Overview = lazy(() => import('./pages/Overview'));
const Register = lazy(() => import('./pages/Register'));
const Household = lazy(() => import('./pages/Household'));
const ImportWizard = lazy(() => import('./pages/ImportWizard'));
const AdminAreas = lazy(() => import('./pages/AdminAreas'));
const AdminAccounts = lazy(() => import('./pages/AdminAccounts'));
const Account = lazy(() => import('./pages/Account'));
const Policy = lazy(() => import('./pages/Policy'));
const ExitPanels = lazy(() => import('./pages/ExitPanels'));
const Cases = lazy(() => import('./pages/Cases'));
const CaseDetail = lazy(() => import('./pages/CaseDetail'));
const Notices = lazy(() => import('./pages/Notices'));
const Alerts = lazy(() => import('./pages/Alerts'));
const Calculators = lazy(() => import('./pages/Calculators'));
const Pairing = lazy(() => import('./pages/Pairing'));
const Visits = lazy(() => import('./pages/Visits'));
const Projects = lazy(() => import('./pages/Projects'));
const Funds = lazy(() => import('./pages/Funds'));
const Disclosure = lazy(() => import('./pages/Disclosure'));
const Measures = lazy(() => import('./pages/Measures'));
const Channels = lazy(() => import('./pages/Channels'));
const Links = lazy(() => import('./pages/Links'));
const Measurement = lazy(() => import('./pages/Measurement'));
const Scorecards = lazy(() => import('./pages/Scorecards'));
const Assessment = lazy(() => import('./pages/Assessment'));
const AssessmentPlan = lazy(() => import('./pages/AssessmentPlan'));
const AssessmentSurvey = lazy(() => import('./pages/AssessmentSurvey'));
const RouteSheet = lazy(() => import('./reports/RouteSheet'));
const HouseholdCard = lazy(() => import('./reports/HouseholdCard'));
const VillageReport = lazy(() => import('./reports/VillageReport'));
const CountyExitReport = lazy(() => import('./reports/CountyExitReport'));
const MpiReport = lazy(() => import('./reports/MpiReport'));

function Loading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin aria-label={t('common.loading')} />
    </div>
  );
}

/** A page only for roles with `action`; others see why, and the server refuses them anyway. */
function Allowed({ action, children }: { action: Action; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useTranslation();
  if (!can(action)) return <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}

/** Evaluation pages: inspectors, evaluators and the city's supervisors. */
const ASSESSMENT: Action[] = ['assessment.manage', 'assessment.survey', 'assessment.read'];
function AllowedAny({ actions, children }: { actions: Action[]; children: ReactNode }) {
  const { can } = useSession();
  const { t } = useTranslation();
  if (!actions.some((a) => can(a))) return <Result status="403" title={t('common.forbiddenTitle')} subTitle={t('common.forbidden')} />;
  return <>{children}</>;
}

function Home() {
  const { can } = useSession();
  if (can('aggregates.read')) return <Overview />;
  if (can('register.read')) return <Navigate to="/register" replace />;
  if (can('assessment.survey')) return <Navigate to="/assessment" replace />;
  return <Navigate to="/account" replace />;
}

function NotFoundPage() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.pageNotFound')} />;
}

function ForcedPasswordChange() {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 480, margin: '10vh auto', padding: 16 }} data-testid="forced-change">
      <Alert type="warning" showIcon title={t('security.mustChangeTitle')} description={t('security.mustChangeText')} style={{ marginBottom: 16 }} />
      <ChangePasswordForm onDone={() => window.location.reload()} />
    </div>
  );
}

function Routed() {
  const { me, loading } = useSession();
  const location = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  if (loading) return <Loading />;
  if (!me) return <Login />;
  // A session that must change its initial password can do nothing else (the server answers 403).
  if ((me as { security?: { mustChangePassword?: boolean } }).security?.mustChangePassword) return <ForcedPasswordChange />;
  return (
    <AppLayout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="/register" element={<Allowed action="register.read"><Register /></Allowed>} />
          <Route path="/households/:id" element={<Allowed action="register.read"><Household /></Allowed>} />
          <Route path="/import" element={<Allowed action="register.import"><ImportWizard /></Allowed>} />
          <Route path="/admin/areas" element={<Allowed action="users.manage"><AdminAreas /></Allowed>} />
          <Route path="/admin/accounts" element={<Allowed action="users.manage"><AdminAccounts /></Allowed>} />
          <Route path="/account" element={<Account />} />
          <Route path="/policy" element={<Allowed action="aggregates.read"><Policy /></Allowed>} />
          <Route path="/exit" element={<Allowed action="aggregates.read"><ExitPanels /></Allowed>} />
          <Route path="/calculators" element={<Allowed action="aggregates.read"><Calculators /></Allowed>} />
          <Route path="/pairing" element={<Allowed action="register.read"><Pairing /></Allowed>} />
          <Route path="/visits" element={<Allowed action="assistance.write"><Visits /></Allowed>} />
          <Route path="/projects" element={<Allowed action="aggregates.read"><Projects /></Allowed>} />
          <Route path="/projects/disclosure" element={<Allowed action="aggregates.read"><Disclosure /></Allowed>} />
          <Route path="/funds" element={<Allowed action="aggregates.read"><Funds /></Allowed>} />
          <Route path="/cases" element={<Allowed action="register.read"><Cases /></Allowed>} />
          <Route path="/cases/:id" element={<Allowed action="register.read"><CaseDetail /></Allowed>} />
          <Route path="/notices" element={<Allowed action="register.read"><Notices /></Allowed>} />
          <Route path="/alerts" element={<Allowed action="register.read"><Alerts /></Allowed>} />
          <Route path="/measures" element={<Allowed action="register.read"><Measures /></Allowed>} />
          <Route path="/channels" element={<Allowed action="aggregates.read"><Channels /></Allowed>} />
          <Route path="/links" element={<Allowed action="register.read"><Links /></Allowed>} />
          <Route path="/measurement" element={<Allowed action="aggregates.read"><Measurement /></Allowed>} />
          <Route path="/scorecards" element={<Allowed action="supervision.read"><Scorecards /></Allowed>} />
          <Route path="/assessment" element={<AllowedAny actions={ASSESSMENT}><Assessment /></AllowedAny>} />
          <Route path="/assessment/:id" element={<AllowedAny actions={ASSESSMENT}><AssessmentPlan /></AllowedAny>} />
          <Route path="/assessment/:id/route/:village" element={<AllowedAny actions={ASSESSMENT}><RouteSheet /></AllowedAny>} />
          <Route path="/assessment/:id/survey/:sampleId" element={<AllowedAny actions={ASSESSMENT}><AssessmentSurvey /></AllowedAny>} />
          <Route path="/reports/household/:id" element={<Allowed action="register.read"><HouseholdCard /></Allowed>} />
          <Route path="/reports/village" element={<Allowed action="register.read"><VillageReport /></Allowed>} />
          <Route path="/reports/county-exit" element={<Allowed action="aggregates.read"><CountyExitReport /></Allowed>} />
          <Route path="/reports/mpi" element={<Allowed action="aggregates.read"><MpiReport /></Allowed>} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </AppLayout>
  );
}

export default function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routed />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
