import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiTokensApi } from '../api/org';
import type { ApiToken, CreatedApiToken } from '../api/types';
import { useReportError } from '../components/api-errors';
import { ErrorResult } from '../components/error-result';
import { useFormMutation, useResetOnOpen } from '../components/form-drawer';
import { formatDateTime } from '../components/format';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { DepartmentSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

type Values = { name: string; departmentId: string };

/** 接口令牌: credentials for department business systems calling the API (数据交换). */
export function ApiTokensPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const list = usePagedList('api-tokens', apiTokensApi.list, {});
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [form] = Form.useForm<Values>();
  useResetOnOpen(form, creating);
  const save = useFormMutation({
    resource: 'api-tokens',
    form,
    successMessage: t('common.created'),
    mutationFn: (values: Values) =>
      apiTokensApi.create({ name: values.name, departmentId: values.departmentId }),
    onSuccess: (token) => {
      setCreating(false);
      setCreated(token);
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiTokensApi.revoke(id),
    onSuccess: async () => {
      message.success(t('apiToken.revoked'));
      await queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
    },
    onError: (error) => report(error),
  });

  return (
    <PageContainer
      title={t('admin.menu.apiTokens')}
      subTitle={t('apiToken.intro')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-api-token">
          {t('apiToken.create')}
        </Button>
      }
    >
      <ListToolbar onSearch={list.setQ} />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('apiToken.name'), dataIndex: 'name' },
            { title: t('apiToken.department'), dataIndex: 'departmentName' },
            {
              title: t('apiToken.prefix'),
              dataIndex: 'prefix',
              render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
            },
            { title: t('apiToken.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
            { title: t('apiToken.lastUsedAt'), dataIndex: 'lastUsedAt', render: formatDateTime },
            {
              title: t('common.status'),
              key: 'status',
              render: (_, token) =>
                token.revokedAt ? (
                  <Tag color="error">{t('apiToken.status.revoked')}</Tag>
                ) : (
                  <Tag color="success">{t('apiToken.status.active')}</Tag>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, token) =>
                token.revokedAt ? null : (
                  <Popconfirm
                    title={t('apiToken.revokeConfirm')}
                    okText={t('apiToken.revoke')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => revoke.mutate(token.id)}
                  >
                    <Button size="small" danger>
                      {t('apiToken.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
      <Modal
        open={creating}
        title={t('apiToken.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          name="api-token"
          layout="vertical"
          preserve={false}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item
            name="name"
            label={t('apiToken.name')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="departmentId"
            label={t('apiToken.department')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <DepartmentSelect />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={created !== null}
        title={t('apiToken.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('apiToken.copiedClose')}
          </Button>
        }
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('apiToken.showOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: created?.token ?? '' }} code data-testid="new-api-token">
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </PageContainer>
  );
}
