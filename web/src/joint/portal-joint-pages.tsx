import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Skeleton,
  Space,
  Tag,
  Upload,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { type JointDetail, jointApi } from '../api/joint';
import { useReportError } from '../components/api-errors';
import { ErrorResult } from '../components/error-result';
import { PageContainer } from '../components/page-container';
import { useT } from '../i18n/i18n';
import { JointFigures, JointStatusTag, MembersTable } from './joint-parts';

/** 一件事 / 并联审批 in the portal: the undertakings one can apply for at once, and one's own applications. */
export function PortalJointHome() {
  const t = useT();
  const templates = useQuery({
    queryKey: ['joint-templates'],
    queryFn: () => jointApi.templates({ pageSize: 50 }),
  });
  const mine = useQuery({
    queryKey: ['joint-cases', 'mine'],
    queryFn: () => jointApi.list({ scope: 'mine' }),
  });
  return (
    <div className="tb-portal-narrow">
      <PageContainer title={t('joint.portal.title')} subTitle={t('joint.portal.intro')}>
        {templates.isError ? <ErrorResult error={templates.error} /> : null}
        {templates.isPending ? <Skeleton active /> : null}
        <List
          dataSource={templates.data?.items ?? []}
          renderItem={(tpl) => (
            <Card size="small" style={{ marginBottom: 8 }} data-testid="joint-template" data-code={tpl.code}>
              <Flex justify="space-between" align="center" wrap gap="small">
                <div>
                  <h3 style={{ margin: 0, fontSize: 16 }}>
                    {tpl.name}{' '}
                    <Tag>{t(tpl.mode === 'joint' ? 'joint.mode.joint' : 'joint.mode.package')}</Tag>
                  </h3>
                  <div>{tpl.description}</div>
                  <div>
                    {t('joint.portal.members', { count: tpl.members.length })} ·{' '}
                    {t('joint.portal.promise', { days: tpl.promisedDays, sequential: tpl.sequentialDays })}
                  </div>
                </div>
                <Link to={`/portal/joint/apply/${tpl.code}`}>
                  <Button type="primary">
                    {t('joint.portal.apply')}
                    <span className="tb-visually-hidden">: {tpl.name}</span>
                  </Button>
                </Link>
              </Flex>
            </Card>
          )}
        />
        <h3>{t('joint.portal.mine')}</h3>
        {mine.data && mine.data.items.length === 0 ? <Empty description={t('joint.portal.none')} /> : null}
        {(mine.data?.items ?? []).map((j) => (
          <Card
            size="small"
            key={j.id}
            style={{ marginBottom: 8 }}
            data-testid="my-joint"
            data-number={j.number}
          >
            <Link to={`/portal/joint/${j.id}`}>{j.templateName}</Link> <JointStatusTag status={j.status} />{' '}
            {j.number} · {t('joint.progress', { done: j.membersDone, total: j.membersTotal })}
          </Card>
        ))}
      </PageContainer>
    </div>
  );
}

/** One form for the whole undertaking: its fields fill every member's own form. */
export function PortalJointApply() {
  const t = useT();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const report = useReportError();
  const [form] = Form.useForm<{ form?: Record<string, string> }>();
  const tpl = useQuery({ queryKey: ['joint-template', code], queryFn: () => jointApi.template(code) });
  const create = useMutation({
    mutationFn: (values: Record<string, string>) =>
      jointApi.create({
        templateCode: code,
        form: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')),
      }),
    onSuccess: (d) => navigate(`/portal/joint/${d.id}`),
    onError: (e) => report(e, form),
  });
  if (tpl.isError) return <ErrorResult error={tpl.error} />;
  if (!tpl.data) return <Skeleton active />;
  return (
    <div className="tb-portal-narrow">
      <PageContainer title={tpl.data.name} subTitle={tpl.data.description}>
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('joint.lead')}>{tpl.data.leadDepartmentName}</Descriptions.Item>
          <Descriptions.Item label={t('joint.portal.itemsLabel')}>
            {tpl.data.members.map((m) => `${m.itemName}(${m.departmentName})`).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label={t('joint.portal.materialsLabel')}>
            {tpl.data.materials.filter((m) => m.required).length}
          </Descriptions.Item>
        </Descriptions>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v.form ?? {})}>
          {tpl.data.formFields.map((f) => (
            <Form.Item
              key={f.key}
              name={['form', f.key]}
              label={f.label}
              rules={f.required ? [{ required: true, message: t('joint.required') }] : []}
            >
              <Input />
            </Form.Item>
          ))}
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('joint.portal.next')}
          </Button>
        </Form>
      </PageContainer>
    </div>
  );
}

