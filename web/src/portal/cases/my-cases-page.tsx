import { Button, Card, Empty, Flex, Pagination, Segmented, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type CaseSummary, casesApi } from '../../api/cases';
import { CaseStatusTag, DeadlineTag } from '../../components/case-parts';
import '../../components/cases.css';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/page-container';
import { usePagedList } from '../../components/use-paged-list';
import { type MessageKey, useT } from '../../i18n/i18n';

const FILTERS: { key: string; label: MessageKey; status?: string }[] = [
  { key: 'all', label: 'portal.cases.all' },
  {
    key: 'open',
    label: 'portal.cases.inProgress',
    status: 'submitted,registered,correcting,accepted,suspended,approved,denied',
  },
  { key: 'done', label: 'portal.cases.done', status: 'completed,delivered' },
  { key: 'drafts', label: 'portal.cases.drafts', status: 'draft,returned' },
];

/** Drafts and returned cases open in the application form; everything else on its case page. */
export function caseLink(c: Pick<CaseSummary, 'id' | 'status' | 'itemCode'>): string {
  return c.status === 'draft' || c.status === 'returned'
    ? `/portal/apply/${encodeURIComponent(c.itemCode)}?draft=${c.id}`
    : `/portal/cases/${c.id}`;
}

function CaseCard({ item }: { item: CaseSummary }) {
  const t = useT();
  return (
    <Card size="small" className="tb-case-card" data-testid="my-case" data-number={item.number}>
      <h3 style={{ fontSize: 16, margin: '0 0 6px' }}>
        <Link to={`/portal/cases/${item.id}`}>{item.itemName}</Link>
      </h3>
      <Flex gap="small" wrap align="center" style={{ marginBottom: 4 }}>
        <CaseStatusTag status={item.status} />
        {item.stepName && item.status === 'accepted' ? <span>{item.stepName}</span> : null}
        {item.promisedDue ? <DeadlineTag summary={item} /> : null}
      </Flex>
      <Typography.Text type="secondary">
        {t('case.number')}: {item.number} · {item.departmentName} · {formatDateTime(item.updatedAt)}
      </Typography.Text>
      {item.status === 'draft' || item.status === 'returned' ? (
        <div style={{ marginTop: 8 }}>
          <Link to={caseLink(item)}>
            <Button size="small" type="primary">
              {t('portal.cases.continue')}
              <span className="tb-visually-hidden">: {item.itemName}</span>
            </Button>
          </Link>
        </div>
      ) : null}
    </Card>
  );
}

/** 我的办件: the applicant's cases, online and at the window, with status and deadline. Phone first. */
export function MyCasesPage() {
  const t = useT();
  const [filter, setFilter] = useState('all');
  const status = FILTERS.find((f) => f.key === filter)?.status;
  const list = usePagedList('cases', casesApi.list, { status });
  return (
    <div className="tb-portal-narrow">
      <PageContainer
        title={t('portal.cases.title')}
        subTitle={t('portal.cases.intro')}
        extra={
          <Link to="/portal/catalog">
            <Button type="primary">{t('portal.cases.browse')}</Button>
          </Link>
        }
      >
        <Segmented
          aria-label={t('portal.cases.filter')}
          value={filter}
          onChange={setFilter}
          options={FILTERS.map((f) => ({ value: f.key, label: t(f.label) }))}
          style={{ marginBottom: 16 }}
        />
        {list.query.isError ? (
          <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : list.query.isPending ? (
          <Skeleton active />
        ) : list.items.length === 0 ? (
          <Empty description={t('portal.cases.empty')} />
        ) : (
          <>
            <div data-testid="my-cases" aria-busy={list.query.isFetching}>
              {list.items.map((item) => (
                <CaseCard key={item.id} item={item} />
              ))}
            </div>
            <Pagination
              {...list.pagination}
              size="small"
              showSizeChanger={false}
              style={{ marginTop: 8, justifyContent: 'center' }}
            />
          </>
        )}
      </PageContainer>
    </div>
  );
}
