import { Button, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { authorizationsApi } from '../api/org';
import {
  AUTHORIZATION_ACTIONS,
  type Authorization,
  type AuthorizationAction,
  type AuthorizationScope,
} from '../api/types';
import {
  AuthorizationActions,
  AuthorizationScopeText,
  AuthorizationStatusTag,
  validityText,
} from '../components/authorization-tags';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation, useResetOnOpen } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { DepartmentSelect, StaffSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

type LetterValues = {
  departmentId: string;
  staffId: string;
  actions: AuthorizationAction[];
  scope: AuthorizationScope;
  itemCodes?: string[];
  validFrom: Dayjs;
  validUntil?: Dayjs | null;
};

const DATE = 'YYYY-MM-DD';

function RevokeDialog({ letter, onClose }: { letter: Authorization | null; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  useResetOnOpen(form, letter !== null);
  const revoke = useFormMutation({
    resource: 'authorizations',
    form,
    successMessage: t('authz.revoked'),
    mutationFn: (values: { reason: string }) => authorizationsApi.revoke(letter?.id ?? '', values.reason),
    onSuccess: onClose,
  });
  return (
    <Modal
      open={letter !== null}
      title={t('authz.revokeTitle')}
      okText={t('authz.revoke')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={revoke.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>
        {letter?.staffName} · {letter?.departmentName}
      </p>
      <Form<{ reason: string }>
        form={form}
        name="revoke"
        layout="vertical"
        onFinish={(values) => revoke.mutate(values)}
      >
        <Form.Item
          name="reason"
          label={t('authz.revokeReason')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 授权书: a department empowers a named staff member to accept, review, approve or issue, for a time. */
export function AuthorizationsPage() {
  const t = useT();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const list = usePagedList('authorizations', authorizationsApi.list, { departmentId });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Authorization | null>(null);
  const [form] = Form.useForm<LetterValues>();
  const formDepartment = Form.useWatch('departmentId', form);
  const scope = Form.useWatch('scope', form);
  const save = useFormMutation({
    resource: 'authorizations',
    form,
    successMessage: t('common.created'),
    mutationFn: (values: LetterValues) =>
      authorizationsApi.create({
        departmentId: values.departmentId,
        staffId: values.staffId,
        actions: values.actions,
        scope: values.scope,
        itemCodes: values.scope === 'items' ? (values.itemCodes ?? []) : [],
        validFrom: values.validFrom.format(DATE),
        validUntil: values.validUntil ? values.validUntil.format(DATE) : null,
      }),
    onSuccess: () => setCreating(false),
  });
  const required = { required: true, message: t('form.required') };

  return (
    <PageContainer
      title={t('admin.menu.authorizations')}
      subTitle={t('authz.intro')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-authorization">
          {t('authz.create')}
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
        <Table<Authorization>
          rowKey="id"
          data-testid="authorizations-table"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('authz.department'), dataIndex: 'departmentName' },
            { title: t('authz.staff'), dataIndex: 'staffName' },
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
            {
              title: t('common.actions'),
              key: 'op',
              render: (_, letter) =>
                letter.status === 'active' || letter.status === 'pending' ? (
                  <Button size="small" danger onClick={() => setRevoking(letter)}>
                    {t('authz.revoke')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <FormDrawer<LetterValues>
        open={creating}
        title={t('authz.create')}
        form={form}
        name="authorization"
        saving={save.isPending}
        onClose={() => setCreating(false)}
        onSubmit={(values) => save.mutate(values)}
        initialValues={{ departmentId, scope: 'all', actions: [], validFrom: dayjs() }}
      >
        <Form.Item name="departmentId" label={t('authz.department')} rules={[required]}>
          <DepartmentSelect onChange={() => form.setFieldValue('staffId', undefined)} />
        </Form.Item>
        <Form.Item name="staffId" label={t('authz.staff')} rules={[required]}>
          <StaffSelect departmentId={formDepartment} disabled={!formDepartment} />
        </Form.Item>
        <Form.Item
          name="actions"
          label={t('authz.actions')}
          rules={[{ required: true, message: t('authz.actionsRequired') }]}
        >
          <Checkbox.Group
            options={AUTHORIZATION_ACTIONS.map((a) => ({ value: a, label: t(`authz.action.${a}`) }))}
          />
        </Form.Item>
        <Form.Item name="scope" label={t('authz.scope')} rules={[required]}>
          <Radio.Group
            options={[
              { value: 'all', label: t('authz.scope.all') },
              { value: 'items', label: t('authz.scope.items') },
            ]}
          />
        </Form.Item>
        {scope === 'items' ? (
          <Form.Item
            name="itemCodes"
            label={t('authz.itemCodes')}
            extra={t('authz.itemCodesHint')}
            rules={[required]}
          >
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        ) : null}
        <Form.Item name="validFrom" label={t('authz.validFrom')} rules={[required]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="validUntil" label={t('authz.validUntil')} extra={t('authz.validUntilHint')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </FormDrawer>
      <RevokeDialog letter={revoking} onClose={() => setRevoking(null)} />
    </PageContainer>
  );
}
