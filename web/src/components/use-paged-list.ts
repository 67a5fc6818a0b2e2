import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig } from 'antd';
import { useState } from 'react';
import type { ListQuery, Page } from '../api/types';
import { useT } from '../i18n/i18n';

export const DEFAULT_PAGE_SIZE = 20;

/**
 * One server-paged list: the search text, the page and the filters are the query key,
 * so changing any of them asks the server again. Changing the search or a filter goes back to page 1.
 */
export function usePagedList<T, F extends Record<string, string | number | undefined>>(
  resource: string,
  fetchPage: (query: ListQuery & F) => Promise<Page<T>>,
  filters: F,
) {
  const t = useT();
  const [q, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [lastFilters, setLastFilters] = useState(JSON.stringify(filters));

  const filterKey = JSON.stringify(filters);
  if (filterKey !== lastFilters) {
    setLastFilters(filterKey);
    setPage(1);
  }

  const query = useQuery({
    queryKey: [resource, 'list', { q, page, pageSize, ...filters }],
    queryFn: () => fetchPage({ ...filters, q, page, pageSize }),
    placeholderData: keepPreviousData,
  });

  const setQ = (value: string) => {
    setQuery(value.trim());
    setPage(1);
  };

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: query.data?.total ?? 0,
    showSizeChanger: true,
    showTotal: (total) => t('common.total', { total }),
    onChange: (nextPage, nextSize) => {
      setPage(nextSize !== pageSize ? 1 : nextPage);
      setPageSize(nextSize);
    },
  };

  return { query, q, setQ, page, pageSize, pagination, items: query.data?.items ?? [] };
}
