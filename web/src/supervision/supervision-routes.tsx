import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell } from '../shell/app-shell';
import { SupervisionHome } from './supervision-home';

export default function SupervisionRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="supervision" />}>
        <Route index element={<SupervisionHome />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
