import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Row, Skeleton, Space, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type CaseAction, type CaseDetail, casesApi } from '../../api/cases';
import { CaseActionButtons, CaseActionDialog, visibleActions } from '../../components/case-actions';
import { channelLabel, deliveryLabel, suspensionLabel } from '../../components/case-labels';
import { canAttachMaterial, MaterialsList, rowsOf } from '../../components/case-materials';
import {
  CaseDocuments,
  CaseStatusTag,
  CaseStepsView,
  CaseTimeline,
  DeadlineTag,
} from '../../components/case-parts';
import '../../components/cases.css';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/error-result';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/page-container';
import { useT } from '../../i18n/i18n';

function CardTitle({ children }: { children: ReactNode }) {
  return <h3 className="tb-card-title">{children}</h3>;
}

/**
 * One case in the workbench (/workbench/cases/:id): a button for each action the server allows now, each
 * asking for what it needs; the applicant and the form; the item's steps with the current one highlighted;
 * the materials (open a file in a new tab, upload scans at the window, a 容缺 material later); the printed
 * notices and the timeline.
 */
export function WorkbenchCasePage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<CaseAction | null>(null);
  const query = useQuery({ queryKey: ['cases', id], queryFn: () => casesApi.get(id) });
  const me = useSession().me;
  const [claiming, setClaiming] = useState(false);

  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active paragraph={{ rows: 12 }} />;
  const d = query.data;
  const update = (next: CaseDetail) => {
    queryClient.setQueryData(['cases', next.id], next);
    void queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
  };
  const formEntries = Object.entries(d.form);

  return (
    <PageContainer
      title={d.itemName}
      subTitle={
        <>
          {t('case.number')}: <span data-testid="case-number">{d.number}</span> · {d.departmentName} ·{' '}
          {t(`case.caseKind.${d.caseKind}`)}
        </>
      }
      extra={
        <Button
          icon={<ReloadOutlined aria-hidden="true" />}
          onClick={() => void query.refetch()}
          loading={query.isFetching}
          data-testid="case-reload"
        >
          {t('case.reload')}
        </Button>
      }
    >
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/workbench/cases">{t('wbCase.backToList')}</Link> }, { title: d.number }]}
      />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="workbench-case">
        {d.deficiencyPending ? (
          <Alert type="warning" showIcon title={t('case.deficiencyPending')} data-testid="case-deficiency" />
        ) : null}
        {d.autoAccepted ? <Alert type="info" showIcon title={t('case.autoAccepted')} /> : null}
        {d.deemedApproved ? <Alert type="info" showIcon title={t('case.deemedApproved')} /> : null}
        {d.onCommitment ? <Alert type="info" showIcon title={t('case.onCommitment')} /> : null}

        <Card
          title={<CardTitle>{t('wbCase.actions')}</CardTitle>}
          extra={
            d.assigneeId && d.assigneeId !== me?.id ? (
              <Typography.Text type="secondary" data-testid="case-claimed-other">
                {t('wbCase.claimedByOther')}
              </Typography.Text>
            ) : (
              <Button
                loading={claiming}
                data-testid={d.assigneeId ? 'case-release' : 'case-claim'}
                onClick={() => {
                  setClaiming(true);
                  (d.assigneeId ? casesApi.release(d.id) : casesApi.claim(d.id))
                    .then(update, () => void query.refetch())
                    .finally(() => setClaiming(false));
                }}
              >
                {d.assigneeId ? t('wbCase.release') : t('wbCase.claim')}
              </Button>
            )
          }
        >
          {visibleActions(d).length > 0 ? (
            <CaseActionButtons detail={d} onAction={setAction} />
          ) : (
            <Typography.Text className="tb-empty-text">{t('wbCase.noActions')}</Typography.Text>
          )}
        </Card>

        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={<CardTitle>{t('wbCase.facts')}</CardTitle>} style={{ height: '100%' }}>
              <Descriptions
                column={1}
                size="small"
                data-testid="case-facts"
                items={[
                  { key: 'status', label: t('case.status'), children: <CaseStatusTag status={d.status} /> },
                  { key: 'step', label: t('case.step'), children: d.stepName ?? '—' },
                  { key: 'deadline', label: t('case.promisedDue'), children: <DeadlineTag summary={d} /> },
                  { key: 'legal', label: t('case.legalDue'), children: d.legalDue ?? '—' },
                  { key: 'channel', label: t('case.channel'), children: channelLabel(t, d.channel) },
                  { key: 'received', label: t('case.receivedAt'), children: formatDateTime(d.receivedAt) },
                  { key: 'accepted', label: t('case.acceptedAt'), children: formatDateTime(d.acceptedAt) },
                  ...(d.suspensionKind
                    ? [
                        {
                          key: 'suspension',
                          label: t('case.suspensionKind'),
                          children: suspensionLabel(t, d.suspensionKind),
                        },
                      ]
                    : []),
                  ...(d.correctionCount > 0
                    ? [{ key: 'corrections', label: t('case.correctionCount'), children: d.correctionCount }]
                    : []),
                  ...(d.extendedDays > 0
                    ? [{ key: 'extended', label: t('case.extendedDays'), children: d.extendedDays }]
                    : []),
                  ...(d.decision
                    ? [
                        {
                          key: 'decision',
                          label: t('case.decision'),
                          children: t(`case.decision.${d.decision}`),
                        },
                      ]
                    : []),
                  ...(d.deliveryMethod
                    ? [
                        {
                          key: 'delivery',
                          label: t('case.delivery'),
                          children: `${deliveryLabel(t, d.deliveryMethod)}${d.trackingNumber ? ` · ${d.trackingNumber}` : ''}`,
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={<CardTitle>{t('case.applicant')}</CardTitle>} style={{ height: '100%' }}>
              <Descriptions
                column={1}
                size="small"
                data-testid="case-applicant"
                items={[
                  {
                    key: 'kind',
                    label: t('case.applicantKind'),
                    children:
                      d.applicant.kind === 'person' ? t('register.kindPerson') : t('register.kindEnterprise'),
                  },
                  { key: 'name', label: t('case.applicantName'), children: d.applicant.name },
                  d.applicant.kind === 'person'
                    ? { key: 'id', label: t('case.idNumber'), children: d.applicant.idNumber ?? '—' }
                    : { key: 'uscc', label: t('case.uscc'), children: d.applicant.uscc ?? '—' },
                  { key: 'mobile', label: t('case.mobile'), children: d.applicant.mobile },
                ]}
              />
              <h4 style={{ fontSize: 14, margin: '12px 0 8px' }}>{t('case.form')}</h4>
              {formEntries.length > 0 ? (
                <dl className="tb-guide-dl" data-testid="case-form">
                  {formEntries.map(([key, value]) => (
                    <div key={key} style={{ display: 'contents' }}>
                      <dt>{key}</dt>
                      <dd style={{ whiteSpace: 'pre-line' }}>{value || '—'}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <Typography.Text className="tb-empty-text">{t('case.formEmpty')}</Typography.Text>
              )}
            </Card>
          </Col>
        </Row>

        <Card title={<CardTitle>{t('case.steps')}</CardTitle>}>
          <CaseStepsView detail={d} />
        </Card>

        <Card title={<CardTitle>{t('case.materials')}</CardTitle>}>
          <MaterialsList
            rows={rowsOf(d.materials)}
            caseId={d.id}
            canAttach={(row) => canAttachMaterial(d.status, row)}
            onChanged={update}
          />
        </Card>

        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={<CardTitle>{t('wbCase.notices')}</CardTitle>} style={{ height: '100%' }}>
              <Typography.Paragraph type="secondary">{t('case.documentsHint')}</Typography.Paragraph>
              <CaseDocuments documents={d.documents} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={<CardTitle>{t('case.timeline')}</CardTitle>} style={{ height: '100%' }}>
              <CaseTimeline timeline={d.timeline} />
            </Card>
          </Col>
        </Row>
      </Space>

      <CaseActionDialog
        detail={d}
        action={action}
        audience="staff"
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
    </PageContainer>
  );
}
