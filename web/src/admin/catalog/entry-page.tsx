import { CheckCircleOutlined, LoadingOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Skeleton, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  catalogApi,
  kindOfPath,
  LIST_PATHS,
  type ListKind,
  type Version,
  type VersionSummary,
} from '../../api/catalog';
import { isApiError } from '../../api/client';
import { applyFieldErrors, useReportError } from '../../components/api-errors';
import { fieldPathLabel, listKindLabel } from '../../components/catalog-labels';
import { ErrorResult, NotFound } from '../../components/error-result';
import { PageContainer } from '../../components/page-container';
import { useT } from '../../i18n/i18n';
import { ChangeDialog, type ChangeValues } from './change-dialog';
import { newEntryData, toEntryData, toFormValues } from './entry-values';
import { GenericFields } from './generic-form';
import { HistoryPanel, VersionTags } from './history-panel';
import { ItemFields } from './item-form';
import { useLiveValidation } from './live-validation';

/** Where the administration keeps a list: the items have their own menu entry, the others share one. */
export function adminListPath(kind: ListKind): string {
  return kind === 'item' ? '/admin/catalog/items' : `/admin/catalog/lists/${LIST_PATHS[kind]}`;
}

export function adminEntryPath(kind: ListKind, code: string): string {
  return `${adminListPath(kind)}/${encodeURIComponent(code)}`;
}

const LIST_FIELDS_OF_ITEM = ['materials', 'steps', 'faq', 'fees'];

type Mode = 'create' | 'amend' | 'repeal';

/**
 * The editor of one entry: its fields, checked live by the server; saving asks for the reason and the effective
 * date and makes a new version (draft or published). A new entry is created the same way.
 */
