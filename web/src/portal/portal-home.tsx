import { Button, Card, Descriptions, Space } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMe } from '../auth/session';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';
import { LanguageSwitch } from '../shell/language-switch';
import { PasswordDialog } from '../shell/password-dialog';

/** The applicant's own account: who they are signed in as, and what they can change. */
export function PortalHome() {
  const t = useT();
  const me = useMe();
  const [passwordOpen, setPasswordOpen] = useState(false);
  return (
    <PageContainer title={t('portal.title')} subTitle={t('portal.welcome', { name: me.displayName })}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('portal.account')}>
          <Descriptions column={1} data-testid="account-info">
            <Descriptions.Item label={t('portal.displayName')}>{me.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('portal.mobile')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('portal.accountType')}>
              {t(`accountType.${me.accountType}`)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('catalog.public.search')}>
          <Space wrap>
            <Link to="/portal/catalog">
              <Button type="primary">{t('catalog.public.browse')}</Button>
            </Link>
            <Link to="/portal/cases">{t('portal.menu.cases')}</Link>
            <Link to="/portal/catalog/themes">{t('catalog.public.themes')}</Link>
            <Link to="/portal/catalog/lists">{t('catalog.public.lists')}</Link>
          </Space>
        </Card>
        <Card title={t('portal.settings')}>
          <Space orientation="vertical">
            <Button onClick={() => setPasswordOpen(true)}>{t('header.changePassword')}</Button>
            <Space>
              <span>{t('lang.label')}</span>
              <LanguageSwitch />
            </Space>
          </Space>
        </Card>
      </Space>
      <PasswordDialog open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </PageContainer>
  );
}
