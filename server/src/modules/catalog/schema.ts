import { z } from 'zod';
import { civilDateSchema, uuidSchema } from '../../platform/validation.js';
import {
  caseKinds,
  enterpriseStages,
  handlingForms,
  intermediaryFeeBases,
  levels,
  lifeEvents,
  listKinds,
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
  vocabKeys,
} from './vocab.js';

/**
 * Request and response schemas of the catalog. Each list's entry data is one schema (`*Data`); a version
 * stores it whole as jsonb, so the same schema validates a save, an import row and a stored version.
 * Refinement messages are i18n keys (`rule.*`); rules that need the whole entry or the database live in
 * quality.ts.
 */

const text = (max = 2000) => z.string().trim().max(max).default('');
const name = (max = 200) => z.string().trim().min(1).max(max);
const lines = (maxItems = 50, max = 1000) =>
  z.array(z.string().trim().min(1).max(max)).max(maxItems).default([]);
const flag = () => z.boolean().default(false);

export const codeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{1,63}$/, { message: 'rule.catalogCode' })
  .describe(
    'Code of a list entry: letters, digits, ".", "_" or "-", 2–64 characters; unique within its list',
  );

export const listKind = z
  .enum(listKinds)
  .describe('Which list: item 实施清单, power 权责清单, fee 收费, fund 基金, …');
export const powerType = z
  .enum(vocabKeys(powerTypes))
  .describe(
    '权力类型 code: XK 许可, CF 处罚, QZ 强制, ZS 征收, GF 给付, JC 检查, QR 确认, JL 奖励, CJ 裁决, QT 其他, GG 公共服务',
  );
export const level = z.enum(vocabKeys(levels)).describe('Administrative level (层级)');
export const lifeEvent = z.enum(lifeEvents);
export const enterpriseStage = z.enum(enterpriseStages);
export const theme = z
  .union([lifeEvent, enterpriseStage])
  .describe('A life event (个人) or an enterprise life-cycle stage (法人)');

// Service items (实施清单) ---------------------------------------------------------------------------

export const material = z
  .strictObject({
    name: name().describe('材料名称, unique within the item'),
    kind: z
      .enum(vocabKeys(materialKinds))
      .default('original')
      .describe('材料形式: original 原件, copy 复印件, electronic 电子件'),
    copies: z.number().int().min(0).max(99).default(1).describe('份数'),
    paperSize: z.enum(vocabKeys(paperSizes)).default('A4').describe('纸质规格'),
    requirement: z
      .enum(vocabKeys(materialRequirements))
      .default('required')
      .describe('必要性: required, or conditional (视情形) with its condition'),
    condition: text(500).describe('When the material is needed, for a conditional one'),
    allowDeficiency: flag().describe('容缺: the case may be accepted while this material is still missing'),
    essential: flag().describe('关键材料: never accepted missing (no 容缺)'),
    source: z
      .enum(vocabKeys(materialSources))
      .default('applicant')
      .describe('来源: applicant 自备, department 部门核发, e_licence 电子证照库'),
    issuer: text(200).describe('出具单位, for a material issued by a department'),
    licenceType: text(100).describe('电子证照类型, for a material fetched from the e-licence library'),
    blankFormFileId: uuidSchema.nullable().default(null).describe('Blank form to download (catalog file id)'),
    sampleFileId: uuidSchema
      .nullable()
      .default(null)
      .describe('Filled-in sample to download (catalog file id)'),
    notes: text(1000).describe('填报须知'),
    legalBasis: text(1000).describe('材料依据'),
  })
  .describe('One material an applicant hands in (申请材料)');

export const step = z
  .strictObject({
    name: name(60).describe('环节名称, e.g. 受理, 审核, 审批, 办结, 送达, 现场勘验'),
    role: z.enum(vocabKeys(stepRoles)).default('reviewer').describe('Who carries out the step'),
    limitDays: z.number().int().min(0).max(365).default(0).describe('Step time limit in working days'),
    clockStops: flag().describe(
      '特殊环节 (勘验, 专家评审, 听证, 检测, 公示): its time does not count against the limit',
    ),
    description: text(500),
  })
  .describe('One step of the process (办理流程), in order');

export const faq = z.strictObject({ question: name(300), answer: name(2000) }).describe('常见问题');

export const itemFee = z
  .strictObject({
    feeCode: codeSchema.describe('Code of an entry of the fee list (or the fund list)'),
    note: text(300).describe('When or how much of it applies to this item'),
  })
  .describe('A fee this item charges (收费依据 in the fee list)');

