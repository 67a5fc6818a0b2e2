import { Alert, Button, Result } from 'antd';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { useT } from '../i18n/i18n';

/** 403 as an antd Result with the server's reason. */
export function NoPermission({ message }: { message?: string }) {
  const t = useT();
  return (
    <div data-testid="no-permission">
      <Result
        status="403"
        title={t('error.noPermission')}
        subTitle={message ?? t('error.noPermissionHint')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.home')}</Button>
          </Link>
        }
      />
    </div>
  );
}

export function NotFound() {
  const t = useT();
  return (
    <div data-testid="not-found">
      <Result
        status="404"
        title={t('error.notFound')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.home')}</Button>
          </Link>
        }
      />
    </div>
  );
}

/** What a page shows instead of its content when loading it failed. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  if (isApiError(error) && error.status === 403) return <NoPermission message={error.message} />;
  if (isApiError(error) && error.status === 404) return <NotFound />;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      type="error"
      showIcon
      title={t('error.loadFailed')}
      description={message}
      action={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}
