/**
 * The catalog's vocabularies and fields with their labels in the current language, shared by the public
 * pages and the administration. The API speaks keys (XK, district, e_licence …); people read these labels.
 */
import {
  CASE_KINDS,
  HANDLING_FORMS,
  INTERMEDIARY_FEE_BASES,
  LEVELS,
  type ListKind,
  MATERIAL_KINDS,
  MATERIAL_REQUIREMENTS,
  MATERIAL_SOURCES,
  NEGATIVE_CATEGORIES,
  ONLINE_DEPTHS,
  PAPER_SIZES,
  POWER_SOURCES,
  POWER_TYPES,
  RESULT_KINDS,
  SERVICE_OBJECTS,
  STEP_ROLES,
  TONGBAN_RANGES,
  type VersionAction,
  type VersionStatus,
} from '../api/catalog';
import type { MessageKey, Translate } from '../i18n/i18n';

type Vocab = { keys: readonly (string | number)[]; label: (t: Translate, key: string) => string };

const vocab = <K extends string | number>(
  keys: readonly K[],
  label: (t: Translate, key: K) => string,
): Vocab => ({
  keys,
  label: (t, key) =>
    (keys as readonly (string | number)[]).map(String).includes(String(key)) ? label(t, key as K) : key,
});

export const VOCABS = {
  powerType: vocab(POWER_TYPES, (t, k) => t(`catalog.type.${k}`)),
  level: vocab(LEVELS, (t, k) => t(`catalog.level.${k}`)),
  powerSource: vocab(POWER_SOURCES, (t, k) => t(`catalog.powerSource.${k}`)),
  tongbanRange: vocab(TONGBAN_RANGES, (t, k) => t(`catalog.tongban.${k}`)),
  serviceObject: vocab(SERVICE_OBJECTS, (t, k) => t(`catalog.object.${k}`)),
  caseKind: vocab(CASE_KINDS, (t, k) => t(`catalog.caseKind.${k}`)),
  handlingForm: vocab(HANDLING_FORMS, (t, k) => t(`catalog.form.${k}`)),
  onlineDepth: vocab(ONLINE_DEPTHS, (t, k) => t(`catalog.depth.${k}`)),
  resultKind: vocab(RESULT_KINDS, (t, k) => t(`catalog.resultKind.${k}`)),
  stepRole: vocab(STEP_ROLES, (t, k) => t(`catalog.stepRole.${k}`)),
  materialKind: vocab(MATERIAL_KINDS, (t, k) => t(`catalog.materialKind.${k}`)),
  paperSize: vocab(PAPER_SIZES, (t, k) => t(`catalog.paper.${k}`)),
  requirement: vocab(MATERIAL_REQUIREMENTS, (t, k) => t(`catalog.requirement.${k}`)),
  materialSource: vocab(MATERIAL_SOURCES, (t, k) => t(`catalog.materialSource.${k}`)),
  negativeCategory: vocab(NEGATIVE_CATEGORIES, (t, k) => t(`catalog.negative.${k}`)),
  feeBasis: vocab(INTERMEDIARY_FEE_BASES, (t, k) => t(`catalog.feeBasis.${k}`)),
} satisfies Record<string, Vocab>;
export type VocabName = keyof typeof VOCABS;

export function vocabOptions(t: Translate, name: VocabName) {
  const v = VOCABS[name];
  return v.keys.map((key) => ({ value: key, label: v.label(t, String(key)) }));
}

export function vocabLabel(t: Translate, name: VocabName, key: string | number | null | undefined): string {
  if (key === null || key === undefined || key === '') return '';
  return VOCABS[name].label(t, String(key));
}

export const listKindLabel = (t: Translate, kind: ListKind) => t(`catalog.kind.${kind}`);

export const statusLabel = (t: Translate, status: VersionStatus) => t(`catalog.status.${status}`);
export const actionLabel = (t: Translate, action: VersionAction) => t(`catalog.action.${action}`);

/** 12345 fen → "123.45". */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  return (fen / 100).toFixed(2).replace(/\.00$/, '');
}

// Fields ------------------------------------------------------------------------------------------

export type FieldType =
  | 'text'
  | 'textarea'
  | 'lines'
  | 'tags'
  | 'int'
  | 'intOrNull'
  | 'yuan'
  | 'bool'
  | 'enum'
  | 'enumMulti'
  | 'department'
  | 'departmentOrNull'
  | 'itemCode'
  | 'itemCodes';

export type FieldDef = {
  name: string;
  label: MessageKey;
  type: FieldType;
  vocab?: VocabName;
  required?: boolean;
  /** Shown as a column of the public list. */
  column?: boolean;
};

const f = (
  name: string,
  label: MessageKey,
  type: FieldType,
  more: Partial<Pick<FieldDef, 'vocab' | 'required' | 'column'>> = {},
): FieldDef => ({ name, label, type, ...more });

