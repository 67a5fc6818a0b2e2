import { Breadcrumb, Button, Form, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { type RegionInput, regionsApi } from '../api/org';
import { REGION_LEVELS, type Region, type RegionLevel } from '../api/types';
import { ErrorResult } from '../components/error-result';
import { FormDrawer, useFormMutation } from '../components/form-drawer';
import { LinkButton } from '../components/link-button';
import { ListToolbar } from '../components/list-toolbar';
import { PageContainer } from '../components/page-container';
import { RegionSelect } from '../components/remote-select';
import { usePagedList } from '../components/use-paged-list';
import { useT } from '../i18n/i18n';

const REGION_CODE = /^(\d{6}|\d{9}|\d{12})$/;

function childLevel(level: RegionLevel | undefined): RegionLevel {
  const index = level ? REGION_LEVELS.indexOf(level) : -1;
  return REGION_LEVELS[Math.min(index + 1, REGION_LEVELS.length - 1)] ?? 'province';
}

type Crumb = { code: string; name: string; level: RegionLevel };

/** 行政区划: one level at a time; a region's name opens its children. */
export function RegionsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const parentCode = params.get('parent') ?? undefined;
  const [trail, setTrail] = useState<Crumb[]>([]);
  const list = usePagedList('regions', regionsApi.list, { parentCode });
  const [editing, setEditing] = useState<Region | 'new' | null>(null);
  const [form] = Form.useForm<RegionInput>();
  const close = () => setEditing(null);

  const save = useFormMutation({
    resource: 'regions',
    form,
    successMessage: t('common.saved'),
    mutationFn: (values: RegionInput) =>
      editing && editing !== 'new'
        ? regionsApi.update(editing.code, { name: values.name })
        : regionsApi.create({ ...values, parentCode: values.parentCode || null }),
    onSuccess: close,
  });

  const openRegion = (region: Region) => {
    const index = trail.findIndex((c) => c.code === region.parentCode);
    setTrail([...trail.slice(0, index + 1), { code: region.code, name: region.name, level: region.level }]);
    setParams({ parent: region.code });
  };
  const goTo = (code?: string) => {
    setTrail(code ? trail.slice(0, trail.findIndex((c) => c.code === code) + 1) : []);
    setParams(code ? { parent: code } : {});
  };
  const parent = trail.find((c) => c.code === parentCode);
  const isNew = editing === 'new';

  return (
    <PageContainer
      title={t('admin.menu.regions')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')} data-testid="create-region">
          {t('region.create')}
        </Button>
      }
    >
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <LinkButton onClick={() => goTo()}>{t('region.root')}</LinkButton> },
          ...(parentCode && !parent ? [{ title: parentCode }] : []),
          ...trail.map((c) => ({ title: <LinkButton onClick={() => goTo(c.code)}>{c.name}</LinkButton> })),
        ]}
      />
      <ListToolbar onSearch={list.setQ} />
      {list.query.isError ? (
        <ErrorResult error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<Region>
          rowKey="code"
          loading={list.query.isFetching}
          dataSource={list.items}
          pagination={list.pagination}
          columns={[
            { title: t('region.code'), dataIndex: 'code' },
            {
              title: t('region.name'),
              dataIndex: 'name',
              render: (name: string, region) =>
                region.level === 'village' ? (
                  name
                ) : (
                  <LinkButton onClick={() => openRegion(region)} title={t('region.children')}>
                    {name}
                  </LinkButton>
                ),
            },
            {
              title: t('region.level'),
              dataIndex: 'level',
              render: (level: RegionLevel) => <Tag>{t(`region.level.${level}`)}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, region) => (
                <Button size="small" onClick={() => setEditing(region)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <FormDrawer<RegionInput>
        open={editing !== null}
        title={isNew ? t('region.create') : t('region.edit')}
        form={form}
        name="region"
        saving={save.isPending}
        onClose={close}
        onSubmit={(values) => save.mutate(values)}
        initialValues={
          editing && editing !== 'new'
            ? editing
            : { parentCode: parentCode ?? null, level: childLevel(parent?.level) }
        }
      >
        <Form.Item
          name="code"
          label={t('region.code')}
          extra={t('region.codeHint')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: REGION_CODE, message: t('validation.regionCode') },
          ]}
        >
          <Input disabled={!isNew} inputMode="numeric" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('region.name')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="level"
          label={t('region.level')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            disabled={!isNew}
            options={REGION_LEVELS.map((l) => ({ value: l, label: t(`region.level.${l}`) }))}
          />
        </Form.Item>
        <Form.Item name="parentCode" label={t('region.parent')}>
          <RegionSelect
            disabled={!isNew}
            allowClear
            valueLabel={parent ? `${parent.name} (${parent.code})` : undefined}
          />
        </Form.Item>
      </FormDrawer>
    </PageContainer>
  );
}
