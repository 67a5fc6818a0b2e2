import { z } from 'zod';
import {
  civilDateSchema,
  mobileSchema,
  nonEmpty,
  pageQuery,
  passwordSchema,
  regionCodeSchema,
  uuidSchema,
} from '../../platform/validation.js';
import { roleSchema } from '../auth/schema.js';

export const roleGrantInput = z.strictObject({
  role: roleSchema,
  departmentId: uuidSchema.nullable().optional(),
  regionCode: regionCodeSchema.nullable().optional(),
});

export const staffItem = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** Masked: 138****8000. */
  mobile: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string(),
  active: z.boolean(),
  absent: z.boolean(),
  absentNote: z.string(),
  locked: z.boolean(),
  roles: z.array(
    z.object({
      id: z.string(),
      role: roleSchema,
      departmentId: z.string().nullable(),
      regionCode: z.string().nullable(),
    }),
  ),
});
export const staffList = pageQuery.extend({
  departmentId: uuidSchema.optional(),
  role: roleSchema.optional(),
});
export const createStaff = z.strictObject({
  username: z
    .string()
    .trim()
    .min(3)
    .max(40)
    .regex(/^[A-Za-z0-9._-]+$/, { message: 'rule.format' }),
  displayName: nonEmpty(60),
  password: passwordSchema,
  mobile: mobileSchema.nullable().optional(),
  departmentId: uuidSchema.nullable().optional(),
  regionCode: regionCodeSchema,
  roles: z.array(roleGrantInput).min(1, { message: 'rule.atLeastOne' }).max(20),
});
export const updateStaff = z.strictObject({
  displayName: nonEmpty(60).optional(),
  mobile: mobileSchema.nullable().optional(),
  active: z.boolean().optional(),
});
export const putRoles = z.strictObject({
  roles: z.array(roleGrantInput).min(1, { message: 'rule.atLeastOne' }).max(20),
});
export const absenceBody = z.strictObject({
  absent: z.boolean(),
  note: z.string().trim().max(200).default(''),
});

export const letterAction = z.enum(['accept', 'review', 'approve', 'issue']);
export const letter = z.object({
  id: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  actions: z.array(letterAction),
  scope: z.enum(['all', 'items']),
  itemCodes: z.array(z.string()),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  status: z.enum(['active', 'pending', 'expired', 'revoked']),
});
export const letterList = pageQuery.extend({
  staffId: uuidSchema.optional(),
  departmentId: uuidSchema.optional(),
});
export const createLetter = z
  .strictObject({
    departmentId: uuidSchema,
    staffId: uuidSchema,
    actions: z.array(letterAction).min(1, { message: 'rule.atLeastOne' }),
    /** All of the department's items, or only the listed item codes. */
    scope: z.enum(['all', 'items']),
    itemCodes: z.array(z.string().trim().min(1).max(64)).max(500).default([]),
    validFrom: civilDateSchema,
    validUntil: civilDateSchema.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'items' && v.itemCodes.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['itemCodes'], message: 'rule.itemsScope' });
    }
    if (v.validUntil && v.validUntil < v.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['validUntil'],
        message: 'rule.dateOrder',
        params: { other: 'validFrom' },
      });
    }
  });
export const revokeBody = z.strictObject({ reason: nonEmpty(200) });
export const checkBody = z.strictObject({
  staffId: uuidSchema,
  departmentId: uuidSchema,
  action: letterAction,
  itemCode: z.string().trim().min(1).max(64).nullable().optional(),
  on: civilDateSchema.optional().describe('Date to check (default: today, Asia/Shanghai)'),
});
export const checkResult = z.object({
  allowed: z.literal(true),
  letterId: z.string(),
  viaBackupOf: z.string().nullable().describe('AB 岗: the absent primary whose letter was used'),
});

export const abPost = z.object({
  id: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  primaryStaffId: z.string(),
  primaryName: z.string(),
  primaryAbsent: z.boolean(),
  backupStaffId: z.string(),
  backupName: z.string(),
});
export const abPostList = pageQuery.extend({ departmentId: uuidSchema.optional() });
export const createAbPost = z
  .strictObject({ departmentId: uuidSchema, primaryStaffId: uuidSchema, backupStaffId: uuidSchema })
  .refine((v) => v.primaryStaffId !== v.backupStaffId, { path: ['backupStaffId'], message: 'rule.notSelf' });

export const apiToken = z.object({
  id: z.string(),
  name: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const apiTokenCreated = apiToken.extend({ token: z.string().describe('Shown once; store it now') });
export const apiTokenList = pageQuery.extend({ departmentId: uuidSchema.optional() });
export const createApiToken = z.strictObject({ name: nonEmpty(80), departmentId: uuidSchema });

export const idParams = z.object({ id: uuidSchema });
