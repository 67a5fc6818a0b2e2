import { Flex } from 'antd';
import { NavLink } from 'react-router';
import '../components/cases.css';
import { useT } from '../i18n/i18n';
import { MessagesBadge } from './messages/messages-badge';

/**
 * The portal's navigation, in the header rather than a side menu: on a phone it wraps under the brand
 * instead of hiding behind a drawer button. The bell shows the unread messages.
 */
export function PortalNav() {
  const t = useT();
  return (
    <nav aria-label={t('nav.label')} className="tb-portal-nav">
      <Flex align="center" gap="middle" wrap>
        <NavLink to="/portal" end className="tb-header-link">
          {t('portal.menu.home')}
        </NavLink>
        <NavLink to="/portal/cases" className="tb-header-link" data-testid="nav-my-cases">
          {t('portal.menu.cases')}
        </NavLink>
        <NavLink to="/portal/catalog" className="tb-header-link">
          {t('portal.menu.catalog')}
        </NavLink>
        <NavLink to="/portal/joint" className="tb-header-link" data-testid="nav-joint">
          {t('joint.portal.menu')}
        </NavLink>
        <MessagesBadge />
      </Flex>
    </nav>
  );
}
