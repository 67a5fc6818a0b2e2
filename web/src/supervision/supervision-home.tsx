import { OrgOverview } from '../components/org-overview';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';

/** 电子监察 landing: for now the organisation in figures. */
export function SupervisionHome() {
  const t = useT();
  return (
    <PageContainer title={t('supervision.title')} subTitle={t('supervision.overview')}>
      <OrgOverview linked={false} />
    </PageContainer>
  );
}
