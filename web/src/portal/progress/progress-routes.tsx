import { Route, Routes } from 'react-router';
import { NotFound } from '../../components/error-result';
import { PublicShell } from '../catalog/public-shell';
import { ProgressPage } from './progress-page';

/** /progress: the public progress query, in the frame of the public pages. No login needed. */
export default function ProgressRoutes() {
  return (
    <Routes>
      <Route element={<PublicShell />}>
        <Route index element={<ProgressPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
