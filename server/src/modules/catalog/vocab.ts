/**
 * The catalog's fixed vocabularies, each value with its Chinese label. The API speaks the keys; spreadsheets
 * and screens show the labels. Import accepts either.
 */

/** A key → label map whose keys become a zod enum. */
type Vocab<K extends string> = Readonly<Record<K, string>>;

export const listKinds = [
  'item',
  'power',
  'fee',
  'fund',
  'negative',
  'permission',
  'supervision',
  'intermediary',
] as const;
export type ListKind = (typeof listKinds)[number];

export const listKindLabels: Vocab<ListKind> = {
  item: '实施清单(政务服务事项)',
  power: '权责清单',
  fee: '行政事业性收费清单',
  fund: '政府性基金清单',
  negative: '负面清单',
  permission: '准许清单',
  supervision: '监管清单',
  intermediary: '中介服务事项清单',
};

/** 权力类型: the ten kinds of administrative power plus public service. */
export const powerTypes = {
  XK: '行政许可',
  CF: '行政处罚',
  QZ: '行政强制',
  ZS: '行政征收',
  GF: '行政给付',
  JC: '行政检查',
  QR: '行政确认',
  JL: '行政奖励',
  CJ: '行政裁决',
  QT: '其他行政权力',
  GG: '公共服务',
} as const satisfies Vocab<string>;
export type PowerType = keyof typeof powerTypes;

/** 权力来源. */
export const powerSources = {
  statutory: '法定本级',
  delegated: '上级下放',
  authorised_by_superior: '上级授权',
  authorised_by_peer: '同级授权',
  entrusted_by_superior: '上级委托',
  entrusted_by_peer: '同级委托',
} as const satisfies Vocab<string>;
export type PowerSource = keyof typeof powerSources;

/** 行使层级 / 可办层级. */
export const levels = {
  province: '省级',
  city: '市级',
  district: '县(区)级',
  township: '乡镇(街道)级',
  village: '村(社区)级',
} as const satisfies Vocab<string>;
export type Level = keyof typeof levels;

/** 通办范围. */
export const tongbanRanges = {
  none: '不通办',
  district: '全区通办',
  city: '全市通办',
  province: '全省通办',
  national: '跨省通办',
} as const satisfies Vocab<string>;

export const serviceObjects = { person: '自然人', enterprise: '法人' } as const satisfies Vocab<string>;

/** 办件类型. */
export const caseKinds = { immediate: '即办件', promised: '承诺件' } as const satisfies Vocab<string>;

export const handlingForms = {
  window: '窗口办理',
  online: '网上办理',
  mail: '快递办理',
} as const satisfies Vocab<string>;

/** 网上办理深度 (星级). */
export const onlineDepths = {
  1: 'Ⅰ级(信息发布)',
  2: 'Ⅱ级(在线预审)',
  3: 'Ⅲ级(在线受理)',
  4: 'Ⅳ级(全程网办)',
} as const;

export const resultKinds = {
  certificate: '证照',
  decision: '批文/决定',
  other: '其他',
} as const satisfies Vocab<string>;

/** Who carries out a step of the process. */
export const stepRoles = {
  window_clerk: '窗口人员',
  reviewer: '审核人员',
  approver: '审批人员',
  inspector: '勘验人员',
  expert: '评审专家',
  delivery: '送达人员',
} as const satisfies Vocab<string>;

export const materialKinds = {
  original: '原件',
  copy: '复印件',
  electronic: '电子件',
} as const satisfies Vocab<string>;
export const paperSizes = { A4: 'A4', A3: 'A3', other: '其他', none: '无' } as const satisfies Vocab<string>;
export const materialRequirements = {
  required: '必要',
  conditional: '视情形提交',
} as const satisfies Vocab<string>;
export const materialSources = {
  applicant: '申请人自备',
  department: '政府部门核发',
  e_licence: '电子证照库获取',
} as const satisfies Vocab<string>;

export const negativeCategories = {
  prohibited: '禁止准入',
  restricted: '限制准入',
} as const satisfies Vocab<string>;
export const intermediaryFeeBases = {
  market: '市场调节价',
  government: '政府定价/指导价',
  free: '不收费',
} as const satisfies Vocab<string>;

/** 个人生命周期主题 (life events). */
export const lifeEvents = [
  '生育收养',
  '户籍办理',
  '教育科研',
  '就业创业',
  '婚姻登记',
  '住房保障',
  '医疗卫生',
  '社会保障',
  '养老服务',
  '残疾人服务',
  '退役军人',
  '交通出行',
  '证件办理',
  '死亡殡葬',
  '社会救助',
  '文化体育',
] as const;

/** 法人全生命周期主题 (enterprise life cycle). */
export const enterpriseStages = [
  '设立变更',
  '准营准办',
  '资质认证',
  '生产经营',
  '投资建设',
  '工程建设',
  '环境保护',
  '安全生产',
  '纳税缴费',
  '社保就业',
  '知识产权',
  '破产注销',
] as const;

/** Steps a licensing item (行政许可) must have: each group needs one step whose name contains one of its words. */
export const licensingStepGroups: readonly (readonly string[])[] = [
  ['受理'],
  ['审核', '审批'],
  ['办结'],
  ['送达'],
];

/** Inverse lookup: a label (or the key itself) → key; undefined when neither. */
export function keyOf<K extends string>(vocab: Readonly<Record<K, string>>, text: string): K | undefined {
  const t = text.trim();
  if (t in vocab) return t as K;
  for (const [k, label] of Object.entries(vocab) as [K, string][]) if (label === t) return k;
  return undefined;
}

export const vocabKeys = <K extends string>(vocab: Readonly<Record<K, string>>) =>
  Object.keys(vocab) as [K, ...K[]];
