import { Flex, Typography } from 'antd';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { landingPath, storedActiveRole, useSession } from '../../auth/session';
import '../../components/catalog.css';
import { useT } from '../../i18n/i18n';
import { LanguageSwitch } from '../../shell/language-switch';

/**
 * The frame of the public catalog pages: anyone may read them, signed in or not. Mobile first: the header
 * wraps onto two lines on a phone, and nothing in it is wider than the screen.
 */
export function PublicShell() {
  const t = useT();
  const { me } = useSession();
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <div className="tb-public">
      <header className="tb-public-header">
        <Flex
          align="center"
          justify="space-between"
          gap="small"
          wrap
          style={{ maxWidth: 1120, margin: '0 auto' }}
        >
          <Flex align="baseline" gap="small" wrap>
            <Link to="/portal/catalog" className="tb-brand">
              {t('app.name')}
            </Link>
            <span className="tb-face">{t('face.portal')}</span>
          </Flex>
          <Flex align="center" gap="middle" wrap>
            <nav aria-label={t('catalog.public.nav')} className="tb-public-nav">
              <Flex gap="middle" wrap>
                <NavLink to="/portal/catalog" end>
                  {t('catalog.public.search')}
                </NavLink>
                <NavLink to="/portal/catalog/themes">{t('catalog.public.themes')}</NavLink>
                <NavLink to="/portal/catalog/lists">{t('catalog.public.lists')}</NavLink>
              </Flex>
            </nav>
            <LanguageSwitch />
            {me ? (
              <Link to={landingPath(me, storedActiveRole(me))} data-testid="public-account">
                {me.accountType === 'applicant' ? t('catalog.public.myAccount') : me.displayName}
              </Link>
            ) : (
              <Link to={`/login?next=${next}`} data-testid="public-login">
                {t('login.submit')}
              </Link>
            )}
          </Flex>
        </Flex>
      </header>
      <main className="tb-public-main">
        <Outlet />
      </main>
      <footer style={{ textAlign: 'center', padding: '0 12px 24px' }}>
        <Typography.Text type="secondary">{t('app.title')}</Typography.Text>
      </footer>
    </div>
  );
}
