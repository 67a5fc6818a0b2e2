import { Alert, Table, Tag } from 'antd';
import type { ReactNode } from 'react';
import type { JointDetail, JointMember, JointStatus } from '../api/joint';
import { CaseStatusTag } from '../components/case-parts';
import { type MessageKey, useT } from '../i18n/i18n';

const COLORS: Record<JointStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  accepted: 'processing',
  correcting: 'orange',
  completed: 'green',
  delivered: 'success',
  stopped: 'red',
};

export function JointStatusTag({ status }: { status: JointStatus }) {
  const t = useT();
  return (
    <Tag color={COLORS[status]} data-testid="joint-status" data-status={status}>
      {t(`joint.status.${status}` as MessageKey)}
    </Tag>
  );
}

/** Every member of a joint case: its department, state, who holds it and whether it is late. */
export function MembersTable({
  detail,
  extra,
}: {
  detail: JointDetail;
  extra?: (m: JointMember) => ReactNode;
}) {
  const t = useT();
  return (
    <Table<JointMember>
      size="small"
      rowKey="caseId"
      pagination={false}
      dataSource={detail.members}
      data-testid="joint-members"
      onRow={(m) =>
        ({ 'data-testid': 'joint-member', 'data-item': m.itemName, 'data-status': m.status }) as never
      }
      columns={[
        { title: t('joint.member.item'), dataIndex: 'itemName' },
        { title: t('joint.member.department'), dataIndex: 'departmentName' },
        { title: t('case.number'), dataIndex: 'number' },
        {
          title: t('joint.member.status'),
          render: (_, m) => (
            <>
              <CaseStatusTag status={m.status} /> {m.stepName}
            </>
          ),
        },
        { title: t('joint.member.holder'), dataIndex: 'holder', render: (v: string | null) => v ?? '—' },
        {
          title: t('joint.member.due'),
          render: (_, m) =>
            m.late ? (
              <Tag color="error">
                {t('joint.late')} {m.promisedDue}
              </Tag>
            ) : (
              (m.promisedDue ?? '—')
            ),
        },
        ...(extra ? [{ title: t('common.actions'), render: (_: unknown, m: JointMember) => extra(m) }] : []),
      ]}
    />
  );
}

/** 串联 vs 并联: the figures a finished joint case keeps. */
export function JointFigures({ detail }: { detail: JointDetail }) {
  const t = useT();
  if (detail.workingDaysTaken === null) return null;
  return (
    <Alert
      type="success"
      data-testid="joint-figures"
      title={t('joint.figures', {
        taken: detail.workingDaysTaken,
        sequential: detail.sequentialLimitDays,
        saved: detail.daysSaved ?? 0,
      })}
      description={detail.explanation ?? undefined}
    />
  );
}
