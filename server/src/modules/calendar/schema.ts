import { z } from 'zod';
import { civilDateSchema, regionCodeSchema, uuidSchema } from '../../platform/validation.js';

const name = z.object({ zh: z.string(), en: z.string() });
export const dayInfo = z.object({
  date: z.string(),
  workday: z.boolean(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup', 'override-off', 'override-on']),
  name: name.optional(),
  note: z.string().optional(),
  source: z.enum(['official', 'override', 'weekday-rule']),
});
export const daysQuery = z.object({
  year: z.coerce.number().int().min(2004).max(2100),
  regionCode: regionCodeSchema.optional(),
});
export const daysResponse = z.object({
  year: z.number(),
  regionCode: z.string(),
  loaded: z.boolean(),
  days: z.array(dayInfo),
});

export const override = z.object({
  id: z.string(),
  regionCode: z.string(),
  date: z.string(),
  workday: z.boolean(),
  note: z.string(),
});
export const overridesQuery = z.object({
  regionCode: regionCodeSchema.optional(),
  year: z.coerce.number().int().min(2004).max(2100).optional(),
});
export const createOverride = z.strictObject({
  regionCode: regionCodeSchema,
  date: civilDateSchema,
  /** true: an extra working day; false: a local day off. */
  workday: z.boolean(),
  note: z.string().trim().max(200).default(''),
});
export const loadYear = z.strictObject({
  regionCode: regionCodeSchema,
  year: z.number().int().min(2027).max(2100),
  note: z.string().trim().max(200).default(''),
});
export const computeQuery = z.object({
  from: civilDateSchema,
  days: z.coerce.number().int().min(0).max(1000),
  regionCode: regionCodeSchema.optional(),
});
export const computeResponse = z.object({
  due: z.string(),
  provisional: z.boolean().describe('The period reaches a year whose official calendar is not loaded yet'),
  crossed: z.array(dayInfo),
});
export const idParams = z.object({ id: uuidSchema });
