import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type JointDetail,
  type JointMember,
  type JointSummary,
  jointApi,
  type ProjectApproval,
} from '../api/joint';
import { useReportError } from '../components/api-errors';
import { ErrorResult } from '../components/error-result';
import { PageContainer } from '../components/page-container';
import { type MessageKey, useT } from '../i18n/i18n';
import { JointFigures, JointStatusTag, MembersTable } from './joint-parts';
import { FileApprovalDrawer, PlanDrawer } from './project-card-actions';

/** 并联审批看板: the lead department's joint cases, or those with a sub-case of one's own department. */
export function JointBoardPage() {
  const t = useT();
  const [scope, setScope] = useState<'lead' | 'member' | 'all'>('all');
  const q = useQuery({
    queryKey: ['joint-cases', scope],
    queryFn: () => jointApi.list({ scope, pageSize: 100 }),
  });
  return (
    <PageContainer title={t('joint.board.title')} subTitle={t('joint.board.intro')}>
      <Segmented
        aria-label={t('joint.board.scope')}
        value={scope}
        onChange={(v) => setScope(v as typeof scope)}
        options={[
          { value: 'all', label: t('joint.board.all') },
          { value: 'lead', label: t('joint.board.lead') },
          { value: 'member', label: t('joint.board.member') },
        ]}
        style={{ marginBottom: 16 }}
      />
      {q.isError ? <ErrorResult error={q.error} /> : null}
      <Table<JointSummary>
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        onRow={(j) => ({ 'data-testid': 'joint-row', 'data-number': j.number }) as never}
        columns={[
          {
            title: t('case.number'),
            dataIndex: 'number',
            render: (n: string, j) => <Link to={`/workbench/joint/${j.id}`}>{n}</Link>,
          },
          { title: t('joint.template'), dataIndex: 'templateName' },
          { title: t('joint.applicant'), dataIndex: 'applicantName' },
          { title: t('joint.member.status'), render: (_, j) => <JointStatusTag status={j.status} /> },
          {
            title: t('joint.progressLabel'),
            render: (_, j) => (
              <>
                {t('joint.progress', { done: j.membersDone, total: j.membersTotal })}
                {j.membersLate ? (
                  <Tag color="error">{t('joint.lateCount', { count: j.membersLate })}</Tag>
                ) : null}
              </>
            ),
          },
          {
            title: t('joint.member.due'),
            render: (_, j) => (j.late ? <Tag color="error">{j.promisedDue}</Tag> : (j.promisedDue ?? '—')),
          },
        ]}
      />
    </PageContainer>
  );
}