export const itemResult = z
  .strictObject({
    kind: z.enum(vocabKeys(resultKinds)).default('certificate').describe('证照 or 批文/决定'),
    name: text(200).describe('Name of the certificate or decision, e.g. 食品经营许可证'),
    sampleFileId: uuidSchema.nullable().default(null).describe('Sample of the result (catalog file id)'),
  })
  .describe('办理结果');

export const itemData = z
  .strictObject({
    name: name().describe('事项名称'),
    basicCode: codeSchema.describe(
      '基本编码 (the national code of the item type; shared by the implementations)',
    ),
    keywords: lines(30, 40).describe('Search words beyond the name, e.g. the certificate name'),
    type: powerType,
    powerCode: codeSchema.nullable().default(null).describe('The power-list entry this item implements'),
    departmentId: uuidSchema.describe('实施主体: the implementing department'),
    entrustingDepartmentId: uuidSchema
      .nullable()
      .default(null)
      .describe('委托部门, when the power is entrusted'),
    serviceObjects: z
      .array(z.enum(vocabKeys(serviceObjects)))
      .min(1)
      .max(2)
      .describe('服务对象: person 自然人, enterprise 法人'),
    conditions: lines(50, 1000).describe('受理条件'),
    legalBasis: text(4000).describe('设定依据'),
    legalLimitDays: z.number().int().min(0).max(3650).describe('法定办结时限, working days'),
    promisedLimitDays: z.number().int().min(0).max(3650).describe('承诺办结时限, working days'),
    caseKind: z.enum(vocabKeys(caseKinds)).describe('办件类型: immediate 即办件, promised 承诺件'),
    steps: z.array(step).max(40).default([]),
    handlingForms: z
      .array(z.enum(vocabKeys(handlingForms)))
      .min(1)
      .max(3)
      .describe('办理形式: window, online, mail'),
    onlineDepth: z.number().int().min(1).max(4).describe('网上办理深度 I–IV (IV: 全程网办)'),
    visits: z.number().int().min(0).max(10).describe('到办事现场次数'),
    place: text(300).describe('办理地点'),
    hours: text(300).describe('办理时间'),
    phone: text(100).describe('咨询电话'),
    fees: z.array(itemFee).max(20).default([]).describe('Empty: free of charge (不收费)'),
    result: itemResult,
    lifeEvents: z.array(lifeEvent).max(10).default([]).describe('个人生命周期主题'),
    enterpriseStages: z.array(enterpriseStage).max(10).default([]).describe('法人全生命周期主题'),
    levels: z.array(level).min(1).max(5).describe('Levels where the item can be handled (可办层级)'),
    tongbanRange: z.enum(vocabKeys(tongbanRanges)).default('none').describe('通办范围'),
    allowDeficiency: flag().describe('容缺受理 is allowed for this item'),
    deemedApproval: flag().describe('超时默认: approved when the deadline passes'),
    commitmentApproval: flag().describe('告知承诺: approved on the applicant’s written commitment'),
    appointment: flag().describe('网上预约 is supported'),
    intermediaryCodes: z
      .array(codeSchema)
      .max(20)
      .default([])
      .describe('Codes of the intermediary services it needs'),
    materials: z.array(material).max(100).default([]),
    faq: z.array(faq).max(50).default([]),
  })
  .describe('A service item (政务服务事项) with its standard elements');

// The other lists -----------------------------------------------------------------------------------

export const powerData = z
  .strictObject({
    name: name(300).describe('权力名称'),
    type: powerType,
    departmentId: uuidSchema.describe('实施主体'),
    legalBasis: text(4000).describe('设定依据'),
    responsibilities: lines(30, 1000).describe('责任事项'),
    accountability: lines(30, 1000).describe('追责情形'),
    levels: z.array(level).min(1).max(5).describe('行使层级'),
    source: z.enum(vocabKeys(powerSources)).default('statutory').describe('权力来源'),
    remarks: text(1000),
  })
  .describe('An entry of the power and responsibility list (权责清单)');

export const feeData = z
  .strictObject({
    name: name(200).describe('收费项目'),
    departmentId: uuidSchema.nullable().default(null).describe('执收部门'),
    standardFen: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe('Fixed standard in fen (分), per unit'),
    unit: text(40).describe('计费单位, e.g. 件, 本'),
    standardRule: text(1000).describe('收费标准 as a rule, when it is not a fixed amount'),
    legalBasis: text(2000).describe('收费依据'),
    reducible: flag().describe('可减免'),
    reductionPolicy: text(1000).describe('减免政策'),
  })
  .describe('An entry of the fee list (行政事业性收费) or the government fund list (政府性基金)');

