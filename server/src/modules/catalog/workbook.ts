import type { DeptInfo } from './lists.js';
import {
  caseKinds,
  handlingForms,
  intermediaryFeeBases,
  type ListKind,
  levels,
  materialKinds,
  materialRequirements,
  materialSources,
  negativeCategories,
  paperSizes,
  powerSources,
  powerTypes,
  resultKinds,
  serviceObjects,
  stepRoles,
  tongbanRanges,
} from './vocab.js';

/**
 * The spreadsheet layout of the catalog, shared by import, export and the template
 * (docs/catalog-import.md describes it for people). One sheet per list; an item's materials, steps and
 * questions are rows of their own sheets, tied to the item by its implementation code.
 */

export type CellKind =
  | 'text'
  | 'lines'
  | 'list'
  | 'codes'
  | 'int'
  | 'intOrNull'
  | 'yuan'
  | 'bool'
  | 'enum'
  | 'enumList'
  | 'depth'
  | 'department'
  | 'departmentOrNull'
  | 'date'
  | 'status'
  | 'feeRefs';

export type Column = {
  header: string;
  /** Path in the entry data (`result.kind`), or a meta key: code, itemCode, order, status, effectiveFrom, reason. */
  field: string;
  kind: CellKind;
  vocab?: Readonly<Record<string, string>>;
  required?: boolean;
  width?: number;
  hint: string;
};

export type SheetKey =
  | 'items'
  | 'materials'
  | 'steps'
  | 'faq'
  | 'powers'
  | 'fees'
  | 'funds'
  | 'negative'
  | 'permission'
  | 'supervision'
  | 'intermediaries';

export type SheetDef = {
  key: SheetKey;
  name: string;
  /** The list whose entries the rows are; child sheets belong to items. */
  kind: ListKind;
  child?: 'materials' | 'steps' | 'faq';
  columns: Column[];
};

const meta: Column[] = [
  { header: '状态', field: 'status', kind: 'status', width: 8, hint: '发布 (default) or 草稿' },
  {
    header: '生效日期',
    field: 'effectiveFrom',
    kind: 'date',
    width: 12,
    hint: 'YYYY-MM-DD; default: the import day',
  },
  {
    header: '变更原因',
    field: 'reason',
    kind: 'text',
    width: 24,
    hint: 'Why (依据文件); default: “批量导入 <file>”',
  },
];

const code = (header = '编码'): Column => ({
  header,
  field: 'code',
  kind: 'text',
  required: true,
  width: 18,
  hint: 'Unique within the list; letters, digits, . _ -',
});
const itemCodeRef: Column = {
  header: '实施编码',
  field: 'itemCode',
  kind: 'text',
  required: true,
  width: 34,
  hint: 'The item this row belongs to (its row in 事项)',
};
const order: Column = {
  header: '序号',
  field: 'order',
  kind: 'int',
  width: 6,
  hint: 'Order within the item (default: row order)',
};

