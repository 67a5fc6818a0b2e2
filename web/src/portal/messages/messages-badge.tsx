import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge } from 'antd';
import { Link } from 'react-router';
import { messagesApi } from '../../api/messages';
import { useT } from '../../i18n/i18n';

export const UNREAD_QUERY_KEY = ['messages', 'unread'] as const;

/** The bell in the header with the number of unread messages; it leads to the inbox. */
export function MessagesBadge() {
  const t = useT();
  const unread = useQuery({
    queryKey: UNREAD_QUERY_KEY,
    queryFn: async () => (await messagesApi.list({ pageSize: 1 })).unread,
    refetchInterval: 60_000,
  });
  const count = unread.data ?? 0;
  return (
    <Link
      to="/portal/messages"
      className="tb-header-link"
      aria-label={t('messages.badge', { count })}
      data-testid="messages-badge"
      data-unread={count}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <BellOutlined aria-hidden="true" style={{ fontSize: 20, color: '#fff' }} />
      </Badge>
    </Link>
  );
}
