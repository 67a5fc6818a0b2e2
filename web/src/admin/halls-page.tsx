import { Button, Form, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { type HallInput, hallsApi } from '../api/org';
import { HALL_LEVELS, type Hall, type HallLevel } from '../api/types';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { RegionSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

/** 服务大厅: district centre down to village stations. */
export function HallsPage() {
  const t = useT();
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const list = usePagedList('halls', hallsApi.list, { regionCode });
  const [editing, setEditing] = useState<Hall | 'new' | null>(null);
  const [form] = Form.useForm<HallInput>();
  const close = () => setEditing(null);
  const save = useFormMutation({
    resource: 'halls',
    form,
    successMessage: t('common.saved'),
    mutationFn: ({ regionCode, ...rest }: HallInput) =>
      editing && editing !== 'new'
        ? hallsApi.update(editing.id, rest)
        : hallsApi.create({ regionCode, ...rest }),
    onSuccess: close,
  });
  const required = { required: true, message: t('form.required') };

  return (
    <PageContainer
      title={t('admin.menu.halls')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')} data-testid="create-hall">
          {t('hall.create')}
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
        <Table<Hall>
          rowKey="id"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('hall.name'), dataIndex: 'name' },
            {
              title: t('hall.level'),
              dataIndex: 'level',
              render: (level: HallLevel) => <Tag>{t(`hall.level.${level}`)}</Tag>,
            },
            {
              title: t('hall.region'),
              dataIndex: 'regionName',
              render: (name: string | null, hall) => name ?? hall.regionCode,
            },
            { title: t('hall.address'), dataIndex: 'address' },
            { title: t('hall.hours'), dataIndex: 'hours' },
            { title: t('hall.phone'), dataIndex: 'phone' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, hall) => (
                <Button size="small" onClick={() => setEditing(hall)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <FormDrawer<HallInput>
        open={editing !== null}
        title={editing === 'new' ? t('hall.create') : t('hall.edit')}
        form={form}
        name="hall"
        saving={save.isPending}
        onClose={close}
        onSubmit={(values) => save.mutate(values)}
        initialValues={editing && editing !== 'new' ? editing : { regionCode }}
      >
        <Form.Item name="name" label={t('hall.name')} rules={[required]}>
          <Input />
        </Form.Item>
        <Form.Item name="level" label={t('hall.level')} rules={[required]}>
          <Select options={HALL_LEVELS.map((l) => ({ value: l, label: t(`hall.level.${l}`) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('hall.region')} rules={[required]}>
          <RegionSelect
            disabled={editing !== 'new'}
            valueLabel={editing && editing !== 'new' ? editing.regionName : undefined}
          />
        </Form.Item>
        <Form.Item name="address" label={t('hall.address')}>
          <Input />
        </Form.Item>
        <Form.Item name="hours" label={t('hall.hours')} extra={t('hall.hoursHint')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('hall.phone')}>
          <Input inputMode="tel" />
        </Form.Item>
      </FormDrawer>
    </PageContainer>
  );
}
