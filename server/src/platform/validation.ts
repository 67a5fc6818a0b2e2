import { z } from 'zod';
import type { FieldError } from './errors.js';
import { hasMessage } from './i18n.js';
import { isValidMobile, isValidRegionCode, isValidResidentId, isValidUscc } from './validators/index.js';

/**
 * Zod schemas for the identifiers every module validates. A refinement's message is an i18n key
 * (`rule.*`), so the API can answer in both languages and name the rule.
 */
export const residentIdSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine(isValidResidentId, { message: 'rule.residentId' })
  .describe('Resident ID number (居民身份证号码), 18 characters, GB 11643 check digit');

export const usccSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine(isValidUscc, { message: 'rule.uscc' })
  .describe('Unified social credit code (统一社会信用代码), 18 characters, GB 32100 check character');

export const mobileSchema = z
  .string()
  .trim()
  .refine(isValidMobile, { message: 'rule.mobile' })
  .describe('Mainland mobile number, 11 digits');

export const regionCodeSchema = z
  .string()
  .trim()
  .refine(isValidRegionCode, { message: 'rule.regionCode' })
  .describe('Region code (行政区划代码), GB/T 2260 style: 6, 9 or 12 digits');

export const civilDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'rule.date' })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'rule.date' },
  )
  .describe('Civil date YYYY-MM-DD (Asia/Shanghai)');

export const passwordSchema = z
  .string()
  .min(8, { message: 'rule.password' })
  .max(128)
  .refine((s) => /[A-Za-z]/.test(s) && /\d/.test(s), { message: 'rule.password' });

export const uuidSchema = z.uuid({ message: 'rule.format' });

export const nonEmpty = (max = 200) => z.string().trim().min(1).max(max);

export const pageQuery = z.object({
  q: z.string().trim().max(100).optional().describe('Search text'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export type PageQuery = z.output<typeof pageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

type IssueLike = {
  keyword?: string;
  code?: string;
  instancePath?: string;
  path?: PropertyKey[];
  message?: string;
  params?: Record<string, unknown>;
};

/** Turn one zod issue (raw or wrapped by the Fastify type provider) into a named field error. */
export function issueToFieldError(issue: IssueLike, prefix = ''): FieldError {
  const code = issue.keyword ?? issue.code ?? 'custom';
  const rawPath =
    issue.instancePath !== undefined
      ? issue.instancePath.replace(/^\//, '').split('/').filter(Boolean)
      : (issue.path ?? []).map(String);
  const params = issue.params ?? {};
  const field = [prefix, ...rawPath].filter(Boolean).join('.') || prefix || '(body)';
  const message = issue.message ?? '';
  if (message.startsWith('rule.') && hasMessage(message)) {
    return { field, rule: message.slice(5), key: message };
  }
  switch (code) {
    case 'invalid_type':
      if (/received undefined/.test(message)) return { field, rule: 'required', key: 'rule.required' };
      return { field, rule: 'type', key: 'rule.type', params: { expected: String(params.expected ?? '') } };
    case 'too_small':
      if (params.minimum === 1 && params.origin === 'string')
        return { field, rule: 'required', key: 'rule.required' };
      return { field, rule: 'min', key: 'rule.tooShort', params: { minimum: String(params.minimum ?? '') } };
    case 'too_big':
      return { field, rule: 'max', key: 'rule.tooLong', params: { maximum: String(params.maximum ?? '') } };
    case 'invalid_format':
      return { field, rule: 'format', key: 'rule.format' };
    case 'invalid_value':
      return {
        field,
        rule: 'enum',
        key: 'rule.enum',
        params: { options: Array.isArray(params.values) ? params.values.join(', ') : '' },
      };
    case 'unrecognized_keys': {
      const keys = Array.isArray(params.keys) ? params.keys.map(String) : [];
      const name = [field === '(body)' ? '' : field, keys[0] ?? ''].filter(Boolean).join('.');
      return { field: name || field, rule: 'unknownKey', key: 'rule.unknownKey' };
    }
    default:
      return { field, rule: 'invalid', key: 'rule.invalid' };
  }
}
