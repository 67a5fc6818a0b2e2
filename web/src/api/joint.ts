/**
 * Parallel approval under /api/v1 (server/src/modules/joint/schema.ts is the contract): templates and
 * packages, joint cases (apply once, accept once, combined corrections, urge, one handover) and major-project
 * tracking cards.
 */
import type { ApplicantInput, CaseStatus } from './cases';
import { ApiError, buildUrl, CSRF_COOKIE, CSRF_HEADER, type FieldError, http, readCookie } from './client';
import type { Page } from './types';

export type JointMode = 'joint' | 'package';
export type JointStatus =
  | 'draft'
  | 'submitted'
  | 'accepted'
  | 'correcting'
  | 'completed'
  | 'delivered'
  | 'stopped';
export const JOINT_STATUSES: JointStatus[] = [
  'draft',
  'submitted',
  'accepted',
  'correcting',
  'completed',
  'delivered',
  'stopped',
];

export type FormFieldMap = { itemCode: string; field: string };
export type JointFormField = { key: string; label: string; required: boolean; maps: FormFieldMap[] };

export type JointTemplate = {
  id: string;
  code: string;
  name: string;
  mode: JointMode;
  category: string;
  description: string;
  regionCode: string;
  level: string;
  leadDepartmentId: string;
  leadDepartmentName: string;
  promisedDays: number;
  legalDays: number;
  extensionApproved: boolean;
  continueOnDenial: boolean;
  status: 'published' | 'withdrawn';
  version: number;
  sequentialDays: number;
  members: {
    itemCode: string;
    itemName: string;
    departmentId: string;
    departmentName: string;
    stage: string | null;
    promisedDays: number;
    legalDays: number;
  }[];
  formFields: JointFormField[];
  materials: { name: string; required: boolean; itemCodes: string[] }[];
};

export type TemplateInput = {
  code: string;
  name: string;
  mode: JointMode;
  category: string;
  description?: string;
  regionCode: string;
  level?: string;
  leadDepartmentId: string;
  promisedDays: number;
  legalDays: number;
  extensionApproved?: boolean;
  continueOnDenial?: boolean;
  members: { itemCode: string; stage?: string }[];
  formFields: JointFormField[];
};

export type JointSummary = {
  id: string;
  number: string;
  templateCode: string;
  templateName: string;
  mode: JointMode;
  status: JointStatus;
  leadDepartmentId: string;
  leadDepartmentName: string;
  applicantName: string;
  channel: string;
  acceptedOn: string | null;
  promisedDays: number;
  promisedDue: string | null;
  dueProvisional: boolean;
  late: boolean;
  membersTotal: number;
  membersDone: number;
  membersLate: number;
  sequentialLimitDays: number;
  workingDaysTaken: number | null;
  daysSaved: number | null;
  daysEarly: number | null;
  outcome: 'approved' | 'partial' | 'denied' | null;
  version: number;
  createdAt: string;
};

export type JointMember = {
  caseId: string;
  number: string;
  itemCode: string;
  itemName: string;
  departmentId: string;
  departmentName: string;
  status: CaseStatus;
  stepName: string | null;
  holder: string | null;
  promisedDays: number;
  promisedDue: string | null;
  late: boolean;
  decision: 'approved' | 'denied' | null;
  version: number;
  materials: string[];
};

export type JointDetail = JointSummary & {
  regionCode: string;
  form: Record<string, string>;
  formFields: JointFormField[];
  members: JointMember[];
  materials: {
    id: string;
    name: string;
    required: boolean;
    itemCodes: string[];
    status: 'missing' | 'provided' | 'deficient';
    fileName: string | null;
    note: string | null;
  }[];
  corrections: {
    round: number;
    status: 'open' | 'supplied';
    openedAt: string;
    suppliedAt: string | null;
    items: { caseId: string; departmentName: string; itemName: string; material: string; problem: string }[];
  }[];
  explanation: string | null;
  timeline: {
    at: string;
    action: string;
    actorName: string;
    departmentName: string | null;
    reason: string | null;
  }[];
  actions: string[];
};

export type ProjectApproval = {
  id: string;
  stage: string;
  itemCode: string;
  itemName: string;
  departmentName: string;
  limitDays: number;
  plannedStart: string;
  plannedDue: string;
  caseId: string | null;
  jointCaseId: string | null;
  caseNumber: string | null;
  caseStatus: string | null;
  done: boolean;
  progress: 'not_started' | 'on_track' | 'late' | 'done' | 'done_late';
};

