import { type Insertable, sql } from 'kysely';
import type { CatalogEntriesTable, CatalogVersionsTable } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { today } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Tx } from '../../platform/tx.js';
import { refreshCurrent, syncCurrent } from './current.js';
import type { Projection } from './lists.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import { versionRow } from './versions.js';
import type { ListKind } from './vocab.js';

/**
 * Many versions in a few statements, for the importer and the demo seed. The caller has already checked
 * every rule; these functions only write, inside the caller's transaction.
 */

export type BulkEntry = {
  kind: ListKind;
  code: string;
  regionCode: string;
  data: s.EntryData;
  projection: Projection;
  reason: string;
  effectiveFrom: string;
  published: boolean;
};

export type BulkAmendment = BulkEntry & {
  entryId: string;
  expectedSeq: number;
  action?: 'amend' | 'interpret' | 'repeal';
};

const BATCH = 500;

/** New entries with their first version. Returns the version ids in input order. */
export async function bulkCreate(
  trx: Tx,
  entries: BulkEntry[],
  author: Actor,
  onBatch?: (done: number) => void,
): Promise<string[]> {
  await syncCurrent(trx, today());
  const ids: string[] = [];
  for (let i = 0; i < entries.length; i += BATCH) {
    const slice = entries.slice(i, i + BATCH);
    const entryRows: Insertable<CatalogEntriesTable>[] = [];
    const versionRows: Insertable<CatalogVersionsTable>[] = [];
    for (const e of slice) {
      const entryId = newId();
      const versionId = newId();
      ids.push(versionId);
      entryRows.push({ id: entryId, kind: e.kind, code: e.code, region_code: e.regionCode, latest_seq: 1 });
      versionRows.push(versionRow({ ...e, entryId, seq: 1, action: 'create', author }, versionId));
    }
    await q.insertEntries(trx, entryRows);
    await q.insertVersions(trx, versionRows);
    const published = entryRows.filter((_, j) => slice[j].published).map((e) => e.id as string);
    await refreshCurrent(trx, published, today());
    onBatch?.(Math.min(i + BATCH, entries.length));
  }
  return ids;
}

/**
 * One new version on top of each entry. The entries are locked first; one that gained a version since the
 * caller read it is a 409, so an import never builds on a version it did not check.
 */
export async function bulkAmend(
  trx: Tx,
  amendments: BulkAmendment[],
  author: Actor,
  onBatch?: (done: number) => void,
): Promise<string[]> {
  await syncCurrent(trx, today());
  const ids: string[] = [];
  for (let i = 0; i < amendments.length; i += BATCH) {
    const slice = amendments.slice(i, i + BATCH);
    const locked = await trx
      .selectFrom('catalog_entries')
      .select(['id', 'latest_seq', 'code'])
      .where(
        'id',
        'in',
        slice.map((a) => a.entryId),
      )
      .forUpdate()
      .execute();
    const seqs = new Map(locked.map((l) => [l.id, l.latest_seq]));
    for (const a of slice) {
      if (seqs.get(a.entryId) !== a.expectedSeq)
        throw new AppError('VERSION_CONFLICT', 'error.catalogStale', { seq: a.code });
    }
    const rows = slice.map((a) => {
      const id = newId();
      ids.push(id);
      return versionRow({ ...a, seq: a.expectedSeq + 1, action: a.action ?? 'amend', author }, id);
    });
    await q.insertVersions(trx, rows);
    await trx
      .updateTable('catalog_entries')
      .set({ latest_seq: sql<number>`latest_seq + 1`, updated_at: new Date() })
      .where(
        'id',
        'in',
        slice.map((a) => a.entryId),
      )
      .execute();
    const published = slice.filter((a) => a.published);
    if (published.length > 0) {
      await sql`UPDATE catalog_versions AS v SET effective_until = x.eff
        FROM unnest(${published.map((a) => a.entryId)}::uuid[], ${published.map((a) => a.effectiveFrom)}::date[],
                    ${published.map((a) => a.expectedSeq + 1)}::int[]) AS x(entry_id, eff, seq)
        WHERE v.entry_id = x.entry_id AND v.status = 'published' AND v.effective_until IS NULL AND v.seq < x.seq`.execute(
        trx,
      );
    }
    await refreshCurrent(
      trx,
      published.map((a) => a.entryId),
      today(),
    );
    onBatch?.(Math.min(i + BATCH, amendments.length));
  }
  return ids;
}
