import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell } from '../shell/app-shell';
import { ApplySoonPage } from './catalog/apply-soon';
import { PortalHome } from './portal-home';

export default function PortalRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="portal" />}>
        <Route index element={<PortalHome />} />
        {/* The case module replaces this with the online application. */}
        <Route path="apply/:itemCode" element={<ApplySoonPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
