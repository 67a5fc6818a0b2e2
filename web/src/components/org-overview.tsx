import { useQueries } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Tooltip } from 'antd';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { authorizationsApi, departmentsApi, hallsApi, regionsApi, staffApi, windowsApi } from '../api/org';
import type { ListQuery, Page } from '../api/types';
import { type MessageKey, useT } from '../i18n/i18n';

type Counter = {
  key: string;
  label: MessageKey;
  fetchTotal: (query: ListQuery) => Promise<Page<unknown>>;
  /** Where the list lives, for those who may open it. */
  href?: string;
};

const COUNTERS: Counter[] = [
  { key: 'regions', label: 'overview.regions', fetchTotal: regionsApi.list, href: '/admin/regions' },
  { key: 'halls', label: 'overview.halls', fetchTotal: hallsApi.list, href: '/admin/halls' },
  { key: 'windows', label: 'overview.windows', fetchTotal: windowsApi.list, href: '/admin/windows' },
  {
    key: 'departments',
    label: 'overview.departments',
    fetchTotal: departmentsApi.list,
    href: '/admin/departments',
  },
  { key: 'staff', label: 'overview.staff', fetchTotal: staffApi.list, href: '/admin/staff' },
  {
    key: 'authorizations',
    label: 'overview.authorizations',
    fetchTotal: authorizationsApi.list,
    href: '/admin/authorizations',
  },
];

/** The organisation in figures: the totals of the lists the user may read (a list they may not read shows a dash). */
export function OrgOverview({ linked }: { linked: boolean }) {
  const t = useT();
  const results = useQueries({
    queries: COUNTERS.map((counter) => ({
      queryKey: [counter.key, 'total'],
      queryFn: () => counter.fetchTotal({ page: 1, pageSize: 1 }),
    })),
  });
  return (
    <Row gutter={[16, 16]} data-testid="org-overview">
      {COUNTERS.map((counter, index) => {
        const result = results[index];
        const denied = isApiError(result?.error) && result.error.status === 403;
        const value = result?.data?.total;
        const title =
          linked && counter.href ? <Link to={counter.href}>{t(counter.label)}</Link> : t(counter.label);
        return (
          <Col key={counter.key} xs={12} md={8} xl={4}>
            <Card data-testid={`overview-${counter.key}`}>
              {result?.isError ? (
                <Tooltip title={denied ? t('overview.denied') : t('error.loadFailed')}>
                  <Statistic title={title} value="—" />
                </Tooltip>
              ) : (
                <Statistic title={title} value={value ?? 0} loading={result?.isPending} />
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
