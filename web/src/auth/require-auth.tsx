import { Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { AccountType } from '../api/types';
import { NoPermission } from '../components/error-result';
import { useT } from '../i18n/i18n';
import { landingPath, storedActiveRole, useSession } from './session';

/** Sends visitors without a session to the login page, and keeps applicants and staff on their own faces. */
export function RequireAuth({ accountType, children }: { accountType: AccountType; children: ReactNode }) {
  const t = useT();
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Spin fullscreen description={t('common.loading')} />;
  if (!me) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (me.accountType !== accountType) return <NoPermission />;
  return children;
}

/** `/`: the landing page of whoever is signed in, else the login page. */
export function HomeRedirect() {
  const { me, loading } = useSession();
  const t = useT();
  if (loading) return <Spin fullscreen description={t('common.loading')} />;
  return <Navigate to={me ? landingPath(me, storedActiveRole(me)) : '/login'} replace />;
}
