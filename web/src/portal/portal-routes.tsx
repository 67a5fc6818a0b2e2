import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell } from '../shell/app-shell';
import { PortalHome } from './portal-home';

export default function PortalRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="portal" />}>
        <Route index element={<PortalHome />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
