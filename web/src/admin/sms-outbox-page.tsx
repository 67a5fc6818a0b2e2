import { Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  NOTIFICATION_STATUSES,
  type Notification,
  type NotificationStatus,
  notificationsApi,
} from '../api/messages';
import { ErrorResult } from '../components/error-result';
import { formatDateTime } from '../components/format';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { ScrollRegion } from '../components/scroll-region';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

const STATUS_COLORS: Record<NotificationStatus, string> = {
  pending: 'default',
  sending: 'processing',
  retry: 'warning',
  sent: 'success',
  failed: 'error',
};

/**
 * 短信发件箱 (/admin/sms-outbox): the SMS the platform sent at each step of the cases (统一告知), numbers
 * masked. In the demo a local outbox stands in for the SMS gateway, and this page shows what it "sent".
 */
export function SmsOutboxPage() {
  const t = useT();
  const [status, setStatus] = useState<NotificationStatus | undefined>();
  const list = usePagedList(
    'notifications',
    (query) =>
      notificationsApi.list({
        page: query.page,
        pageSize: query.pageSize,
        channel: 'sms',
        status: query.status,
      }),
    { status },
  );
  return (
    <PageContainer title={t('admin.menu.smsOutbox')} subTitle={t('sms.intro')}>
      <ListToolbar
        filters={
          <Select
            allowClear
            aria-label={t('sms.filterStatus')}
            placeholder={t('sms.filterStatus')}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={NOTIFICATION_STATUSES.map((s) => ({ value: s, label: t(`sms.status.${s}`) }))}
          />
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <ScrollRegion label={t('admin.menu.smsOutbox')}>
          <Table<Notification>
            rowKey="id"
            data-testid="sms-table"
            loading={list.query.isFetching}
            dataSource={list.items}
            pagination={list.pagination}
            scroll={{ x: 1000 }}
            columns={[
              { title: t('sms.createdAt'), dataIndex: 'createdAt', width: 170, render: formatDateTime },
              { title: t('sms.recipient'), dataIndex: 'recipient', width: 130 },
              {
                title: t('sms.text'),
                dataIndex: 'text',
                render: (text: string) => (
                  <Typography.Paragraph style={{ margin: 0, maxWidth: 520 }}>{text}</Typography.Paragraph>
                ),
              },
              {
                title: t('common.status'),
                dataIndex: 'status',
                width: 100,
                render: (s: NotificationStatus) => <Tag color={STATUS_COLORS[s]}>{t(`sms.status.${s}`)}</Tag>,
              },
              { title: t('sms.sentAt'), dataIndex: 'sentAt', width: 170, render: formatDateTime },
              { title: t('sms.event'), dataIndex: 'eventType', width: 170 },
              {
                title: t('sms.provider'),
                dataIndex: 'provider',
                width: 90,
                render: (p: string | null) => p ?? '—',
              },
            ]}
          />
        </ScrollRegion>
      )}
    </PageContainer>
  );
}