const feeFields = (nameLabel: MessageKey): FieldDef[] => [
  f('name', nameLabel, 'text', { required: true, column: true }),
  f('departmentId', 'catalog.field.collectingDepartment', 'departmentOrNull', { column: true }),
  f('standardFen', 'catalog.field.standardFen', 'yuan', { column: true }),
  f('unit', 'catalog.field.unit', 'text', { column: true }),
  f('standardRule', 'catalog.field.standardRule', 'textarea', { column: true }),
  f('legalBasis', 'catalog.field.feeBasis', 'textarea', { column: true }),
  f('reducible', 'catalog.field.reducible', 'bool', { column: true }),
  f('reductionPolicy', 'catalog.field.reductionPolicy', 'textarea'),
];

/** The fields of each list other than the service items (whose editor is hand-made), in display order. */
export const LIST_FIELDS: Record<Exclude<ListKind, 'item'>, FieldDef[]> = {
  power: [
    f('name', 'catalog.field.powerName', 'text', { required: true, column: true }),
    f('type', 'catalog.field.powerType', 'enum', { vocab: 'powerType', required: true, column: true }),
    f('departmentId', 'catalog.field.implementingBody', 'department', { required: true, column: true }),
    f('legalBasis', 'catalog.field.legalBasis', 'textarea', { column: true }),
    f('responsibilities', 'catalog.field.responsibilities', 'lines'),
    f('accountability', 'catalog.field.accountability', 'lines'),
    f('levels', 'catalog.field.exerciseLevels', 'enumMulti', {
      vocab: 'level',
      required: true,
      column: true,
    }),
    f('source', 'catalog.field.powerSource', 'enum', { vocab: 'powerSource', column: true }),
    f('remarks', 'catalog.field.remarks', 'textarea'),
  ],
  fee: feeFields('catalog.field.feeName'),
  fund: feeFields('catalog.field.fundName'),
  negative: [
    f('name', 'catalog.field.negativeName', 'text', { required: true, column: true }),
    f('industry', 'catalog.field.industry', 'text', { required: true, column: true }),
    f('category', 'catalog.field.category', 'enum', {
      vocab: 'negativeCategory',
      required: true,
      column: true,
    }),
    f('measures', 'catalog.field.managementMeasures', 'textarea', { column: true }),
    f('legalBasis', 'catalog.field.basis', 'textarea'),
  ],
  permission: [
    f('name', 'catalog.field.entryName', 'text', { required: true, column: true }),
    f('itemCode', 'catalog.field.itemCode', 'itemCode', { required: true, column: true }),
    f('conditions', 'catalog.field.standardConditions', 'lines', { required: true, column: true }),
    f('legalBasis', 'catalog.field.basis', 'textarea'),
  ],
  supervision: [
    f('name', 'catalog.field.entryName', 'text', { required: true, column: true }),
    f('itemCode', 'catalog.field.itemCode', 'itemCode', { required: true, column: true }),
    f('departmentId', 'catalog.field.supervisingDepartment', 'departmentOrNull', { column: true }),
    f('measures', 'catalog.field.supervisionMeasures', 'lines', { required: true, column: true }),
    f('frequency', 'catalog.field.frequency', 'text', { column: true }),
    f('legalBasis', 'catalog.field.basis', 'textarea'),
  ],
  intermediary: [
    f('name', 'catalog.field.intermediaryName', 'text', { required: true, column: true }),
    f('departmentId', 'catalog.field.approvingDepartment', 'departmentOrNull', { column: true }),
    f('itemCodes', 'catalog.field.relatedItems', 'itemCodes', { column: true }),
    f('legalBasis', 'catalog.field.settingBasis', 'textarea'),
    f('providerRequirements', 'catalog.field.providerRequirements', 'textarea', { column: true }),
    f('feeBasis', 'catalog.field.intermediaryFeeBasis', 'enum', { vocab: 'feeBasis', column: true }),
    f('limitDays', 'catalog.field.serviceLimitDays', 'intOrNull', { column: true }),
  ],
};

/** The top-level fields of a service item, for diff labels and error summaries. */
export const ITEM_FIELD_LABELS: Record<string, MessageKey> = {
  code: 'catalog.field.code',
  name: 'catalog.field.itemName',
  basicCode: 'catalog.field.basicCode',
  keywords: 'catalog.field.keywords',
  type: 'catalog.field.itemType',
  powerCode: 'catalog.field.powerCode',
  departmentId: 'catalog.field.implementingDepartment',
  entrustingDepartmentId: 'catalog.field.entrustingDepartment',
  serviceObjects: 'catalog.field.serviceObjects',
  conditions: 'catalog.field.conditions',
  legalBasis: 'catalog.field.legalBasis',
  legalLimitDays: 'catalog.field.legalLimitDays',
  promisedLimitDays: 'catalog.field.promisedLimitDays',
  caseKind: 'catalog.field.caseKind',
  steps: 'catalog.field.steps',
  handlingForms: 'catalog.field.handlingForms',
  onlineDepth: 'catalog.field.onlineDepth',
  visits: 'catalog.field.visits',
  place: 'catalog.field.place',
  hours: 'catalog.field.hours',
  phone: 'catalog.field.phone',
  fees: 'catalog.field.fees',
  result: 'catalog.field.result',
  lifeEvents: 'catalog.field.lifeEvents',
  enterpriseStages: 'catalog.field.enterpriseStages',
  levels: 'catalog.field.levels',
  tongbanRange: 'catalog.field.tongbanRange',
  allowDeficiency: 'catalog.field.allowDeficiency',
  deemedApproval: 'catalog.field.deemedApproval',
  commitmentApproval: 'catalog.field.commitmentApproval',
  appointment: 'catalog.field.appointment',
  intermediaryCodes: 'catalog.field.intermediaryCodes',
  materials: 'catalog.field.materials',
  faq: 'catalog.field.faq',
};

