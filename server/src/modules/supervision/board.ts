import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { civilDate, now } from '../../platform/clock.js';
import { coalescerPerDatabase } from '../../platform/coalesce.js';
import type { Page } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import { calendarFor } from '../calendar/service.js';
import { endOfDay } from '../cases/clock.js';
import { type Dimension, dimensionNames } from './figures.js';
import { regionFilter, requireWatcher, watchedPrefixes } from './policy.js';
import type * as s from './schema.js';
import { readSettings } from './settings.js';

/**
 * The real-time board: every open case with its colour, judged at read time from the stored deadline
 * (`promised_due_at`) through the partial index `sup_board_idx` — no working days counted per case. Yellow
 * means the deadline falls within `warnDays` working days: one calendar step from today gives the cutoff
 * instant, and every case is compared with it.
 */
const clockStatuses = ['accepted', 'approved', 'denied'] as const;
const waitingStatuses = ['submitted', 'registered', 'correcting'] as const;

/** Case column of each board dimension. */
const caseColumn: Record<Dimension, string> = {
  region: 'region_code',
  hall: 'hall_id',
  department: 'department_id',
  window: 'window_id',
  item: 'item_code',
  staff: 'assignee_id',
};

export type Cutoffs = { at: Date; yellowUntil: Date; warnDays: number };

export async function boardCutoffs(db: Tx, regionCode: string, at: Date = now()): Promise<Cutoffs> {
  const settings = await readSettings(db);
  const calendar = await calendarFor(db, regionCode);
  const day = civilDate(at);
  const until = calendar.addWorkingDays(day, settings.warn_days).date;
  return { at, yellowUntil: endOfDay(until), warnDays: settings.warn_days };
}

export async function boardCounts(
  db: Tx,
  prefixes: string[] | null,
  cut: Cutoffs,
  groupBy: Dimension,
): Promise<z.output<typeof s.board>> {
  const region = regionFilter(prefixes, 'region_code');
  const col = sql.ref(caseColumn[groupBy]);
  const rows = await sql<{ key: string | null; open: number; yellow: number; red: number }>`
    SELECT ${col}::text AS key, count(*)::bigint AS open,
      count(*) FILTER (WHERE promised_due_at >= ${cut.at} AND promised_due_at <= ${cut.yellowUntil})::bigint AS yellow,
      count(*) FILTER (WHERE promised_due_at < ${cut.at})::bigint AS red
    FROM cases
    WHERE status IN ('accepted','approved','denied') AND ${region}
    GROUP BY ${col}`.execute(db);
  const other = await sql<{ suspended: number; waiting: number }>`
    SELECT count(*) FILTER (WHERE status = 'suspended')::bigint AS suspended,
      count(*) FILTER (WHERE status IN ('submitted','registered','correcting'))::bigint AS waiting
    FROM cases WHERE status IN ('suspended','submitted','registered','correcting') AND ${region}`.execute(db);
  const names = await dimensionNames(
    db,
    groupBy,
    rows.rows.map((r) => r.key ?? ''),
  );
  const totals = { open: 0, green: 0, yellow: 0, red: 0 };
  for (const r of rows.rows) {
    totals.open += Number(r.open);
    totals.yellow += Number(r.yellow);
    totals.red += Number(r.red);
  }
  totals.green = totals.open - totals.yellow - totals.red;
  return {
    at: cut.at.toISOString(),
    warnDays: cut.warnDays,
    totals: {
      ...totals,
      suspended: Number(other.rows[0]?.suspended ?? 0),
      waiting: Number(other.rows[0]?.waiting ?? 0),
    },
    groupBy,
    groups: rows.rows
      .map((r) => ({
        key: r.key ?? '',
        name: names.get(r.key ?? '') ?? (r.key || '—'),
        open: Number(r.open),
        yellow: Number(r.yellow),
        red: Number(r.red),
      }))
      .sort(
        (a, b) => b.red - a.red || b.yellow - a.yellow || b.open - a.open || a.name.localeCompare(b.name),
      ),
  };
}

