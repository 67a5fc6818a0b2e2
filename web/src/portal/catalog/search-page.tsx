import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Checkbox, Empty, Flex, Input, Pagination, Select, Skeleton, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import {
  catalogApi,
  ENTERPRISE_STAGES,
  LEVELS,
  LIFE_EVENTS,
  ONLINE_DEPTHS,
  POWER_TYPES,
  SERVICE_OBJECTS,
  type SearchHit,
  type SearchQuery,
} from '../../api/catalog';
import { vocabLabel } from '../../components/catalog-labels';
import { ErrorResult } from '../../components/error-result';
import { useT } from '../../i18n/i18n';
import { ThemeGrid } from './themes-page';
import { usePublicDepartments } from './use-public-departments';

const PAGE_SIZE = 10;

/** The filters the URL carries, so that a search can be bookmarked, shared and gone back to. */
function readQuery(params: URLSearchParams): SearchQuery {
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const depth = Number(params.get('depth'));
  return {
    q: text('q'),
    departmentId: text('dept'),
    type: text('type'),
    level: text('level'),
    theme: text('theme'),
    serviceObject: text('object'),
    onlineDepth: depth >= 1 && depth <= 4 ? depth : undefined,
    immediate: params.get('immediate') === 'true' ? true : undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: PAGE_SIZE,
  };
}

const PARAM_OF: Record<string, string> = {
  q: 'q',
  departmentId: 'dept',
  type: 'type',
  level: 'level',
  theme: 'theme',
  serviceObject: 'object',
  onlineDepth: 'depth',
  immediate: 'immediate',
  page: 'page',
};

export function SearchHitCard({ hit }: { hit: SearchHit }) {
  const t = useT();
  return (
    <Card size="small" className="tb-hit" data-testid="search-hit">
      <h2>
        <Link to={`/portal/catalog/items/${encodeURIComponent(hit.code)}`}>{hit.name}</Link>
      </h2>
      <Typography.Paragraph style={{ marginBottom: 6 }}>{hit.departmentName}</Typography.Paragraph>
      <Flex gap={4} wrap>
        <Tag>{vocabLabel(t, 'powerType', hit.type)}</Tag>
        {hit.caseKind === 'immediate' ? (
          <Tag color="success">{t('catalog.caseKind.immediate')}</Tag>
        ) : (
          <Tag color="processing">
            {t('catalog.search.promised', { days: hit.promisedLimitDays, legal: hit.legalLimitDays })}
          </Tag>
        )}
        <Tag>{vocabLabel(t, 'onlineDepth', hit.onlineDepth)}</Tag>
        <Tag color={hit.visits === 0 ? 'success' : 'default'}>
          {hit.visits === 0 ? t('catalog.visits.zero') : t('catalog.visits.n', { n: hit.visits })}
        </Tag>
        {hit.serviceObjects.map((o) => (
          <Tag key={o}>{vocabLabel(t, 'serviceObject', o)}</Tag>
        ))}
      </Flex>
    </Card>
  );
}