const CHILD_FIELD_LABELS: Record<string, Record<string, MessageKey>> = {
  materials: {
    name: 'catalog.material.name',
    kind: 'catalog.material.kind',
    copies: 'catalog.material.copies',
    paperSize: 'catalog.material.paperSize',
    requirement: 'catalog.material.requirement',
    condition: 'catalog.material.condition',
    allowDeficiency: 'catalog.material.allowDeficiency',
    essential: 'catalog.material.essential',
    source: 'catalog.material.source',
    issuer: 'catalog.material.issuer',
    licenceType: 'catalog.material.licenceType',
    blankFormFileId: 'catalog.material.blankForm',
    sampleFileId: 'catalog.material.sample',
    notes: 'catalog.material.notes',
    legalBasis: 'catalog.material.legalBasis',
  },
  steps: {
    name: 'catalog.step.name',
    role: 'catalog.step.role',
    limitDays: 'catalog.step.limitDays',
    clockStops: 'catalog.step.clockStops',
    description: 'catalog.step.description',
  },
  faq: { question: 'catalog.faq.question', answer: 'catalog.faq.answer' },
  fees: { feeCode: 'catalog.itemFee.feeCode', note: 'catalog.itemFee.note' },
  result: {
    kind: 'catalog.field.resultKind',
    name: 'catalog.field.resultName',
    sampleFileId: 'catalog.field.resultSample',
  },
};

const ITEM_VOCABS: Record<string, VocabName> = {
  type: 'powerType',
  caseKind: 'caseKind',
  onlineDepth: 'onlineDepth',
  tongbanRange: 'tongbanRange',
  levels: 'level',
  serviceObjects: 'serviceObject',
  handlingForms: 'handlingForm',
};
const CHILD_VOCABS: Record<string, Record<string, VocabName>> = {
  materials: {
    kind: 'materialKind',
    paperSize: 'paperSize',
    requirement: 'requirement',
    source: 'materialSource',
  },
  steps: { role: 'stepRole' },
  result: { kind: 'resultKind' },
};

/** The vocabulary a field path's values come from, if any (`steps.2.role` → stepRole, `levels.1` → level). */
function vocabOfPath(kind: ListKind, path: string): VocabName | undefined {
  const [head = '', ...rest] = path.split('.');
  const leaf = rest.filter((part) => !/^\d+$/.test(part)).at(-1);
  if (leaf) return CHILD_VOCABS[head]?.[leaf];
  if (kind === 'item') return ITEM_VOCABS[head];
  return LIST_FIELDS[kind].find((x) => x.name === head)?.vocab;
}

/** A value of a field as a person reads it: labels for vocabulary keys, 是/否, lists joined. */
export function fieldValueLabel(t: Translate, kind: ListKind, path: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  const vocab = vocabOfPath(kind, path);
  if (vocab && (typeof value === 'string' || typeof value === 'number')) return vocabLabel(t, vocab, value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map((v) => (vocab ? vocabLabel(t, vocab, v) : String(v))).join('、') || '—';
  }
  return JSON.stringify(value);
}

/**
 * A field path as a person reads it: `materials.2.copies` → "申请材料 › 第 3 行 › 份数 (materials.2.copies)".
 * The path stays in brackets so that administrators and the importer's messages can be matched up.
 */
export function fieldPathLabel(t: Translate, kind: ListKind, path: string): string {
  const [head = '', ...rest] = path.split('.');
  const top =
    kind === 'item' ? ITEM_FIELD_LABELS[head] : LIST_FIELDS[kind].find((x) => x.name === head)?.label;
  if (!top) return path;
  const parts = [t(top)];
  let children: Record<string, MessageKey> | undefined = CHILD_FIELD_LABELS[head];
  for (const part of rest) {
    if (/^\d+$/.test(part)) parts.push(t('catalog.rowN', { n: Number(part) + 1 }));
    else if (children?.[part]) {
      parts.push(t(children[part]));
      children = undefined;
    } else parts.push(part);
  }
  return `${parts.join(' › ')} (${path})`;
}