export const negativeData = z
  .strictObject({
    name: name(300).describe('事项'),
    industry: name(100).describe('行业'),
    category: z.enum(vocabKeys(negativeCategories)).describe('prohibited 禁止准入 or restricted 限制准入'),
    measures: text(2000).describe('管理措施'),
    legalBasis: text(2000),
  })
  .describe('An entry of the negative list for enterprise investment (负面清单)');

export const permissionData = z
  .strictObject({
    name: name(300),
    itemCode: codeSchema.describe('The service item (implementation code) these standard conditions are for'),
    conditions: z
      .array(z.string().trim().min(1).max(1000))
      .min(1)
      .max(50)
      .describe('标准条件: meet them and it is approved (逢报必批)'),
    legalBasis: text(2000),
  })
  .describe('An entry of the permission list (准许清单)');

export const supervisionData = z
  .strictObject({
    name: name(300),
    itemCode: codeSchema.describe('The service item whose approvals are supervised'),
    departmentId: uuidSchema.nullable().default(null).describe('监管部门'),
    measures: z.array(z.string().trim().min(1).max(1000)).min(1).max(50).describe('事中事后监管措施'),
    frequency: text(200).describe('检查频次, e.g. 双随机一公开 每年一次'),
    legalBasis: text(2000),
  })
  .describe('An entry of the supervision list (监管清单)');

export const intermediaryData = z
  .strictObject({
    name: name(200).describe('中介服务事项名称'),
    departmentId: uuidSchema.nullable().default(null).describe('审批部门'),
    itemCodes: z.array(codeSchema).max(50).default([]).describe('Service items that need it'),
    legalBasis: text(2000).describe('设置依据'),
    providerRequirements: text(1000).describe('中介机构资质要求'),
    feeBasis: z.enum(vocabKeys(intermediaryFeeBases)).default('market').describe('收费方式'),
    limitDays: z.number().int().min(0).max(365).nullable().default(null).describe('服务时限, working days'),
  })
  .describe('An entry of the intermediary service list (中介服务事项清单)');

export const dataSchemas = {
  item: itemData,
  power: powerData,
  fee: feeData,
  fund: feeData,
  negative: negativeData,
  permission: permissionData,
  supervision: supervisionData,
  intermediary: intermediaryData,
} as const;

export type ItemData = z.output<typeof itemData>;
export type PowerData = z.output<typeof powerData>;
export type FeeData = z.output<typeof feeData>;
export type NegativeData = z.output<typeof negativeData>;
export type PermissionData = z.output<typeof permissionData>;
export type SupervisionData = z.output<typeof supervisionData>;
export type IntermediaryData = z.output<typeof intermediaryData>;
export type EntryData =
  | ItemData
  | PowerData
  | FeeData
  | NegativeData
  | PermissionData
  | SupervisionData
  | IntermediaryData;

// Changes (立改废释) -------------------------------------------------------------------------------

const changeMeta = {
  reason: z.string().trim().min(1).max(1000).describe('Why: the law, decision or notice behind the change'),
  effectiveFrom: civilDateSchema.optional().describe('Effective date (default: today)'),
  publish: z.boolean().default(false).describe('Publish at once instead of saving a draft'),
};

/** Create (立): the entry's data with its code and the change's reason and date, at the top level. */
export const createBody = <T extends z.ZodObject>(data: T) =>
  data.extend({ code: codeSchema, ...changeMeta }).strict();

/** Amend (改) or interpret (释): a full new snapshot of the entry. */
export const amendBody = <T extends z.ZodObject>(data: T) =>
  data
    .extend({
      ...changeMeta,
      action: z.enum(['amend', 'interpret']).default('amend').describe('改 (amend) or 释 (interpret)'),
      baseVersionId: uuidSchema
        .optional()
        .describe('The version this edit started from; a newer one makes it a 409'),
    })
    .strict();

export const repealBody = z.strictObject({
  ...changeMeta,
  baseVersionId: uuidSchema.optional(),
});

export const versionStatus = z.enum(['draft', 'published']);
export const versionAction = z.enum(['create', 'amend', 'interpret', 'repeal']);

export const versionSummary = z.object({
  id: z.string().describe('Version id: what a case records as the item version it was filed under'),
  entryId: z.string(),
  kind: listKind,
  code: z.string(),
  seq: z.number().int().describe('1, 2, 3 … within the entry'),
  action: versionAction.describe('立 create, 改 amend, 释 interpret, 废 repeal'),
  status: versionStatus,
  name: z.string(),
  inEffect: z.boolean().describe('Published, effective today and not superseded'),
  effectiveFrom: z.string(),
  effectiveUntil: z.string().nullable().describe('The day its successor took effect'),
  reason: z.string(),
  author: z.object({ id: z.string().nullable(), name: z.string() }),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
});

