import { Route, Routes } from 'react-router';
import { NotFound } from '../../components/error-result';
import { GuidePage } from './guide-page';
import { PublicListPage } from './lists-page';
import { PublicShell } from './public-shell';
import { SearchPage } from './search-page';
import { ThemesPage } from './themes-page';

/** /portal/catalog/*: the public catalog — search, themes, item guides and the lists. No login needed. */
export default function PublicCatalogRoutes() {
  return (
    <Routes>
      <Route element={<PublicShell />}>
        <Route index element={<SearchPage />} />
        <Route path="themes" element={<ThemesPage />} />
        <Route path="items/:code" element={<GuidePage />} />
        <Route path="lists" element={<PublicListPage />} />
        <Route path="lists/:list" element={<PublicListPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
