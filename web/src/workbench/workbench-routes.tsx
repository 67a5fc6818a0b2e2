import {
  ApartmentOutlined,
  FormOutlined,
  FundProjectionScreenOutlined,
  HomeOutlined,
  InboxOutlined,
} from '@ant-design/icons';
import { Route, Routes } from 'react-router';
import { useSession } from '../auth/session';
import { NotFound } from '../components/error-result';
import { JointBoardPage, JointCasePage, ProjectCardPage, ProjectsPage } from '../joint/workbench-joint-pages';
import { AppShell, type MenuEntry } from '../shell/app-shell';
import { WorkbenchCasePage } from './cases/case-page';
import { InboxPage } from './cases/inbox-page';
import { RegisterPage } from './cases/register-page';
import { WorkbenchHome } from './workbench-home';

export default function WorkbenchRoutes() {
  const { activeRole } = useSession();
  // Window clerks register walk-ins, proxy agents file for the applicants they help (代办).
  const register: MenuEntry | null =
    activeRole?.role === 'window_clerk'
      ? { path: '/workbench/register', label: 'workbench.menu.register', icon: <FormOutlined /> }
      : activeRole?.role === 'proxy_agent'
        ? { path: '/workbench/register', label: 'walkIn.proxyTitle', icon: <FormOutlined /> }
        : null;
  const menu: MenuEntry[] = [
    { path: '/workbench', label: 'workbench.menu.home', icon: <HomeOutlined /> },
    { path: '/workbench/cases', label: 'workbench.menu.cases', icon: <InboxOutlined /> },
    ...(register ? [register] : []),
    { path: '/workbench/joint', label: 'joint.board.menu', icon: <ApartmentOutlined /> },
    { path: '/workbench/projects', label: 'joint.projects.menu', icon: <FundProjectionScreenOutlined /> },
  ];
  return (
    <Routes>
      <Route element={<AppShell face="workbench" menu={menu} />}>
        <Route index element={<WorkbenchHome />} />
        <Route path="cases" element={<InboxPage />} />
        <Route path="cases/:id" element={<WorkbenchCasePage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="joint" element={<JointBoardPage />} />
        <Route path="joint/:id" element={<JointCasePage />} />
        <Route path="projects" element={<ProjectsPage />} />
        <Route path="projects/:id" element={<ProjectCardPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