export const sheets: SheetDef[] = [
  {
    key: 'items',
    name: '事项',
    kind: 'item',
    columns: [
      { ...code('实施编码'), width: 34 },
      {
        header: '基本编码',
        field: 'basicCode',
        kind: 'text',
        required: true,
        width: 16,
        hint: 'National basic code of the item',
      },
      { header: '事项名称', field: 'name', kind: 'text', required: true, width: 28, hint: '' },
      { header: '关键词', field: 'keywords', kind: 'list', width: 20, hint: 'Separated by 、 or ;' },
      {
        header: '事项类型',
        field: 'type',
        kind: 'enum',
        vocab: powerTypes,
        required: true,
        width: 10,
        hint: 'XK … GG or 行政许可 …',
      },
      {
        header: '对应权力编码',
        field: 'powerCode',
        kind: 'text',
        width: 14,
        hint: 'Code in 权责清单 (optional)',
      },
      {
        header: '实施部门',
        field: 'departmentId',
        kind: 'department',
        required: true,
        width: 24,
        hint: 'Department full or short name',
      },
      {
        header: '委托部门',
        field: 'entrustingDepartmentId',
        kind: 'departmentOrNull',
        width: 16,
        hint: 'When entrusted',
      },
      {
        header: '服务对象',
        field: 'serviceObjects',
        kind: 'enumList',
        vocab: serviceObjects,
        required: true,
        width: 12,
        hint: '自然人、法人',
      },
      { header: '受理条件', field: 'conditions', kind: 'lines', width: 40, hint: 'One condition per line' },
      { header: '设定依据', field: 'legalBasis', kind: 'text', width: 40, hint: '' },
      {
        header: '法定时限(工作日)',
        field: 'legalLimitDays',
        kind: 'int',
        required: true,
        width: 10,
        hint: '',
      },
      {
        header: '承诺时限(工作日)',
        field: 'promisedLimitDays',
        kind: 'int',
        required: true,
        width: 10,
        hint: '≤ legal; 0–1 for 即办件',
      },
      {
        header: '办件类型',
        field: 'caseKind',
        kind: 'enum',
        vocab: caseKinds,
        required: true,
        width: 8,
        hint: '即办件 or 承诺件',
      },
      {
        header: '办理形式',
        field: 'handlingForms',
        kind: 'enumList',
        vocab: handlingForms,
        required: true,
        width: 22,
        hint: '窗口办理、网上办理、快递办理',
      },
      {
        header: '网办深度',
        field: 'onlineDepth',
        kind: 'depth',
        required: true,
        width: 8,
        hint: 'Ⅰ–Ⅳ (or 1–4)',
      },
      {
        header: '到现场次数',
        field: 'visits',
        kind: 'int',
        required: true,
        width: 8,
        hint: '0 needs 网上办理 or 快递办理',
      },
      { header: '办理地点', field: 'place', kind: 'text', width: 24, hint: '' },
      { header: '办理时间', field: 'hours', kind: 'text', width: 24, hint: '' },
      { header: '咨询电话', field: 'phone', kind: 'text', width: 14, hint: '' },
      {
        header: '收费项目',
        field: 'fees',
        kind: 'feeRefs',
        width: 18,
        hint: 'Fee-list codes, each optionally with a note: SF001(住宅); empty: free',
      },
      {
        header: '结果类型',
        field: 'result.kind',
        kind: 'enum',
        vocab: resultKinds,
        width: 8,
        hint: '证照, 批文/决定, 其他',
      },
      { header: '结果名称', field: 'result.name', kind: 'text', width: 20, hint: '' },
      {
        header: '个人主题',
        field: 'lifeEvents',
        kind: 'list',
        width: 16,
        hint: 'Life events, e.g. 生育收养、社会保障',
      },
      {
        header: '法人主题',
        field: 'enterpriseStages',
        kind: 'list',
        width: 16,
        hint: 'Enterprise stages, e.g. 设立变更、准营准办',
      },
      {
        header: '可办层级',
        field: 'levels',
        kind: 'enumList',
        vocab: levels,
        required: true,
        width: 16,
        hint: '县(区)级、乡镇(街道)级 …',
      },
      {
        header: '通办范围',
        field: 'tongbanRange',
        kind: 'enum',
        vocab: tongbanRanges,
        width: 10,
        hint: '不通办, 全区通办, 全市通办, 全省通办, 跨省通办',
      },
      { header: '容缺受理', field: 'allowDeficiency', kind: 'bool', width: 8, hint: '是/否' },
      { header: '超时默认', field: 'deemedApproval', kind: 'bool', width: 8, hint: '是/否' },
      { header: '告知承诺', field: 'commitmentApproval', kind: 'bool', width: 8, hint: '是/否' },
      { header: '网上预约', field: 'appointment', kind: 'bool', width: 8, hint: '是/否' },
      {
        header: '中介服务',
        field: 'intermediaryCodes',
        kind: 'codes',
        width: 12,
        hint: 'Intermediary-list codes',
      },
      ...meta,
    ],
  },
  {
    key: 'materials',
    name: '材料',
    kind: 'item',
    child: 'materials',
    columns: [
      itemCodeRef,
      order,
      {
        header: '材料名称',
        field: 'name',
        kind: 'text',
        required: true,
        width: 30,
        hint: 'Unique within the item',
      },
      {
        header: '材料形式',
        field: 'kind',
        kind: 'enum',
        vocab: materialKinds,
        width: 8,
        hint: '原件, 复印件, 电子件',
      },
      { header: '份数', field: 'copies', kind: 'int', width: 6, hint: '' },
      {
        header: '纸张规格',
        field: 'paperSize',
        kind: 'enum',
        vocab: paperSizes,
        width: 8,
        hint: 'A4, A3, 其他, 无',
      },
      {
        header: '必要性',
        field: 'requirement',
        kind: 'enum',
        vocab: materialRequirements,
        width: 10,
        hint: '必要 or 视情形提交',
      },
      { header: '适用情形', field: 'condition', kind: 'text', width: 24, hint: 'Required for 视情形提交' },
      {
        header: '容缺',
        field: 'allowDeficiency',
        kind: 'bool',
        width: 6,
        hint: '是: may follow after acceptance (not for 关键材料)',
      },
      { header: '关键材料', field: 'essential', kind: 'bool', width: 8, hint: '是/否' },
      {
        header: '来源',
        field: 'source',
        kind: 'enum',
        vocab: materialSources,
        width: 14,
        hint: '申请人自备, 政府部门核发, 电子证照库获取',
      },
      { header: '出具单位', field: 'issuer', kind: 'text', width: 16, hint: '' },
      {
        header: '证照类型',
        field: 'licenceType',
        kind: 'text',
        width: 16,
        hint: 'Required for 电子证照库获取',
      },
      { header: '填报须知', field: 'notes', kind: 'text', width: 30, hint: '' },
      { header: '材料依据', field: 'legalBasis', kind: 'text', width: 24, hint: '' },
    ],
  },
  {
    key: 'steps',
    name: '流程',
    kind: 'item',
    child: 'steps',
    columns: [
      itemCodeRef,
      order,
      {
        header: '环节名称',
        field: 'name',
        kind: 'text',
        required: true,
        width: 14,
        hint: '受理, 审核, 审批, 办结, 送达, 现场勘验 …',
      },
      {
        header: '办理角色',
        field: 'role',
        kind: 'enum',
        vocab: stepRoles,
        width: 10,
        hint: '窗口人员, 审核人员, 审批人员, 勘验人员, 评审专家, 送达人员',
      },
      { header: '环节时限(工作日)', field: 'limitDays', kind: 'int', width: 10, hint: '' },
      {
        header: '特殊环节',
        field: 'clockStops',
        kind: 'bool',
        width: 8,
        hint: '是: not counted (勘验, 评审, 听证, 检测, 公示)',
      },
      { header: '环节说明', field: 'description', kind: 'text', width: 30, hint: '' },
    ],
  },
  {
    key: 'faq',
    name: '常见问题',
    kind: 'item',
    child: 'faq',
    columns: [
      itemCodeRef,
      order,
      { header: '问题', field: 'question', kind: 'text', required: true, width: 30, hint: '' },
      { header: '解答', field: 'answer', kind: 'text', required: true, width: 50, hint: '' },
    ],
  },
  {
    key: 'powers',
    name: '权责清单',
    kind: 'power',
    columns: [
      code(),
      { header: '权力名称', field: 'name', kind: 'text', required: true, width: 40, hint: '' },
      {
        header: '权力类型',
        field: 'type',
        kind: 'enum',
        vocab: powerTypes,
        required: true,
        width: 10,
        hint: 'XK … GG or 行政许可 …',
      },
      { header: '实施主体', field: 'departmentId', kind: 'department', required: true, width: 24, hint: '' },
      { header: '设定依据', field: 'legalBasis', kind: 'text', width: 40, hint: '' },
      { header: '责任事项', field: 'responsibilities', kind: 'lines', width: 30, hint: 'One per line' },
      { header: '追责情形', field: 'accountability', kind: 'lines', width: 30, hint: 'One per line' },
      {
        header: '行使层级',
        field: 'levels',
        kind: 'enumList',
        vocab: levels,
        required: true,
        width: 14,
        hint: '',
      },
      {
        header: '权力来源',
        field: 'source',
        kind: 'enum',
        vocab: powerSources,
        width: 10,
        hint: '法定本级, 上级下放, 上级授权, 同级授权, 上级委托, 同级委托',
      },
      { header: '备注', field: 'remarks', kind: 'text', width: 16, hint: '' },
      ...meta,
    ],
  },
  ...(['fees', 'funds'] as const).map(
    (key): SheetDef => ({
      key,
      name: key === 'fees' ? '收费清单' : '政府性基金清单',
      kind: key === 'fees' ? 'fee' : 'fund',
      columns: [
        code(),
        {
          header: key === 'fees' ? '收费项目' : '基金名称',
          field: 'name',
          kind: 'text',
          required: true,
          width: 30,
          hint: '',
        },
        { header: '执收部门', field: 'departmentId', kind: 'departmentOrNull', width: 24, hint: '' },
        {
          header: '收费标准(元)',
          field: 'standardFen',
          kind: 'yuan',
          width: 12,
          hint: 'Fixed amount per unit, in yuan (stored in fen); or leave empty and give 标准说明',
        },
        { header: '计费单位', field: 'unit', kind: 'text', width: 8, hint: '件, 本, 平方米 …' },
        {
          header: '标准说明',
          field: 'standardRule',
          kind: 'text',
          width: 30,
          hint: 'The rule when there is no fixed amount',
        },
        { header: '收费依据', field: 'legalBasis', kind: 'text', width: 40, hint: '' },
        { header: '可减免', field: 'reducible', kind: 'bool', width: 8, hint: '是/否' },
        { header: '减免政策', field: 'reductionPolicy', kind: 'text', width: 30, hint: '' },
        ...meta,
      ],
    }),
  ),
  {
    key: 'negative',
    name: '负面清单',
    kind: 'negative',
    columns: [
      code(),
      { header: '事项', field: 'name', kind: 'text', required: true, width: 40, hint: '' },
      { header: '行业', field: 'industry', kind: 'text', required: true, width: 16, hint: '' },
      {
        header: '类别',
        field: 'category',
        kind: 'enum',
        vocab: negativeCategories,
        required: true,
        width: 10,
        hint: '禁止准入 or 限制准入',
      },
      { header: '管理措施', field: 'measures', kind: 'text', width: 40, hint: '' },
      { header: '依据', field: 'legalBasis', kind: 'text', width: 30, hint: '' },
      ...meta,
    ],
  },
  {
    key: 'permission',
    name: '准许清单',
    kind: 'permission',
    columns: [
      code(),
      { header: '名称', field: 'name', kind: 'text', required: true, width: 30, hint: '' },
      {
        header: '事项编码',
        field: 'itemCode',
        kind: 'text',
        required: true,
        width: 34,
        hint: 'Implementation code of the item',
      },
      {
        header: '标准条件',
        field: 'conditions',
        kind: 'lines',
        required: true,
        width: 50,
        hint: 'One per line: meet them all and it is approved',
      },
      { header: '依据', field: 'legalBasis', kind: 'text', width: 30, hint: '' },
      ...meta,
    ],
  },
  {
    key: 'supervision',
    name: '监管清单',
    kind: 'supervision',
    columns: [
      code(),
      { header: '名称', field: 'name', kind: 'text', required: true, width: 30, hint: '' },
      { header: '事项编码', field: 'itemCode', kind: 'text', required: true, width: 34, hint: '' },
      { header: '监管部门', field: 'departmentId', kind: 'departmentOrNull', width: 24, hint: '' },
      {
        header: '监管措施',
        field: 'measures',
        kind: 'lines',
        required: true,
        width: 50,
        hint: 'One per line',
      },
      { header: '检查频次', field: 'frequency', kind: 'text', width: 20, hint: '' },
      { header: '依据', field: 'legalBasis', kind: 'text', width: 30, hint: '' },
      ...meta,
    ],
  },
  {
    key: 'intermediaries',
    name: '中介服务',
    kind: 'intermediary',
    columns: [
      code(),
      { header: '中介服务名称', field: 'name', kind: 'text', required: true, width: 30, hint: '' },
      { header: '审批部门', field: 'departmentId', kind: 'departmentOrNull', width: 24, hint: '' },
      {
        header: '关联事项',
        field: 'itemCodes',
        kind: 'codes',
        width: 34,
        hint: 'Implementation codes of the items that need it',
      },
      { header: '设置依据', field: 'legalBasis', kind: 'text', width: 30, hint: '' },
      { header: '资质要求', field: 'providerRequirements', kind: 'text', width: 30, hint: '' },
      {
        header: '收费方式',
        field: 'feeBasis',
        kind: 'enum',
        vocab: intermediaryFeeBases,
        width: 12,
        hint: '市场调节价, 政府定价/指导价, 不收费',
      },
      { header: '服务时限(工作日)', field: 'limitDays', kind: 'intOrNull', width: 10, hint: '' },
      ...meta,
    ],
  },
];

