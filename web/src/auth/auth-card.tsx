import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from '../i18n/i18n';
import { LanguageSwitch } from '../shell/language-switch';

/** The centred card that holds the login and registration forms. */
export function AuthCard({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="tb-auth">
      <Flex justify="flex-end" style={{ padding: 16 }}>
        <LanguageSwitch />
      </Flex>
      <main className="tb-auth-main">
        <header style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={1} style={{ marginBottom: 4, fontSize: 32 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text>{t('app.tagline')}</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <Link to="/portal/catalog" data-testid="catalog-link">
              {t('catalog.public.browse')}
            </Link>
          </div>
        </header>
        <Card className="tb-auth-card">{children}</Card>
      </main>
    </div>
  );
}
