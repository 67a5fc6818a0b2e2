/**
 * The service catalog under /api/v1/catalog (server/src/modules/catalog/schema.ts is the contract): search,
 * themes, item guides and the eight lists — read publicly — and, for administrators, versions, live validation,
 * publication, files, import and export.
 */
import {
  API_BASE,
  ApiError,
  buildUrl,
  CSRF_COOKIE,
  CSRF_HEADER,
  type FieldError,
  http,
  readCookie,
} from './client';
import type { Page } from './types';

// Vocabularies (keys as the API speaks them; labels come from the i18n dictionaries) ---------------

export const LIST_KINDS = [
  'item',
  'power',
  'fee',
  'fund',
  'negative',
  'permission',
  'supervision',
  'intermediary',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** URL segment of each list under /catalog (and under the web pages). */
export const LIST_PATHS: Record<ListKind, string> = {
  item: 'items',
  power: 'powers',
  fee: 'fees',
  fund: 'funds',
  negative: 'negative-list',
  permission: 'permission-list',
  supervision: 'supervision-list',
  intermediary: 'intermediaries',
};

export function kindOfPath(path: string | undefined): ListKind | undefined {
  return LIST_KINDS.find((k) => LIST_PATHS[k] === path);
}

export const POWER_TYPES = ['XK', 'CF', 'QZ', 'ZS', 'GF', 'JC', 'QR', 'JL', 'CJ', 'QT', 'GG'] as const;
export type PowerType = (typeof POWER_TYPES)[number];
export const LEVELS = ['province', 'city', 'district', 'township', 'village'] as const;
export const POWER_SOURCES = [
  'statutory',
  'delegated',
  'authorised_by_superior',
  'authorised_by_peer',
  'entrusted_by_superior',
  'entrusted_by_peer',
] as const;
export const TONGBAN_RANGES = ['none', 'district', 'city', 'province', 'national'] as const;
export const SERVICE_OBJECTS = ['person', 'enterprise'] as const;
export const CASE_KINDS = ['immediate', 'promised'] as const;
export const HANDLING_FORMS = ['window', 'online', 'mail'] as const;
export const ONLINE_DEPTHS = [1, 2, 3, 4] as const;
export const RESULT_KINDS = ['certificate', 'decision', 'other'] as const;
export const STEP_ROLES = [
  'window_clerk',
  'reviewer',
  'approver',
  'inspector',
  'expert',
  'delivery',
] as const;
export const MATERIAL_KINDS = ['original', 'copy', 'electronic'] as const;
export const PAPER_SIZES = ['A4', 'A3', 'other', 'none'] as const;
export const MATERIAL_REQUIREMENTS = ['required', 'conditional'] as const;
export const MATERIAL_SOURCES = ['applicant', 'department', 'e_licence'] as const;
export const NEGATIVE_CATEGORIES = ['prohibited', 'restricted'] as const;
export const INTERMEDIARY_FEE_BASES = ['market', 'government', 'free'] as const;

/** The theme lists are data values shown as they are: the server's vocabulary, not a copy of it. */
export {
  enterpriseStages as ENTERPRISE_STAGES,
  lifeEvents as LIFE_EVENTS,
} from '../../../server/src/modules/catalog/vocab';

// Entry data ---------------------------------------------------------------------------------------

export type Material = {
  name: string;
  kind: (typeof MATERIAL_KINDS)[number];
  copies: number;
  paperSize: (typeof PAPER_SIZES)[number];
  requirement: (typeof MATERIAL_REQUIREMENTS)[number];
  condition: string;
  allowDeficiency: boolean;
  essential: boolean;
  source: (typeof MATERIAL_SOURCES)[number];
  issuer: string;
  licenceType: string;
  blankFormFileId: string | null;
  sampleFileId: string | null;
  notes: string;
  legalBasis: string;
};

export type Step = {
  name: string;
  role: (typeof STEP_ROLES)[number];
  limitDays: number;
  clockStops: boolean;
  description: string;
};

export type Faq = { question: string; answer: string };

export type ItemData = {
  name: string;
  basicCode: string;
  keywords: string[];
  type: PowerType;
  powerCode: string | null;
  departmentId: string;
  entrustingDepartmentId: string | null;
  serviceObjects: (typeof SERVICE_OBJECTS)[number][];
  conditions: string[];
  legalBasis: string;
  legalLimitDays: number;
  promisedLimitDays: number;
  caseKind: (typeof CASE_KINDS)[number];
  steps: Step[];
  handlingForms: (typeof HANDLING_FORMS)[number][];
  onlineDepth: number;
  visits: number;
  place: string;
  hours: string;
  phone: string;
  fees: { feeCode: string; note: string }[];
  result: { kind: (typeof RESULT_KINDS)[number]; name: string; sampleFileId: string | null };
  lifeEvents: string[];
  enterpriseStages: string[];
  levels: (typeof LEVELS)[number][];
  tongbanRange: (typeof TONGBAN_RANGES)[number];
  allowDeficiency: boolean;
  deemedApproval: boolean;
  commitmentApproval: boolean;
  appointment: boolean;
  intermediaryCodes: string[];
  materials: Material[];
  faq: Faq[];
};

/** The data of any list entry; its shape depends on the list (see entry-fields.ts). */
export type EntryData = Record<string, unknown>;

// Versions -----------------------------------------------------------------------------------------

export type VersionAction = 'create' | 'amend' | 'interpret' | 'repeal';
export type VersionStatus = 'draft' | 'published';

export type VersionSummary = {
  id: string;
  entryId: string;
  kind: ListKind;
  code: string;
  seq: number;
  action: VersionAction;
  status: VersionStatus;
  name: string;
  inEffect: boolean;
  effectiveFrom: string;
  effectiveUntil: string | null;
  reason: string;
  author: { id: string | null; name: string };
  createdAt: string;
  publishedAt: string | null;
  publishedBy: { id: string | null; name: string } | null;
};

export type Version<D = EntryData> = VersionSummary & {
  departmentId: string | null;
  departmentName: string | null;
  data: D;
};

export type ListRow = {
  entryId: string;
  versionId: string;
  code: string;
  name: string;
  type: string | null;
  departmentId: string | null;
  departmentName: string | null;
  status: VersionStatus;
  action: VersionAction;
  effectiveFrom: string;
  inEffect: boolean;
  data: EntryData;
};

export type ListQuery = {
  q?: string;
  departmentId?: string;
  type?: string;
  itemCode?: string;
  state?: 'current' | 'latest';
  page?: number;
  pageSize?: number;
};

export type Change = {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
};
export type DiffResult = { from: VersionSummary; to: VersionSummary; changes: Change[] };

export type ChangeMeta = { reason: string; effectiveFrom?: string; publish?: boolean };

// Search and guides --------------------------------------------------------------------------------

export type SearchQuery = {
  q?: string;
  departmentId?: string;
  type?: string;
  level?: string;
  theme?: string;
  serviceObject?: string;
  onlineDepth?: number;
  immediate?: boolean;
  page?: number;
  pageSize?: number;
};

export type SearchHit = {
  entryId: string;
  versionId: string;
  code: string;
  name: string;
  type: PowerType;
  departmentId: string;
  departmentName: string;
  serviceObjects: string[];
  themes: string[];
  onlineDepth: number;
  caseKind: string;
  legalLimitDays: number;
  promisedLimitDays: number;
  visits: number;
  score: number;
};

export type ThemeCounts = {
  lifeEvents: { theme: string; count: number }[];
  enterpriseStages: { theme: string; count: number }[];
};

export type FileRef = { id: string; name: string; url: string; size: number } | null;
type Labelled = { key: string; label: string };

export type FlowNode = {
  id: string;
  label: string;
  kind: 'start' | 'step' | 'special' | 'branch' | 'end';
  role: string | null;
  limitDays: number | null;
};
export type FlowEdge = { from: string; to: string; label: string };

export type Guide = {
  versionId: string;
  entryId: string;
  code: string;
  basicCode: string;
  name: string;
  type: { code: PowerType; label: string };
  department: { id: string; name: string };
  entrustingDepartment: { id: string; name: string } | null;
  serviceObjects: Labelled[];
  conditions: string[];
  legalBasis: string;
  timeLimits: { legalDays: number; promisedDays: number; caseKind: Labelled; savedDays: number };
  materials: {
    index: number;
    name: string;
    kind: string;
    kindLabel: string;
    copies: number;
    paperSize: string;
    required: boolean;
    condition: string;
    allowDeficiency: boolean;
    essential: boolean;
    source: string;
    sourceLabel: string;
    issuer: string;
    licenceType: string;
    blankForm: FileRef;
    sample: FileRef;
    notes: string;
    legalBasis: string;
  }[];
  fees: {
    free: boolean;
    items: {
      code: string;
      name: string;
      standardFen: number | null;
      unit: string;
      standardRule: string;
      legalBasis: string;
      reducible: boolean;
      note: string;
    }[];
  };
  process: { steps: Step[]; nodes: FlowNode[]; edges: FlowEdge[] };
  handling: {
    forms: Labelled[];
    onlineDepth: number;
    onlineDepthLabel: string;
    visits: number;
    place: string;
    hours: string;
    phone: string;
    levels: Labelled[];
    tongbanRange: Labelled;
    appointment: boolean;
  };
  flags: { allowDeficiency: boolean; deemedApproval: boolean; commitmentApproval: boolean };
  result: { kind: string; kindLabel: string; name: string; sample: FileRef };
  themes: { lifeEvents: string[]; enterpriseStages: string[] };
  intermediaries: { code: string; name: string; feeBasis: string; limitDays: number | null }[];
  standardConditions: string[];
  supervision: string[];
  faq: Faq[];
  effectiveFrom: string;
  apply: { online: boolean; versionId: string };
};

// Files, import, export ----------------------------------------------------------------------------

export type FileInfo = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  url: string;
};