function EntryEditor({
  kind,
  version,
  onSaved,
}: {
  kind: ListKind;
  version: Version | null;
  onSaved: (saved: Version) => void;
}) {
  const t = useT();
  const { message, notification } = App.useApp();
  const queryClient = useQueryClient();
  const report = useReportError();
  const isNew = version === null;
  const [form] = Form.useForm<Record<string, unknown>>();
  const [changeForm] = Form.useForm();
  const [dialog, setDialog] = useState<Mode | null>(null);
  const base = useMemo(() => version?.data ?? newEntryData(kind), [version, kind]);
  const initialValues = useMemo(() => toFormValues(kind, base), [kind, base]);

  const build = () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const data = toEntryData(kind, base, values);
    return isNew ? { ...data, code: typeof values.code === 'string' ? values.code.trim() : '' } : data;
  };
  const live = useLiveValidation({
    kind,
    form,
    build,
    listFields: kind === 'item' ? LIST_FIELDS_OF_ITEM : [],
    showAllInitially: !isNew,
  });

  const save = useMutation({
    mutationFn: async (meta: ChangeValues) => {
      const body = build();
      if (isNew) {
        const { code, ...data } = body as Record<string, unknown> & { code: string };
        return catalogApi.create(kind, { ...data, code, ...meta });
      }
      return catalogApi.amend(kind, version.code, { ...body, ...meta, baseVersionId: version.id });
    },
    onSuccess: async (saved) => {
      message.success(
        saved.status === 'published' ? t('catalog.editor.savedPublished') : t('catalog.editor.savedDraft'),
      );
      setDialog(null);
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
      await queryClient.invalidateQueries({ queryKey: [`catalog-${kind}`] });
      onSaved(saved);
    },
    onError: (error) => {
      if (isApiError(error) && error.fields.length > 0) {
        const rest = applyFieldErrors(changeForm, error.fields);
        if (rest.length === 0) return;
        setDialog(null);
        live.showServerProblems(rest);
        notification.error({ title: t('catalog.editor.refusedTitle'), description: error.message });
        return;
      }
      report(error);
    },
  });

  const trySave = async () => {
    const problems = await live.validateNow().catch((error: unknown) => {
      report(error);
      return null;
    });
    if (problems === null) return;
    if (problems.length > 0) {
      message.error(t('catalog.editor.refused', { n: problems.length }));
      return;
    }
    setDialog(isNew ? 'create' : 'amend');
  };

  const problemCount = live.problems.length;
  return (
    <>
      <Flex
        justify="space-between"
        align="center"
        gap="small"
        wrap
        className="tb-editor-bar"
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 5,
          background: '#f5f6f8',
          padding: '8px 0',
          marginBottom: 8,
        }}
      >
        <span data-testid="validation-status" role="status" aria-live="polite">
          {live.validating ? (
            <>
              <LoadingOutlined aria-hidden="true" /> {t('catalog.editor.checking')}
            </>
          ) : problemCount > 0 ? (
            <Typography.Text type="danger">
              <WarningOutlined aria-hidden="true" /> {t('catalog.editor.problems', { n: problemCount })}
            </Typography.Text>
          ) : (
            <Typography.Text type="success">
              <CheckCircleOutlined aria-hidden="true" /> {t('catalog.editor.ok')}
            </Typography.Text>
          )}
        </span>
        <Button
          type="primary"
          onClick={() => void trySave()}
          loading={save.isPending}
          data-testid="entry-save"
        >
          {isNew ? t('catalog.editor.create') : t('catalog.editor.saveVersion')}
        </Button>
      </Flex>
      {live.unmatched.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="entry-other-problems"
          title={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {live.unmatched.map((p) => (
                <li key={`${p.field}:${p.rule}`}>
                  {fieldPathLabel(t, kind, p.field)}: {p.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Form
        form={form}
        name={`catalog-${kind}`}
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={live.onChange}
        data-testid="entry-form"
      >
        {kind === 'item' ? (
          <ItemFields isNew={isNew} departmentName={version?.departmentName} listErrors={live.listErrors} />
        ) : (
          <GenericFields kind={kind} isNew={isNew} departmentName={version?.departmentName} />
        )}
      </Form>
      <ChangeDialog
        open={dialog !== null}
        mode={dialog ?? 'amend'}
        saving={save.isPending}
        form={changeForm}
        onCancel={() => setDialog(null)}
        onSubmit={(meta) => save.mutate(meta)}
      />
    </>
  );
}

/** Publish the newest draft, or repeal what is in effect (a new version saying so). */
function EntryActions({
  kind,
  version,
  versions,
}: {
  kind: ListKind;
  version: Version;
  versions: VersionSummary[];
}) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const report = useReportError();
  const [repealForm] = Form.useForm();
  const [repealing, setRepealing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['catalog'] });
  const publish = useMutation({
    mutationFn: () => catalogApi.publish(version.id),
    onSuccess: async () => {
      message.success(t('catalog.editor.published'));
      await refresh();
    },
    onError: (error) => report(error),
  });
  const repeal = useMutation({
    mutationFn: (meta: ChangeValues) =>
      catalogApi.repeal(kind, version.code, { ...meta, baseVersionId: version.id }),
    onSuccess: async () => {
      message.success(t('catalog.change.repealed'));
      setRepealing(false);
      await refresh();
    },
    onError: (error) => {
      const rest = isApiError(error) ? applyFieldErrors(repealForm, error.fields) : [];
      if (isApiError(error) && error.fields.length > 0 && rest.length === 0) return;
      report(error);
    },
  });
  const lastPublished = versions.find((v) => v.status === 'published');
  const live = lastPublished !== undefined && lastPublished.action !== 'repeal';
  return (
    <>
      {kind === 'item' && versions.some((v) => v.inEffect && v.action !== 'repeal') ? (
        <Link to={`/portal/catalog/items/${encodeURIComponent(version.code)}`} target="_blank">
          <Button>{t('catalog.editor.viewGuide')}</Button>
        </Link>
      ) : null}
      {version.status === 'draft' ? (
        <Button onClick={() => publish.mutate()} loading={publish.isPending} data-testid="entry-publish">
          {t('catalog.editor.publishDraft', { seq: version.seq })}
        </Button>
      ) : null}
      {live ? (
        <Button danger onClick={() => setRepealing(true)} data-testid="entry-repeal">
          {t('catalog.change.repeal')}
        </Button>
      ) : null}
      <ChangeDialog
        open={repealing}
        mode="repeal"
        saving={repeal.isPending}
        form={repealForm}
        onCancel={() => setRepealing(false)}
        onSubmit={(meta) => repeal.mutate(meta)}
      />
    </>
  );
}

function ExistingEntry({ kind, code }: { kind: ListKind; code: string }) {
  const t = useT();
  const [tab, setTab] = useState('edit');
  const entry = useQuery({
    queryKey: ['catalog', 'entry', kind, code, 'latest'],
    queryFn: () => catalogApi.get(kind, code, 'latest'),
  });
  const history = useQuery({
    queryKey: ['catalog', 'history', kind, code],
    queryFn: () => catalogApi.history(kind, code),
  });
  if (entry.isError) return <ErrorResult error={entry.error} onRetry={() => void entry.refetch()} />;
  if (!entry.data) return <Skeleton active />;
  const version = entry.data;
  const versions = history.data?.items ?? [];
  return (
    <PageContainer
      title={version.name}
      subTitle={
        <Flex gap="small" align="center" wrap>
          <span>
            {listKindLabel(t, kind)} · {version.code} · {t('catalog.history.seq', { seq: version.seq })}
          </span>
          <VersionTags v={version} />
        </Flex>
      }
      extra={<EntryActions kind={kind} version={version} versions={versions} />}
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'edit',
            label: t('catalog.editor.tabEdit'),
            children: (
              <EntryEditor key={version.id} kind={kind} version={version} onSaved={() => setTab('edit')} />
            ),
          },
          {
            key: 'history',
            label: t('catalog.editor.tabHistory', { n: versions.length }),
            children: history.isError ? (
              <ErrorResult error={history.error} />
            ) : (
              <div data-testid="history">
                <HistoryPanel kind={kind} versions={versions} />
              </div>
            ),
          },
        ]}
      />
    </PageContainer>
  );
}

function NewEntry({ kind }: { kind: ListKind }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <PageContainer title={t('catalog.editor.new', { list: listKindLabel(t, kind) })}>
      <EntryEditor
        kind={kind}
        version={null}
        onSaved={(saved) => navigate(adminEntryPath(kind, saved.code))}
      />
    </PageContainer>
  );
}

/** /admin/catalog/items/:code, /admin/catalog/lists/:list/:code and their `new`. */
export function EntryPage({ kind: fixedKind }: { kind?: ListKind }) {
  const { list, code } = useParams();
  const kind = fixedKind ?? kindOfPath(list);
  if (!kind || (!fixedKind && kind === 'item')) return <NotFound />;
  if (!code || code === 'new') return <NewEntry key={kind} kind={kind} />;
  return <ExistingEntry key={`${kind}:${code}`} kind={kind} code={code} />;
}
