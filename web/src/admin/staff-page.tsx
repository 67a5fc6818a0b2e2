import { Button, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type StaffCreateInput, staffApi } from '../api/org';
import { ROLES, type Role, type Staff } from '../api/types';
import { MOBILE_PATTERN } from '../auth/patterns';
import { useMe, useSession } from '../auth/session';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { DepartmentSelect, RegionSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';
import { RolesFields } from './roles-fields';
import { StaffStatusTags } from './staff-status';

/** 工作人员: accounts of the people who work in the halls and departments. */
export function StaffPage() {
  const t = useT();
  const me = useMe();
  const { activeRole } = useSession();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [role, setRole] = useState<Role | undefined>();
  const list = usePagedList('staff', staffApi.list, { departmentId, role });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<StaffCreateInput>();
  const save = useFormMutation({
    resource: 'staff',
    form,
    successMessage: t('common.created'),
    mutationFn: (values: StaffCreateInput) =>
      staffApi.create({
        ...values,
        mobile: values.mobile || undefined,
        departmentId: values.departmentId || undefined,
        roles: (values.roles ?? []).map((r) => ({
          role: r.role,
          departmentId: r.departmentId || undefined,
          regionCode: r.regionCode || undefined,
        })),
      }),
    onSuccess: () => setCreating(false),
  });
  const required = { required: true, message: t('form.required') };

  return (
    <PageContainer
      title={t('admin.menu.staff')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-staff">
          {t('staff.create')}
        </Button>
      }
    >
      <ListToolbar
        onSearch={list.setQ}
        filters={
          <>
            <DepartmentSelect
              allowClear
              aria-label={t('filter.department')}
              placeholder={t('filter.department')}
              style={{ width: 200 }}
              value={departmentId}
              onChange={setDepartmentId}
            />
            <Select<Role>
              allowClear
              aria-label={t('filter.role')}
              placeholder={t('filter.role')}
              style={{ width: 170 }}
              value={role}
              onChange={setRole}
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
          </>
        }
      />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<Staff>
          rowKey="id"
          data-testid="staff-table"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            {
              title: t('staff.displayName'),
              dataIndex: 'displayName',
              render: (name: string, staff) => <Link to={`/admin/staff/${staff.id}`}>{name}</Link>,
            },
            { title: t('staff.username'), dataIndex: 'username' },
            { title: t('staff.department'), dataIndex: 'departmentName' },
            {
              title: t('staff.roles'),
              key: 'roles',
              render: (_, staff) =>
                staff.roles.map((r) => (
                  <Tag key={r.id ?? `${r.role}-${r.departmentId}-${r.regionCode}`}>{t(`role.${r.role}`)}</Tag>
                )),
            },
            { title: t('staff.mobile'), dataIndex: 'mobile' },
            {
              title: t('common.status'),
              key: 'status',
              render: (_, staff) => <StaffStatusTags staff={staff} />,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, staff) => (
                <Space>
                  <Link to={`/admin/staff/${staff.id}`}>{t('common.open')}</Link>
                </Space>
              ),
            },
          ]}
        />
      )}
      <FormDrawer<StaffCreateInput>
        open={creating}
        title={t('staff.create')}
        form={form}
        name="staff"
        saving={save.isPending}
        onClose={() => setCreating(false)}
        onSubmit={(values) => save.mutate(values)}
        initialValues={{
          departmentId,
          regionCode: activeRole?.regionCode ?? me.regionCode ?? undefined,
          roles: [{ role: 'window_clerk', departmentId }],
        }}
      >
        <Form.Item name="username" label={t('staff.username')} rules={[required]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('staff.displayName')} rules={[required]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('staff.initialPassword')}
          extra={t('password.rule')}
          rules={[required, { min: 8, message: t('password.tooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('staff.mobile')}
          rules={[{ pattern: MOBILE_PATTERN, message: t('validation.mobile') }]}
        >
          <Input inputMode="numeric" maxLength={11} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('staff.department')}>
          <DepartmentSelect allowClear />
        </Form.Item>
        <Form.Item name="regionCode" label={t('staff.region')} rules={[required]}>
          <RegionSelect valueLabel={activeRole?.regionName ?? undefined} />
        </Form.Item>
        <RolesFields />
      </FormDrawer>
    </PageContainer>
  );
}
