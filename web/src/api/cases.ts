/**
 * Cases (办件) under /api/v1/cases (server/src/modules/cases/schema.ts is the contract): registration, the
 * lists by scope, one case with what may be done now, the action endpoint, material uploads, the applicant's
 * material library and the public progress query.
 */
import { ApiError, buildUrl, CSRF_COOKIE, CSRF_HEADER, type FieldError, http, readCookie } from './client';
import type { Page } from './types';

export const CASE_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'registered',
  'correcting',
  'accepted',
  'suspended',
  'approved',
  'denied',
  'completed',
  'delivered',
  'refused',
  'withdrawn',
  'terminated',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The actions of the state machine, in the order the case page offers them. */
export const CASE_ACTIONS = [
  'submit',
  'resubmit',
  'preReviewPass',
  'preReviewReturn',
  'accept',
  'completeOnSpot',
  'approveOnCommitment',
  'requestCorrection',
  'supplyCorrection',
  'refuse',
  'pass',
  'returnStep',
  'approve',
  'deny',
  'issue',
  'deliver',
  'suspend',
  'resume',
  'extend',
  'terminate',
  'withdraw',
  'autoAccept',
  'deemApprove',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Timeline entries that are not actions of the state machine. */
export const TIMELINE_EXTRAS = ['register', 'supplyDeficiency'] as const;

export const CHANNELS = ['online', 'window', 'proxy', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const WARNINGS = ['green', 'yellow', 'red', 'none'] as const;
export type Warning = (typeof WARNINGS)[number];

export const MATERIAL_STATUSES = ['provided', 'missing', 'deficient', 'deferred'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

export const SUSPENSION_KINDS = ['special_stage', 'suspension'] as const;
export type SuspensionKind = (typeof SUSPENSION_KINDS)[number];

export const DELIVERY_METHODS = ['pickup', 'mail', 'download'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export type ApplicantKind = 'person' | 'enterprise';

/** Statuses in which the clock runs (or stands still) and a deadline is shown. */
export const CLOCK_STATUSES: readonly CaseStatus[] = ['accepted', 'suspended'];
/** Statuses in which a material may still be attached (a deferred one also while the case runs). */
export const ATTACHABLE_STATUSES: readonly CaseStatus[] = [
  'draft',
  'returned',
  'registered',
  'correcting',
  'submitted',
];

export type CaseSummary = {
  /** 认领: who took the case into their own queue. */
  assigneeId: string | null;
  id: string;
  number: string;
  itemCode: string;
  itemName: string;
  departmentId: string;
  departmentName: string;
  channel: Channel;
  status: CaseStatus;
  stepName: string | null;
  /** Masked on lists (张**). */
  applicantName: string;
  receivedAt: string | null;
  acceptedAt: string | null;
  promisedDue: string | null;
  legalDue: string | null;
  dueProvisional: boolean;
  warning: Warning;
  workingDaysLeft: number | null;
  deficiencyPending: boolean;
  version: number;
  updatedAt: string;
};

export type CaseMaterial = {
  id: string;
  position: number;
  name: string;
  required: boolean;
  allowDeficiency: boolean;
  status: MaterialStatus;
  fileName: string | null;
  fileSha256: string | null;
  note: string | null;
  suppliedAt: string | null;
};

export type TimelineEntry = {
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  stepName: string | null;
  actorName: string;
  viaBackupOf: string | null;
  reason: string | null;
};

export type CaseDocument = { id: string; kind: string; title: string; createdAt: string; url: string };

export type CaseStep = { name: string; role: string; limitDays: number; clockStops: boolean };

export type CaseDetail = CaseSummary & {
  regionCode: string;
  itemVersionId: string;
  caseKind: 'immediate' | 'promised';
  applicant: {
    kind: ApplicantKind;
    name: string;
    idNumber: string | null;
    uscc: string | null;
    mobile: string;
  };
  form: Record<string, string>;
  steps: CaseStep[];
  stepIndex: number;
  suspensionKind: SuspensionKind | null;
  extendedDays: number;
  correctionCount: number;
  autoAccepted: boolean;
  deemedApproved: boolean;
  onCommitment: boolean;
  decision: 'approved' | 'denied' | null;
  deliveryMethod: DeliveryMethod | null;
  trackingNumber: string | null;
  materials: CaseMaterial[];
  timeline: TimelineEntry[];
  documents: CaseDocument[];
  /** What the caller may do now. */
  actions: CaseAction[];
};

export type ApplicantInput = {
  kind: ApplicantKind;
  name: string;
  idNumber?: string;
  uscc?: string;
  mobile: string;
  email?: string;
};

export type CreateCaseInput = {
  itemCode: string;
  channel?: Channel;
  applicant?: ApplicantInput;
  form: Record<string, string>;
  windowId?: string;
  submit?: boolean;
  arrivedAt?: string;
};

export type Correction = { material: string; problem: string };

/** One body for every action; each action reads what it needs. */
export type ActionInput = {
  version: number;
  reason?: string;
  legalBasis?: string;
  corrections?: Correction[];
  deferredMaterials?: string[];
  commitment?: boolean;
  supplyBy?: string;
  toStep?: number;
  suspensionKind?: SuspensionKind;
  days?: number;
  deliveryMethod?: DeliveryMethod;
  trackingNumber?: string;
};

export type CaseScope = 'inbox' | 'claimed' | 'mine' | 'department' | 'all';

export type CaseListQuery = {
  q?: string;
  page?: number;
  pageSize?: number;
  scope?: CaseScope;
  /** Comma-separated statuses. */
  status?: string;
  warning?: 'green' | 'yellow' | 'red';
  itemCode?: string;
  channel?: Channel;
};

export type LibraryItem = {
  id: string;
  name: string;
  fileName: string;
  kind: string;
  size: number;
  createdAt: string;
};

export type Progress = {
  number: string;
  itemName: string;
  departmentName: string;
  status: CaseStatus;
  stepName: string | null;
  receivedAt: string | null;
  acceptedAt: string | null;
  promisedDue: string | null;
  completedAt: string | null;
  timeline: { at: string; action: string; toStatus: string; stepName: string | null }[];
};

/** The file types a material may be (the server checks the bytes). */
export const UPLOAD_ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd';

/** Where a browser link points: these answer with the file itself. */
export const caseUrls = {
  material: (caseId: string, materialId: string) => buildUrl(`/cases/${caseId}/materials/${materialId}/file`),
  progressPage: (number: string) => `/progress?number=${encodeURIComponent(number)}`,
};

/** Sends a file as multipart (field `file`), the one call the JSON client does not make. */
async function uploadFile<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': document.documentElement.lang || 'zh-CN',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(buildUrl(path), { method: 'POST', headers, credentials: 'same-origin', body });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  const text = await response.text().catch(() => '');
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (!response.ok) {
    const error = (
      payload as
        | { error?: { code?: string; message?: string; details?: { fields?: FieldError[] } } }
        | undefined
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? (response.statusText || `HTTP ${response.status}`),
      error?.details?.fields ?? [],
    );
  }
  return payload as T;
}

export const casesApi = {
  list: (query: CaseListQuery) => http.get<Page<CaseSummary>>('/cases', query),
  get: (id: string) => http.get<CaseDetail>(`/cases/${id}`),
  create: (input: CreateCaseInput) => http.post<CaseDetail>('/cases', input),
  saveDraft: (id: string, input: { version: number; form: Record<string, string> }) =>
    http.patch<CaseDetail>(`/cases/${id}`, input),
  act: (id: string, action: CaseAction, input: ActionInput) =>
    http.post<CaseDetail>(`/cases/${id}/actions/${action}`, input),
  uploadMaterial: (caseId: string, materialId: string, file: File) =>
    uploadFile<CaseDetail>(`/cases/${caseId}/materials/${materialId}/file`, file),
  reuseMaterial: (caseId: string, materialId: string, libraryId: string) =>
    http.post<CaseDetail>(`/cases/${caseId}/materials/${materialId}/file`, { libraryId }),
  claim: (id: string) => http.post<CaseDetail>(`/cases/${id}/claim`, {}),
  release: (id: string) => http.post<CaseDetail>(`/cases/${id}/release`, {}),
  library: () => http.get<{ items: LibraryItem[] }>('/library'),
  progress: (number: string, code: string) => http.get<Progress>('/public/progress', { number, code }),
};

/** A stale version: someone else changed the case since it was read. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'VERSION_CONFLICT';
}
