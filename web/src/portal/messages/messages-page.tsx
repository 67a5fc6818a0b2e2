import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Pagination, Skeleton, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Message, messagePath, messagesApi } from '../../api/messages';
import { useReportError } from '../../components/api-errors';
import '../../components/cases.css';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/page-container';
import { usePagedList } from '../../components/use-paged-list';
import { useT } from '../../i18n/i18n';

/** 站内信: what the platform told the applicant at each step of their cases, newest first. */
export function MessagesPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const report = useReportError();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const list = usePagedList(
    'messages',
    (query) =>
      messagesApi.list({ page: query.page, pageSize: query.pageSize, unread: query.unread === 'true' }),
    { unread: onlyUnread ? 'true' : undefined },
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['messages'] });
  const read = useMutation({ mutationFn: messagesApi.read, onSuccess: refresh, onError: (e) => report(e) });
  const readAll = useMutation({
    mutationFn: messagesApi.readAll,
    onSuccess: refresh,
    onError: (e) => report(e),
  });
  const unread = (list.query.data as { unread?: number } | undefined)?.unread ?? 0;

  const open = (m: Message) => {
    if (!m.readAt) read.mutate(m.id);
  };

  return (
    <div className="tb-portal-narrow">
      <PageContainer
        title={t('messages.title')}
        subTitle={
          <>
            {t('messages.intro')}{' '}
            <span data-testid="messages-unread">{t('messages.unreadCount', { count: unread })}</span>
          </>
        }
        extra={
          <Button onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={unread === 0}>
            {t('messages.readAll')}
          </Button>
        }
      >
        <Flex align="center" gap="small" style={{ marginBottom: 16 }}>
          <Switch
            checked={onlyUnread}
            onChange={setOnlyUnread}
            aria-label={t('messages.onlyUnread')}
            id="only-unread"
          />
          <label htmlFor="only-unread">{t('messages.onlyUnread')}</label>
        </Flex>
        {list.query.isError ? (
          <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : list.query.isPending ? (
          <Skeleton active />
        ) : list.items.length === 0 ? (
          <Empty description={t('messages.empty')} />
        ) : (
          <>
            <div data-testid="messages">
              {list.items.map((m) => {
                const path = messagePath(m.link);
                return (
                  <Card
                    key={m.id}
                    size="small"
                    className="tb-case-card"
                    data-testid="message"
                    data-read={!!m.readAt}
                  >
                    <h3
                      className={m.readAt ? undefined : 'tb-message-unread'}
                      style={{ fontSize: 15, margin: '0 0 4px' }}
                    >
                      {m.readAt ? null : <Tag color="processing">{t('messages.unread')}</Tag>}
                      {m.title}
                    </h3>
                    <Typography.Paragraph style={{ margin: '0 0 4px' }}>{m.body}</Typography.Paragraph>
                    <Flex gap="middle" wrap align="center">
                      <Typography.Text type="secondary">{formatDateTime(m.createdAt)}</Typography.Text>
                      {path ? (
                        <Link to={path} onClick={() => open(m)}>
                          {t('messages.open')}
                        </Link>
                      ) : null}
                      {m.readAt ? null : (
                        <Button size="small" onClick={() => read.mutate(m.id)}>
                          {t('messages.markRead')}
                        </Button>
                      )}
                    </Flex>
                  </Card>
                );
              })}
            </div>
            <Pagination {...list.pagination} size="small" showSizeChanger={false} style={{ marginTop: 8 }} />
          </>
        )}
      </PageContainer>
    </div>
  );
}
