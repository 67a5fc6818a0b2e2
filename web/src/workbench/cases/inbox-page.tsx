import { Segmented, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { CASE_STATUSES, type CaseScope, type CaseSummary, casesApi } from '../../api/cases';
import { caseStatusLabel, channelLabel } from '../../components/case-labels';
import { CaseStatusTag, DeadlineTag } from '../../components/case-parts';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { ListToolbar } from '../../components/list-toolbar';
import { PageContainer } from '../../components/page-container';
import { ScrollRegion } from '../../components/scroll-region';
import { usePagedList } from '../../components/use-paged-list';
import { useT } from '../../i18n/i18n';

const SCOPES = ['inbox', 'claimed', 'department', 'mine'] as const satisfies readonly CaseScope[];
const WARNING_FILTERS = ['green', 'yellow', 'red'] as const;

/**
 * 办件 (/workbench/cases): what waits for the user's roles (待办), the department's cases or the ones they
 * registered — soonest deadline first, coloured green, yellow or red with the working days left in words;
 * filtered by status and deadline, searched by number, item or applicant.
 */
export function InboxPage() {
  const t = useT();
  const [scope, setScope] = useState<CaseScope>('inbox');
  const [statuses, setStatuses] = useState<string[]>([]);
  const [warning, setWarning] = useState<(typeof WARNING_FILTERS)[number] | undefined>();
  const list = usePagedList('cases', casesApi.list, {
    scope,
    status: statuses.length > 0 ? statuses.join(',') : undefined,
    warning,
  });

  return (
    <PageContainer title={t('inbox.title')} subTitle={t('inbox.intro')}>
      <Segmented<CaseScope>
        aria-label={t('inbox.scope')}
        value={scope}
        onChange={setScope}
        options={SCOPES.map((s) => ({ value: s, label: t(`inbox.scope.${s}`) }))}
        style={{ marginBottom: 16 }}
        data-testid="inbox-scope"
      />
      <ListToolbar
        onSearch={list.setQ}
        searchLabel={t('inbox.search')}
        filters={
          <>
            <Select<string[]>
              mode="multiple"
              allowClear
              aria-label={t('inbox.filterStatus')}
              placeholder={t('inbox.filterStatus')}
              style={{ minWidth: 200 }}
              value={statuses}
              onChange={setStatuses}
              options={CASE_STATUSES.map((s) => ({ value: s, label: caseStatusLabel(t, s) }))}
              data-testid="filter-status"
            />
            <Select
              allowClear
              aria-label={t('inbox.filterWarning')}
              placeholder={t('inbox.filterWarning')}
              style={{ width: 160 }}
              value={warning}
              onChange={setWarning}
              options={WARNING_FILTERS.map((w) => ({ value: w, label: t(`case.warning.${w}`) }))}
              data-testid="filter-warning"
            />
          </>
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <ScrollRegion label={t('inbox.table')}>
          <Table<CaseSummary>
            rowKey="id"
            data-testid="cases-table"
            loading={list.query.isFetching}
            dataSource={list.items}
            pagination={list.pagination}
            scroll={{ x: 1320 }}
            locale={{ emptyText: t('inbox.empty') }}
            onRow={(row) => ({ 'data-number': row.number, 'data-warning': row.warning }) as object}
            columns={[
              {
                title: t('case.number'),
                dataIndex: 'number',
                width: 190,
                render: (number: string, row) => (
                  <Link to={`/workbench/cases/${row.id}`} data-testid="case-link">
                    {number}
                  </Link>
                ),
              },
              { title: t('case.item'), dataIndex: 'itemName', width: 220 },
              { title: t('case.applicant'), dataIndex: 'applicantName', width: 120 },
              {
                title: t('case.channel'),
                dataIndex: 'channel',
                width: 100,
                render: (_, row) => channelLabel(t, row.channel),
              },
              {
                title: t('case.status'),
                key: 'status',
                width: 150,
                render: (_, row) => (
                  <>
                    <CaseStatusTag status={row.status} />
                    {row.deficiencyPending ? <Tag color="warning">{t('inbox.deficiency')}</Tag> : null}
                  </>
                ),
              },
              {
                title: t('case.step'),
                dataIndex: 'stepName',
                width: 110,
                render: (s: string | null) => s ?? '—',
              },
              {
                title: t('case.deadline'),
                key: 'deadline',
                width: 230,
                render: (_, row) => <DeadlineTag summary={row} />,
              },
              {
                title: t('case.receivedAt'),
                dataIndex: 'receivedAt',
                width: 170,
                render: (v: string | null) => formatDateTime(v),
              },
            ]}
          />
        </ScrollRegion>
      )}
    </PageContainer>
  );
}
