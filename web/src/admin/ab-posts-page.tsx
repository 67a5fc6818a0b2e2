import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Modal, Popconfirm, Table, Tag } from 'antd';
import { useState } from 'react';
import { abPostsApi } from '../api/org';
import type { AbPost } from '../api/types';
import { useReportError } from '../components/api-errors';
import { ErrorResult } from '../components/error-result';
import { useFormMutation, useResetOnOpen } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { DepartmentSelect, StaffSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

type Values = { departmentId: string; primaryStaffId: string; backupStaffId: string };

/** AB 岗: when the primary (A) is away, the backup (B) in the same department acts for them. */
export function AbPostsPage() {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const list = usePagedList('ab-posts', abPostsApi.list, { departmentId });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<Values>();
  useResetOnOpen(form, creating);
  const formDepartment = Form.useWatch('departmentId', form);
  const save = useFormMutation({
    resource: 'ab-posts',
    form,
    successMessage: t('common.created'),
    mutationFn: (values: Values) => abPostsApi.create(values),
    onSuccess: () => setCreating(false),
  });
  const remove = useMutation({
    mutationFn: (id: string) => abPostsApi.remove(id),
    onSuccess: async () => {
      message.success(t('common.deleted'));
      await queryClient.invalidateQueries({ queryKey: ['ab-posts'] });
    },
    onError: (error) => report(error),
  });
  const required = { required: true, message: t('form.required') };

  return (
    <PageContainer
      title={t('admin.menu.abPosts')}
      subTitle={t('abPost.intro')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-ab-post">
          {t('abPost.create')}
        </Button>
      }
    >
      <ListToolbar
        onSearch={list.setQ}
        filters={
          <DepartmentSelect
            allowClear
            aria-label={t('filter.department')}
            placeholder={t('filter.department')}
            style={{ width: 220 }}
            value={departmentId}
            onChange={setDepartmentId}
          />
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<AbPost>
          rowKey="id"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            {
              title: t('abPost.department'),
              key: 'department',
              render: (_, post) => post.departmentName ?? post.departmentId,
            },
            {
              title: t('abPost.primary'),
              key: 'primary',
              render: (_, post) => (
                <>
                  {post.primaryName}
                  {post.primaryAbsent ? (
                    <Tag color="warning" style={{ marginLeft: 4 }}>
                      {t('staff.absent')}
                    </Tag>
                  ) : null}
                </>
              ),
            },
            { title: t('abPost.backup'), dataIndex: 'backupName' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, post) => (
                <Popconfirm
                  title={t('abPost.removeConfirm')}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutate(post.id)}
                >
                  <Button size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={creating}
        title={t('abPost.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          name="ab-post"
          layout="vertical"
          preserve={false}
          initialValues={{ departmentId }}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item name="departmentId" label={t('abPost.department')} rules={[required]}>
            <DepartmentSelect
              onChange={() => form.setFieldsValue({ primaryStaffId: undefined, backupStaffId: undefined })}
            />
          </Form.Item>
          <Form.Item name="primaryStaffId" label={t('abPost.primary')} rules={[required]}>
            <StaffSelect departmentId={formDepartment} disabled={!formDepartment} />
          </Form.Item>
          <Form.Item
            name="backupStaffId"
            label={t('abPost.backup')}
            dependencies={['primaryStaffId']}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value && value === getFieldValue('primaryStaffId')
                    ? Promise.reject(new Error(t('abPost.sameStaff')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <StaffSelect departmentId={formDepartment} disabled={!formDepartment} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
