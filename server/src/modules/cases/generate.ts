import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { CaseEventsTable, CasesTable } from '../../db/types.js';
import { createWorkCalendar } from '../../platform/calendar/index.js';
import { civilDate } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Tx } from '../../platform/tx.js';
import { residentIdCheckChar, usccCheckChar } from '../../platform/validators/index.js';
import type { ItemData } from '../catalog/schema.js';
import { endOfDay, startClock, startOfDay } from './clock.js';

/**
 * Historical cases in bulk, for the demo and the benchmark: a realistic mix of channels and states over the
 * published items (completed and delivered, open on time, near the deadline and late, corrected, 容缺,
 * suspended, refused, withdrawn). Deterministic for a given seed (the numbers aside: they continue from
 * what the database has handed out).
 *
 * Numbers come from `case_number_counters`, like a live registration's: each batch reserves, per region and
 * day, a range after the last number given out, in the batch's own transaction. So a second call over the
 * same days (the demo seed, then the benchmark's load) continues where the first stopped, and registrations
 * made later that day continue after both.
 *
 * Each batch goes in as one statement per table whose single parameter is the batch as JSON
 * (`json_populate_recordset`), the same SQL on PostgreSQL and PGlite: no limit of 65,535 parameters (a
 * multi-row VALUES of 42 columns stops at 1,560 rows), and the server parses one value instead of 200,000.
 */
export type GenerateOptions = {
  count: number;
  /** Received dates spread over this many days before `until`. */
  days?: number;
  until?: Date;
  seed?: number;
  /** Cases per transaction (default 5,000). */
  batch?: number;
  /** Batches written at once (default 2 on PostgreSQL: one is built while another is indexed; 1 on PGlite). */
  parallel?: number;
  onProgress?: (done: number) => void;
  /**
   * Called in each batch's transaction after its cases and events are written. Modules with their own
   * case-scoped rows add them here: joint cases (联办, issue 5) attach their sub-cases to some of `cases`.
   */
  onBatch?: (trx: Tx, cases: readonly GeneratedCase[]) => Promise<void>;
};

/** A case as the generator wrote it (what an `onBatch` hook gets). */
export type GeneratedCase = Insertable<CasesTable> & { id: string; number: string; region_code: string };

type ItemRef = {
  versionId: string;
  code: string;
  name: string;
  departmentId: string;
  regionCode: string;
  data: ItemData;
};

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const given =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅玉兰晓东晓明婷雪梅慧颖浩然子涵一诺欣怡梓轩雨桐';
const shops = [
  '餐饮店',
  '便利店',
  '超市',
  '科技有限公司',
  '商贸有限公司',
  '建筑工程有限公司',
  '药房',
  '诊所',
  '培训学校',
  '物流有限公司',
];

