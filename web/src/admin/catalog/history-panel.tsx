import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Change, catalogApi, type ListKind, type VersionSummary } from '../../api/catalog';
import { useReportError } from '../../components/api-errors';
import { actionLabel, fieldPathLabel, fieldValueLabel, statusLabel } from '../../components/catalog-labels';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { ScrollRegion } from '../../components/scroll-region';
import { type Translate, useT } from '../../i18n/i18n';

export function VersionTags({ v }: { v: Pick<VersionSummary, 'status' | 'action' | 'inEffect'> }) {
  const t = useT();
  return (
    <Flex gap={4} wrap>
      <Tag color={v.status === 'draft' ? 'warning' : 'default'}>{statusLabel(t, v.status)}</Tag>
      {v.inEffect && v.action !== 'repeal' ? <Tag color="success">{t('catalog.status.inEffect')}</Tag> : null}
      {v.action === 'repeal' && v.status === 'published' ? (
        <Tag color="error">{t('catalog.status.repealed')}</Tag>
      ) : null}
    </Flex>
  );
}

const versionName = (t: Translate, v: VersionSummary) =>
  `${t('catalog.history.seq', { seq: v.seq })} · ${actionLabel(t, v.action)} · ${v.effectiveFrom}`;

function DiffView({ kind, versions }: { kind: ListKind; versions: VersionSummary[] }) {
  const t = useT();
  const [older, setOlder] = useState<string | undefined>(versions[1]?.id);
  const [newer, setNewer] = useState<string | undefined>(versions[0]?.id);
  const enabled = !!older && !!newer && older !== newer;
  const diff = useQuery({
    queryKey: ['catalog', 'diff', newer, older],
    queryFn: () => catalogApi.diff(newer as string, older),
    enabled,
  });
  const options = versions.map((v) => ({ value: v.id, label: versionName(t, v) }));
  return (
    <Card size="small" title={t('catalog.history.compare')} data-testid="diff">
      <Flex gap="small" wrap align="center" style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('catalog.history.from')}
          style={{ minWidth: 260 }}
          value={older}
          onChange={setOlder}
          options={options}
          data-testid="diff-from"
        />
        <span aria-hidden="true">→</span>
        <Select
          aria-label={t('catalog.history.to')}
          style={{ minWidth: 260 }}
          value={newer}
          onChange={setNewer}
          options={options}
          data-testid="diff-to"
        />
      </Flex>
      {!enabled ? (
        <Typography.Text>{t('catalog.history.pickTwo')}</Typography.Text>
      ) : diff.isError ? (
        <ErrorResult error={diff.error} />
      ) : (
        <Table<Change>
          size="small"
          rowKey="path"
          loading={diff.isFetching}
          data-testid="diff-table"
          dataSource={diff.data?.changes ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: <span className="tb-empty-text">{t('catalog.history.noChanges')}</span> }}
          columns={[
            {
              title: t('catalog.history.field'),
              dataIndex: 'path',
              render: (path: string) => fieldPathLabel(t, kind, path),
            },
            {
              title: t('catalog.history.change'),
              dataIndex: 'change',
              width: 90,
              render: (change: Change['change']) => (
                <Tag color={change === 'added' ? 'success' : change === 'removed' ? 'error' : 'processing'}>
                  {t(`catalog.history.${change}`)}
                </Tag>
              ),
            },
            {
              title: t('catalog.history.before'),
              dataIndex: 'before',
              render: (value: unknown, change: Change) => (
                <span style={{ wordBreak: 'break-all' }}>{fieldValueLabel(t, kind, change.path, value)}</span>
              ),
            },
            {
              title: t('catalog.history.after'),
              dataIndex: 'after',
              render: (value: unknown, change: Change) => (
                <span style={{ wordBreak: 'break-all' }}>{fieldValueLabel(t, kind, change.path, value)}</span>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** Every version of an entry (立改废释) with who, why and from when, and the changes between any two. */
export function HistoryPanel({ kind, versions }: { kind: ListKind; versions: VersionSummary[] }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const report = useReportError();
  const publish = useMutation({
    mutationFn: (id: string) => catalogApi.publish(id),
    onSuccess: async () => {
      message.success(t('catalog.editor.published'));
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
    },
    onError: (error) => report(error),
  });
  return (
    <Flex vertical gap="middle">
      <ScrollRegion label={t('catalog.editor.tabHistory', { n: versions.length })}>
        <Table<VersionSummary>
          size="small"
          rowKey="id"
          data-testid="history-table"
          dataSource={versions}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('catalog.history.version'),
              dataIndex: 'seq',
              render: (seq: number) => t('catalog.history.seq', { seq }),
            },
            {
              title: t('catalog.history.action'),
              dataIndex: 'action',
              render: (a: VersionSummary['action']) => actionLabel(t, a),
            },
            { title: t('common.status'), key: 'status', render: (_, v) => <VersionTags v={v} /> },
            {
              title: t('catalog.history.effective'),
              key: 'effective',
              render: (_, v) => `${v.effectiveFrom} – ${v.effectiveUntil ?? ''}`,
            },
            { title: t('catalog.change.reason'), dataIndex: 'reason' },
            { title: t('catalog.history.author'), key: 'author', render: (_, v) => v.author.name },
            { title: t('catalog.history.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, v) => (
                <Flex gap="small">
                  {v.status === 'draft' && v.id === versions[0]?.id ? (
                    <Button size="small" loading={publish.isPending} onClick={() => publish.mutate(v.id)}>
                      {t('catalog.editor.publish')}
                    </Button>
                  ) : null}
                  {kind === 'item' && v.status === 'published' && v.action !== 'repeal' ? (
                    <Link
                      to={`/portal/catalog/items/${encodeURIComponent(v.code)}?versionId=${v.id}`}
                      target="_blank"
                    >
                      {t('catalog.history.viewGuide')}
                    </Link>
                  ) : null}
                </Flex>
              ),
            },
          ]}
        />
      </ScrollRegion>
      {versions.length > 1 ? <DiffView key={versions[0]?.id} kind={kind} versions={versions} /> : null}
    </Flex>
  );
}
