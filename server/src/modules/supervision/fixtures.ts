import type { Insertable } from 'kysely';
import type { Db } from '../../db/client.js';
import type { CaseEventsTable, CasesTable } from '../../db/types.js';
import { newId } from '../../platform/ids.js';

/**
 * Hand-made cases for the supervision tests: rows written directly (as an import from a department system
 * would), so each figure can be checked against numbers worked out by hand in docs/metrics.md.
 */
export type FixtureRefs = {
  departmentId: string;
  regionCode: string;
  itemVersionId: string;
  itemCode: string;
  itemName: string;
};

export async function fixtureRefs(db: Db, departmentOfUser = 'clerk'): Promise<FixtureRefs> {
  const staff = await db
    .selectFrom('staff')
    .select('department_id')
    .where('username', '=', departmentOfUser)
    .executeTakeFirstOrThrow();
  const item = await db
    .selectFrom('catalog_versions as v')
    .innerJoin('departments as d', 'd.id', 'v.department_id')
    .select(['v.id', 'v.code', 'v.name', 'd.id as department_id', 'd.region_code'])
    .where('v.kind', '=', 'item')
    .where('v.status', '=', 'published')
    .where('v.department_id', '=', staff.department_id as string)
    .orderBy('v.code')
    .executeTakeFirstOrThrow();
  return {
    departmentId: item.department_id,
    regionCode: item.region_code,
    itemVersionId: item.id,
    itemCode: item.code,
    itemName: item.name,
  };
}

let counter = 0;

/** A case row with sensible defaults; times are Asia/Shanghai. */
export async function insertCase(
  db: Db,
  refs: FixtureRefs,
  over: Partial<Insertable<CasesTable>> & { status: string },
  events: Partial<Insertable<CaseEventsTable>>[] = [],
): Promise<string> {
  counter += 1;
  const id = newId();
  await db
    .insertInto('cases')
    .values({
      id,
      number: `FX-${Date.now()}-${counter}`,
      region_code: refs.regionCode,
      item_version_id: refs.itemVersionId,
      item_code: refs.itemCode,
      item_name: refs.itemName,
      department_id: refs.departmentId,
      channel: 'window',
      case_kind: 'promised',
      applicant_kind: 'person',
      applicant_name: '测试',
      applicant_mobile: '13800000000',
      promised_days: 10,
      legal_days: 20,
      ...over,
    })
    .execute();
  for (const e of events)
    await db
      .insertInto('case_events')
      .values({
        id: newId(),
        case_id: id,
        region_code: refs.regionCode,
        action: 'register',
        to_status: 'registered',
        actor_type: 'staff',
        actor_name: '测试',
        ...e,
      })
      .execute();
  return id;
}

/** An instant in Asia/Shanghai. */
export function sh(local: string): Date {
  return new Date(`${local}+08:00`);
}
