import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Skeleton, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type CaseAction, type CaseDetail, casesApi, caseUrls } from '../../api/cases';
import { CaseActionButtons, CaseActionDialog } from '../../components/case-actions';
import { channelLabel } from '../../components/case-labels';
import { canAttachMaterial, MaterialsList, rowsOf } from '../../components/case-materials';
import {
  CaseDocuments,
  CaseStatusTag,
  CaseStepsView,
  CaseTimeline,
  DeadlineTag,
} from '../../components/case-parts';
import '../../components/cases.css';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { useT } from '../../i18n/i18n';
import { caseLink } from './my-cases-page';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <div className="tb-case-fact-label">{label}</div>
      <div className="tb-case-fact-value">{children}</div>
    </div>
  );
}

function CardTitle({ children }: { children: ReactNode }) {
  return <h3 className="tb-card-title">{children}</h3>;
}

/** The last reason given for an action, e.g. why the pre-review returned the case. */
function lastReason(detail: CaseDetail, action: string): string | null {
  return [...detail.timeline].reverse().find((e) => e.action === action)?.reason ?? null;
}

/**
 * One of the applicant's cases (/portal/cases/:id): status and deadline, the steps, what to do now — edit and
 * resubmit a returned case, supply what a correction notice lists, supply a 容缺 material, withdraw — the
 * notices and decisions as PDFs, and the timeline. Phone first.
 */
export function PortalCasePage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<CaseAction | null>(null);
  const query = useQuery({ queryKey: ['cases', id], queryFn: () => casesApi.get(id) });

  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const d = query.data;
  const update = (next: CaseDetail) => {
    queryClient.setQueryData(['cases', next.id], next);
    void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
  };
  const editInForm = d.status === 'draft' || d.status === 'returned';
  const deficient = d.materials.filter(
    (m) => m.status === 'deficient' || (m.required && m.status === 'missing'),
  );
  const deferred = d.materials.filter((m) => m.status === 'deferred');
  const correctionNotice = d.status === 'correcting';
  const reason = d.status === 'returned' ? lastReason(d, 'preReviewReturn') : null;
  const closed = ['refused', 'terminated', 'denied'].includes(d.status);
  const closedReason = closed
    ? (lastReason(d, d.status === 'refused' ? 'refuse' : d.status === 'denied' ? 'deny' : 'terminate') ??
      null)
    : null;

  return (
    <div className="tb-portal-narrow" data-testid="portal-case" data-status={d.status}>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/portal/cases">{t('portal.menu.cases')}</Link> }, { title: d.number }]}
      />
      <Typography.Title level={2} style={{ fontSize: 22, marginTop: 0, marginBottom: 4 }}>
        {d.itemName}
      </Typography.Title>
      <Typography.Paragraph style={{ marginBottom: 16 }}>
        {t('case.number')}: <span data-testid="case-number">{d.number}</span> · {d.departmentName}
      </Typography.Paragraph>

      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <div className="tb-case-facts">
            <Fact label={t('case.status')}>
              <CaseStatusTag status={d.status} />
            </Fact>
            <Fact label={t('case.step')}>{d.stepName ?? '—'}</Fact>
            <Fact label={t('case.promisedDue')}>
              <DeadlineTag summary={d} />
            </Fact>
            <Fact label={t('case.receivedAt')}>{formatDateTime(d.receivedAt)}</Fact>
            <Fact label={t('case.acceptedAt')}>{formatDateTime(d.acceptedAt)}</Fact>
            <Fact label={t('case.channel')}>{channelLabel(t, d.channel)}</Fact>
          </div>
        </Card>

        {d.status === 'draft' ? (
          <Alert
            type="info"
            showIcon
            title={t('portalCase.draft')}
            action={
              <Link to={caseLink(d)}>
                <Button size="small" type="primary" data-testid="case-continue">
                  {t('portalCase.continue')}
                </Button>
              </Link>
            }
          />
        ) : null}
        {d.status === 'returned' ? (
          <Alert
            type="warning"
            showIcon
            data-testid="case-returned"
            title={t('portalCase.returned')}
            description={reason ? t('portalCase.reason', { reason }) : undefined}
            action={
              <Link to={caseLink(d)}>
                <Button size="small" type="primary" data-testid="case-edit-resubmit">
                  {t('portalCase.returnedAction')}
                </Button>
              </Link>
            }
          />
        ) : null}
        {closedReason ? (
          <Alert type="error" showIcon title={t('portalCase.reason', { reason: closedReason })} />
        ) : null}
        {d.status === 'completed' || d.status === 'delivered' ? (
          <Alert type="success" showIcon title={t('portalCase.completed')} data-testid="case-completed" />
        ) : null}

        {correctionNotice ? (
          <Card
            title={<CardTitle>{t('case.action.requestCorrection')}</CardTitle>}
            data-testid="correction-notice"
          >
            <Typography.Paragraph>{t('portalCase.correcting')}</Typography.Paragraph>
            <MaterialsList
              rows={rowsOf(deficient.length > 0 ? deficient : d.materials)}
              caseId={d.id}
              canAttach={(row) => canAttachMaterial(d.status, row)}
              library
              onChanged={update}
            />
          </Card>
        ) : null}

        {deferred.length > 0 ? (
          <Card title={<CardTitle>{t('case.material.deferred')}</CardTitle>} data-testid="deferred-supply">
            <Typography.Paragraph>{t('portalCase.deferred')}</Typography.Paragraph>
            <MaterialsList
              rows={rowsOf(deferred)}
              caseId={d.id}
              canAttach={(row) => canAttachMaterial(d.status, row)}
              library
              onChanged={update}
            />
          </Card>
        ) : null}

        <CaseActionButtons detail={d} onAction={setAction} exclude={['submit', 'resubmit']} />

        <Card title={<CardTitle>{t('case.documents')}</CardTitle>}>
          <CaseDocuments documents={d.documents} />
        </Card>

        <Card title={<CardTitle>{t('case.steps')}</CardTitle>}>
          <CaseStepsView detail={d} />
        </Card>

        {!correctionNotice ? (
          <Card title={<CardTitle>{t('case.materials')}</CardTitle>}>
            <MaterialsList
              rows={rowsOf(d.materials)}
              caseId={d.id}
              canAttach={(row) =>
                !editInForm && row.status !== 'deferred' && canAttachMaterial(d.status, row)
              }
              library
              onChanged={update}
            />
          </Card>
        ) : null}

        <Card title={<CardTitle>{t('case.timeline')}</CardTitle>}>
          <CaseTimeline timeline={d.timeline} />
          {d.status !== 'draft' ? (
            <Link to={caseUrls.progressPage(d.number)} className="tb-case-link">
              {t('case.progressLink')}
            </Link>
          ) : null}
        </Card>
      </Space>

      <CaseActionDialog
        detail={d}
        action={action}
        audience="applicant"
        onClose={() => setAction(null)}
        onReload={() => {
          setAction(null);
          void query.refetch();
        }}
        onDone={(next) => {
          setAction(null);
          update(next);
        }}
      />
    </div>
  );
}
