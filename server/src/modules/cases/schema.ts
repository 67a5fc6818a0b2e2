import { z } from 'zod';
import {
  civilDateSchema,
  mobileSchema,
  pageQuery,
  residentIdSchema,
  usccSchema,
  uuidSchema,
} from '../../platform/validation.js';
import { caseActions, caseStatuses } from './state-machine.js';

export const caseStatus = z.enum(caseStatuses);
export const caseAction = z.enum(caseActions as [string, ...string[]]);
export const channel = z.enum(['online', 'window', 'proxy', 'api']);

/** Who applies: a natural person (resident ID) or an enterprise (USCC). */
export const applicantInput = z
  .strictObject({
    kind: z.enum(['person', 'enterprise']),
    name: z.string().trim().min(1).max(100),
    idNumber: residentIdSchema.optional(),
    uscc: usccSchema.optional(),
    mobile: mobileSchema,
    email: z.email({ message: 'rule.format' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'person' && !v.idNumber)
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'rule.personFields' });
    if (v.kind === 'enterprise' && !v.uscc)
      ctx.addIssue({ code: 'custom', path: ['uscc'], message: 'rule.enterpriseFields' });
  });

/** Free fields of the application form (申请表), keyed by field name. */
export const formInput = z.record(z.string().max(60), z.string().max(4000)).default({});

export const createCase = z.strictObject({
  /** Item code (implementation code) of a published service item. */
  itemCode: z.string().trim().min(1).max(64),
  channel: channel.default('online'),
  /** Required for window, proxy and API registration; online applicants apply as themselves. */
  applicant: applicantInput.optional(),
  form: formInput,
  /** Window registrations: where the applicant stands. */
  windowId: uuidSchema.optional(),
  /** Online: save as a draft (default) or submit at once. */
  submit: z.boolean().default(false),
  /** Window: when the applicant arrived (queue ticket time), for supervision of off-system handling. */
  arrivedAt: z.iso.datetime({ offset: true }).optional(),
});

export const updateDraft = z.strictObject({
  version: z.number().int().min(1),
  form: formInput,
});

export const materialItem = z.object({
  id: z.string(),
  position: z.number(),
  name: z.string(),
  required: z.boolean(),
  allowDeficiency: z.boolean(),
  status: z.enum(['provided', 'missing', 'deficient', 'deferred']),
  fileName: z.string().nullable(),
  fileSha256: z.string().nullable(),
  note: z.string().nullable(),
  suppliedAt: z.string().nullable(),
});

export const timelineItem = z.object({
  at: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  stepName: z.string().nullable(),
  actorName: z.string(),
  viaBackupOf: z.string().nullable(),
  reason: z.string().nullable(),
});

export const documentItem = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  createdAt: z.string(),
  url: z.string(),
});

export const warning = z.enum(['green', 'yellow', 'red', 'none']);

export const caseSummary = z.object({
  id: z.string(),
  number: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  channel,
  status: caseStatus,
  stepName: z.string().nullable(),
  applicantName: z.string().describe('Masked on lists (张**)'),
  receivedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  promisedDue: z.string().nullable(),
  legalDue: z.string().nullable(),
  dueProvisional: z.boolean(),
  warning,
  workingDaysLeft: z.number().nullable(),
  deficiencyPending: z.boolean(),
  /** 容缺: the date the missing material must arrive by. */
  deficiencyDue: z.string().nullable(),
  /** 认领: the staff member who took the case into their own queue. */
  assigneeId: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
});

export const caseDetail = caseSummary.extend({
  regionCode: z.string(),
  itemVersionId: z.string(),
  caseKind: z.enum(['immediate', 'promised']),
  applicant: z.object({
    kind: z.enum(['person', 'enterprise']),
    name: z.string(),
    idNumber: z.string().nullable().describe('Masked except for the applicant and the handling department'),
    uscc: z.string().nullable(),
    mobile: z.string(),
  }),
  form: z.record(z.string(), z.string()),
  steps: z.array(
    z.object({ name: z.string(), role: z.string(), limitDays: z.number(), clockStops: z.boolean() }),
  ),
  stepIndex: z.number(),
  suspensionKind: z.string().nullable(),
  extendedDays: z.number(),
  correctionCount: z.number(),
  autoAccepted: z.boolean(),
  deemedApproved: z.boolean(),
  onCommitment: z.boolean(),
  decision: z.enum(['approved', 'denied']).nullable(),
  deliveryMethod: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  materials: z.array(materialItem),
  timeline: z.array(timelineItem),
  documents: z.array(documentItem),
  actions: z.array(z.string()).describe('Actions the caller may take now'),
});

export const caseList = pageQuery.extend({
  status: z
    .string()
    .regex(/^[a-z,]+$/)
    .optional()
    .describe('Comma-separated statuses'),
  scope: z.enum(['inbox', 'claimed', 'mine', 'department', 'all']).default('department'),
  warning: z.enum(['green', 'yellow', 'red']).optional(),
  itemCode: z.string().max(64).optional(),
  channel: channel.optional(),
});

/** One body for every action; each action reads what it needs and names what is missing. */
export const actionBody = z.strictObject({
  /** The version the actor saw: a stale one is a 409 and nothing changes. */
  version: z.number().int().min(1),
  reason: z.string().trim().max(2000).optional(),
  legalBasis: z.string().trim().max(2000).optional(),
  /** requestCorrection: every missing or deficient material at once (一次性告知). */
  corrections: z
    .array(
      z.strictObject({
        material: z.string().trim().min(1).max(200),
        problem: z.string().trim().min(1).max(500),
      }),
    )
    .max(100)
    .optional(),
  /** accept: 容缺 — materials accepted while still missing, with the applicant's written commitment. */
  deferredMaterials: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  commitment: z.boolean().optional(),
  supplyBy: civilDateSchema.optional(),
  /** returnStep: back to which step (index). */
  toStep: z.number().int().min(0).optional(),
  /** suspend: a legally designated special stage (art. 45) or a suspension (中止). */
  suspensionKind: z.enum(['special_stage', 'suspension']).optional(),
  /** extend: working days (once, ≤ 10 unless the item allows more). */
  days: z.number().int().min(1).max(60).optional(),
  /** deliver. */
  deliveryMethod: z.enum(['pickup', 'mail', 'download']).optional(),
  trackingNumber: z.string().trim().max(60).optional(),
});

export const progressQuery = z.object({
  number: z.string().trim().min(5).max(40),
  /** The last six characters of the applicant's ID (or USCC), or the full mobile number. */
  code: z.string().trim().min(4).max(18),
});

export const progressResult = z.object({
  number: z.string(),
  itemName: z.string(),
  departmentName: z.string(),
  status: caseStatus,
  stepName: z.string().nullable(),
  receivedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  promisedDue: z.string().nullable(),
  completedAt: z.string().nullable(),
  timeline: z.array(
    z.object({ at: z.string(), action: z.string(), toStatus: z.string(), stepName: z.string().nullable() }),
  ),
});

export const idParams = z.object({ id: uuidSchema });
export const docParams = z.object({ id: uuidSchema, docId: uuidSchema });
export const materialParams = z.object({ id: uuidSchema, materialId: uuidSchema });
