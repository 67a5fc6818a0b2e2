import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Switch, Table } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { authorizationsApi, type StaffPatchInput, staffApi } from '../api/org';
import type { Authorization, RoleAssignment, Staff } from '../api/types';
import { MOBILE_PATTERN } from '../auth/patterns';
import { useReportError } from '../components/api-errors';
import {
  AuthorizationActions,
  AuthorizationScopeText,
  AuthorizationStatusTag,
  validityText,
} from '../components/authorization-tags';
import { ErrorResult } from '../components/error-result';
import { useFormMutation, useResetOnOpen } from '../components/form-drawer';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';
import { RolesFields } from './roles-fields';
import { StaffStatusTags } from './staff-status';

function EditStaffDialog({ staff, open, onClose }: { staff: Staff; open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<StaffPatchInput>();
  useResetOnOpen(form, open);
  const save = useFormMutation({
    resource: 'staff',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: StaffPatchInput) => staffApi.update(staff.id, values),
    onSuccess: onClose,
  });
  return (
    <Modal
      open={open}
      title={t('staff.edit')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<StaffPatchInput>
        form={form}
        name="staff-edit"
        layout="vertical"
        initialValues={{ displayName: staff.displayName, active: staff.active }}
        onFinish={(values) => save.mutate({ ...values, mobile: values.mobile || undefined })}
      >
        <Form.Item
          name="displayName"
          label={t('staff.displayName')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('staff.mobile')}
          extra={t('staff.mobileKeep')}
          rules={[{ pattern: MOBILE_PATTERN, message: t('validation.mobile') }]}
        >
          <Input inputMode="numeric" maxLength={11} placeholder={staff.mobile ?? ''} />
        </Form.Item>
        <Form.Item name="active" label={t('staff.accountEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RolesCard({ staff }: { staff: Staff }) {
  const t = useT();
  const [form] = Form.useForm<{ roles: RoleAssignment[] }>();
  const save = useFormMutation({
    resource: 'staff',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: { roles: RoleAssignment[] }) =>
      staffApi.setRoles(
        staff.id,
        (values.roles ?? []).map((r) => ({
          role: r.role,
          departmentId: r.departmentId || undefined,
          regionCode: r.regionCode || undefined,
        })),
      ),
  });
  return (
    <Card
      title={t('staff.roles')}
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="save-roles"
        >
          {t('staff.saveRoles')}
        </Button>
      }
    >
      <Form<{ roles: RoleAssignment[] }>
        form={form}
        name="staff-roles"
        layout="vertical"
        initialValues={{ roles: staff.roles }}
        onFinish={(values) => save.mutate(values)}
      >
        <RolesFields />
      </Form>
    </Card>
  );
}

function AbsenceDialog({ staff, open, onClose }: { staff: Staff; open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ note: string }>();
  useResetOnOpen(form, open);
  const save = useFormMutation({
    resource: 'staff',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: { note: string }) => staffApi.setAbsence(staff.id, true, values.note),
    onSuccess: onClose,
  });
  return (
    <Modal
      open={open}
      title={t('staff.markAbsent')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<{ note: string }>
        form={form}
        name="absence"
        layout="vertical"
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="note" label={t('staff.absentNote')} extra={t('staff.absentHint')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One staff member: account, roles, presence (for AB posts) and the letters they hold. */
export function StaffDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const [editOpen, setEditOpen] = useState(false);
  const [absenceOpen, setAbsenceOpen] = useState(false);
  const staff = useQuery({ queryKey: ['staff', 'detail', id], queryFn: () => staffApi.get(id) });
  const letters = useQuery({
    queryKey: ['authorizations', 'staff', id],
    queryFn: () => authorizationsApi.list({ staffId: id, pageSize: 100 }),
    enabled: staff.isSuccess,
  });
  const action = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: async () => {
      message.success(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
    },
    onError: (error) => report(error),
  });

  if (staff.isError) return <ErrorResult error={staff.error} onRetry={() => void staff.refetch()} />;
  if (!staff.data) return <Card loading />;
  const s = staff.data;

  return (
    <PageContainer
      title={s.displayName}
      subTitle={<Link to="/admin/staff">{t('staff.backToList')}</Link>}
      extra={
        <>
          <Button onClick={() => setEditOpen(true)} data-testid="edit-staff">
            {t('common.edit')}
          </Button>
          {s.absent ? (
            <Button
              onClick={() => action.mutate(() => staffApi.setAbsence(s.id, false))}
              data-testid="mark-present"
            >
              {t('staff.markPresent')}
            </Button>
          ) : (
            <Button onClick={() => setAbsenceOpen(true)} data-testid="mark-absent">
              {t('staff.markAbsent')}
            </Button>
          )}
          {s.locked ? (
            <Button
              danger
              onClick={() => action.mutate(() => staffApi.unlock(s.id))}
              data-testid="unlock-staff"
            >
              {t('staff.unlock')}
            </Button>
          ) : null}
        </>
      }
    >
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2 }} data-testid="staff-detail">
            <Descriptions.Item label={t('staff.username')}>{s.username}</Descriptions.Item>
            <Descriptions.Item label={t('staff.displayName')}>{s.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('staff.department')}>
              {s.departmentName ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('staff.region')}>
              {s.regionCode ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('staff.mobile')}>{s.mobile ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <StaffStatusTags staff={s} />
            </Descriptions.Item>
            {s.absent && s.absentNote ? (
              <Descriptions.Item label={t('staff.absentNote')}>{s.absentNote}</Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        <RolesCard key={JSON.stringify(s.roles)} staff={s} />
        <Card
          title={t('staff.letters')}
          extra={<Link to="/admin/authorizations">{t('admin.menu.authorizations')}</Link>}
        >
          <Table<Authorization>
            rowKey="id"
            loading={letters.isPending}
            dataSource={letters.data?.items ?? []}
            pagination={false}
            columns={[
              { title: t('authz.department'), dataIndex: 'departmentName' },
              {
                title: t('authz.actions'),
                key: 'actions',
                render: (_, l) => <AuthorizationActions letter={l} />,
              },
              {
                title: t('authz.scope'),
                key: 'scope',
                render: (_, l) => <AuthorizationScopeText letter={l} />,
              },
              { title: t('authz.validity'), key: 'validity', render: (_, l) => validityText(t, l) },
              {
                title: t('common.status'),
                key: 'status',
                render: (_, l) => <AuthorizationStatusTag status={l.status} />,
              },
            ]}
          />
        </Card>
      </Space>
      <EditStaffDialog staff={s} open={editOpen} onClose={() => setEditOpen(false)} />
      <AbsenceDialog staff={s} open={absenceOpen} onClose={() => setAbsenceOpen(false)} />
    </PageContainer>
  );
}
