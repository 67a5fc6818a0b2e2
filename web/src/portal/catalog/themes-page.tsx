import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { catalogApi, type ThemeCounts } from '../../api/catalog';
import { ErrorResult } from '../../components/error-result';
import { useT } from '../../i18n/i18n';

function ThemeLinks({ themes, testId }: { themes: ThemeCounts['lifeEvents']; testId: string }) {
  const t = useT();
  return (
    <div className="tb-theme-grid" data-testid={testId}>
      {themes.map(({ theme, count }) => (
        <Link
          key={theme}
          to={`/portal/catalog?theme=${encodeURIComponent(theme)}`}
          className="tb-theme"
          aria-label={t('catalog.themes.linkLabel', { theme, count })}
        >
          <span>{theme}</span>
          <Typography.Text type="secondary">{count}</Typography.Text>
        </Link>
      ))}
    </div>
  );
}

/** The two ways into the catalog by topic: life events of a person and the life cycle of an enterprise. */
export function ThemeGrid({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const query = useQuery({ queryKey: ['catalog', 'themes'], queryFn: catalogApi.themes, staleTime: 60_000 });
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active />;
  const Heading = compact ? 'h3' : 'h2';
  return (
    <>
      <Card size="small" className="tb-guide-section">
        <Heading style={{ fontSize: 16, marginTop: 0 }}>{t('catalog.themes.person')}</Heading>
        <ThemeLinks themes={query.data.lifeEvents} testId="themes-person" />
      </Card>
      <Card size="small" className="tb-guide-section">
        <Heading style={{ fontSize: 16, marginTop: 0 }}>{t('catalog.themes.enterprise')}</Heading>
        <ThemeLinks themes={query.data.enterpriseStages} testId="themes-enterprise" />
      </Card>
    </>
  );
}

export function ThemesPage() {
  const t = useT();
  return (
    <>
      <h1 style={{ fontSize: 22 }}>{t('catalog.public.themes')}</h1>
      <Typography.Paragraph>{t('catalog.themes.intro')}</Typography.Paragraph>
      <ThemeGrid />
    </>
  );
}
