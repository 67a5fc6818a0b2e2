import { z } from 'zod';
import { civilDateSchema, nonEmpty, pageQuery, uuidSchema } from '../../platform/validation.js';
import { alertRules } from './rules.js';

/** Request and response shapes of supervision (电子监察), shared with the web client. */

export const dimensions = ['region', 'hall', 'department', 'window', 'item', 'staff'] as const;
export const dimension = z.enum(dimensions).describe('Breakdown: 区域, 大厅, 部门, 窗口, 事项, 工作人员');
export const levels = ['green', 'yellow', 'red'] as const;
export const level = z.enum(levels).describe('green: on time; yellow: deadline near; red: overdue');
export const granularities = ['day', 'week', 'month', 'quarter', 'year'] as const;

export const weights = z
  .object({
    onTime: z.number().min(0).max(10).describe('Points per on-time percentage point (default 1 → 100 max)'),
    alert: z.number().min(0).max(100).describe('Points off per alert raised in the period'),
    yellowCard: z.number().min(0).max(100).describe('Points off per yellow card'),
    redCard: z.number().min(0).max(100).describe('Points off per red card'),
    satisfaction: z
      .number()
      .min(0)
      .max(10)
      .describe('Points per satisfaction point (pending: evaluation module)'),
    complaint: z
      .number()
      .min(0)
      .max(100)
      .describe('Points off per upheld complaint (pending: complaints module)'),
  })
  .strict();

export const settings = z.object({
  warnDays: z.number().int().describe('Yellow when this many working days or fewer are left'),
  offSystemMinutes: z
    .number()
    .int()
    .describe('体外循环: minutes from arrival to registration that raise an alert'),
  alertDueDays: z.number().int().describe('Working days a department has to rectify an alert'),
  cardDueDays: z.number().int().describe('Working days a card gives for rectification'),
  weights,
  version: z.number().int(),
});

export const updateSettings = z
  .object({
    warnDays: z.number().int().min(0).max(10),
    offSystemMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    alertDueDays: z.number().int().min(1).max(60),
    cardDueDays: z.number().int().min(1).max(60),
    weights,
    version: z.number().int().min(1),
  })
  .strict();

// Board -------------------------------------------------------------------------------------------------

export const boardQuery = z.object({ groupBy: dimension.default('department') }).strict();

export const levelCounts = z.object({
  open: z.number().int().describe('Open cases whose clock counts (accepted, decided and not yet issued)'),
  green: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  suspended: z.number().int().describe('Clock stopped (special stage, 中止)'),
  waiting: z.number().int().describe('Received, not yet accepted (pre-review, registration, correction)'),
});

export const board = z.object({
  at: z.string().describe('The instant the levels were judged at'),
  warnDays: z.number().int(),
  totals: levelCounts,
  groupBy: dimension,
  groups: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      open: z.number().int(),
      yellow: z.number().int(),
      red: z.number().int(),
    }),
  ),
});

export const boardCasesQuery = pageQuery
  .extend({
    level: level.optional(),
    groupBy: dimension.optional(),
    key: z.string().max(64).optional().describe('Value of the groupBy dimension to keep'),
  })
  .strict();

export const boardCase = z.object({
  id: z.string(),
  number: z.string(),
  itemName: z.string(),
  departmentName: z.string(),
  regionCode: z.string(),
  status: z.string(),
  stepName: z.string().nullable(),
  assigneeName: z.string().nullable(),
  promisedDueAt: z.string().nullable(),
  level,
});

// Figures -----------------------------------------------------------------------------------------------

export const periodQuery = z
  .object({
    period: z.enum(granularities).default('month').describe('Calendar period containing `date`'),
    date: civilDateSchema.optional().describe('Any day in the period; default today'),
    from: civilDateSchema.optional().describe('Custom range start (with `to`)'),
    to: civilDateSchema.optional().describe('Custom range end, inclusive'),
  })
  .strict();

export const figuresQuery = periodQuery.extend({ groupBy: dimension.optional() }).strict();
export const trendQuery = periodQuery
  .extend({ granularity: z.enum(granularities).default('day').describe('One point per …') })
  .strict();

export const figures = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  completed: z.number().int(),
  pending: z.number().int(),
  onTimeCompleted: z.number().int(),
  onTimeRate: z.number().nullable().describe('% of completed cases finished by the promised deadline'),
  immediateItemShare: z.number().nullable().describe('即办件比例: % of completed cases of immediate items'),
  onSpotShare: z.number().nullable().describe('% of completed cases done on the spot'),
  promisedSpeedup: z.number().nullable().describe('承诺提速率 %'),
  handlingSpeedup: z.number().nullable().describe('办理提速率 %'),
  earlyDays: z.number().int().describe('Working days finished early, in total'),
  averageDays: z.number().nullable().describe('Average handling working days'),
  onlineRate: z.number().nullable(),
  preReviewRate: z.number().nullable(),
  fullyOnlineRate: z.number().nullable(),
  correctionRate: z.number().nullable(),
  deficiencyShare: z.number().nullable().describe('容缺受理 share of accepted cases %'),
  jointCases: z.number().int().nullable().describe('Joint cases completed (null: joint module absent)'),
  jointDaysSaved: z.number().int().nullable(),
});