function CorrectionDialog({
  detail,
  member,
  onClose,
  onDone,
}: {
  detail: JointDetail;
  member: JointMember;
  onClose: () => void;
  onDone: (d: JointDetail) => void;
}) {
  const t = useT();
  const report = useReportError();
  const [form] = Form.useForm<{ material: string; problem: string }>();
  const send = useMutation({
    mutationFn: (v: { material: string; problem: string }) =>
      jointApi.correct(detail.id, { caseId: member.caseId, version: member.version, corrections: [v] }),
    onSuccess: onDone,
    onError: (e) => report(e),
  });
  return (
    <Modal
      open
      title={t('joint.correction.title', { item: member.itemName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('joint.correction.send')}
      confirmLoading={send.isPending}
    >
      <Form form={form} layout="vertical" onFinish={(v) => send.mutate(v)}>
        <Form.Item
          name="material"
          label={t('joint.correction.material')}
          rules={[{ required: true, message: t('joint.required') }]}
        >
          <Select options={member.materials.map((m) => ({ value: m, label: m }))} />
        </Form.Item>
        <Form.Item
          name="problem"
          label={t('joint.correction.problem')}
          rules={[{ required: true, message: t('joint.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One joint case on the workbench: accept once, each member's state, correction, urge, one handover. */
export function JointCasePage() {
  const t = useT();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const report = useReportError();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['joint-case', id], queryFn: () => jointApi.get(id) });
  const [correcting, setCorrecting] = useState<JointMember | null>(null);
  const done = (d: JointDetail) => {
    qc.setQueryData(['joint-case', id], d);
    void message.success(t('common.saved'));
  };
  const run = useMutation({
    mutationFn: (fn: () => Promise<JointDetail>) => fn(),
    onSuccess: done,
    onError: (e) => report(e),
  });
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d) return <Skeleton active />;
  const open = d.corrections.find((c) => c.status === 'open');
  return (
    <PageContainer
      title={
        <>
          {d.templateName} <JointStatusTag status={d.status} />
        </>
      }
      subTitle={`${d.number} · ${t('joint.lead')}: ${d.leadDepartmentName} · ${d.applicantName}${
        d.promisedDue ? ` · ${t('joint.due', { date: d.promisedDue })}` : ''
      }`}
      extra={
        <Space>
          {d.actions.includes('accept') ? (
            <Button
              type="primary"
              loading={run.isPending}
              onClick={() => run.mutate(() => jointApi.accept(id, d.version))}
            >
              {t('joint.accept')}
            </Button>
          ) : null}
          {d.actions.includes('handover') ? (
            <Button
              type="primary"
              loading={run.isPending}
              onClick={() => run.mutate(() => jointApi.handover(id, d.version, 'pickup'))}
            >
              {t('joint.handover')}
            </Button>
          ) : null}
          <Button onClick={() => void q.refetch()}>{t('joint.refresh')}</Button>
        </Space>
      }
    >
      {d.late ? <Alert type="error" title={t('joint.jointLate')} style={{ marginBottom: 12 }} /> : null}
      {open ? (
        <Alert
          type="warning"
          style={{ marginBottom: 12 }}
          title={t('joint.correction.notice', { count: open.items.length })}
          description={open.items.map((x) => `${x.departmentName} · ${x.material}:${x.problem}`).join(';')}
        />
      ) : null}
      <JointFigures detail={d} />
      <MembersTable
        detail={d}
        extra={(m) => (
          <Space>
            <Link to={`/workbench/cases/${m.caseId}`}>{t('joint.openCase')}</Link>
            {d.actions.includes('correct') && m.status === 'accepted' ? (
              <Button size="small" onClick={() => setCorrecting(m)}>
                {t('joint.correction.button')}
              </Button>
            ) : null}
            {d.actions.includes('urge') &&
            ['accepted', 'suspended', 'approved', 'denied'].includes(m.status) ? (
              <Button
                size="small"
                onClick={() => run.mutate(() => jointApi.urge(id, m.caseId, t('joint.urgeMessage')))}
              >
                {t('joint.urge')}
              </Button>
            ) : null}
          </Space>
        )}
      />
      <Card size="small" title={t('joint.materials')} style={{ marginTop: 16 }}>
        <List
          size="small"
          dataSource={d.materials}
          renderItem={(m) => (
            <List.Item>
              {m.name} · {t(`joint.material.${m.status}`)} {m.fileName ?? ''}
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('joint.timeline')} style={{ marginTop: 16 }}>
        <List
          size="small"
          dataSource={d.timeline}
          renderItem={(e) => (
            <List.Item>
              {new Date(e.at).toLocaleString()} · {e.actorName} · {e.action}
              {e.departmentName ? ` · ${e.departmentName}` : ''} {e.reason ?? ''}
            </List.Item>
          )}
        />
      </Card>
      {correcting ? (
        <CorrectionDialog
          detail={d}
          member={correcting}
          onClose={() => setCorrecting(null)}
          onDone={(x) => {
            setCorrecting(null);
            done(x);
          }}
        />
      ) : null}
    </PageContainer>
  );
}

const PROGRESS_COLORS = {
  not_started: 'default',
  on_track: 'processing',
  late: 'error',
  done: 'success',
  done_late: 'warning',
};

/** 重大项目: the agent's cards (or all the caller may see). */
export function ProjectsPage() {
  const t = useT();
  const q = useQuery({ queryKey: ['projects'], queryFn: () => jointApi.projects({ pageSize: 100 }) });
  return (
    <PageContainer title={t('joint.projects.title')} subTitle={t('joint.projects.intro')}>
      {q.isError ? <ErrorResult error={q.error} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        columns={[
          {
            title: t('joint.projects.name'),
            dataIndex: 'name',
            render: (n: string, p) => <Link to={`/workbench/projects/${p.id}`}>{n}</Link>,
          },
          { title: t('joint.projects.investor'), dataIndex: 'investor' },
          {
            title: t('joint.projects.amount'),
            render: (_, p) =>
              t('joint.projects.yuan', { amount: (p.investmentYuan / 10_000).toLocaleString() }),
          },
          { title: t('joint.projects.agent'), dataIndex: 'agentName' },
          { title: 'VIP', render: (_, p) => (p.vip ? <Tag color="gold">VIP</Tag> : '—') },
          {
            title: t('joint.progressLabel'),
            render: (_, p) => (
              <>
                {t('joint.progress', { done: p.approvalsDone, total: p.approvalsTotal })}
                {p.approvalsLate ? (
                  <Tag color="error">{t('joint.lateCount', { count: p.approvalsLate })}</Tag>
                ) : null}
              </>
            ),
          },
          { title: t('joint.projects.target'), dataIndex: 'targetStartOn' },
        ]}
      />
    </PageContainer>
  );
}

/** 服务项目跟踪卡: approvals by stage on a reverse-scheduled plan, progress, delays, contact notes. */
export function ProjectCardPage() {
  const t = useT();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const report = useReportError();
  const [form] = Form.useForm<{ channel: string; content: string }>();
  const [filing, setFiling] = useState<ProjectApproval | null>(null);
  const [planning, setPlanning] = useState(false);
  const q = useQuery({ queryKey: ['project', id], queryFn: () => jointApi.project(id) });
  const note = useMutation({
    mutationFn: (v: { channel: string; content: string }) => jointApi.addNote(id, v.channel, v.content),
    onSuccess: (p) => {
      qc.setQueryData(['project', id], p);
      form.resetFields();
    },
    onError: (e) => report(e, form),
  });
  if (q.isError) return <ErrorResult error={q.error} />;
  const p = q.data;
  if (!p) return <Skeleton active />;
  return (
    <PageContainer
      title={
        <>
          {p.name} {p.vip ? <Tag color="gold">VIP · {t('joint.projects.green')}</Tag> : null}
        </>
      }
      subTitle={`${p.code} · ${p.investor} · ${p.location} · ${t('joint.projects.agent')}: ${p.agentName ?? '—'} · ${t('joint.projects.target')}: ${p.targetStartOn}`}
      extra={
        <Button onClick={() => setPlanning(true)} data-testid="project-change-plan">
          {t('joint.projects.changePlan')}
        </Button>
      }
    >
      <FileApprovalDrawer project={p} approval={filing} onClose={() => setFiling(null)} />
      <PlanDrawer project={p} open={planning} onClose={() => setPlanning(false)} />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={p.approvals}
        data-testid="project-approvals"
        columns={[
          { title: t('joint.projects.stage'), dataIndex: 'stage' },
          { title: t('joint.member.item'), dataIndex: 'itemName' },
          { title: t('joint.member.department'), dataIndex: 'departmentName' },
          { title: t('joint.projects.plan'), render: (_, a) => `${a.plannedStart} → ${a.plannedDue}` },
          { title: t('case.number'), render: (_, a) => a.caseNumber ?? '—' },
          {
            title: t('joint.progressLabel'),
            render: (_, a) => (
              <Tag color={PROGRESS_COLORS[a.progress]}>{t(`joint.projects.progress.${a.progress}`)}</Tag>
            ),
          },
          {
            title: t('common.actions'),
            render: (_, a) =>
              a.caseId ? (
                <Link to={`/workbench/cases/${a.caseId}`}>{t('joint.projects.openCase')}</Link>
              ) : a.jointCaseId ? (
                <Link to={`/workbench/joint/${a.jointCaseId}`}>{t('joint.projects.openCase')}</Link>
              ) : (
                <Button size="small" onClick={() => setFiling(a)} data-testid="project-file-approval">
                  {t('joint.projects.file')}
                </Button>
              ),
          },
        ]}
      />
      <Card size="small" title={t('joint.projects.notes')} style={{ marginTop: 16 }}>
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => note.mutate(v)}
          initialValues={{ channel: 'visit' }}
        >
          <Form.Item name="channel">
            <Select
              style={{ width: 120 }}
              aria-label={t('joint.projects.channel')}
              options={(['visit', 'phone', 'meeting', 'online'] as const).map((c) => ({
                value: c,
                label: t(`joint.projects.channel.${c}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="content" rules={[{ required: true, message: t('joint.required') }]}>
            <Input style={{ width: 360 }} aria-label={t('joint.projects.noteContent')} />
          </Form.Item>
          <Button htmlType="submit" loading={note.isPending}>
            {t('joint.projects.addNote')}
          </Button>
        </Form>
        <List
          size="small"
          dataSource={p.notes}
          renderItem={(n) => (
            <List.Item>
              {new Date(n.at).toLocaleString()} · {n.authorName} ·{' '}
              {t(`joint.projects.channel.${n.channel}` as MessageKey)}:{n.content}
            </List.Item>
          )}
        />
      </Card>
    </PageContainer>
  );
}
