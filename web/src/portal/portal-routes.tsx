import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { PortalJointApply, PortalJointCase, PortalJointHome } from '../joint/portal-joint-pages';
import { AppShell } from '../shell/app-shell';
import { ApplyPage } from './cases/apply-page';
import { PortalCasePage } from './cases/case-page';
import { MyCasesPage } from './cases/my-cases-page';
import { MessagesPage } from './messages/messages-page';
import { PortalHome } from './portal-home';
import { PortalNav } from './portal-nav';

export default function PortalRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="portal" headerExtra={<PortalNav />} />}>
        <Route index element={<PortalHome />} />
        <Route path="apply/:itemCode" element={<ApplyPage />} />
        <Route path="cases" element={<MyCasesPage />} />
        <Route path="cases/:id" element={<PortalCasePage />} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="joint" element={<PortalJointHome />} />
        <Route path="joint/apply/:code" element={<PortalJointApply />} />
        <Route path="joint/:id" element={<PortalJointCase />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