export const figuresResult = z.object({
  from: z.string(),
  to: z.string(),
  figures,
  groupBy: dimension.nullable(),
  groups: z.array(z.object({ key: z.string(), name: z.string(), figures })),
});

export const trendResult = z.object({
  from: z.string(),
  to: z.string(),
  granularity: z.enum(granularities),
  points: z.array(z.object({ period: z.string(), figures })),
});

// Alerts ------------------------------------------------------------------------------------------------

export const alertStatuses = ['raised', 'acknowledged', 'rectified', 'closed'] as const;

export const alertList = pageQuery
  .extend({
    status: z.enum(alertStatuses).optional(),
    rule: z.enum(alertRules).optional(),
    departmentId: uuidSchema.optional(),
    caseId: uuidSchema.optional(),
  })
  .strict();

export const alert = z.object({
  id: z.string(),
  rule: z.enum(alertRules),
  severity: z.enum(['info', 'warning', 'serious']),
  status: z.enum(alertStatuses),
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  itemName: z.string().nullable(),
  regionCode: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  staffName: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  raisedAt: z.string(),
  dueOn: z.string(),
  overdue: z.boolean().describe('Past its own deadline and not yet rectified'),
  acknowledgedAt: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  rectificationNote: z.string().nullable(),
  rectificationEvidence: z.array(z.string()),
  closedAt: z.string().nullable(),
  closeNote: z.string().nullable(),
  version: z.number().int(),
});

export const versionBody = z.object({ version: z.number().int().min(1) }).strict();
export const rectifyBody = z
  .object({
    version: z.number().int().min(1),
    note: nonEmpty(2000).describe('What was done (整改说明)'),
    evidence: z.array(nonEmpty(500)).max(20).default([]).describe('References: document numbers, links'),
  })
  .strict();
export const closeBody = z
  .object({ version: z.number().int().min(1), note: z.string().trim().max(2000).optional() })
  .strict();
export const reopenBody = z.object({ version: z.number().int().min(1), note: nonEmpty(2000) }).strict();

// Cards -------------------------------------------------------------------------------------------------

export const createCard = z
  .object({
    color: z.enum(['yellow', 'red']).describe('黄牌 or 红牌'),
    targetType: z.enum(['department', 'staff']),
    departmentId: uuidSchema,
    staffId: uuidSchema.optional().describe('Required when targetType is staff'),
    reason: nonEmpty(2000),
    alertIds: z.array(uuidSchema).max(50).default([]),
    rectifyDays: z.number().int().min(1).max(60).optional().describe('Default: the settings'),
  })
  .strict();

export const cardList = pageQuery
  .extend({
    status: z.enum(['issued', 'rectified', 'closed']).optional(),
    departmentId: uuidSchema.optional(),
  })
  .strict();

export const card = z.object({
  id: z.string(),
  number: z.string(),
  color: z.enum(['yellow', 'red']),
  targetType: z.enum(['department', 'staff']),
  regionCode: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  reason: z.string(),
  alertIds: z.array(z.string()),
  status: z.enum(['issued', 'rectified', 'closed']),
  issuedAt: z.string(),
  issuedBy: z.string(),
  rectifyDue: z.string(),
  rectificationNote: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});

export const rectifyCard = z.object({ version: z.number().int().min(1), note: nonEmpty(2000) }).strict();

// Assessment and bulletin -------------------------------------------------------------------------------

export const assessmentQuery = z
  .object({
    period: z.enum(['month', 'quarter', 'year']).default('month'),
    date: civilDateSchema.optional(),
    level: z.enum(['department', 'window', 'staff']).default('department'),
  })
  .strict();

export const assessmentRow = z.object({
  rank: z.number().int(),
  key: z.string(),
  name: z.string(),
  completed: z.number().int(),
  onTimeRate: z.number().nullable(),
  alerts: z.number().int(),
  yellowCards: z.number().int(),
  redCards: z.number().int(),
  score: z.number(),
});

export const assessment = z.object({
  from: z.string(),
  to: z.string(),
  level: z.enum(['department', 'window', 'staff']),
  weights,
  rows: z.array(assessmentRow),
});

export const bulletinQuery = z
  .object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'rule.format')
      .describe('YYYY-MM'),
  })
  .strict();

export const idParams = z.object({ id: uuidSchema }).strict();
