import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import type { Tx } from '../../platform/tx.js';
import type { ItemData } from '../catalog/schema.js';
import { getEntry } from '../catalog/versions.js';

/** A member item as the catalog publishes it today. */
export type MemberItem = {
  versionId: string;
  code: string;
  name: string;
  departmentId: string;
  regionCode: string;
  data: ItemData;
};

/** The item in effect today, or null when it does not exist or is not published (draft, repealed). */
export async function currentItem(db: Db | Tx, code: string): Promise<MemberItem | null> {
  try {
    const v = await getEntry(db, null, 'item', code, 'current');
    if (!v.departmentId) return null;
    const dept = await db
      .selectFrom('departments')
      .select('region_code')
      .where('id', '=', v.departmentId)
      .executeTakeFirstOrThrow();
    return {
      versionId: v.id,
      code: v.code,
      name: v.name,
      departmentId: v.departmentId,
      regionCode: dept.region_code,
      data: v.data as ItemData,
    };
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

export async function departmentNames(db: Db | Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