function useJointAction(id: string) {
  const qc = useQueryClient();
  const report = useReportError();
  const { message } = App.useApp();
  const t = useT();
  return useMutation({
    mutationFn: (fn: () => Promise<JointDetail>) => fn(),
    onSuccess: (d) => {
      qc.setQueryData(['joint-case', id], d);
      void message.success(t('common.saved'));
    },
    onError: (e) => report(e),
  });
}

/** The one progress page: every member, the one material set, the combined correction notice. */
export function PortalJointCase() {
  const t = useT();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: ['joint-case', id], queryFn: () => jointApi.get(id) });
  const run = useJointAction(id);
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Skeleton active />;
  const open = d.corrections.find((c) => c.status === 'open');
  const canUpload = d.actions.includes('upload');
  return (
    <PageContainer
      title={
        <>
          {d.templateName} <JointStatusTag status={d.status} />
        </>
      }
      subTitle={`${t('case.number')}: ${d.number}${d.promisedDue ? ` · ${t('joint.due', { date: d.promisedDue })}` : ''}`}
      extra={
        <Space>
          {d.actions.includes('submit') ? (
            <Button
              type="primary"
              loading={run.isPending}
              onClick={() => run.mutate(() => jointApi.submit(id, d.version))}
            >
              {t('joint.submit')}
            </Button>
          ) : null}
          {d.actions.includes('supply') ? (
            <Button
              type="primary"
              loading={run.isPending}
              onClick={() => run.mutate(() => jointApi.supply(id, d.version))}
            >
              {t('joint.supply')}
            </Button>
          ) : null}
          {d.actions.includes('download') ? (
            <Button
              loading={run.isPending}
              onClick={() => run.mutate(() => jointApi.handover(id, d.version, 'download'))}
            >
              {t('joint.download')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {open ? (
        <Alert
          type="warning"
          data-testid="joint-correction-notice"
          style={{ marginBottom: 16 }}
          title={t('joint.correction.notice', { count: open.items.length })}
          description={
            <ul style={{ margin: 0 }}>
              {open.items.map((x) => (
                <li key={`${x.caseId}-${x.material}`}>
                  {x.departmentName} · {x.material}:{x.problem}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <JointFigures detail={d} />
      <h3>{t('joint.materials')}</h3>
      <List
        size="small"
        bordered
        dataSource={d.materials}
        renderItem={(m) => (
          <List.Item
            data-testid="joint-material"
            data-name={m.name}
            data-status={m.status}
            extra={
              canUpload && (d.status === 'draft' || m.status === 'deficient') ? (
                <Upload
                  showUploadList={false}
                  accept=".pdf,.jpg,.jpeg,.png,.ofd"
                  customRequest={({ file }) => run.mutate(() => jointApi.upload(id, m.id, file as File))}
                >
                  <Button size="small" aria-label={`${t('joint.upload')}: ${m.name}`}>
                    {t('joint.upload')}
                  </Button>
                </Upload>
              ) : null
            }
          >
            <Space wrap>
              <span>{m.name}</span>
              {m.required ? <Tag>{t('joint.requiredTag')}</Tag> : null}
              <Tag
                color={m.status === 'provided' ? 'green' : m.status === 'deficient' ? 'orange' : 'default'}
              >
                {t(`joint.material.${m.status}`)}
              </Tag>
              {m.fileName ? <span>{m.fileName}</span> : null}
              {m.note ? <span>({m.note})</span> : null}
            </Space>
          </List.Item>
        )}
      />
      {d.members.length ? (
        <>
          <h3>{t('joint.members')}</h3>
          <MembersTable detail={d} />
        </>
      ) : null}
    </PageContainer>
  );
}