export type ImportError = {
  sheet: string;
  row: number;
  column: string;
  header: string;
  field: string;
  rule: string;
  message: string;
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  created: number;
  amended: number;
  unchanged: number;
  published: number;
  bySheet: Record<string, number>;
  errors: ImportError[];
};

export type ImportProgress = { phase: 'upload' | 'read' | 'validate' | 'write'; done: number; total: number };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The sheets of the workbook, in the order the export writes them (docs/catalog-import.md). */
export const SHEET_KEYS = [
  'items',
  'materials',
  'steps',
  'faq',
  'powers',
  'fees',
  'funds',
  'negative',
  'permission',
  'supervision',
  'intermediaries',
] as const;
export type SheetKey = (typeof SHEET_KEYS)[number];

/** Where a browser download link points: these answer with the file itself. */
export const catalogUrls = {
  listExport: (kind: ListKind, format: 'xlsx' | 'csv') =>
    buildUrl(`/catalog/${LIST_PATHS[kind]}/export`, { format }),
  export: (format: 'xlsx' | 'csv', lists?: string) => buildUrl('/catalog/export', { format, lists }),
  template: () => `${API_BASE}/catalog/import/template`,
  file: (id: string) => `${API_BASE}/catalog/files/${id}`,
};

const entryPath = (kind: ListKind, code?: string) =>
  `/catalog/${LIST_PATHS[kind]}${code === undefined ? '' : `/${encodeURIComponent(code)}`}`;

