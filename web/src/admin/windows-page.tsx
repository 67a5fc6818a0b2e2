import { Button, Form, Input, Radio, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { type WindowInput, windowsApi } from '../api/org';
import { type ServiceWindow, WINDOW_KINDS, type WindowKind } from '../api/types';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { DepartmentSelect, HallSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

/**
 * 窗口: a comprehensive window (综合窗口) accepts items of every department by category;
 * a departmental window belongs to one department.
 */
export function WindowsPage() {
  const t = useT();
  const [hallId, setHallId] = useState<string | undefined>();
  const list = usePagedList('windows', windowsApi.list, { hallId });
  const [editing, setEditing] = useState<ServiceWindow | 'new' | null>(null);
  const [form] = Form.useForm<WindowInput>();
  const kind = Form.useWatch('kind', form);
  const close = () => setEditing(null);
  const save = useFormMutation({
    resource: 'windows',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: WindowInput) => {
      const { hallId, ...rest } = values;
      const input = {
        ...rest,
        departmentId: values.kind === 'departmental' ? values.departmentId : null,
        categories: values.kind === 'comprehensive' ? (values.categories ?? []) : [],
      };
      return editing && editing !== 'new'
        ? windowsApi.update(editing.id, input)
        : windowsApi.create({ hallId, ...input });
    },
    onSuccess: close,
  });
  const required = { required: true, message: t('form.required') };

  return (
    <PageContainer
      title={t('admin.menu.windows')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')} data-testid="create-window">
          {t('window.create')}
        </Button>
      }
    >
      <ListToolbar
        onSearch={list.setQ}
        filters={
          <HallSelect
            allowClear
            aria-label={t('filter.hall')}
            placeholder={t('filter.hall')}
            style={{ width: 240 }}
            value={hallId}
            onChange={setHallId}
          />
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<ServiceWindow>
          rowKey="id"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('window.hall'), dataIndex: 'hallName' },
            { title: t('window.number'), dataIndex: 'number' },
            { title: t('window.name'), dataIndex: 'name' },
            {
              title: t('window.kind'),
              dataIndex: 'kind',
              render: (value: WindowKind) => (
                <Tag color={value === 'comprehensive' ? 'processing' : undefined}>
                  {t(`window.kind.${value}`)}
                </Tag>
              ),
            },
            { title: t('window.department'), dataIndex: 'departmentName' },
            {
              title: t('window.categories'),
              dataIndex: 'categories',
              render: (categories: string[]) => categories.map((c) => <Tag key={c}>{c}</Tag>),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, window) => (
                <Button size="small" onClick={() => setEditing(window)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <FormDrawer<WindowInput>
        open={editing !== null}
        title={editing === 'new' ? t('window.create') : t('window.edit')}
        form={form}
        name="window"
        saving={save.isPending}
        onClose={close}
        onSubmit={(values) => save.mutate(values)}
        initialValues={
          editing && editing !== 'new' ? editing : { hallId, kind: 'comprehensive', categories: [] }
        }
      >
        <Form.Item name="hallId" label={t('window.hall')} rules={[required]}>
          <HallSelect
            disabled={editing !== 'new'}
            valueLabel={editing && editing !== 'new' ? editing.hallName : undefined}
          />
        </Form.Item>
        <Form.Item name="number" label={t('window.number')} rules={[required]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('window.name')} rules={[required]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('window.kind')} rules={[required]}>
          <Radio.Group options={WINDOW_KINDS.map((k) => ({ value: k, label: t(`window.kind.${k}`) }))} />
        </Form.Item>
        {kind === 'departmental' ? (
          <Form.Item name="departmentId" label={t('window.department')} rules={[required]}>
            <DepartmentSelect
              valueLabel={editing && editing !== 'new' ? editing.departmentName : undefined}
            />
          </Form.Item>
        ) : (
          <Form.Item name="categories" label={t('window.categories')} extra={t('window.categoriesHint')}>
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
          </Form.Item>
        )}
      </FormDrawer>
    </PageContainer>
  );
}