/** Columns that describe the row (code, order, publication) rather than a field of the entry data. */
export function isMetaField(def: SheetDef, field: string): boolean {
  if (field === 'code' || field === 'status' || field === 'effectiveFrom' || field === 'reason') return true;
  return !!def.child && (field === 'itemCode' || field === 'order');
}

export const sheetByKey = (key: string) => sheets.find((s) => s.key === key);
export const sheetByName = (name: string) =>
  sheets.find((s) => s.name === name.trim() || s.key === name.trim());

/** Column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

// Reading cells -------------------------------------------------------------------------------------

export type CellResult =
  | { ok: true; value: unknown }
  | { ok: false; rule: string; key: string; params?: Record<string, string | number> };

const ok = (value: unknown): CellResult => ({ ok: true, value });
const bad = (rule: string, key: string, params?: Record<string, string | number>): CellResult => ({
  ok: false,
  rule,
  key,
  params,
});

const splitList = (s: string) =>
  s
    .split(/[;；,，、\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const splitLines = (s: string) =>
  s
    .split(/\r?\n+/)
    .map((x) => x.trim())
    .filter(Boolean);

function vocabKey(vocab: Readonly<Record<string, string>>, text: string): string | undefined {
  if (text in vocab) return text;
  const upper = text.toUpperCase();
  if (upper in vocab) return upper;
  for (const [key, label] of Object.entries(vocab)) if (label === text) return key;
  return undefined;
}

/** Split on list separators outside parentheses, so a fee note may contain a comma. */
function splitOutsideParens(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '（') depth += 1;
    if (ch === ')' || ch === '）') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[;；,，、\n]/.test(ch)) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const ROMAN: Record<string, number> = {
  Ⅰ: 1,
  Ⅱ: 2,
  Ⅲ: 3,
  Ⅳ: 4,
  I: 1,
  II: 2,
  III: 3,
  IV: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
};
const ROMAN_OUT = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ'];

