import { z } from 'zod';
import { nonEmpty, pageQuery, regionCodeSchema, usccSchema, uuidSchema } from '../../platform/validation.js';

export const regionLevel = z.enum(['province', 'city', 'district', 'township', 'village']);
export const hallLevel = z.enum(['district_centre', 'sub_centre', 'township_centre', 'village_station']);
export const windowKind = z.enum(['comprehensive', 'departmental']);

export const region = z.object({
  code: z.string(),
  name: z.string(),
  level: regionLevel,
  parentCode: z.string().nullable(),
});
export const regionList = pageQuery.extend({
  parentCode: z.string().optional().describe('Only direct children of this region'),
  level: regionLevel.optional(),
});
export const createRegion = z.strictObject({
  code: regionCodeSchema,
  name: nonEmpty(100),
  level: regionLevel,
  parentCode: regionCodeSchema.nullable().optional(),
});
export const updateRegion = z.strictObject({ name: nonEmpty(100) });

export const department = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  uscc: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
});
export const departmentList = pageQuery.extend({ regionCode: z.string().optional() });
export const createDepartment = z.strictObject({
  name: nonEmpty(100),
  shortName: nonEmpty(40).optional(),
  /** The implementing body's 统一社会信用代码. */
  uscc: usccSchema,
  regionCode: regionCodeSchema,
});
export const updateDepartment = z.strictObject({
  name: nonEmpty(100).optional(),
  shortName: nonEmpty(40).optional(),
  uscc: usccSchema.optional(),
});

export const hall = z.object({
  id: z.string(),
  name: z.string(),
  level: hallLevel,
  regionCode: z.string(),
  regionName: z.string(),
  address: z.string(),
  hours: z.string(),
  phone: z.string(),
});
export const hallList = pageQuery.extend({ regionCode: z.string().optional() });
export const createHall = z.strictObject({
  name: nonEmpty(100),
  level: hallLevel,
  regionCode: regionCodeSchema,
  address: z.string().trim().max(200).default(''),
  hours: z.string().trim().max(200).default(''),
  phone: z.string().trim().max(40).default(''),
});
export const updateHall = z.strictObject({
  name: nonEmpty(100).optional(),
  level: hallLevel.optional(),
  address: z.string().trim().max(200).optional(),
  hours: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
});

export const window = z.object({
  id: z.string(),
  hallId: z.string(),
  hallName: z.string(),
  number: z.string(),
  name: z.string(),
  kind: windowKind,
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  categories: z.array(z.string()),
});
export const windowList = pageQuery.extend({ hallId: uuidSchema.optional() });
export const createWindow = z.strictObject({
  hallId: uuidSchema,
  /** The number shown above the window, unique within its hall. */
  number: z.string().trim().min(1).max(20),
  name: nonEmpty(100),
  /** 综合窗口 accepts named categories of items of any department; a departmental window one department's. */
  kind: windowKind,
  departmentId: uuidSchema.nullable().optional(),
  categories: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
});
export const updateWindow = z.strictObject({
  number: z.string().trim().min(1).max(20).optional(),
  name: nonEmpty(100).optional(),
  kind: windowKind.optional(),
  departmentId: uuidSchema.nullable().optional(),
  categories: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
});

export const idParams = z.object({ id: uuidSchema });
export const codeParams = z.object({ code: z.string().max(12) });
