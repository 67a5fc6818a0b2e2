import { FilePdfOutlined } from '@ant-design/icons';
import { Steps, Tag, Timeline, Typography } from 'antd';
import type {
  CaseDetail,
  CaseDocument,
  CaseStatus,
  CaseSummary,
  MaterialStatus,
  TimelineEntry,
} from '../api/cases';
import { CLOCK_STATUSES } from '../api/cases';
import { useT } from '../i18n/i18n';
import {
  caseStatusLabel,
  MATERIAL_COLORS,
  materialStatusLabel,
  STATUS_COLORS,
  timelineLabel,
} from './case-labels';
import { vocabLabel } from './catalog-labels';
import { formatDateTime } from './format';

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="case-status" data-status={status}>
      {caseStatusLabel(t, status)}
    </Tag>
  );
}

export function MaterialStatusTag({ status }: { status: MaterialStatus }) {
  const t = useT();
  return (
    <Tag color={MATERIAL_COLORS[status]} data-testid="material-status" data-status={status}>
      {materialStatusLabel(t, status)}
    </Tag>
  );
}

const WARNING_COLORS = { green: 'success', yellow: 'warning', red: 'error' } as const;

/**
 * The promised deadline in the colour of its warning (green on time, yellow near, red late) and, in words,
 * the working days left — colour is never the only signal.
 */
export function DeadlineTag({ summary }: { summary: CaseSummary }) {
  const t = useT();
  if (!CLOCK_STATUSES.includes(summary.status) || summary.warning === 'none' || !summary.promisedDue) {
    return <span>{summary.promisedDue ?? '—'}</span>;
  }
  const left = summary.workingDaysLeft;
  const words =
    left === null
      ? t(`case.warning.${summary.warning}`)
      : left > 0
        ? t('case.daysLeft', { days: left })
        : left === 0
          ? t('case.dueToday')
          : t('case.overdue', { days: -left });
  return (
    <span data-testid="deadline" data-warning={summary.warning}>
      <Tag color={WARNING_COLORS[summary.warning]}>{words}</Tag>
      <span style={{ whiteSpace: 'nowrap' }}>
        {summary.promisedDue}
        {summary.dueProvisional ? ` (${t('case.provisional')})` : ''}
      </span>
    </span>
  );
}

/** Which step is current and how the steps stand, from the case's status. */
function stepState(detail: CaseDetail): { current: number; status: 'wait' | 'process' | 'finish' | 'error' } {
  const last = detail.steps.length;
  switch (detail.status) {
    case 'draft':
    case 'submitted':
    case 'returned':
    case 'registered':
    case 'correcting':
      return { current: 0, status: 'process' };
    case 'delivered':
      return { current: last, status: 'finish' };
    case 'completed':
      return { current: detail.stepIndex, status: 'process' };
    case 'suspended':
      return { current: detail.stepIndex, status: 'wait' };
    case 'refused':
    case 'denied':
    case 'terminated':
    case 'withdrawn':
      return { current: detail.stepIndex, status: 'error' };
    default:
      return { current: detail.stepIndex, status: 'process' };
  }
}

/** The item's steps (受理 → 审核 → … → 送达), the current one highlighted. */
export function CaseStepsView({ detail }: { detail: CaseDetail }) {
  const t = useT();
  const { current, status } = stepState(detail);
  return (
    <div data-testid="case-steps" data-current={current}>
      <Steps
        size="small"
        current={current}
        status={status}
        items={detail.steps.map((step, index) => ({
          title: (
            <span aria-current={index === current ? 'step' : undefined} data-testid="case-step">
              {step.name}
            </span>
          ),
          content: [
            vocabLabel(t, 'stepRole', step.role),
            step.clockStops
              ? t('case.clockStops')
              : step.limitDays > 0
                ? t('case.stepLimit', { days: step.limitDays })
                : '',
          ]
            .filter(Boolean)
            .join(' · '),
        }))}
      />
    </div>
  );
}

/** 办理记录: every act on the case, oldest first, with who did it and why. */
export function CaseTimeline({ timeline }: { timeline: TimelineEntry[] }) {
  const t = useT();
  return (
    <div data-testid="case-timeline">
      <Timeline
        items={timeline.map((entry, index) => ({
          key: `${entry.at}-${index}`,
          color: index === timeline.length - 1 ? 'blue' : 'gray',
          title: formatDateTime(entry.at),
          content: (
            <div data-testid="timeline-entry" data-action={entry.action}>
              <strong>{timelineLabel(t, entry.action)}</strong>
              {entry.stepName ? ` · ${entry.stepName}` : ''}
              <div>
                <Typography.Text type="secondary">
                  {entry.actorName}
                  {entry.viaBackupOf ? ` (${t('case.viaBackupOf', { name: entry.viaBackupOf })})` : ''}
                </Typography.Text>
              </div>
              {entry.reason ? (
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-line' }}>
                  {entry.reason}
                </Typography.Paragraph>
              ) : null}
            </div>
          ),
        }))}
      />
    </div>
  );
}

/** Notices and decisions as PDFs: opened in a new tab to read or print, or downloaded. */
export function CaseDocuments({ documents }: { documents: CaseDocument[] }) {
  const t = useT();
  if (documents.length === 0)
    return <Typography.Text className="tb-empty-text">{t('case.noDocuments')}</Typography.Text>;
  return (
    <ul className="tb-case-docs" data-testid="case-documents">
      {documents.map((d) => (
        <li key={d.id} data-testid="case-document" data-kind={d.kind}>
          <FilePdfOutlined aria-hidden="true" />{' '}
          <a href={d.url} target="_blank" rel="noopener noreferrer" data-testid="document-open">
            {d.title}
          </a>{' '}
          <Typography.Text type="secondary">{formatDateTime(d.createdAt)}</Typography.Text>{' '}
          <a href={d.url} download={`${d.title}.pdf`} data-testid="document-download">
            {t('case.download')}
            <span className="tb-visually-hidden">: {d.title}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
