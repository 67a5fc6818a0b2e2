import { FormOutlined, HomeOutlined, InboxOutlined } from '@ant-design/icons';
import { Route, Routes } from 'react-router';
import { useMe } from '../auth/session';
import { NotFound } from '../components/error-result';
import { AppShell, type MenuEntry } from '../shell/app-shell';
import { WorkbenchCasePage } from './cases/case-page';
import { InboxPage } from './cases/inbox-page';
import { RegisterPage } from './cases/register-page';
import { WorkbenchHome } from './workbench-home';

export default function WorkbenchRoutes() {
  const me = useMe();
  const registers = me.roles.some((r) => r.role === 'window_clerk' || r.role === 'proxy_agent');
  const menu: MenuEntry[] = [
    { path: '/workbench', label: 'workbench.menu.home', icon: <HomeOutlined /> },
    { path: '/workbench/cases', label: 'workbench.menu.cases', icon: <InboxOutlined /> },
    ...(registers
      ? [{ path: '/workbench/register', label: 'workbench.menu.register' as const, icon: <FormOutlined /> }]
      : []),
  ];
  return (
    <Routes>
      <Route element={<AppShell face="workbench" menu={menu} />}>
        <Route index element={<WorkbenchHome />} />
        <Route path="cases" element={<InboxPage />} />
        <Route path="cases/:id" element={<WorkbenchCasePage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
