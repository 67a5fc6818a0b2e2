import { FileSearchOutlined, MailOutlined, ProfileOutlined, UserOutlined } from '@ant-design/icons';
import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell, type MenuEntry } from '../shell/app-shell';
import { ApplyPage } from './cases/apply-page';
import { PortalCasePage } from './cases/case-page';
import { MyCasesPage } from './cases/my-cases-page';
import { MessagesBadge } from './messages/messages-badge';
import { MessagesPage } from './messages/messages-page';
import { PortalHome } from './portal-home';

const PORTAL_MENU: MenuEntry[] = [
  { path: '/portal', label: 'portal.menu.home', icon: <UserOutlined /> },
  { path: '/portal/cases', label: 'portal.menu.cases', icon: <ProfileOutlined /> },
  { path: '/portal/messages', label: 'portal.menu.messages', icon: <MailOutlined /> },
  { path: '/portal/catalog', label: 'portal.menu.catalog', icon: <FileSearchOutlined /> },
];

export default function PortalRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="portal" menu={PORTAL_MENU} headerExtra={<MessagesBadge />} />}>
        <Route index element={<PortalHome />} />
        <Route path="apply/:itemCode" element={<ApplyPage />} />
        <Route path="cases" element={<MyCasesPage />} />
        <Route path="cases/:id" element={<PortalCasePage />} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
