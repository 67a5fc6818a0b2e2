/**
 * Electronic supervision (电子监察): board, figures, alerts, cards, assessment and the bulletin —
 * server/src/modules/supervision/schema.ts is the contract.
 */
import { API_BASE, buildUrl, http, type Query } from './client';
import type { Page } from './types';

export type Dimension = 'region' | 'hall' | 'department' | 'window' | 'item' | 'staff';
export type Level = 'green' | 'yellow' | 'red';

export type Board = {
  at: string;
  warnDays: number;
  totals: { open: number; green: number; yellow: number; red: number; suspended: number; waiting: number };
  groupBy: Dimension;
  groups: { key: string; name: string; open: number; yellow: number; red: number }[];
};

export type BoardCase = {
  id: string;
  number: string;
  itemName: string;
  departmentName: string;
  regionCode: string;
  status: string;
  stepName: string | null;
  assigneeName: string | null;
  promisedDueAt: string | null;
  level: Level;
};

export type Figures = {
  received: number;
  accepted: number;
  completed: number;
  pending: number;
  onTimeCompleted: number;
  onTimeRate: number | null;
  immediateItemShare: number | null;
  onSpotShare: number | null;
  promisedSpeedup: number | null;
  handlingSpeedup: number | null;
  earlyDays: number;
  averageDays: number | null;
  onlineRate: number | null;
  preReviewRate: number | null;
  fullyOnlineRate: number | null;
  correctionRate: number | null;
  deficiencyShare: number | null;
  jointCases: number | null;
  jointDaysSaved: number | null;
};

export type FiguresResult = {
  from: string;
  to: string;
  figures: Figures;
  groupBy: Dimension | null;
  groups: { key: string; name: string; figures: Figures }[];
};

export type Granularity = 'day' | 'week' | 'month' | 'quarter' | 'year';
export type TrendResult = {
  from: string;
  to: string;
  granularity: Granularity;
  points: { period: string; figures: Figures }[];
};

export type AlertStatus = 'raised' | 'acknowledged' | 'rectified' | 'closed';
export type Alert = {
  id: string;
  rule: string;
  severity: 'info' | 'warning' | 'serious';
  status: AlertStatus;
  caseId: string | null;
  caseNumber: string | null;
  itemName: string | null;
  regionCode: string;
  departmentId: string;
  departmentName: string;
  staffName: string | null;
  evidence: Record<string, unknown>;
  raisedAt: string;
  dueOn: string;
  overdue: boolean;
  acknowledgedAt: string | null;
  rectifiedAt: string | null;
  rectificationNote: string | null;
  rectificationEvidence: string[];
  closedAt: string | null;
  closeNote: string | null;
  version: number;
};

export type Card = {
  id: string;
  number: string;
  color: 'yellow' | 'red';
  targetType: 'department' | 'staff';
  regionCode: string;
  departmentId: string;
  departmentName: string;
  staffId: string | null;
  staffName: string | null;
  reason: string;
  alertIds: string[];
  status: 'issued' | 'rectified' | 'closed';
  issuedAt: string;
  issuedBy: string;
  rectifyDue: string;
  rectificationNote: string | null;
  rectifiedAt: string | null;
  closedAt: string | null;
  version: number;
};

export type AssessmentRow = {
  rank: number;
  key: string;
  name: string;
  completed: number;
  onTimeRate: number | null;
  alerts: number;
  yellowCards: number;
  redCards: number;
  score: number;
};
export type Assessment = {
  from: string;
  to: string;
  level: 'department' | 'window' | 'staff';
  rows: AssessmentRow[];
};

export type NewCard = {
  color: 'yellow' | 'red';
  targetType: 'department' | 'staff';
  departmentId: string;
  staffId?: string;
  reason: string;
  alertIds?: string[];
};

export const supervisionApi = {
  board: (groupBy: Dimension) => http.get<Board>('/supervision/board', { groupBy }),
  boardCases: (q: Query) => http.get<Page<BoardCase>>('/supervision/board/cases', q),
  figures: (q: Query) => http.get<FiguresResult>('/supervision/figures', q),
  trend: (q: Query) => http.get<TrendResult>('/supervision/figures/trend', q),
  alerts: (q: Query) => http.get<Page<Alert>>('/supervision/alerts', q),
  alertStep: (
    id: string,
    step: 'acknowledge' | 'rectify' | 'close' | 'reopen',
    body: Record<string, unknown>,
  ) => http.post<Alert>(`/supervision/alerts/${id}/${step}`, body),
  cards: (q: Query) => http.get<Page<Card>>('/supervision/cards', q),
  issueCard: (body: NewCard) => http.post<Card>('/supervision/cards', body),
  cardStep: (id: string, step: 'rectify' | 'close', body: Record<string, unknown>) =>
    http.post<Card>(`/supervision/cards/${id}/${step}`, body),
  assessment: (q: Query) => http.get<Assessment>('/supervision/assessment', q),
  noticeUrl: (id: string) => `${API_BASE}/supervision/cards/${id}/notice.pdf`,
  bulletinUrl: (month: string, kind: 'xlsx' | 'pdf') => buildUrl(`/supervision/bulletin.${kind}`, { month }),
  streamUrl: () => `${API_BASE}/supervision/stream`,
};
