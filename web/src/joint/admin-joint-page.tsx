import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Skeleton, Table, Tag } from 'antd';
import { useState } from 'react';
import { type JointTemplate, jointApi } from '../api/joint';
import { useMe } from '../auth/session';
import { ErrorResult } from '../components/error-result';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';
import { TemplateEditor } from './template-editor';

/** Templates and packages with their members, the merged form's mapping and the one material set. */
export function AdminJointPage() {
  const t = useT();
  const me = useMe();
  const [editing, setEditing] = useState<JointTemplate | 'new' | null>(null);
  const regionCode =
    me.roles.find((r) => r.role === 'hall_admin' && r.regionCode)?.regionCode ?? me.regionCode ?? '410103';
  const q = useQuery({
    queryKey: ['joint-templates', 'admin'],
    queryFn: () => jointApi.templates({ pageSize: 100 }),
  });
  if (q.isError) return <ErrorResult error={q.error} />;
  if (!q.data) return <Skeleton active />;
  return (
    <PageContainer
      title={t('joint.admin.title')}
      subTitle={t('joint.admin.intro')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          data-testid="joint-template-new"
        >
          {t('joint.admin.new')}
        </Button>
      }
    >
      <TemplateEditor
        open={editing !== null}
        template={editing === 'new' ? null : editing}
        regionCode={editing && editing !== 'new' ? editing.regionCode : regionCode}
        onClose={() => setEditing(null)}
      />
      {q.data.items.map((tpl: JointTemplate) => (
        <Card
          key={tpl.id}
          size="small"
          style={{ marginBottom: 16 }}
          data-testid="admin-joint-template"
          data-code={tpl.code}
          extra={
            <Button
              size="small"
              icon={<EditOutlined />}
              onClick={() => setEditing(tpl)}
              data-testid="joint-template-edit"
            >
              {t('common.edit')}
            </Button>
          }
          title={
            <>
              {tpl.name} <Tag>{tpl.code}</Tag>{' '}
              <Tag color="blue">{t(tpl.mode === 'joint' ? 'joint.mode.joint' : 'joint.mode.package')}</Tag>
            </>
          }
        >
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t('joint.lead')}>{tpl.leadDepartmentName}</Descriptions.Item>
            <Descriptions.Item label={t('joint.admin.promised')}>
              {tpl.promisedDays} / {tpl.legalDays}
            </Descriptions.Item>
            <Descriptions.Item label={t('joint.admin.sequential')}>{tpl.sequentialDays}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="itemCode"
            pagination={false}
            dataSource={tpl.members}
            columns={[
              {
                title: t('joint.projects.stage'),
                dataIndex: 'stage',
                render: (v: string | null) => v ?? '—',
              },
              { title: t('joint.member.item'), dataIndex: 'itemName' },
              { title: t('joint.member.department'), dataIndex: 'departmentName' },
              { title: t('joint.admin.days'), dataIndex: 'promisedDays' },
            ]}
          />
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            style={{ marginTop: 8 }}
            dataSource={tpl.formFields}
            columns={[
              { title: t('joint.admin.field'), dataIndex: 'label' },
              {
                title: t('joint.admin.mapping'),
                render: (_, f) =>
                  f.maps
                    .map(
                      (m) =>
                        `${tpl.members.find((x) => x.itemCode === m.itemCode)?.itemName ?? m.itemCode}.${m.field}`,
                    )
                    .join('、'),
              },
            ]}
          />
          <div style={{ marginTop: 8 }}>
            {t('joint.materials')}:{' '}
            {tpl.materials.map((m) => (
              <Tag key={m.name}>
                {m.name}
                {m.itemCodes.length > 1 ? ` ×${m.itemCodes.length}` : ''}
              </Tag>
            ))}
          </div>
        </Card>
      ))}
    </PageContainer>
  );
}
