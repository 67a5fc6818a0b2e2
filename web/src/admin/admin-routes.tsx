import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  ImportOutlined,
  KeyOutlined,
  MessageOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  SwapOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Route, Routes } from 'react-router';
import { isAdmin, useSession } from '../auth/session';
import { NotFound } from '../components/error-result';
import { AdminJointPage } from '../joint/admin-joint-page';
import { AppShell, type MenuEntry } from '../shell/app-shell';
import { AbPostsPage } from './ab-posts-page';
import { AdminHome } from './admin-home';
import { ApiTokensPage } from './api-tokens-page';
import { AuditPage } from './audit-page';
import { AuthorizationsPage } from './authorizations-page';
import { CalendarPage } from './calendar-page';
import { EntryPage } from './catalog/entry-page';
import { ImportPage } from './catalog/import-page';
import { AdminItemsPage, AdminListsPage } from './catalog/list-page';
import { DepartmentsPage } from './departments-page';
import { HallsPage } from './halls-page';
import { RegionsPage } from './regions-page';
import { SmsOutboxPage } from './sms-outbox-page';
import { StaffDetailPage } from './staff-detail-page';
import { StaffPage } from './staff-page';
import { WindowsPage } from './windows-page';

export const ADMIN_MENU: MenuEntry[] = [
  { path: '/admin', label: 'admin.menu.overview', icon: <DashboardOutlined /> },
  { path: '/admin/regions', label: 'admin.menu.regions', icon: <EnvironmentOutlined /> },
  { path: '/admin/halls', label: 'admin.menu.halls', icon: <BankOutlined /> },
  { path: '/admin/windows', label: 'admin.menu.windows', icon: <ShopOutlined /> },
  { path: '/admin/departments', label: 'admin.menu.departments', icon: <ApartmentOutlined /> },
  { path: '/admin/staff', label: 'admin.menu.staff', icon: <TeamOutlined /> },
  { path: '/admin/authorizations', label: 'admin.menu.authorizations', icon: <SafetyCertificateOutlined /> },
  { path: '/admin/ab-posts', label: 'admin.menu.abPosts', icon: <SwapOutlined /> },
  { path: '/admin/api-tokens', label: 'admin.menu.apiTokens', icon: <KeyOutlined /> },
  { path: '/admin/audit', label: 'admin.menu.audit', icon: <AuditOutlined /> },
  { path: '/admin/calendar', label: 'admin.menu.calendar', icon: <CalendarOutlined /> },
  { path: '/admin/catalog/items', label: 'admin.menu.catalogItems', icon: <ProfileOutlined /> },
  { path: '/admin/catalog/lists', label: 'admin.menu.catalogLists', icon: <UnorderedListOutlined /> },
  { path: '/admin/catalog/import', label: 'admin.menu.catalogImport', icon: <ImportOutlined /> },
  { path: '/admin/sms-outbox', label: 'admin.menu.smsOutbox', icon: <MessageOutlined /> },
  { path: '/admin/joint', label: 'joint.admin.menu', icon: <ApartmentOutlined /> },
];

/**
 * Every signed-in staff member may open these routes; what each may read or change is the server's
 * decision, and a refusal shows as "no permission" on the page.
 */
export default function AdminRoutes() {
  const { me } = useSession();
  return (
    <Routes>
      <Route element={<AppShell face="admin" menu={isAdmin(me) ? ADMIN_MENU : undefined} />}>
        <Route index element={<AdminHome />} />
        <Route path="regions" element={<RegionsPage />} />
        <Route path="halls" element={<HallsPage />} />
        <Route path="windows" element={<WindowsPage />} />
        <Route path="departments" element={<DepartmentsPage />} />
        <Route path="staff" element={<StaffPage />} />
        <Route path="staff/:id" element={<StaffDetailPage />} />
        <Route path="authorizations" element={<AuthorizationsPage />} />
        <Route path="ab-posts" element={<AbPostsPage />} />
        <Route path="api-tokens" element={<ApiTokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="calendar" element={<CalendarPage />} />
        <Route path="catalog/items" element={<AdminItemsPage />} />
        <Route path="catalog/items/:code" element={<EntryPage kind="item" />} />
        <Route path="catalog/lists" element={<AdminListsPage />} />
        <Route path="catalog/lists/:list" element={<AdminListsPage />} />
        <Route path="catalog/lists/:list/:code" element={<EntryPage />} />
        <Route path="catalog/import" element={<ImportPage />} />
        <Route path="sms-outbox" element={<SmsOutboxPage />} />
        <Route path="joint" element={<AdminJointPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