export const versionOf = <T extends z.ZodType>(data: T) =>
  versionSummary.extend({
    departmentId: z.string().nullable(),
    departmentName: z.string().nullable(),
    data,
  });

export const anyVersion = versionOf(
  z.record(z.string(), z.unknown()).describe('The entry data; its shape depends on `kind`'),
);

export const history = z.object({ items: z.array(versionSummary) });

export const diffQuery = z.object({
  against: uuidSchema.optional().describe('The other version (default: the one before)'),
});

export const diffResult = z.object({
  from: versionSummary,
  to: versionSummary,
  changes: z.array(
    z.object({
      path: z.string().describe('Field path, e.g. materials.2.copies'),
      change: z.enum(['added', 'removed', 'changed']),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
});

export const entryParams = z.object({
  code: z.string().trim().min(1).max(64).describe('Entry code, or entry id'),
});
export const idParams = z.object({ id: uuidSchema });

export const entryQuery = z.object({
  version: z
    .enum(['current', 'latest'])
    .default('current')
    .describe(
      'current: the published version in effect (public); latest: the newest version, draft included (administrators)',
    ),
});

// Lists and search ----------------------------------------------------------------------------------

const page = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listQuery = z.object({
  q: z.string().trim().max(100).optional().describe('Search text (name, keywords, department)'),
  departmentId: uuidSchema.optional(),
  type: z
    .string()
    .trim()
    .max(20)
    .optional()
    .describe('权力类型 for powers and items; category for the negative list'),
  itemCode: z
    .string()
    .trim()
    .max(64)
    .optional()
    .describe('For the permission and supervision lists: one item’s entries'),
  state: z
    .enum(['current', 'latest'])
    .default('current')
    .describe(
      'current: what the public sees; latest: every entry’s newest version, drafts and repealed included (administrators)',
    ),
  ...page,
});
export type ListQuery = z.output<typeof listQuery>;

export const listRow = z.object({
  entryId: z.string(),
  versionId: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  status: versionStatus,
  action: versionAction,
  effectiveFrom: z.string(),
  inEffect: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Words in Chinese or codes; typos and partial words are tolerated'),
  departmentId: uuidSchema.optional(),
  type: powerType.optional(),
  level: level.optional().describe('Only items that can be handled at this level'),
  theme: theme.optional(),
  serviceObject: z.enum(vocabKeys(serviceObjects)).optional(),
  onlineDepth: z.coerce
    .number()
    .int()
    .min(1)
    .max(4)
    .optional()
    .describe('Exact online depth (4: fully online)'),
  immediate: boolQuery.optional().describe('true: only 即办件'),
  ...page,
});
export type SearchQuery = z.output<typeof searchQuery>;

export const searchHit = z.object({
  entryId: z.string(),
  versionId: z.string(),
  code: z.string(),
  name: z.string(),
  type: powerType,
  departmentId: z.string(),
  departmentName: z.string(),
  serviceObjects: z.array(z.string()),
  themes: z.array(z.string()),
  onlineDepth: z.number().int(),
  caseKind: z.string(),
  legalLimitDays: z.number().int(),
  promisedLimitDays: z.number().int(),
  visits: z.number().int(),
  score: z.number().describe('Relevance; higher first'),
});

export const searchResult = z.object({
  items: z.array(searchHit),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const themeCounts = z.object({
  lifeEvents: z.array(z.object({ theme: z.string(), count: z.number().int() })),
  enterpriseStages: z.array(z.object({ theme: z.string(), count: z.number().int() })),
});

// Guide (办事指南) --------------------------------------------------------------------------------

const fileRef = z
  .object({ id: z.string(), name: z.string(), url: z.string(), size: z.number().int() })
  .nullable();

export const guide = z.object({
  versionId: z.string().describe('Pass it on when applying: the case is filed under this exact version'),
  entryId: z.string(),
  code: z.string(),
  basicCode: z.string(),
  name: z.string(),
  type: z.object({ code: powerType, label: z.string() }),
  department: z.object({ id: z.string(), name: z.string() }),
  entrustingDepartment: z.object({ id: z.string(), name: z.string() }).nullable(),
  serviceObjects: z.array(z.object({ key: z.string(), label: z.string() })),
  conditions: z.array(z.string()),
  legalBasis: z.string(),
  timeLimits: z.object({
    legalDays: z.number().int(),
    promisedDays: z.number().int(),
    caseKind: z.object({ key: z.string(), label: z.string() }),
    savedDays: z.number().int().describe('legal − promised: how much faster than the law'),
  }),
  materials: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      kind: z.string(),
      kindLabel: z.string(),
      copies: z.number().int(),
      paperSize: z.string(),
      required: z.boolean(),
      condition: z.string(),
      allowDeficiency: z.boolean(),
      essential: z.boolean(),
      source: z.string(),
      sourceLabel: z.string(),
      issuer: z.string(),
      licenceType: z.string(),
      blankForm: fileRef,
      sample: fileRef,
      notes: z.string(),
      legalBasis: z.string(),
    }),
  ),
  fees: z.object({
    free: z.boolean(),
    items: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        standardFen: z.number().int().nullable(),
        unit: z.string(),
        standardRule: z.string(),
        legalBasis: z.string(),
        reducible: z.boolean(),
        note: z.string(),
      }),
    ),
  }),
  process: z.object({
    steps: z.array(step),
    nodes: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        kind: z.enum(['start', 'step', 'special', 'branch', 'end']),
        role: z.string().nullable(),
        limitDays: z.number().int().nullable(),
      }),
    ),
    edges: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
  }),
  handling: z.object({
    forms: z.array(z.object({ key: z.string(), label: z.string() })),
    onlineDepth: z.number().int(),
    onlineDepthLabel: z.string(),
    visits: z.number().int(),
    place: z.string(),
    hours: z.string(),
    phone: z.string(),
    levels: z.array(z.object({ key: z.string(), label: z.string() })),
    tongbanRange: z.object({ key: z.string(), label: z.string() }),
    appointment: z.boolean(),
  }),
  flags: z.object({
    allowDeficiency: z.boolean(),
    deemedApproval: z.boolean(),
    commitmentApproval: z.boolean(),
  }),
  result: z.object({ kind: z.string(), kindLabel: z.string(), name: z.string(), sample: fileRef }),
  themes: z.object({ lifeEvents: z.array(z.string()), enterpriseStages: z.array(z.string()) }),
  intermediaries: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      feeBasis: z.string(),
      limitDays: z.number().int().nullable(),
    }),
  ),
  standardConditions: z.array(z.string()).describe('准许清单: meet these and it is approved'),
  supervision: z.array(z.string()).describe('监管清单: measures after approval'),
  faq: z.array(faq),
  effectiveFrom: z.string(),
  apply: z
    .object({ online: z.boolean(), versionId: z.string() })
    .describe('What the apply button needs (next issue)'),
});

