import { z } from 'zod';
import { civilDateSchema, nonEmpty, pageQuery, uuidSchema } from '../../platform/validation.js';
import { applicantInput, caseStatus, formInput } from '../cases/schema.js';

/** The law's cap on a joint deadline: 45 working days, 15 more with the government's approval. */
export const JOINT_LEGAL_MAX = 45;
export const JOINT_LEGAL_EXTENSION = 15;

export const jointMode = z
  .enum(['joint', 'package'])
  .describe('joint 并联审批: departments decide together under one deadline; package 一件事: a bundle');

const code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'rule.format' });

/** One field of the merged form (one table per undertaking) and the member-item fields it fills. */
export const formFieldInput = z.strictObject({
  /** The key the application uses. */
  key: nonEmpty(60),
  label: nonEmpty(100),
  required: z.boolean().default(false),
  /** Where the value goes: the field `field` of member item `itemCode`. At least one. */
  maps: z
    .array(z.strictObject({ itemCode: nonEmpty(64), field: nonEmpty(60) }))
    .max(20)
    .default([]),
});

export const templateMemberInput = z.strictObject({
  /** Implementation code of a published service item. */
  itemCode: nonEmpty(64),
  /** Stage of a construction-project template (立项用地规划许可, 工程建设许可, 施工许可, 竣工验收). */
  stage: z.string().trim().max(60).optional(),
});

export const templateInput = z.strictObject({
  code,
  name: nonEmpty(100),
  mode: jointMode.default('joint'),
  /** 基本建设, 社会发展, 商贸流通, 农牧林水, or a life event for packages. */
  category: nonEmpty(60),
  description: z.string().trim().max(2000).default(''),
  /** The region whose centre runs it; a district code. */
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: 'rule.regionCode' }),
  /** Administrative level every member item must be handled at (district: 县(区)级). */
  level: z.enum(['province', 'city', 'district', 'township', 'village']).default('district'),
  /** 牵头部门: sees the joint board and urges members. */
  leadDepartmentId: uuidSchema,
  /** 限时办结: the joint promised deadline, working days. */
  promisedDays: z.number().int().min(0).max(60),
  legalDays: z.number().int().min(1).max(60),
  /** The government approved the 15 extra working days over the 45 of the law. */
  extensionApproved: z.boolean().default(false),
  /** When a member denies: the others go on (true) or the joint case stops (false). */
  continueOnDenial: z.boolean().default(true),
  members: z.array(templateMemberInput).min(1).max(20),
  formFields: z.array(formFieldInput).max(80).default([]),
});

export const templateMaterial = z.object({
  name: z.string(),
  required: z.boolean(),
  /** The member items that ask for it: asked for once (一次提供、多次使用). */
  itemCodes: z.array(z.string()),
});

export const templateOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  mode: jointMode,
  category: z.string(),
  description: z.string(),
  regionCode: z.string(),
  level: z.string(),
  leadDepartmentId: z.string(),
  leadDepartmentName: z.string(),
  promisedDays: z.number(),
  legalDays: z.number(),
  extensionApproved: z.boolean(),
  continueOnDenial: z.boolean(),
  status: z.enum(['published', 'withdrawn']),
  version: z.number(),
  /** Sum of the members' promised limits, done one after another (串联). */
  sequentialDays: z.number(),
  members: z.array(
    z.object({
      itemCode: z.string(),
      itemName: z.string(),
      departmentId: z.string(),
      departmentName: z.string(),
      stage: z.string().nullable(),
      promisedDays: z.number(),
      legalDays: z.number(),
    }),
  ),
  formFields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      required: z.boolean(),
      maps: z.array(z.object({ itemCode: z.string(), field: z.string() })),
    }),
  ),
  materials: z.array(templateMaterial),
});

export const templateList = pageQuery.extend({
  mode: jointMode.optional(),
  status: z.enum(['published', 'withdrawn']).optional(),
});

// Joint cases ------------------------------------------------------------------------------------------

export const jointStatuses = [
  'draft', // the applicant is filling the one form and the one material set
  'submitted', // every sub-case registered, waiting for the first window (首问启动)
  'accepted', // accepted once; the departments review in parallel (同步审查)
  'correcting', // a combined correction notice waits for the applicant
  'completed', // every member has its result; waiting for the one handover (统一发证)
  'delivered', // handed over together, or downloaded together
  'stopped', // a member denied and the template says the others stop
] as const;
export const jointStatus = z.enum(jointStatuses);

