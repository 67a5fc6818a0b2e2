import { AlertOutlined, DashboardOutlined, TrophyOutlined } from '@ant-design/icons';
import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell, type MenuEntry } from '../shell/app-shell';
import { AlertsPage } from './alerts-page';
import { AssessmentPage } from './assessment-page';
import { DashboardPage } from './dashboard-page';

const menu: MenuEntry[] = [
  { path: '/supervision', label: 'sup.menu.board', icon: <DashboardOutlined /> },
  { path: '/supervision/alerts', label: 'sup.menu.alerts', icon: <AlertOutlined /> },
  { path: '/supervision/assessment', label: 'sup.menu.assessment', icon: <TrophyOutlined /> },
];

export default function SupervisionRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="supervision" menu={menu} />}>
        <Route index element={<DashboardPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="assessment" element={<AssessmentPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