// Every dashboard on a node refreshes on the same change event, at the same instant: identical board reads
// at once are answered by one run, none older than its request (platform/coalesce.ts). The answer depends on
// the watched regions, the calendar of the actor's region (the yellow cutoff) and the query.
const boardReads = coalescerPerDatabase<z.output<typeof s.board>>();
const boardCaseReads = coalescerPerDatabase<Page<z.output<typeof s.boardCase>>>();

function readKey(prefixes: string[] | null, actor: StaffActor, q: object): string {
  return JSON.stringify([prefixes, actor.regionCode, q]);
}

export async function getBoard(db: Db, actorIn: Actor | null, q: z.output<typeof s.boardQuery>) {
  const actor = requireWatcher(actorIn);
  const prefixes = watchedPrefixes(actor);
  return boardReads(db).run(readKey(prefixes, actor, q), async () =>
    boardCounts(db, prefixes, await boardCutoffs(db, actor.regionCode), q.groupBy),
  );
}

/** Open cases of one colour (or all), most urgent first; drill-down goes to the case and its timeline. */
export async function listBoardCases(
  db: Db,
  actorIn: Actor | null,
  q: z.output<typeof s.boardCasesQuery>,
): Promise<Page<z.output<typeof s.boardCase>>> {
  const actor = requireWatcher(actorIn);
  const prefixes = watchedPrefixes(actor);
  return boardCaseReads(db).run(readKey(prefixes, actor, q), () => boardCasesOf(db, prefixes, actor, q));
}

async function boardCasesOf(
  db: Db,
  prefixes: string[] | null,
  actor: StaffActor,
  q: z.output<typeof s.boardCasesQuery>,
): Promise<Page<z.output<typeof s.boardCase>>> {
  const cut = await boardCutoffs(db, actor.regionCode);
  let query = db
    .selectFrom('cases as c')
    .where('c.status', 'in', clockStatuses)
    .where(() => regionFilter(prefixes, 'c.region_code'));
  if (q.level === 'red') query = query.where('c.promised_due_at', '<', cut.at);
  if (q.level === 'yellow')
    query = query.where('c.promised_due_at', '>=', cut.at).where('c.promised_due_at', '<=', cut.yellowUntil);
  if (q.level === 'green') query = query.where('c.promised_due_at', '>', cut.yellowUntil);
  if (q.groupBy && q.key !== undefined) {
    const col = `c.${caseColumn[q.groupBy]}`;
    query =
      q.key === ''
        ? query.where(sql.ref(col), 'is', null)
        : query.where(sql<string>`${sql.ref(col)}::text`, '=', q.key);
  }
  const countRow = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await query
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('staff as st', 'st.id', 'c.assignee_id')
    .select([
      'c.id',
      'c.number',
      'c.item_name',
      'd.name as department_name',
      'c.region_code',
      'c.status',
      'c.step_name',
      'st.display_name as assignee_name',
      'c.promised_due_at',
    ])
    // Red: the latest breach first (what just turned red); otherwise the nearest deadline first.
    .orderBy('c.promised_due_at', q.level === 'red' ? 'desc' : 'asc')
    .orderBy('c.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      itemName: r.item_name,
      departmentName: r.department_name,
      regionCode: r.region_code,
      status: r.status,
      stepName: r.step_name,
      assigneeName: r.assignee_name,
      promisedDueAt: r.promised_due_at?.toISOString() ?? null,
      level: levelOf(r.promised_due_at, cut),
    })),
    total: Number(countRow?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export function levelOf(due: Date | null, cut: Cutoffs): 'green' | 'yellow' | 'red' {
  if (!due) return 'green';
  if (due.getTime() < cut.at.getTime()) return 'red';
  if (due.getTime() <= cut.yellowUntil.getTime()) return 'yellow';
  return 'green';
}

export const boardStatuses = { clock: clockStatuses, waiting: waitingStatuses };