export const createJoint = z.strictObject({
  /** Code of a published joint template or service package. */
  templateCode: nonEmpty(64),
  channel: z.enum(['online', 'window', 'proxy']).default('online'),
  /** Window and proxy registrations name the applicant; online applicants apply as themselves. */
  applicant: applicantInput.optional(),
  /** The merged form, by the template's field keys. */
  form: z.record(z.string().max(60), z.string().max(4000)).default({}),
  /** A major project this application belongs to (the agent files it on the project's behalf). */
  projectApprovalId: uuidSchema.optional(),
});

export const versionBody = z.strictObject({
  /** The version the actor saw: a stale one is a 409 and nothing changes. */
  version: z.number().int().min(1),
});

export const correctionBody = z.strictObject({
  version: z.number().int().min(1).describe('Version of the sub-case'),
  /** The sub-case (of the actor's department) that asks. */
  caseId: uuidSchema,
  corrections: z
    .array(
      z.strictObject({
        /** A material of the joint set that this member's item uses. */
        material: nonEmpty(200),
        problem: nonEmpty(500),
      }),
    )
    .min(1, { message: 'rule.atLeastOne' })
    .max(50),
});

export const urgeBody = z.strictObject({
  caseId: uuidSchema,
  message: nonEmpty(500),
});

export const handoverBody = z.strictObject({
  version: z.number().int().min(1),
  deliveryMethod: z.enum(['pickup', 'mail', 'download']).default('pickup'),
});

export const jointList = pageQuery.extend({
  /** mine: the applicant's or the registering staff's; lead: the lead department's board; member: joint cases
   * one of whose sub-cases is in the caller's department; all: everything the caller may see. */
  scope: z.enum(['mine', 'lead', 'member', 'all']).default('all'),
  status: jointStatus.optional(),
});

export const memberOut = z.object({
  caseId: z.string(),
  number: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  status: caseStatus,
  stepName: z.string().nullable(),
  /** Who holds it now: the claimed staff member, else the role of the step. */
  holder: z.string().nullable(),
  promisedDays: z.number(),
  promisedDue: z.string().nullable(),
  late: z.boolean(),
  decision: z.enum(['approved', 'denied']).nullable(),
  version: z.number(),
  /** Materials of the joint set this member's item uses. */
  materials: z.array(z.string()),
});

export const jointSummary = z.object({
  id: z.string(),
  number: z.string(),
  templateCode: z.string(),
  templateName: z.string(),
  mode: jointMode,
  status: jointStatus,
  leadDepartmentId: z.string(),
  leadDepartmentName: z.string(),
  applicantName: z.string().describe('Masked except for the applicant and the lead department'),
  channel: z.string(),
  acceptedOn: z.string().nullable(),
  promisedDays: z.number(),
  promisedDue: z.string().nullable(),
  dueProvisional: z.boolean(),
  late: z.boolean(),
  membersTotal: z.number(),
  membersDone: z.number(),
  membersLate: z.number(),
  /** 串联: the members' promised limits one after another. */
  sequentialLimitDays: z.number(),
  /** Stored at completion: working days from acceptance to the last result. */
  workingDaysTaken: z.number().nullable(),
  daysSaved: z.number().nullable(),
  daysEarly: z.number().nullable(),
  outcome: z.enum(['approved', 'partial', 'denied']).nullable(),
  version: z.number(),
  createdAt: z.string(),
});

export const jointDetail = jointSummary.extend({
  regionCode: z.string(),
  form: z.record(z.string(), z.string()),
  formFields: templateOut.shape.formFields,
  members: z.array(memberOut),
  materials: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      required: z.boolean(),
      itemCodes: z.array(z.string()),
      status: z.enum(['missing', 'provided', 'deficient']),
      fileName: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  corrections: z.array(
    z.object({
      round: z.number(),
      status: z.enum(['open', 'supplied']),
      openedAt: z.string(),
      suppliedAt: z.string().nullable(),
      items: z.array(
        z.object({
          caseId: z.string(),
          departmentName: z.string(),
          itemName: z.string(),
          material: z.string(),
          problem: z.string(),
        }),
      ),
    }),
  ),
  explanation: z.string().nullable(),
  timeline: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      actorName: z.string(),
      departmentName: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  /** What the caller may do now: submit, accept, handover, download, correct (member), urge (lead). */
  actions: z.array(z.string()),
});

