/**
 * Entry data ↔ editor form values. The form keeps what a person edits (conditions as lines of text, fees in
 * yuan); the API takes the entry data whole (a new version is a full snapshot), so the form's values are laid
 * over the version being edited and nothing the form does not show is lost.
 */
import type { EntryData, ItemData, ListKind, Material, Step } from '../../api/catalog';
import { LIST_FIELDS } from '../../components/catalog-labels';

export type FormValues = Record<string, unknown>;

export const NEW_MATERIAL: Material = {
  name: '',
  kind: 'original',
  copies: 1,
  paperSize: 'A4',
  requirement: 'required',
  condition: '',
  allowDeficiency: false,
  essential: false,
  source: 'applicant',
  issuer: '',
  licenceType: '',
  blankFormFileId: null,
  sampleFileId: null,
  notes: '',
  legalBasis: '',
};

const NEW_RESULT: ItemData['result'] = { kind: 'certificate', name: '', sampleFileId: null };

export const NEW_STEP: Step = {
  name: '',
  role: 'reviewer',
  limitDays: 1,
  clockStops: false,
  description: '',
};

/** A licensing item needs 受理, 审核 or 审批, 办结 and 送达: a new one starts with them. */
const STANDARD_STEPS: Step[] = [
  { name: '受理', role: 'window_clerk', limitDays: 1, clockStops: false, description: '' },
  { name: '审核', role: 'reviewer', limitDays: 3, clockStops: false, description: '' },
  { name: '审批', role: 'approver', limitDays: 2, clockStops: false, description: '' },
  { name: '办结', role: 'approver', limitDays: 0, clockStops: false, description: '' },
  { name: '送达', role: 'delivery', limitDays: 1, clockStops: false, description: '' },
];

export const NEW_ITEM: Partial<ItemData> = {
  name: '',
  basicCode: '',
  keywords: [],
  type: 'XK',
  powerCode: null,
  entrustingDepartmentId: null,
  serviceObjects: ['person'],
  conditions: [],
  legalBasis: '',
  legalLimitDays: 20,
  promisedLimitDays: 10,
  caseKind: 'promised',
  steps: STANDARD_STEPS,
  handlingForms: ['window'],
  onlineDepth: 2,
  visits: 1,
  place: '',
  hours: '',
  phone: '',
  fees: [],
  result: { kind: 'certificate', name: '', sampleFileId: null },
  lifeEvents: [],
  enterpriseStages: [],
  levels: ['district'],
  tongbanRange: 'none',
  allowDeficiency: false,
  deemedApproval: false,
  commitmentApproval: false,
  appointment: false,
  intermediaryCodes: [],
  materials: [],
  faq: [],
};

const NEW_ENTRIES: Record<Exclude<ListKind, 'item'>, EntryData> = {
  power: { type: 'XK', levels: ['district'], source: 'statutory', responsibilities: [], accountability: [] },
  fee: { standardFen: null, reducible: false },
  fund: { standardFen: null, reducible: false },
  negative: { category: 'restricted' },
  permission: { conditions: [] },
  supervision: { measures: [] },
  intermediary: { feeBasis: 'market', itemCodes: [], limitDays: null },
};

export function newEntryData(kind: ListKind): EntryData {
  return kind === 'item' ? { ...NEW_ITEM } : { ...NEW_ENTRIES[kind] };
}

const toLines = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? (value as string[])
      : [];
const fromLines = (value: unknown): string => (Array.isArray(value) ? value.join('\n') : '');

/** Fields that a form shows as a text box with one entry per line. */
function lineFields(kind: ListKind): string[] {
  if (kind === 'item') return ['conditions'];
  return LIST_FIELDS[kind].filter((f) => f.type === 'lines').map((f) => f.name);
}

function yuanFields(kind: ListKind): string[] {
  if (kind === 'item') return [];
  return LIST_FIELDS[kind].filter((f) => f.type === 'yuan').map((f) => f.name);
}

/** Entry data → the form's initial values. */
export function toFormValues(kind: ListKind, data: EntryData): FormValues {
  const values: FormValues = { ...data };
  for (const name of lineFields(kind)) values[name] = fromLines(data[name]);
  for (const name of yuanFields(kind)) {
    const fen = data[name];
    values[name] = typeof fen === 'number' ? fen / 100 : null;
  }
  return values;
}

/** The form's values laid over the version being edited → the entry data the API takes. */
export function toEntryData(kind: ListKind, base: EntryData, values: FormValues): EntryData {
  const { code: _code, ...rest } = values;
  const data: EntryData = { ...base, ...rest };
  for (const name of lineFields(kind)) data[name] = toLines(values[name]);
  for (const name of yuanFields(kind)) {
    const amount = values[name];
    data[name] = typeof amount === 'number' ? Math.round(amount * 100) : null;
  }
  // A cleared select is undefined: leave the field out, and the server's default (null, '', []) applies.
  for (const [key, value] of Object.entries(data)) if (value === undefined) delete data[key];
  if (kind === 'item') {
    const item = data as Partial<ItemData>;
    item.materials = (item.materials ?? []).map((m) => ({ ...NEW_MATERIAL, ...stripUndefined(m) }));
    item.steps = (item.steps ?? []).map((s) => ({ ...NEW_STEP, ...stripUndefined(s) }));
    item.faq = (item.faq ?? []).map((f) => ({ ...{ question: '', answer: '' }, ...stripUndefined(f) }));
    item.fees = (item.fees ?? []).map((f) => ({ ...{ feeCode: '', note: '' }, ...stripUndefined(f) }));
    item.keywords = (item.keywords ?? []).map((k) => k.trim()).filter(Boolean);
    if (item.result) item.result = { ...NEW_RESULT, ...stripUndefined(item.result) };
  }
  return data;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
