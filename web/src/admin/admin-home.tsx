import { OrgOverview } from '../components/org-overview';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';

export function AdminHome() {
  const t = useT();
  return (
    <PageContainer title={t('admin.home.title')} subTitle={t('admin.home.intro')}>
      <OrgOverview linked />
    </PageContainer>
  );
}