export const idParams = z.object({ id: uuidSchema });
export const materialParams = z.object({ id: uuidSchema, materialId: uuidSchema });

// Major projects ---------------------------------------------------------------------------------------

export const VIP_THRESHOLD_FEN = 50_000_000 * 100;

export const projectInput = z.strictObject({
  name: nonEmpty(200),
  investor: nonEmpty(200),
  /** Investment in yuan (整数元); stored in fen. */
  investmentYuan: z.number().int().min(1).max(1_000_000_000_000),
  location: nonEmpty(300),
  industry: nonEmpty(100),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6,12}$/, { message: 'rule.regionCode' }),
  /** The negative-list entry (负面清单) the project falls under, if any. */
  negativeCode: z.string().trim().max(64).optional(),
  /** For a restricted (限制准入) activity: the approval obtained first (document number). */
  restrictionApproval: z.string().trim().max(200).optional(),
  /** 代办员 (staff id with the proxy_agent role); VIP projects get one by default. */
  agentId: uuidSchema.optional(),
  /** 倒排计时: the date construction should start. */
  targetStartOn: civilDateSchema,
  /** The approvals the project needs by stage; a stage template's members when `templateCode` is given. */
  templateCode: z.string().trim().max(64).optional(),
  approvals: z
    .array(z.strictObject({ stage: nonEmpty(60), itemCode: nonEmpty(64) }))
    .max(40)
    .default([]),
});

export const noteInput = z.strictObject({
  channel: z.enum(['visit', 'phone', 'meeting', 'online']),
  content: nonEmpty(2000),
});

export const linkInput = z.strictObject({
  /** Number of the case (or joint case) filed for this approval. */
  number: nonEmpty(40),
});

export const approvalParams = z.object({ id: uuidSchema, approvalId: uuidSchema });

/** File the case of one approval on the project's behalf (代办): registered and linked to the card at once. */
export const fileApprovalInput = z.strictObject({
  /** The investor as applicant: an enterprise with its credit code, and a contact mobile. */
  applicant: applicantInput,
  form: formInput,
});

/**
 * Change the plan: a new target start, the approvals the project needs (by stage), or both; the
 * reverse-scheduled dates (倒排计时) are computed again. An approval already filed cannot be taken out.
 */
export const planInput = z.strictObject({
  version: z.number().int().min(1),
  targetStartOn: civilDateSchema.optional(),
  approvals: z
    .array(z.strictObject({ stage: nonEmpty(60), itemCode: nonEmpty(64) }))
    .min(1)
    .max(40)
    .optional(),
});

export const projectSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  investor: z.string(),
  investmentYuan: z.number(),
  location: z.string(),
  industry: z.string(),
  regionCode: z.string(),
  vip: z.boolean(),
  greenChannel: z.boolean(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  targetStartOn: z.string(),
  status: z.string(),
  approvalsTotal: z.number(),
  approvalsDone: z.number(),
  approvalsLate: z.number(),
  /** Optimistic concurrency for plan changes. */
  version: z.number(),
});

export const projectCard = projectSummary.extend({
  negativeCode: z.string().nullable(),
  restrictionApproval: z.string().nullable(),
  approvals: z.array(
    z.object({
      id: z.string(),
      stage: z.string(),
      itemCode: z.string(),
      itemName: z.string(),
      departmentName: z.string(),
      limitDays: z.number(),
      plannedStart: z.string(),
      plannedDue: z.string(),
      caseId: z.string().nullable(),
      jointCaseId: z.string().nullable(),
      caseNumber: z.string().nullable(),
      caseStatus: z.string().nullable(),
      done: z.boolean(),
      /** not_started | on_track | due_soon | late | done | done_late */
      progress: z.enum(['not_started', 'on_track', 'late', 'done', 'done_late']),
    }),
  ),
  notes: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      authorName: z.string(),
      channel: z.string(),
      content: z.string(),
    }),
  ),
});

export const projectList = pageQuery.extend({
  scope: z.enum(['mine', 'all']).default('all'),
  vip: z.enum(['true', 'false']).optional(),
});
