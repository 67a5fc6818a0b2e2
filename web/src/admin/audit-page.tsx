import { Descriptions, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { auditApi } from '../api/org';
import { type AuditEntry, ROLES, type Role } from '../api/types';
import { ErrorResult } from '../components/error-result';
import { formatDateTime } from '../components/format';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { usePagedList } from '../components/use-paged-list';
import { type MessageKey, useT } from '../i18n/i18n';

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span>—</span>;
  return <pre className="tb-json">{JSON.stringify(value, null, 2)}</pre>;
}

type FilterKey = 'targetType' | 'targetId' | 'actorId';
const FILTERS: { key: FilterKey; label: MessageKey }[] = [
  { key: 'targetType', label: 'audit.targetType' },
  { key: 'targetId', label: 'audit.targetId' },
  { key: 'actorId', label: 'audit.actorId' },
];

/** 审计日志: who did what, in which role, when, from what to what, and why. Read-only. */
export function AuditPage() {
  const t = useT();
  const [filters, setFilters] = useState<Record<FilterKey, string | undefined>>({
    targetType: undefined,
    targetId: undefined,
    actorId: undefined,
  });
  const list = usePagedList('audit', auditApi.list, filters);

  return (
    <PageContainer title={t('admin.menu.audit')} subTitle={t('audit.intro')}>
      <ListToolbar
        onSearch={list.setQ}
        filters={FILTERS.map((f) => (
          <Input.Search
            key={f.key}
            allowClear
            aria-label={t(f.label)}
            placeholder={t(f.label)}
            style={{ width: 180 }}
            onSearch={(value) =>
              setFilters((current) => ({ ...current, [f.key]: value.trim() || undefined }))
            }
          />
        ))}
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<AuditEntry>
          rowKey="id"
          data-testid="audit-table"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          expandable={{
            expandedRowRender: (entry) => (
              <Descriptions column={{ xs: 1, lg: 2 }} size="small" bordered>
                <Descriptions.Item label={t('audit.before')}>
                  <Json value={entry.before} />
                </Descriptions.Item>
                <Descriptions.Item label={t('audit.after')}>
                  <Json value={entry.after} />
                </Descriptions.Item>
              </Descriptions>
            ),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', render: formatDateTime, width: 170 },
            {
              title: t('audit.actor'),
              key: 'actor',
              render: (_, entry) => (
                <>
                  {entry.actorName ?? '—'}
                  {entry.viaBackupOf ? (
                    <Tag color="warning" style={{ marginLeft: 4 }}>
                      {t('audit.viaBackupOf', { name: entry.viaBackupOf })}
                    </Tag>
                  ) : null}
                </>
              ),
            },
            {
              title: t('audit.actorRole'),
              dataIndex: 'actorRole',
              render: (role: string | null) => (role && isRole(role) ? t(`role.${role}`) : (role ?? '—')),
            },
            { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <Tag>{a}</Tag> },
            {
              title: t('audit.target'),
              key: 'target',
              render: (_, entry) => `${entry.targetType}${entry.targetId ? ` · ${entry.targetId}` : ''}`,
            },
            { title: t('audit.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </PageContainer>
  );
}
