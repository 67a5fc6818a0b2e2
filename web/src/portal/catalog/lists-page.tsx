import { Card, Flex, Input, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import {
  catalogApi,
  kindOfPath,
  LIST_KINDS,
  LIST_PATHS,
  type ListKind,
  type ListRow,
  NEGATIVE_CATEGORIES,
  POWER_TYPES,
} from '../../api/catalog';
import { ExportButtons, listColumns } from '../../components/catalog-cells';
import { listKindLabel, vocabLabel } from '../../components/catalog-labels';
import { ErrorResult, NotFound } from '../../components/error-result';
import { ScrollRegion } from '../../components/scroll-region';
import { usePagedList } from '../../components/use-paged-list';
import { type MessageKey, useT } from '../../i18n/i18n';
import { usePublicDepartments } from './use-public-departments';

const WITH_DEPARTMENT: ListKind[] = ['item', 'power', 'fee', 'fund', 'supervision', 'intermediary'];
const WITH_ITEM_CODE: ListKind[] = ['permission', 'supervision'];

const DESCRIPTIONS: Record<ListKind, MessageKey> = {
  item: 'catalog.kindIntro.item',
  power: 'catalog.kindIntro.power',
  fee: 'catalog.kindIntro.fee',
  fund: 'catalog.kindIntro.fund',
  negative: 'catalog.kindIntro.negative',
  permission: 'catalog.kindIntro.permission',
  supervision: 'catalog.kindIntro.supervision',
  intermediary: 'catalog.kindIntro.intermediary',
};

/** Links to the eight lists; the current one is marked for screen readers too. */
function ListNav() {
  const t = useT();
  return (
    <nav aria-label={t('catalog.public.lists')} style={{ marginBottom: 16 }}>
      <Flex gap="small" wrap>
        {LIST_KINDS.map((kind) => (
          <NavLink
            key={kind}
            to={`/portal/catalog/lists/${LIST_PATHS[kind]}`}
            className={({ isActive }) => `tb-theme${isActive ? ' tb-theme-active' : ''}`}
            style={{ padding: '4px 10px' }}
          >
            {listKindLabel(t, kind)}
          </NavLink>
        ))}
      </Flex>
    </nav>
  );
}

function ListView({ kind }: { kind: ListKind }) {
  const t = useT();
  const departments = usePublicDepartments();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [type, setType] = useState<string | undefined>();
  const [itemCode, setItemCode] = useState<string | undefined>();
  const list = usePagedList(`catalog-${kind}`, (query) => catalogApi.list(kind, query), {
    departmentId,
    type,
    itemCode,
  });
  const typeOptions: { value: string; label: string }[] | null =
    kind === 'item' || kind === 'power'
      ? POWER_TYPES.map((k) => ({ value: k, label: vocabLabel(t, 'powerType', k) }))
      : kind === 'negative'
        ? NEGATIVE_CATEGORIES.map((k) => ({ value: k, label: vocabLabel(t, 'negativeCategory', k) }))
        : null;

  return (
    <>
      <Flex justify="space-between" align="start" gap="small" wrap style={{ marginBottom: 8 }}>
        <div>
          <h1 style={{ fontSize: 22, margin: 0 }}>{listKindLabel(t, kind)}</h1>
          <Typography.Paragraph style={{ margin: '4px 0 0' }}>{t(DESCRIPTIONS[kind])}</Typography.Paragraph>
        </div>
        <Flex gap="small" wrap>
          <ExportButtons kind={kind} />
        </Flex>
      </Flex>
      <div className="tb-filters">
        <Input.Search
          allowClear
          aria-label={t('catalog.list.search')}
          placeholder={t('catalog.list.search')}
          onSearch={list.setQ}
          data-testid="list-search"
        />
        {WITH_DEPARTMENT.includes(kind) ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('catalog.filter.department')}
            placeholder={t('catalog.filter.department')}
            value={departmentId}
            onChange={setDepartmentId}
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
          />
        ) : null}
        {typeOptions ? (
          <Select
            allowClear
            aria-label={kind === 'negative' ? t('catalog.field.category') : t('catalog.filter.type')}
            placeholder={kind === 'negative' ? t('catalog.field.category') : t('catalog.filter.type')}
            value={type}
            onChange={setType}
            options={typeOptions}
          />
        ) : null}
        {WITH_ITEM_CODE.includes(kind) ? (
          <Input.Search
            allowClear
            aria-label={t('catalog.field.itemCode')}
            placeholder={t('catalog.field.itemCode')}
            onSearch={(value) => setItemCode(value.trim() || undefined)}
          />
        ) : null}
      </div>
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <ScrollRegion label={listKindLabel(t, kind)}>
          <Table<ListRow>
            rowKey="entryId"
            size="middle"
            data-testid="catalog-list-table"
            loading={list.query.isFetching}
            dataSource={list.items}
            pagination={list.pagination}
            columns={listColumns(t, kind)}
            scroll={{ x: 'max-content' }}
          />
        </ScrollRegion>
      )}
    </>
  );
}

/** 清单公开: the lists as the public sees them today, with filters and export. */
export function PublicListPage() {
  const t = useT();
  const { list } = useParams();
  const kind = kindOfPath(list);
  if (list && !kind) return <NotFound />;
  return (
    <>
      <ListNav />
      {kind ? (
        <ListView key={kind} kind={kind} />
      ) : (
        <>
          <h1 style={{ fontSize: 22 }}>{t('catalog.public.lists')}</h1>
          <div
            className="tb-theme-grid"
            style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))' }}
          >
            {LIST_KINDS.map((k) => (
              <Card key={k} size="small">
                <h2 style={{ fontSize: 16, marginTop: 0 }}>
                  <Link to={`/portal/catalog/lists/${LIST_PATHS[k]}`}>{listKindLabel(t, k)}</Link>
                </h2>
                <Typography.Paragraph style={{ marginBottom: 0 }}>{t(DESCRIPTIONS[k])}</Typography.Paragraph>
              </Card>
            ))}
          </div>
        </>
      )}
    </>
  );
}