export const guideQuery = z.object({
  versionId: uuidSchema
    .optional()
    .describe('A specific published version (history); default: the one in effect'),
});

// Files, import and export --------------------------------------------------------------------------

export const uploadFile = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('File name shown on download'),
  contentType: z.string().trim().min(3).max(120).default('application/octet-stream'),
  dataBase64: z.string().min(1).describe('The file, base64-encoded (at most 8 MB)'),
});

export const fileInfo = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  url: z.string(),
});

export const importJson = z.strictObject({
  fileBase64: z.string().min(1).describe('The .xlsx workbook, base64-encoded'),
  fileName: z.string().trim().max(200).optional(),
});

export const importQuery = z.object({
  dryRun: boolQuery.default(false).describe('Validate only; write nothing'),
  stream: boolQuery
    .default(false)
    .describe(
      'Answer with NDJSON: progress lines, then the result line (also chosen by Accept: application/x-ndjson)',
    ),
});

export const importError = z.object({
  sheet: z.string(),
  row: z.number().int().describe('Spreadsheet row number (the header is row 1)'),
  column: z.string().describe('Column letter, e.g. F; empty when the whole row is meant'),
  header: z.string().describe('Column header'),
  field: z.string().describe('Field path in the entry data, e.g. materials.2.allowDeficiency'),
  rule: z.string(),
  message: z.string(),
});

export const importReport = z.object({
  ok: z.boolean(),
  dryRun: z.boolean(),
  created: z.number().int(),
  amended: z.number().int(),
  unchanged: z.number().int(),
  published: z.number().int(),
  bySheet: z.record(z.string(), z.number().int()).describe('Rows read per sheet'),
  errors: z.array(importError),
});

export const exportQuery = z.object({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  lists: z
    .string()
    .trim()
    .optional()
    .describe(
      'Comma-separated sheets to include (items, materials, steps, faq, powers, fees, funds, negative, permission, supervision, intermediaries); CSV takes one',
    ),
});

export const listExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

export const validateResult = z.object({
  ok: z.boolean(),
  fields: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })),
});
