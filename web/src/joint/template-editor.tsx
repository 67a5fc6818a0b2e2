import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { catalogApi, type ItemData } from '../api/catalog';
import { type JointMode, type JointTemplate, jointApi, type TemplateInput } from '../api/joint';
import { useFormMutation, useResetOnOpen } from '../components/form-drawer';
import { DepartmentSelect } from '../components/remote-select';
import { useT } from '../i18n/i18n';

const LEVELS = ['province', 'city', 'district', 'township', 'village'] as const;

/** The editor's values: the API's template input, with the members' optional stage as a form field. */
export type TemplateValues = Omit<TemplateInput, 'members'> & {
  members: { itemCode?: string; stage?: string }[];
};

function valuesOf(tpl: JointTemplate | null, regionCode: string): Partial<TemplateValues> {
  if (!tpl)
    return {
      mode: 'joint',
      regionCode,
      level: 'district',
      promisedDays: 5,
      legalDays: 20,
      extensionApproved: false,
      continueOnDenial: true,
      members: [{}, {}],
      formFields: [],
    };
  return {
    code: tpl.code,
    name: tpl.name,
    mode: tpl.mode,
    category: tpl.category,
    description: tpl.description,
    regionCode: tpl.regionCode,
    level: tpl.level,
    leadDepartmentId: tpl.leadDepartmentId,
    promisedDays: tpl.promisedDays,
    legalDays: tpl.legalDays,
    extensionApproved: tpl.extensionApproved,
    continueOnDenial: tpl.continueOnDenial,
    members: tpl.members.map((m) => ({ itemCode: m.itemCode, stage: m.stage ?? undefined })),
    formFields: tpl.formFields.map((f) => ({ ...f, maps: f.maps.map((m) => ({ ...m })) })),
  };
}

function inputOf(v: TemplateValues): TemplateInput {
  return {
    ...v,
    description: v.description ?? '',
    members: v.members.map((m) => ({
      itemCode: m.itemCode ?? '',
      ...(m.stage?.trim() ? { stage: m.stage.trim() } : {}),
    })),
    formFields: (v.formFields ?? []).map((f) => ({
      key: f.key,
      label: f.label,
      required: !!f.required,
      maps: f.maps ?? [],
    })),
  };
}

/** Items in effect today (published), searched on the server by name or code, with their department. */
export function PublishedItemSelect(props: {
  id?: string;
  value?: string;
  onChange?: (v: string) => void;
  'aria-label'?: string;
  'data-testid'?: string;
}) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const list = useQuery({
    queryKey: ['catalog', 'joint-member-options', q],
    queryFn: () => catalogApi.list('item', { q, state: 'current', pageSize: 30 }),
    staleTime: 30_000,
  });
  let options = (list.data?.items ?? [])
    .filter((r) => r.status === 'published' && r.inEffect)
    .map((r) => ({ value: r.code, label: `${r.name} · ${r.departmentName ?? '—'} (${r.code})` }));
  if (props.value && !options.some((o) => o.value === props.value))
    options = [{ value: props.value, label: props.value }, ...options];
  return (
    <Select<string>
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      options={options}
      loading={list.isFetching}
      placeholder={t('joint.admin.pickItem')}
      aria-label={props['aria-label']}
      data-testid={props['data-testid']}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}

type MemberFacts = { code: string; name: string; departmentName: string; seq: number; data: ItemData };

/** The picked members as the catalog publishes them today (name, department, version, materials). */
function useMemberFacts(codes: string[]): Map<string, MemberFacts> {
  const results = useQueries({
    queries: codes.map((code) => ({
      queryKey: ['catalog', 'item', code, 'current'],
      queryFn: () => catalogApi.get<ItemData>('item', code, 'current'),
      staleTime: 30_000,
      retry: false,
    })),
  });
  return useMemo(() => {
    const out = new Map<string, MemberFacts>();
    for (const r of results)
      if (r.data)
        out.set(r.data.code, {
          code: r.data.code,
          name: r.data.name,
          departmentName: r.data.departmentName ?? '—',
          seq: r.data.seq,
          data: r.data.data,
        });
    return out;
  }, [results]);
}

/** The one material set, merged as the server merges it: a material several members ask for is asked once. */
function mergedMaterials(facts: MemberFacts[]) {
  const byName = new Map<string, { name: string; required: boolean; items: string[] }>();
  for (const f of facts)
    for (const m of f.data.materials ?? []) {
      const have = byName.get(m.name);
      const required = m.requirement === 'required';
      if (have) {
        have.items.push(f.name);
        have.required ||= required;
      } else byName.set(m.name, { name: m.name, required, items: [f.name] });
    }
  return [...byName.values()];
}

