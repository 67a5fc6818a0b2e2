import { Route, Routes } from 'react-router';
import { NotFound } from '../components/error-result';
import { AppShell } from '../shell/app-shell';
import { WorkbenchHome } from './workbench-home';

export default function WorkbenchRoutes() {
  return (
    <Routes>
      <Route element={<AppShell face="workbench" />}>
        <Route index element={<WorkbenchHome />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
