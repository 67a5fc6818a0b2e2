import { Tag } from 'antd';
import type { Authorization, AuthorizationStatus } from '../api/types';
import { useT } from '../i18n/i18n';

const STATUS_COLORS: Record<AuthorizationStatus, string> = {
  active: 'success',
  pending: 'processing',
  expired: 'default',
  revoked: 'error',
};

export function AuthorizationStatusTag({ status }: { status: AuthorizationStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`authz.status.${status}`)}</Tag>;
}

export function AuthorizationActions({ letter }: { letter: Authorization }) {
  const t = useT();
  return (
    <>
      {letter.actions.map((action) => (
        <Tag key={action}>{t(`authz.action.${action}`)}</Tag>
      ))}
    </>
  );
}

export function AuthorizationScopeText({ letter }: { letter: Authorization }) {
  const t = useT();
  return letter.scope === 'all' ? (
    <span>{t('authz.scope.all')}</span>
  ) : (
    <span>
      {t('authz.scope.items')}: {letter.itemCodes.join(', ')}
    </span>
  );
}

export function validityText(t: ReturnType<typeof useT>, letter: Authorization): string {
  return `${letter.validFrom} – ${letter.validUntil ?? t('authz.openEnded')}`;
}