export const catalogApi = {
  search: (query: SearchQuery) => http.get<Page<SearchHit>>('/catalog/search', query),
  themes: () => http.get<ThemeCounts>('/catalog/themes'),
  guide: (code: string, versionId?: string) =>
    http.get<Guide>(`/catalog/items/${encodeURIComponent(code)}/guide`, { versionId }),

  list: (kind: ListKind, query: ListQuery) => http.get<Page<ListRow>>(entryPath(kind), query),
  get: <D = EntryData>(kind: ListKind, code: string, version: 'current' | 'latest' = 'current') =>
    http.get<Version<D>>(entryPath(kind, code), { version }),
  history: (kind: ListKind, code: string) =>
    http.get<{ items: VersionSummary[] }>(`${entryPath(kind, code)}/versions`),
  validate: (kind: ListKind, body: EntryData & { code?: string }) =>
    http.post<{ ok: boolean; fields: FieldError[] }>(`${entryPath(kind)}/validate`, body),
  create: (kind: ListKind, body: EntryData & ChangeMeta & { code: string }) =>
    http.post<Version>(entryPath(kind), body),
  amend: (
    kind: ListKind,
    code: string,
    body: EntryData & ChangeMeta & { action?: 'amend' | 'interpret'; baseVersionId?: string },
  ) => http.post<Version>(`${entryPath(kind, code)}/versions`, body),
  repeal: (kind: ListKind, code: string, body: ChangeMeta & { baseVersionId?: string }) =>
    http.post<Version>(`${entryPath(kind, code)}/repeal`, body),

  version: (id: string) => http.get<Version>(`/catalog/versions/${id}`),
  diff: (id: string, against?: string) => http.get<DiffResult>(`/catalog/versions/${id}/diff`, { against }),
  publish: (id: string) => http.post<Version>(`/catalog/versions/${id}/publish`),

  uploadFile: (input: { name: string; contentType: string; dataBase64: string }) =>
    http.post<FileInfo>('/catalog/files', input),
};