/** 事项搜索: one big box (Chinese, partial and misspelt words work), filters, results a page at a time. */
export function SearchPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const query = readQuery(params);
  const departments = usePublicDepartments();
  const result = useQuery({
    queryKey: ['catalog', 'search', query],
    queryFn: () => catalogApi.search(query),
    placeholderData: keepPreviousData,
  });

  const update = (changes: Partial<SearchQuery>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries({ ...changes, page: changes.page ?? 1 })) {
      const name = PARAM_OF[key];
      if (!name) continue;
      if (value === undefined || value === '' || value === false || (key === 'page' && value === 1)) {
        next.delete(name);
      } else next.set(name, String(value));
    }
    setParams(next);
  };
  const filtered = Object.entries(query).some(
    ([key, value]) => !['page', 'pageSize'].includes(key) && value !== undefined,
  );

  return (
    <>
      <section className="tb-hero" aria-labelledby="catalog-search-title">
        <h1 id="catalog-search-title">{t('catalog.search.title')}</h1>
        <div className="tb-hero-box">
          <Input.Search
            key={query.q ?? ''}
            size="large"
            enterButton={t('common.search')}
            allowClear
            defaultValue={query.q}
            placeholder={t('catalog.search.placeholder')}
            aria-label={t('catalog.search.placeholder')}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="catalog-search"
          />
        </div>
      </section>

      <section aria-label={t('catalog.search.filters')} className="tb-filters">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('catalog.filter.department')}
          placeholder={t('catalog.filter.department')}
          value={query.departmentId}
          onChange={(value?: string) => update({ departmentId: value })}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          data-testid="filter-department"
        />
        <Select
          allowClear
          aria-label={t('catalog.filter.type')}
          placeholder={t('catalog.filter.type')}
          value={query.type}
          onChange={(value?: string) => update({ type: value })}
          options={POWER_TYPES.map((k) => ({ value: k, label: vocabLabel(t, 'powerType', k) }))}
          data-testid="filter-type"
        />
        <Select
          allowClear
          aria-label={t('catalog.filter.level')}
          placeholder={t('catalog.filter.level')}
          value={query.level}
          onChange={(value?: string) => update({ level: value })}
          options={LEVELS.map((k) => ({ value: k, label: vocabLabel(t, 'level', k) }))}
        />
        <Select
          allowClear
          aria-label={t('catalog.filter.theme')}
          placeholder={t('catalog.filter.theme')}
          value={query.theme}
          onChange={(value?: string) => update({ theme: value })}
          options={[
            {
              label: t('catalog.themes.person'),
              options: LIFE_EVENTS.map((k) => ({ value: k, label: k })),
            },
            {
              label: t('catalog.themes.enterprise'),
              options: ENTERPRISE_STAGES.map((k) => ({ value: k, label: k })),
            },
          ]}
          data-testid="filter-theme"
        />
        <Select
          allowClear
          aria-label={t('catalog.filter.object')}
          placeholder={t('catalog.filter.object')}
          value={query.serviceObject}
          onChange={(value?: string) => update({ serviceObject: value })}
          options={SERVICE_OBJECTS.map((k) => ({ value: k, label: vocabLabel(t, 'serviceObject', k) }))}
        />
        <Select<number>
          allowClear
          aria-label={t('catalog.filter.depth')}
          placeholder={t('catalog.filter.depth')}
          value={query.onlineDepth}
          onChange={(value?: number) => update({ onlineDepth: value })}
          options={ONLINE_DEPTHS.map((k) => ({ value: k, label: vocabLabel(t, 'onlineDepth', k) }))}
        />
        <Checkbox
          checked={query.immediate === true}
          onChange={(e) => update({ immediate: e.target.checked || undefined })}
          style={{ alignSelf: 'center' }}
          data-testid="filter-immediate"
        >
          {t('catalog.filter.immediate')}
        </Checkbox>
      </section>

      {!filtered ? (
        <section aria-labelledby="catalog-themes-title" style={{ marginBottom: 16 }}>
          <h2 id="catalog-themes-title" style={{ fontSize: 18 }}>
            {t('catalog.public.themes')}
          </h2>
          <ThemeGrid compact />
        </section>
      ) : null}

      <section
        aria-labelledby="catalog-results-title"
        aria-busy={result.isFetching}
        data-testid="search-section"
      >
        <Flex justify="space-between" align="baseline" wrap gap="small">
          <h2 id="catalog-results-title" style={{ fontSize: 18 }}>
            {filtered ? t('catalog.search.results') : t('catalog.search.allItems')}
          </h2>
          {result.data ? (
            <Typography.Text data-testid="search-total">
              {t('common.total', { total: result.data.total })}
            </Typography.Text>
          ) : null}
        </Flex>
        {result.isError ? (
          <ErrorResult error={result.error} onRetry={() => void result.refetch()} />
        ) : !result.data ? (
          <Skeleton active />
        ) : result.data.items.length === 0 ? (
          <Empty description={t('catalog.search.empty')} />
        ) : (
          <div data-testid="search-results">
            {result.data.items.map((hit) => (
              <SearchHitCard key={hit.entryId} hit={hit} />
            ))}
          </div>
        )}
        {result.data && result.data.total > PAGE_SIZE ? (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Pagination
              current={query.page}
              pageSize={PAGE_SIZE}
              total={result.data.total}
              showSizeChanger={false}
              showLessItems
              onChange={(page) => {
                update({ page });
                window.scrollTo({ top: 0 });
              }}
            />
          </Flex>
        ) : null}
      </section>
    </>
  );
}
