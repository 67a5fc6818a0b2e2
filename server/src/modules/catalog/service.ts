import { today } from '../../platform/clock.js';
import type { Tx } from '../../platform/tx.js';
import * as q from './queries.js';
import type { ItemData } from './schema.js';
import { isInEffect, readData } from './versions.js';

/**
 * What other modules use of the catalog. Case handling files a case under an exact item version and finds
 * the version in effect; it never reads the catalog tables itself.
 */

export type ItemVersion = {
  versionId: string;
  entryId: string;
  code: string;
  name: string;
  seq: number;
  status: 'draft' | 'published';
  /** Published, effective today, not superseded and not a repeal. */
  inEffect: boolean;
  repealed: boolean;
  regionCode: string;
  departmentId: string;
  effectiveFrom: string;
  data: ItemData;
};

function toItemVersion(v: q.VersionWithData, day: string): ItemVersion {
  return {
    versionId: v.id,
    entryId: v.entry_id,
    code: v.code,
    name: v.name,
    seq: v.seq,
    status: v.status,
    inEffect: isInEffect(v, day) && v.action !== 'repeal',
    repealed: v.action === 'repeal',
    regionCode: v.region_code,
    departmentId: v.department_id ?? '',
    effectiveFrom: v.effective_from,
    data: readData('item', v.data) as ItemData,
  };
}

/** An item version by id, whatever its state (a case reads the version it was filed under forever). */
export async function findItemVersion(db: Tx, versionId: string): Promise<ItemVersion | undefined> {
  const v = await q.getVersion(db, versionId);
  if (v?.kind !== 'item') return undefined;
  return toItemVersion(v, today());
}

/** The version of an item in effect today (by implementation code or entry id); undefined if none or repealed. */
export async function currentItemVersion(db: Tx, codeOrId: string): Promise<ItemVersion | undefined> {
  const entry = await q.findEntry(db, 'item', codeOrId);
  if (!entry) return undefined;
  const day = today();
  const v = await q.versionInEffect(db, entry.id, day);
  if (!v || v.action === 'repeal') return undefined;
  return toItemVersion(v, day);
}