/** Base64 of a browser file, for the JSON upload endpoints. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

type StreamLine =
  | ({ type: 'progress' } & ImportProgress)
  | { type: 'result'; report: ImportReport }
  | { type: 'error'; status: number; error?: { code: string; message: string } };

/**
 * Imports a workbook with the NDJSON answer of `POST /catalog/import?stream=true`: each progress line is
 * handed to `onProgress`, and the final report (accepted or rejected) is returned. A call the server refuses
 * outright (no permission, not a workbook) throws an ApiError.
 */
export async function importWorkbook(
  file: File,
  options: { dryRun: boolean; onProgress: (p: ImportProgress) => void },
): Promise<ImportReport> {
  const headers: Record<string, string> = {
    'Content-Type': XLSX_TYPE,
    Accept: 'application/x-ndjson',
    'X-File-Name': encodeURIComponent(file.name),
    'Accept-Language': document.documentElement.lang || 'zh-CN',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  options.onProgress({ phase: 'upload', done: 0, total: 1 });
  let response: Response;
  try {
    response = await fetch(buildUrl('/catalog/import', { stream: true, dryRun: options.dryRun }), {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: file,
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let body: { error?: { code?: string; message?: string; details?: { fields?: FieldError[] } } } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    throw new ApiError(
      response.status,
      body.error?.code ?? `http_${response.status}`,
      body.error?.message ?? (response.statusText || `HTTP ${response.status}`),
      body.error?.details?.fields ?? [],
    );
  }
  options.onProgress({ phase: 'upload', done: 1, total: 1 });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let report: ImportReport | undefined;
  const handle = (line: string) => {
    if (!line.trim()) return;
    const message = JSON.parse(line) as StreamLine;
    if (message.type === 'progress') options.onProgress(message);
    else if (message.type === 'result') report = message.report;
    else throw new ApiError(message.status, message.error?.code ?? 'error', message.error?.message ?? '');
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      handle(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  handle(buffer);
  if (!report) throw new ApiError(0, 'network', 'incomplete answer');
  return report;
}
