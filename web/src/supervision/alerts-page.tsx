import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { type Alert, type Card, supervisionApi } from '../api/supervision';
import { useMe } from '../auth/session';
import { formatDateTime } from '../components/format';
import { PageContainer } from '../components/page-container';
import { type MessageKey, useT } from '../i18n/i18n';
import { useLiveSupervision } from './use-live';

type Rectify = { kind: 'alert'; item: Alert } | { kind: 'card'; item: Card } | null;

/** Alert queue with its actions, and the cards (效能监察): issue, rectify, close, notice PDF. */
export function AlertsPage() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  useLiveSupervision();
  const isSupervisor = me.roles.some((r) => r.role === 'supervisor' || r.role === 'sys_admin');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [rectify, setRectify] = useState<Rectify>(null);
  const [cardFor, setCardFor] = useState<Alert | null>(null);
  const [form] = Form.useForm<{ note: string }>();
  const [cardForm] = Form.useForm<{ color: 'yellow' | 'red'; reason: string }>();
  const alerts = useQuery({
    queryKey: ['supervision', 'alerts', status],
    queryFn: () => supervisionApi.alerts({ status, pageSize: 50 }),
  });
  const cards = useQuery({
    queryKey: ['supervision', 'cards'],
    queryFn: () => supervisionApi.cards({ pageSize: 50 }),
  });
  const done = () => void client.invalidateQueries({ queryKey: ['supervision'] });
  const fail = (e: unknown) => message.error(isApiError(e) ? e.message : String(e));
  const step = useMutation({
    mutationFn: (x: {
      id: string;
      step: 'acknowledge' | 'rectify' | 'close';
      body: Record<string, unknown>;
    }) => supervisionApi.alertStep(x.id, x.step, x.body),
    onSuccess: done,
    onError: fail,
  });
  const cardStep = useMutation({
    mutationFn: (x: { id: string; step: 'rectify' | 'close'; body: Record<string, unknown> }) =>
      supervisionApi.cardStep(x.id, x.step, x.body),
    onSuccess: done,
    onError: fail,
  });
  const issue = useMutation({
    mutationFn: supervisionApi.issueCard,
    onSuccess: () => {
      setCardFor(null);
      done();
    },
    onError: fail,
  });

  return (
    <PageContainer title={t('sup.alerts.title')}>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('sup.col.status')}
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={(['raised', 'acknowledged', 'rectified', 'closed'] as const).map((s) => ({
            value: s,
            label: t(`sup.alert.${s}`),
          }))}
        />
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={alerts.isLoading}
        dataSource={alerts.data?.items ?? []}
        pagination={false}
        onRow={(r) =>
          ({
            'data-testid': 'alert-row',
            'data-case': r.caseNumber ?? '',
            'data-rule': r.rule,
            'data-status': r.status,
          }) as React.HTMLAttributes<HTMLElement>
        }
        expandable={{
          expandedRowRender: (r) => <pre style={{ margin: 0 }}>{JSON.stringify(r.evidence, null, 2)}</pre>,
        }}
        columns={[
          {
            title: t('sup.col.rule'),
            dataIndex: 'rule',
            render: (v: string) => t(`sup.rule.${v}` as MessageKey),
          },
          { title: t('sup.col.number'), dataIndex: 'caseNumber' },
          { title: t('sup.col.department'), dataIndex: 'departmentName' },
          { title: t('sup.col.raised'), dataIndex: 'raisedAt', render: (v: string) => formatDateTime(v) },
          {
            title: t('sup.col.dueOn'),
            dataIndex: 'dueOn',
            render: (v: string, r: Alert) => (r.overdue ? <Tag color="red">{v}</Tag> : v),
          },
          {
            title: t('sup.col.status'),
            dataIndex: 'status',
            render: (v: Alert['status']) => t(`sup.alert.${v}`),
          },
          {
            title: t('sup.col.actions'),
            render: (_: unknown, r: Alert) => (
              <Space wrap>
                {r.status === 'raised' ? (
                  <Button
                    size="small"
                    onClick={() =>
                      step.mutate({ id: r.id, step: 'acknowledge', body: { version: r.version } })
                    }
                  >
                    {t('sup.action.acknowledge')}
                  </Button>
                ) : null}
                {r.status === 'raised' || r.status === 'acknowledged' ? (
                  <Button size="small" onClick={() => setRectify({ kind: 'alert', item: r })}>
                    {t('sup.action.rectify')}
                  </Button>
                ) : null}
                {isSupervisor && r.status !== 'closed' ? (
                  <Button
                    size="small"
                    onClick={() => step.mutate({ id: r.id, step: 'close', body: { version: r.version } })}
                  >
                    {t('sup.action.close')}
                  </Button>
                ) : null}
                {isSupervisor ? (
                  <Button size="small" danger data-testid="issue-card" onClick={() => setCardFor(r)}>
                    {t('sup.action.issueCard')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <h3 style={{ marginTop: 24 }}>{t('sup.cards.title')}</h3>
      <Table
        size="small"
        rowKey="id"
        loading={cards.isLoading}
        dataSource={cards.data?.items ?? []}
        pagination={false}
        onRow={(r) =>
          ({
            'data-testid': 'card-row',
            'data-number': r.number,
            'data-status': r.status,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('sup.col.number'), dataIndex: 'number' },
          {
            title: t('sup.col.color'),
            dataIndex: 'color',
            render: (v: Card['color']) => (
              <Tag color={v === 'red' ? 'red' : 'gold'}>{t(`sup.card.${v}`)}</Tag>
            ),
          },
          { title: t('sup.col.department'), dataIndex: 'departmentName' },
          { title: t('sup.col.reason'), dataIndex: 'reason' },
          { title: t('sup.col.dueOn'), dataIndex: 'rectifyDue' },
          {
            title: t('sup.col.status'),
            dataIndex: 'status',
            render: (v: Card['status']) => t(`sup.cardStatus.${v}`),
          },
          {
            title: t('sup.col.actions'),
            render: (_: unknown, r: Card) => (
              <Space wrap>
                <Button size="small" href={supervisionApi.noticeUrl(r.id)} target="_blank">
                  {t('sup.action.notice')}
                </Button>
                {r.status === 'issued' ? (
                  <Button
                    size="small"
                    data-testid="rectify-card"
                    onClick={() => setRectify({ kind: 'card', item: r })}
                  >
                    {t('sup.action.rectify')}
                  </Button>
                ) : null}
                {isSupervisor && r.status !== 'closed' ? (
                  <Button
                    size="small"
                    onClick={() => cardStep.mutate({ id: r.id, step: 'close', body: { version: r.version } })}
                  >
                    {t('sup.action.close')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={rectify !== null}
        title={t('sup.action.rectify')}
        okText={t('sup.action.submit')}
        okButtonProps={{ 'data-testid': 'rectify-submit' } as Record<string, string>}
        onCancel={() => setRectify(null)}
        destroyOnHidden
        onOk={async () => {
          const { note } = await form.validateFields();
          const r = rectify;
          if (!r) return;
          if (r.kind === 'alert')
            await step.mutateAsync({
              id: r.item.id,
              step: 'rectify',
              body: { version: r.item.version, note },
            });
          else
            await cardStep.mutateAsync({
              id: r.item.id,
              step: 'rectify',
              body: { version: r.item.version, note },
            });
          setRectify(null);
          form.resetFields();
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="note" label={t('sup.col.note')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} data-testid="rectify-note" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={cardFor !== null}
        title={t('sup.action.issueCard')}
        okText={t('sup.action.submit')}
        okButtonProps={{ 'data-testid': 'card-submit' } as Record<string, string>}
        onCancel={() => setCardFor(null)}
        destroyOnHidden
        onOk={async () => {
          const v = await cardForm.validateFields();
          if (!cardFor) return;
          await issue.mutateAsync({
            color: v.color,
            targetType: 'department',
            departmentId: cardFor.departmentId,
            reason: v.reason,
            alertIds: [cardFor.id],
          });
        }}
      >
        <Form form={cardForm} layout="vertical" initialValues={{ color: 'yellow' }}>
          <Form.Item name="color" label={t('sup.col.color')}>
            <Select
              options={[
                { value: 'yellow', label: t('sup.card.yellow') },
                { value: 'red', label: t('sup.card.red') },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('sup.col.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} data-testid="card-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