export type ProjectSummary = {
  id: string;
  code: string;
  name: string;
  investor: string;
  investmentYuan: number;
  location: string;
  industry: string;
  regionCode: string;
  vip: boolean;
  greenChannel: boolean;
  agentId: string | null;
  agentName: string | null;
  targetStartOn: string;
  status: string;
  approvalsTotal: number;
  approvalsDone: number;
  approvalsLate: number;
  version: number;
};

export type ProjectCard = ProjectSummary & {
  negativeCode: string | null;
  restrictionApproval: string | null;
  approvals: ProjectApproval[];
  notes: { id: string; at: string; authorName: string; channel: string; content: string }[];
};

type ListQuery = { page?: number; pageSize?: number; q?: string };

async function upload<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': document.documentElement.lang || 'zh-CN',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await fetch(buildUrl(path), {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body,
  }).catch((cause: unknown) => {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  });
  const payload = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string; details?: { fields?: FieldError[] } } }
    | undefined;
  if (!response.ok)
    throw new ApiError(
      response.status,
      payload?.error?.code ?? `http_${response.status}`,
      payload?.error?.message ?? `HTTP ${response.status}`,
      payload?.error?.details?.fields ?? [],
    );
  return payload as T;
}

export const jointApi = {
  templates: (query: ListQuery & { mode?: JointMode }) =>
    http.get<Page<JointTemplate>>('/joint-templates', query),
  template: (code: string) => http.get<JointTemplate>(`/joint-templates/${encodeURIComponent(code)}`),
  createTemplate: (input: TemplateInput) => http.post<JointTemplate>('/joint-templates', input),
  updateTemplate: (id: string, input: TemplateInput & { version: number }) =>
    http.put<JointTemplate>(`/joint-templates/${id}`, input),

  list: (query: ListQuery & { scope?: string; status?: string }) =>
    http.get<Page<JointSummary>>('/joint-cases', query),
  get: (id: string) => http.get<JointDetail>(`/joint-cases/${id}`),
  create: (input: { templateCode: string; form: Record<string, string> }) =>
    http.post<JointDetail>('/joint-cases', input),
  upload: (id: string, materialId: string, file: File) =>
    upload<JointDetail>(`/joint-cases/${id}/materials/${materialId}/file`, file),
  submit: (id: string, version: number) => http.post<JointDetail>(`/joint-cases/${id}/submit`, { version }),
  accept: (id: string, version: number) => http.post<JointDetail>(`/joint-cases/${id}/accept`, { version }),
  correct: (
    id: string,
    input: { caseId: string; version: number; corrections: { material: string; problem: string }[] },
  ) => http.post<JointDetail>(`/joint-cases/${id}/corrections`, input),
  supply: (id: string, version: number) => http.post<JointDetail>(`/joint-cases/${id}/supply`, { version }),
  urge: (id: string, caseId: string, message: string) =>
    http.post<JointDetail>(`/joint-cases/${id}/urge`, { caseId, message }),
  handover: (id: string, version: number, deliveryMethod: 'pickup' | 'mail' | 'download') =>
    http.post<JointDetail>(`/joint-cases/${id}/handover`, { version, deliveryMethod }),

  projects: (query: ListQuery & { scope?: string }) => http.get<Page<ProjectSummary>>('/projects', query),
  project: (id: string) => http.get<ProjectCard>(`/projects/${id}`),
  addNote: (id: string, channel: string, content: string) =>
    http.post<ProjectCard>(`/projects/${id}/notes`, { channel, content }),
  link: (id: string, approvalId: string, number: string) =>
    http.post<ProjectCard>(`/projects/${id}/approvals/${approvalId}/link`, { number }),
  /** File one approval's case on the project's behalf: registered and linked in one step. */
  fileApproval: (
    id: string,
    approvalId: string,
    input: { applicant: ApplicantInput; form: Record<string, string> },
  ) => http.post<ProjectCard>(`/projects/${id}/approvals/${approvalId}/file`, input),
  /** New target start and/or approvals; the reverse-scheduled plan is computed again. */
  changePlan: (
    id: string,
    input: { version: number; targetStartOn?: string; approvals?: { stage: string; itemCode: string }[] },
  ) => http.put<ProjectCard>(`/projects/${id}/plan`, input),
};