export async function generateCases(db: Db, opts: GenerateOptions): Promise<number> {
  const rand = rng(opts.seed ?? 20261121);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const until = opts.until ?? new Date();
  const days = opts.days ?? 365;
  const batch = Math.max(1, opts.batch ?? 5000);
  const calendar = createWorkCalendar();
  const versions = await db
    .selectFrom('catalog_versions as v')
    .innerJoin('departments as d', 'd.id', 'v.department_id')
    .select(['v.id', 'v.code', 'v.name', 'v.department_id', 'd.region_code', 'v.data'])
    .where('v.kind', '=', 'item')
    .where('v.status', '=', 'published')
    .where('v.effective_until', 'is', null)
    .execute();
  const items: ItemRef[] = versions.map((v) => ({
    versionId: v.id,
    code: v.code,
    name: v.name,
    departmentId: v.department_id as string,
    regionCode: v.region_code,
    data: v.data as ItemData,
  }));
  if (items.length === 0) throw new Error('generateCases: no published items — seed the catalog first');
  const parallel = Math.max(1, opts.parallel ?? (db.engine === 'postgres' ? 2 : 1));
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let built = 0;
  let done = 0;
  while (built < opts.count && failure === undefined) {
    const n = Math.min(batch, opts.count - built);
    built += n;
    const cases: GeneratedCase[] = [];
    /** Where each case's number goes once the batch has reserved its range: region, day, index in cases. */
    const numberKeys: string[] = [];
    const events: Insertable<CaseEventsTable>[] = [];
    for (let i = 0; i < n; i++) {
      const item = pick(items);
      const received = new Date(until.getTime() - Math.floor(rand() * days * 86400_000));
      numberKeys.push(`${item.regionCode}|${civilDate(received)}`);
      const r = rand();
      const channel = r < 0.45 ? 'online' : r < 0.85 ? 'window' : r < 0.95 ? 'proxy' : 'api';
      const person =
        item.data.serviceObjects.includes('person') &&
        (!item.data.serviceObjects.includes('enterprise') || rand() < 0.6);
      const name = person
        ? `${pick([...surnames])}${pick([...given])}${rand() < 0.5 ? pick([...given]) : ''}`
        : `郑州${pick([...given])}${pick(shops)}`;
      const body17 = `410103${1960 + Math.floor(rand() * 45)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
      const age = (until.getTime() - received.getTime()) / 86400_000;
      // Older cases are mostly finished; recent ones are still moving.
      const s = rand();
      let status: string;
      // A result waits for pickup days, rarely months: 1 % of old cases were never collected.
      if (age > 40)
        status = s < 0.92 ? 'delivered' : s < 0.93 ? 'completed' : s < 0.96 ? 'refused' : 'withdrawn';
      else if (age > 10)
        status =
          s < 0.55
            ? 'delivered'
            : s < 0.65
              ? 'completed'
              : s < 0.9
                ? 'accepted'
                : s < 0.94
                  ? 'suspended'
                  : s < 0.97
                    ? 'correcting'
                    : 'refused';
      else
        status =
          s < 0.2
            ? 'delivered'
            : s < 0.55
              ? 'accepted'
              : s < 0.65
                ? 'registered'
                : s < 0.75
                  ? 'submitted'
                  : s < 0.82
                    ? 'correcting'
                    : s < 0.87
                      ? 'suspended'
                      : s < 0.92
                        ? 'completed'
                        : 'approved';
      const accepted = !['registered', 'submitted', 'correcting', 'refused', 'withdrawn'].includes(status);
      const acceptedAt = new Date(received.getTime() + Math.floor(rand() * 3600_000 * 4));
      const acceptedOn = civilDate(acceptedAt);
      const clock = accepted
        ? startClock(calendar, {
            acceptedOn,
            promisedDays: item.data.promisedLimitDays,
            legalDays: item.data.legalLimitDays,
            warnDays: 1,
          })
        : null;
      const finished = ['completed', 'delivered'].includes(status);
      // Most finish early, a few late: the figures supervision reports need both.
      const finishDate = clock
        ? calendar.addWorkingDays(
            acceptedOn,
            Math.max(
              0,
              Math.round(item.data.promisedLimitDays * (rand() < 0.93 ? rand() * 0.9 : 1.1 + rand() * 0.5)),
            ),
          ).date
        : null;
      const completedAt =
        finished && finishDate
          ? new Date(`${finishDate}T${String(9 + Math.floor(rand() * 8)).padStart(2, '0')}:30:00+08:00`)
          : null;
      const steps = item.data.steps;
      const id = newId(received.getTime());
      // 补正: a correction notice before acceptance (still waiting, or supplied and accepted later).
      const corrected = status === 'correcting' || (accepted && rand() < 0.05);
      cases.push({
        id,
        number: '',
        region_code: item.regionCode,
        item_version_id: item.versionId,
        item_code: item.code,
        item_name: item.name,
        department_id: item.departmentId,
        channel,
        status,
        case_kind: item.data.caseKind === 'immediate' ? 'immediate' : 'promised',
        step_index: accepted ? Math.min(1, steps.length - 1) : 0,
        step_name: accepted ? (steps[Math.min(1, steps.length - 1)]?.name ?? null) : (steps[0]?.name ?? null),
        step_role: accepted ? (steps[Math.min(1, steps.length - 1)]?.role ?? null) : (steps[0]?.role ?? null),
        applicant_kind: person ? 'person' : 'enterprise',
        applicant_name: name,
        applicant_id_number: person ? `${body17}${residentIdCheckChar(body17)}` : null,
        applicant_uscc: person
          ? null
          : withUsccCheck(`91410103MA${String(Math.floor(rand() * 1e6)).padStart(6, '0')}X`),
        applicant_mobile: `13${Math.floor(rand() * 9) + 1}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
        form: '{}',
        promised_days: item.data.promisedLimitDays,
        legal_days: item.data.legalLimitDays,
        deemed_allowed: item.data.deemedApproval,
        received_at: received,
        accepted_at: accepted ? acceptedAt : null,
        accepted_on: accepted ? acceptedOn : null,
        promised_due: clock?.promisedDue ?? null,
        legal_due: clock?.legalDue ?? null,
        promised_due_at: clock ? endOfDay(clock.promisedDue) : null,
        legal_due_at: clock ? endOfDay(clock.legalDue) : null,
        warn_at: clock ? startOfDay(clock.warnOn) : null,
        suspended_at: status === 'suspended' ? acceptedAt : null,
        suspended_on: status === 'suspended' ? acceptedOn : null,
        suspension_kind: status === 'suspended' ? 'special_stage' : null,
        deficiency_pending: status === 'accepted' && item.data.allowDeficiency && rand() < 0.15,
        correction_count: corrected ? 1 : 0,
        decision: finished || status === 'approved' ? 'approved' : null,
        decided_at: finished ? completedAt : null,
        completed_at: completedAt,
        delivered_at: status === 'delivered' ? completedAt : null,
        delivery_method: status === 'delivered' ? pick(['pickup', 'mail', 'download'] as const) : null,
        created_at: received,
        updated_at: completedAt ?? acceptedAt,
      });
      events.push({
        id: newId(received.getTime()),
        case_id: id,
        region_code: item.regionCode,
        at: received,
        action: 'register',
        from_status: null,
        to_status: channel === 'online' ? 'submitted' : 'registered',
        step_name: null,
        actor_type: 'system',
        actor_id: null,
        actor_name: 'history',
        via_backup_of: null,
        reason: null,
        data: null,
      });
      if (corrected) {
        const noticeAt = new Date(received.getTime() + 1800_000);
        const history = { actor_type: 'system', actor_id: null, actor_name: 'history', via_backup_of: null };
        events.push({
          id: newId(noticeAt.getTime()),
          case_id: id,
          region_code: item.regionCode,
          at: noticeAt,
          action: 'requestCorrection',
          from_status: channel === 'online' ? 'submitted' : 'registered',
          to_status: 'correcting',
          step_name: null,
          ...history,
          reason: '材料不齐全(历史数据)',
          data: null,
        });
        if (accepted) {
          const suppliedAt = new Date(received.getTime() + 3600_000);
          events.push({
            id: newId(suppliedAt.getTime()),
            case_id: id,
            region_code: item.regionCode,
            at: suppliedAt,
            action: 'supplyCorrection',
            from_status: 'correcting',
            to_status: 'registered',
            step_name: null,
            ...history,
            reason: null,
            data: null,
          });
        }
      }
      if (accepted) {
        events.push({
          id: newId(acceptedAt.getTime()),
          case_id: id,
          region_code: item.regionCode,
          at: acceptedAt,
          action: 'accept',
          from_status: 'registered',
          to_status: 'accepted',
          step_name: steps[1]?.name ?? null,
          actor_type: 'system',
          actor_id: null,
          actor_name: 'history',
          via_backup_of: null,
          reason: null,
          data: null,
        });
      }
      if (completedAt) {
        events.push({
          id: newId(completedAt.getTime()),
          case_id: id,
          region_code: item.regionCode,
          at: completedAt,
          action: 'issue',
          from_status: 'approved',
          to_status: 'completed',
          step_name: null,
          actor_type: 'system',
          actor_id: null,
          actor_name: 'history',
          via_backup_of: null,
          reason: null,
          data: null,
        });
      }
    }
    // Numbers first, in a statement of their own: the counter rows stay locked only for it, so the next
    // batch can reserve while this one is written.
    await reserveNumbers(db, cases, numberKeys);
    const write = db
      .transaction()
      .execute(async (trx) => {
        await insertJsonRows(trx, 'cases', cases);
        await insertJsonRows(trx, 'case_events', events);
        await opts.onBatch?.(trx, cases);
      })
      .then(
        () => {
          done += n;
          opts.onProgress?.(done);
        },
        (err: unknown) => {
          failure ??= err;
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return done;
}

/**
 * Give every case of a batch its number: per region and day, one upsert of `case_number_counters` moves the
 * counter on by the batch's count and returns where it ended, so the batch owns the range before it.
 */
async function reserveNumbers(trx: Tx, cases: GeneratedCase[], keys: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  // In key order, so two loads reserving at once lock the counter rows in the same order.
  const wanted = [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => {
      const [r, d] = k.split('|');
      return { r, d, n };
    });
  const res = await sql<{ region_code: string; day: string; last: number }>`
    INSERT INTO case_number_counters (region_code, day, last)
    SELECT x.r, x.d::date, x.n FROM json_to_recordset(${JSON.stringify(wanted)}::json) AS x(r text, d text, n int)
    ON CONFLICT (region_code, day) DO UPDATE SET last = case_number_counters.last + excluded.last
    RETURNING region_code, day::text AS day, last`.execute(trx);
  const next = new Map<string, number>();
  for (const row of res.rows)
    next.set(
      `${row.region_code}|${row.day}`,
      Number(row.last) - (counts.get(`${row.region_code}|${row.day}`) ?? 0),
    );
  for (let i = 0; i < cases.length; i++) {
    const key = keys[i];
    const seq = (next.get(key) ?? 0) + 1;
    next.set(key, seq);
    const [region, day] = key.split('|');
    // The live format (numbering.ts): region-yyyymmdd-sequence of at least five digits.
    cases[i].number = `${region}-${day.replaceAll('-', '')}-${String(seq).padStart(5, '0')}`;
  }
}

/**
 * One INSERT … SELECT of a batch passed as a single JSON parameter. Columns left out of the rows (and
 * `form`, a JSON column whose text would land as a JSON string) take their defaults.
 */
async function insertJsonRows(
  trx: Tx,
  table: 'cases' | 'case_events',
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).filter((c) => c !== 'form');
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`INSERT INTO ${sql.table(table)} (${list})
    SELECT ${list} FROM json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
    trx,
  );
}

function withUsccCheck(first17: string): string {
  return `${first17}${usccCheckChar(first17)}`;
}
