import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Table, Tabs } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
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
import { ListToolbar } from '../../components/list-toolbar';
import { PageContainer } from '../../components/page-container';
import { DepartmentSelect } from '../../components/remote-select';
import { ScrollRegion } from '../../components/scroll-region';
import { usePagedList } from '../../components/use-paged-list';
import { useT } from '../../i18n/i18n';
import { adminEntryPath, adminListPath } from './entry-page';
import { VersionTags } from './history-panel';

const OTHER_KINDS = LIST_KINDS.filter((k) => k !== 'item');

/**
 * One list as its keepers see it: every entry's newest version — drafts and repealed entries included —
 * with its state, and the way into its editor.
 */
function AdminList({ kind }: { kind: ListKind }) {
  const t = useT();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [type, setType] = useState<string | undefined>();
  const list = usePagedList(
    `catalog-${kind}`,
    (query) => catalogApi.list(kind, { ...query, state: 'latest' }),
    {
      departmentId,
      type,
    },
  );
  const typeOptions: { value: string; label: string }[] | null =
    kind === 'item' || kind === 'power'
      ? POWER_TYPES.map((k) => ({ value: k, label: vocabLabel(t, 'powerType', k) }))
      : kind === 'negative'
        ? NEGATIVE_CATEGORIES.map((k) => ({ value: k, label: vocabLabel(t, 'negativeCategory', k) }))
        : null;
  return (
    <>
      <ListToolbar
        onSearch={list.setQ}
        filters={
          <>
            {kind !== 'negative' && kind !== 'permission' ? (
              <DepartmentSelect
                allowClear
                aria-label={t('filter.department')}
                placeholder={t('filter.department')}
                style={{ width: 220 }}
                value={departmentId}
                onChange={setDepartmentId}
              />
            ) : null}
            {typeOptions ? (
              <Select
                allowClear
                aria-label={t('catalog.filter.type')}
                placeholder={t('catalog.filter.type')}
                style={{ width: 160 }}
                value={type}
                onChange={setType}
                options={typeOptions}
              />
            ) : null}
          </>
        }
        actions={<ExportButtons kind={kind} />}
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <ScrollRegion label={listKindLabel(t, kind)}>
          <Table<ListRow>
            rowKey="entryId"
            data-testid="catalog-admin-table"
            loading={list.query.isFetching}
            dataSource={list.items}
            pagination={list.pagination}
            scroll={{ x: 'max-content' }}
            columns={[
              ...listColumns(t, kind, { linkItems: false }),
              {
                title: t('common.status'),
                key: 'status',
                render: (_, row) => <VersionTags v={row} />,
              },
              { title: t('catalog.change.effectiveFrom'), dataIndex: 'effectiveFrom' },
              {
                title: t('common.actions'),
                key: 'actions',
                fixed: 'right',
                render: (_, row) => (
                  <Link to={adminEntryPath(kind, row.code)} data-testid={`edit-${row.code}`}>
                    {t('common.edit')}
                  </Link>
                ),
              },
            ]}
          />
        </ScrollRegion>
      )}
    </>
  );
}

function CreateButton({ kind }: { kind: ListKind }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      onClick={() => navigate(`${adminListPath(kind)}/new`)}
      data-testid="catalog-create"
    >
      {t('catalog.editor.newEntry')}
    </Button>
  );
}

/** 事项清单 (the service items). */
export function AdminItemsPage() {
  const t = useT();
  return (
    <PageContainer
      title={t('admin.menu.catalogItems')}
      subTitle={t('catalog.kindIntro.item')}
      extra={<CreateButton kind="item" />}
    >
      <AdminList kind="item" />
    </PageContainer>
  );
}

/** The other seven lists, one tab each. */
export function AdminListsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { list } = useParams();
  const kind = list ? kindOfPath(list) : 'power';
  if (!kind || kind === 'item') return <NotFound />;
  return (
    <PageContainer title={t('admin.menu.catalogLists')} extra={<CreateButton kind={kind} />}>
      <Tabs
        activeKey={kind}
        onChange={(key) => navigate(`/admin/catalog/lists/${LIST_PATHS[key as ListKind]}`)}
        items={OTHER_KINDS.map((k) => ({ key: k, label: listKindLabel(t, k) }))}
      />
      <Flex vertical>
        <AdminList key={kind} kind={kind} />
      </Flex>
    </PageContainer>
  );
}
