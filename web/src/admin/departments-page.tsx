import { Button, Form, Input, Table } from 'antd';
import { useState } from 'react';
import { type DepartmentInput, departmentsApi } from '../api/org';
import type { Department } from '../api/types';
import { USCC_PATTERN } from '../auth/patterns';
import { useMe, useSession } from '../auth/session';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { RegionSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

/** 部门: the departments stationed in the halls, each with its unified social credit code. */
export function DepartmentsPage() {
  const t = useT();
  const me = useMe();
  const { activeRole } = useSession();
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const list = usePagedList('departments', departmentsApi.list, { regionCode });
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [form] = Form.useForm<DepartmentInput>();
  const close = () => setEditing(null);
  const save = useFormMutation({
    resource: 'departments',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: DepartmentInput) => {
      const shortName = values.shortName?.trim() || undefined;
      if (editing && editing !== 'new') {
        return departmentsApi.update(editing.id, { name: values.name, shortName, uscc: values.uscc });
      }
      return departmentsApi.create({ ...values, shortName });
    },
    onSuccess: close,
  });
  const defaultRegion = regionCode ?? activeRole?.regionCode ?? me.regionCode ?? undefined;

  return (
    <PageContainer
      title={t('admin.menu.departments')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')} data-testid="create-department">
          {t('department.create')}
        </Button>
      }
    >
      <ListToolbar
        onSearch={list.setQ}
        filters={
          <RegionSelect
            allowClear
            aria-label={t('filter.region')}
            placeholder={t('filter.region')}
            style={{ width: 220 }}
            value={regionCode}
            onChange={setRegionCode}
          />
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<Department>
          rowKey="id"
          data-testid="departments-table"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('department.name'), dataIndex: 'name' },
            { title: t('department.shortName'), dataIndex: 'shortName' },
            { title: t('department.uscc'), dataIndex: 'uscc' },
            {
              title: t('department.region'),
              dataIndex: 'regionName',
              render: (name: string | null, d) => name ?? d.regionCode,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, department) => (
                <Button size="small" onClick={() => setEditing(department)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <FormDrawer<DepartmentInput>
        open={editing !== null}
        title={editing === 'new' ? t('department.create') : t('department.edit')}
        form={form}
        name="department"
        saving={save.isPending}
        onClose={close}
        onSubmit={(values) => save.mutate(values)}
        initialValues={editing && editing !== 'new' ? editing : { regionCode: defaultRegion }}
      >
        <Form.Item
          name="name"
          label={t('department.name')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="shortName" label={t('department.shortName')}>
          <Input />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t('department.uscc')}
          normalize={(value: string) => value.toUpperCase()}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: USCC_PATTERN, message: t('validation.uscc') },
          ]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('department.region')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <RegionSelect
            disabled={editing !== 'new'}
            valueLabel={editing && editing !== 'new' ? editing.regionName : activeRole?.regionName}
          />
        </Form.Item>
      </FormDrawer>
    </PageContainer>
  );
}
