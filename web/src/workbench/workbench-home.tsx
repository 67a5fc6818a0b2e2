import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Table, Tag } from 'antd';
import { authorizationsApi } from '../api/org';
import type { Authorization } from '../api/types';
import { useMe, useSession } from '../auth/session';
import {
  AuthorizationActions,
  AuthorizationScopeText,
  AuthorizationStatusTag,
  validityText,
} from '../components/authorization-tags';
import { ErrorResult } from '../components/error-result';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';
import { roleLabel } from '../shell/role-label';

/** A staff member's desk: the roles they hold and the authorisation letters that empower them. */
export function WorkbenchHome() {
  const t = useT();
  const me = useMe();
  const { activeRole } = useSession();
  const letters = useQuery({
    queryKey: ['authorizations', 'mine', me.id],
    queryFn: () => authorizationsApi.list({ staffId: me.id, pageSize: 100 }),
  });
  const departments = [
    ...new Set(me.roles.map((r) => r.departmentName).filter((d): d is string => Boolean(d))),
  ];

  return (
    <PageContainer title={t('workbench.title')} subTitle={t('portal.welcome', { name: me.displayName })}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card title={t('workbench.me')}>
          <Descriptions column={{ xs: 1, md: 2 }} data-testid="workbench-me">
            <Descriptions.Item label={t('staff.displayName')}>{me.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('staff.username')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('workbench.department')}>
              {departments.length > 0 ? departments.join('、') : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('workbench.activeRole')}>
              {activeRole ? roleLabel(t, activeRole) : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('workbench.roles')} span={2}>
              {me.roles.length > 0
                ? me.roles.map((r) => (
                    <Tag key={r.id} color={r.id === activeRole?.id ? 'processing' : undefined}>
                      {roleLabel(t, r)}
                    </Tag>
                  ))
                : t('common.none')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('workbench.authorizations')}>
          {letters.isError ? (
            <ErrorResult error={letters.error} onRetry={() => void letters.refetch()} />
          ) : (
            <Table<Authorization>
              data-testid="my-authorizations"
              rowKey="id"
              loading={letters.isPending}
              dataSource={letters.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: t('workbench.noAuthorizations') }}
              columns={[
                { title: t('authz.department'), dataIndex: 'departmentName' },
                {
                  title: t('authz.actions'),
                  key: 'actions',
                  render: (_, letter) => <AuthorizationActions letter={letter} />,
                },
                {
                  title: t('authz.scope'),
                  key: 'scope',
                  render: (_, letter) => <AuthorizationScopeText letter={letter} />,
                },
                {
                  title: t('authz.validity'),
                  key: 'validity',
                  render: (_, letter) => validityText(t, letter),
                },
                {
                  title: t('common.status'),
                  key: 'status',
                  render: (_, letter) => <AuthorizationStatusTag status={letter.status} />,
                },
              ]}
            />
          )}
        </Card>
      </Space>
    </PageContainer>
  );
}