/**
 * Create or edit a joint-approval template or a service package: members picked from the published catalog
 * (each shown with its department and version), the joint deadline, the merged form and where each of its
 * fields goes in each member's form; the one material set is computed from the members as they are chosen.
 * The server checks everything and names each problem; its errors appear under the fields they name.
 */
export function TemplateEditor({
  open,
  template,
  regionCode,
  onClose,
}: {
  open: boolean;
  template: JointTemplate | null;
  regionCode: string;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<TemplateValues>();
  useResetOnOpen(form, open);
  const mode = Form.useWatch('mode', form) as JointMode | undefined;
  const members = (Form.useWatch('members', form) ?? []) as TemplateValues['members'];
  const codes = [...new Set(members.map((m) => m?.itemCode).filter((c): c is string => !!c))];
  const facts = useMemberFacts(codes);
  const picked = codes.map((c) => facts.get(c)).filter((f): f is MemberFacts => !!f);
  const materials = mergedMaterials(picked);
  const sequential = picked.reduce((n, f) => n + (f.data.promisedLimitDays ?? 0), 0);
  const memberOptions = codes.map((c) => ({ value: c, label: facts.get(c)?.name ?? c }));

  const save = useFormMutation<TemplateValues, JointTemplate>({
    resource: 'joint-templates',
    form,
    mutationFn: (v) =>
      template
        ? jointApi.updateTemplate(template.id, { ...inputOf(v), version: template.version })
        : jointApi.createTemplate(inputOf(v)),
    successMessage: t('common.saved'),
    onSuccess: onClose,
  });

  return (
    <Drawer
      open={open}
      title={template ? `${t('common.edit')} · ${template.name}` : t('joint.admin.new')}
      size={980}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap="small">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => form.submit()}
            data-testid="joint-template-submit"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<TemplateValues>
        form={form}
        name="joint-template"
        layout="vertical"
        initialValues={valuesOf(template, regionCode)}
        onFinish={(v) => save.mutate(v)}
        preserve={false}
        data-testid="joint-template-form"
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="mode" label={t('joint.admin.mode')}>
              <Radio.Group
                options={[
                  { value: 'joint', label: t('joint.mode.joint') },
                  { value: 'package', label: t('joint.mode.package') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="code" label={t('joint.admin.code')}>
              <Input disabled={!!template} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="name" label={t('joint.admin.name')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="category" label={t('joint.admin.category')}>
              <Input placeholder={t('joint.admin.categoryHint')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="leadDepartmentId" label={t('joint.lead')}>
              <DepartmentSelect regionCode={regionCode} valueLabel={template?.leadDepartmentName} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="level" label={t('joint.admin.level')}>
              <Select options={LEVELS.map((l) => ({ value: l, label: t(`catalog.level.${l}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="promisedDays" label={t('joint.admin.promisedDays')}>
              <InputNumber min={0} max={60} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="legalDays" label={t('joint.admin.legalDays')}>
              <InputNumber min={1} max={60} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="extensionApproved" valuePropName="checked" label=" ">
              <Checkbox>{t('joint.admin.extension')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="continueOnDenial" valuePropName="checked">
              <Checkbox>{t('joint.admin.continueOnDenial')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('joint.admin.description')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
          <Form.Item name="regionCode" hidden>
            <Input />
          </Form.Item>
        </Row>

        <Typography.Title level={5}>{t('joint.members')}</Typography.Title>
        <Form.List name="members">
          {(fields, ops, { errors }) => (
            <div data-testid="joint-template-members">
              {fields.map((field, i) => {
                const code = members[i]?.itemCode;
                const f = code ? facts.get(code) : undefined;
                return (
                  <Row key={field.key} gutter={8} align="top" data-testid="joint-template-member">
                    <Col span={10}>
                      <Form.Item name={[field.name, 'itemCode']} style={{ marginBottom: 8 }}>
                        <PublishedItemSelect aria-label={`${t('joint.member.item')} ${i + 1}`} />
                      </Form.Item>
                    </Col>
                    <Col span={8} style={{ paddingTop: 5 }}>
                      {f ? (
                        <Space size={4} wrap data-testid="joint-template-member-facts">
                          <Tag>{f.departmentName}</Tag>
                          <Tag color="blue">{t('joint.admin.version', { seq: f.seq })}</Tag>
                          <Tag>{t('joint.admin.daysN', { days: f.data.promisedLimitDays })}</Tag>
                        </Space>
                      ) : null}
                    </Col>
                    <Col span={4}>
                      <Form.Item name={[field.name, 'stage']} style={{ marginBottom: 8 }}>
                        <Input
                          placeholder={t('joint.projects.stage')}
                          aria-label={t('joint.projects.stage')}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Button
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        onClick={() => ops.remove(field.name)}
                      />
                    </Col>
                  </Row>
                );
              })}
              <Form.ErrorList errors={errors} />
              <Button
                icon={<PlusOutlined />}
                onClick={() => ops.add({})}
                data-testid="joint-template-add-member"
              >
                {t('joint.admin.addMember')}
              </Button>
              {picked.length > 0 ? (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {t('joint.admin.sequentialHint', { days: sequential })}
                </Typography.Paragraph>
              ) : null}
            </div>
          )}
        </Form.List>

        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('joint.admin.form')}
        </Typography.Title>
        <Form.List name="formFields">
          {(fields, ops, { errors }) => (
            <div data-testid="joint-template-fields">
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  data-testid="joint-template-field"
                  extra={
                    <Button
                      size="small"
                      icon={<DeleteOutlined />}
                      aria-label={t('common.delete')}
                      onClick={() => ops.remove(field.name)}
                    />
                  }
                  title={t('joint.admin.fieldN', { n: i + 1 })}
                >
                  <Row gutter={8}>
                    <Col span={8}>
                      <Form.Item name={[field.name, 'key']} label={t('joint.admin.key')}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={10}>
                      <Form.Item name={[field.name, 'label']} label={t('joint.admin.label')}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'required']} valuePropName="checked" label=" ">
                        <Checkbox>{t('joint.admin.required')}</Checkbox>
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.List name={[field.name, 'maps']}>
                    {(maps, mapOps, { errors: mapErrors }) => (
                      <div data-testid="joint-template-maps">
                        {maps.map((mp, j) => (
                          <Row key={mp.key} gutter={8}>
                            <Col span={11}>
                              <Form.Item name={[mp.name, 'itemCode']} style={{ marginBottom: 8 }}>
                                <Select
                                  options={memberOptions}
                                  placeholder={t('joint.admin.mapItem')}
                                  aria-label={`${t('joint.admin.mapItem')} ${i + 1}.${j + 1}`}
                                />
                              </Form.Item>
                            </Col>
                            <Col span={11}>
                              <Form.Item name={[mp.name, 'field']} style={{ marginBottom: 8 }}>
                                <Input
                                  placeholder={t('joint.admin.mapField')}
                                  aria-label={`${t('joint.admin.mapField')} ${i + 1}.${j + 1}`}
                                />
                              </Form.Item>
                            </Col>
                            <Col span={2}>
                              <Button
                                icon={<DeleteOutlined />}
                                aria-label={t('common.delete')}
                                onClick={() => mapOps.remove(mp.name)}
                              />
                            </Col>
                          </Row>
                        ))}
                        <Form.ErrorList errors={mapErrors} />
                        <Button
                          size="small"
                          icon={<PlusOutlined />}
                          onClick={() => mapOps.add({})}
                          data-testid="joint-template-add-map"
                        >
                          {t('joint.admin.addMap')}
                        </Button>
                      </div>
                    )}
                  </Form.List>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                icon={<PlusOutlined />}
                onClick={() => ops.add({ required: false, maps: [] })}
                data-testid="joint-template-add-field"
              >
                {t('joint.admin.addField')}
              </Button>
            </div>
          )}
        </Form.List>

        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('joint.admin.materialsComputed')}
        </Typography.Title>
        {materials.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={materials}
            data-testid="joint-template-materials"
            columns={[
              { title: t('joint.admin.material'), dataIndex: 'name' },
              {
                title: t('joint.admin.required'),
                dataIndex: 'required',
                render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
              },
              {
                title: t('joint.admin.askedBy'),
                dataIndex: 'items',
                render: (items: string[]) => (
                  <>
                    {items.length > 1 ? (
                      <Tag color="green">{t('joint.admin.once', { n: items.length })}</Tag>
                    ) : null}
                    {items.join('、')}
                  </>
                ),
              },
            ]}
          />
        )}
        {mode === 'joint' ? null : (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('joint.admin.packageHint')}
          </Typography.Paragraph>
        )}
      </Form>
    </Drawer>
  );
}