export type DeptResolver = (name: string) => DeptInfo | undefined;

/** Turn a cell's text into the value of its field, or say what is wrong with it. */
export function readCell(col: Column, raw: string, depts: DeptResolver): CellResult {
  const text = raw.trim();
  if (text === '') {
    if (col.required) return bad('required', 'rule.required');
    switch (col.kind) {
      case 'lines':
      case 'list':
      case 'codes':
      case 'enumList':
      case 'feeRefs':
        return ok([]);
      case 'bool':
        return ok(false);
      case 'intOrNull':
      case 'yuan':
      case 'departmentOrNull':
        return ok(null);
      default:
        return ok(undefined);
    }
  }
  switch (col.kind) {
    case 'text':
      return ok(text);
    case 'lines':
      return ok(splitLines(text));
    case 'list':
    case 'codes':
      return ok(splitList(text));
    case 'int':
    case 'intOrNull': {
      if (!/^\d+$/.test(text)) return bad('integer', 'rule.importInteger', { value: text });
      return ok(Number(text));
    }
    case 'yuan': {
      if (!/^\d+(\.\d{1,2})?$/.test(text)) return bad('amount', 'rule.importAmount', { value: text });
      const [whole, frac = ''] = text.split('.');
      return ok(Number(whole) * 100 + Number(frac.padEnd(2, '0')));
    }
    case 'bool': {
      if (/^(是|y|yes|true|1|√)$/i.test(text)) return ok(true);
      if (/^(否|n|no|false|0|×)$/i.test(text)) return ok(false);
      return bad('boolean', 'rule.importBoolean', { value: text });
    }
    case 'enum': {
      const key = vocabKey(col.vocab ?? {}, text);
      return key === undefined
        ? bad('enum', 'rule.enum', { options: Object.values(col.vocab ?? {}).join(', ') })
        : ok(key);
    }
    case 'enumList': {
      const keys: string[] = [];
      for (const part of splitList(text)) {
        const key = vocabKey(col.vocab ?? {}, part);
        if (key === undefined)
          return bad('enum', 'rule.enum', { options: Object.values(col.vocab ?? {}).join(', ') });
        if (!keys.includes(key)) keys.push(key);
      }
      return ok(keys);
    }
    case 'depth': {
      const n = ROMAN[text.replace(/级.*$/, '').trim().toUpperCase()] ?? ROMAN[text.charAt(0)];
      return n === undefined ? bad('enum', 'rule.enum', { options: 'Ⅰ, Ⅱ, Ⅲ, Ⅳ' }) : ok(n);
    }
    case 'department':
    case 'departmentOrNull': {
      const d = depts(text);
      return d ? ok(d.id) : bad('departmentName', 'rule.departmentName', { value: text });
    }
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return bad('date', 'rule.date');
      const d = new Date(`${text}T00:00:00Z`);
      return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text
        ? bad('date', 'rule.date')
        : ok(text);
    }
    case 'status': {
      if (/^(发布|已发布|published)$/i.test(text)) return ok('published');
      if (/^(草稿|draft)$/i.test(text)) return ok('draft');
      return bad('enum', 'rule.enum', { options: '发布, 草稿' });
    }
    case 'feeRefs': {
      const refs: { feeCode: string; note: string }[] = [];
      for (const part of splitOutsideParens(text)) {
        const m = /^([0-9A-Za-z][0-9A-Za-z._-]*)\s*(?:[(（](.*)[)）])?$/.exec(part);
        if (!m) return bad('format', 'rule.importFeeRef', { value: part });
        refs.push({ feeCode: m[1], note: (m[2] ?? '').trim() });
      }
      return ok(refs);
    }
  }
}

// Writing cells -------------------------------------------------------------------------------------

export function writeCell(col: Column, value: unknown, deptName: (id: string) => string): string | number {
  if (value === null || value === undefined) return '';
  switch (col.kind) {
    case 'lines':
      return (value as string[]).join('\n');
    case 'list':
    case 'codes':
      return (value as string[]).join('、');
    case 'int':
    case 'intOrNull':
      return value as number;
    case 'yuan':
      return ((value as number) / 100).toFixed(2);
    case 'bool':
      return value ? '是' : '否';
    case 'enum':
      return col.vocab?.[value as string] ?? String(value);
    case 'enumList':
      return (value as string[]).map((v) => col.vocab?.[v] ?? v).join('、');
    case 'depth':
      return ROMAN_OUT[value as number] ?? String(value);
    case 'department':
    case 'departmentOrNull':
      return deptName(value as string);
    case 'status':
      return value === 'published' ? '发布' : '草稿';
    case 'feeRefs':
      return (value as { feeCode: string; note: string }[])
        .map((f) => (f.note ? `${f.feeCode}(${f.note})` : f.feeCode))
        .join(';');
    default:
      return String(value);
  }
}

/** Read a dotted path out of an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Write a dotted path into an object, creating the objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}
