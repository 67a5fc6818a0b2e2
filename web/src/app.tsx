import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/en';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, Suspense, useMemo } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { isApiError } from './api/client';
import { LoginPage } from './auth/login-page';
import { RegisterPage } from './auth/register-page';
import { HomeRedirect, RequireAuth } from './auth/require-auth';
import { ME_QUERY_KEY, SessionProvider } from './auth/session';
import { NotFound } from './components/error-result';
import { I18nProvider, type Locale, useI18n } from './i18n/i18n';
import { theme } from './theme';

const PortalRoutes = lazy(() => import('./portal/portal-routes'));
const PublicCatalogRoutes = lazy(() => import('./portal/catalog/public-routes'));
const WorkbenchRoutes = lazy(() => import('./workbench/workbench-routes'));
const AdminRoutes = lazy(() => import('./admin/admin-routes'));
const SupervisionRoutes = lazy(() => import('./supervision/supervision-routes'));
const HallPage = lazy(() => import('./hall/hall-page'));
const ProgressRoutes = lazy(() => import('./portal/progress/progress-routes'));

function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    // A session that ended on the server: forget the user, and the guards send them to the login page.
    if (isApiError(error) && error.status === 401) queryClient.setQueryData(ME_QUERY_KEY, null);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
  return queryClient;
}

function Loading() {
  return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

const router = createBrowserRouter([
  {
    element: <Outlet />,
    children: [
      { path: '/', element: <HomeRedirect /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      {
        // The public catalog: search, themes, guides and lists, read without logging in.
        path: '/portal/catalog/*',
        element: (
          <Lazy>
            <PublicCatalogRoutes />
          </Lazy>
        ),
      },
      {
        // The public progress query: case number and a code, no login (the QR codes on notices lead here).
        path: '/progress/*',
        element: (
          <Lazy>
            <ProgressRoutes />
          </Lazy>
        ),
      },
      {
        path: '/portal/*',
        element: (
          <RequireAuth accountType="applicant">
            <Lazy>
              <PortalRoutes />
            </Lazy>
          </RequireAuth>
        ),
      },
      {
        path: '/workbench/*',
        element: (
          <RequireAuth accountType="staff">
            <Lazy>
              <WorkbenchRoutes />
            </Lazy>
          </RequireAuth>
        ),
      },
      {
        path: '/admin/*',
        element: (
          <RequireAuth accountType="staff">
            <Lazy>
              <AdminRoutes />
            </Lazy>
          </RequireAuth>
        ),
      },
      {
        path: '/supervision/*',
        element: (
          <RequireAuth accountType="staff">
            <Lazy>
              <SupervisionRoutes />
            </Lazy>
          </RequireAuth>
        ),
      },
      {
        path: '/hall/*',
        element: (
          <Lazy>
            <HallPage />
          </Lazy>
        ),
      },
      { path: '/index.html', element: <Navigate to="/" replace /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const ANTD_LOCALES = { 'zh-CN': zhCN, 'en-US': enUS } as const;
const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

/** antd would write 保存 as "保 存", which screen readers then spell out; keep words whole. */
function Localized() {
  const { locale } = useI18n();
  dayjs.locale(DAYJS_LOCALES[locale]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const queryClient = useMemo(createQueryClient, []);
  return (
    <QueryClientProvider client={queryClient}>
      {/* Server messages come back in the language asked for: fetch them again after a switch. */}
      <I18nProvider onChange={() => void queryClient.invalidateQueries()}>
        <Localized />
      </I18nProvider>
    </QueryClientProvider>
  );
}
