import { z } from 'zod';
import { mobileSchema, passwordSchema, residentIdSchema, usccSchema } from '../../platform/validation.js';

export const roleSchema = z.enum([
  'window_clerk',
  'reviewer',
  'approver',
  'hall_admin',
  'supervisor',
  'hotline_operator',
  'proxy_agent',
  'sys_admin',
]);

export const loginBody = z.strictObject({
  /** Staff log in with a username, applicants with their mobile number. */
  accountType: z.enum(['staff', 'applicant']).default('staff'),
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const registerBody = z
  .strictObject({
    mobile: mobileSchema,
    password: passwordSchema,
    /** 自然人 or 法人. */
    kind: z.enum(['person', 'enterprise']),
    name: z.string().trim().min(1).max(100),
    idNumber: residentIdSchema.optional(),
    uscc: usccSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'person' && !v.idNumber) {
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'rule.personFields' });
    }
    if (v.kind === 'enterprise' && !v.uscc) {
      ctx.addIssue({ code: 'custom', path: ['uscc'], message: 'rule.enterpriseFields' });
    }
  });

export const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: passwordSchema,
});

export const meRole = z.object({
  id: z.string(),
  role: roleSchema,
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
});

export const me = z.object({
  id: z.string(),
  accountType: z.enum(['staff', 'applicant']),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.string().nullable(),
  regionCode: z.string().nullable(),
  roles: z.array(meRole),
});

export const meResponse = z.object({ user: me });
export type Me = z.output<typeof me>;
