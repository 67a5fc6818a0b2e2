import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { today } from '../../platform/clock.js';
import type { Tx } from '../../platform/tx.js';
import { deriveFigures, dimensionNames, periodRange, rollupSums } from './figures.js';
import { regionFilter, requireWatcher, watchedPrefixes } from './policy.js';
import type * as s from './schema.js';
import { readSettings } from './settings.js';

/**
 * 考核: scores of departments, windows or staff for a month, quarter or year from weighted figures —
 * score = onTime × on-time rate (%) − alert × alerts − yellowCard × yellow cards − redCard × red cards,
 * floored at 0, rounded to two decimals (docs/metrics.md). A unit with nothing completed counts its
 * on-time rate as 100 (nothing late). Satisfaction and complaints carry weights already; their figures come
 * with the evaluation and complaints modules.
 */
export type AssessmentLevel = 'department' | 'window' | 'staff';
export type Assessment = z.output<typeof s.assessment>;

function startOf(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
function afterEnd(day: string): Date {
  return new Date(startOf(day).getTime() + 86400_000);
}

export async function computeAssessment(
  db: Tx,
  range: { from: string; to: string },
  prefixes: string[] | null,
  level: AssessmentLevel,
): Promise<Assessment> {
  const settings = await readSettings(db);
  const w = settings.weights;
  const { groups } = await rollupSums(db, range, prefixes, level);
  const lo = startOf(range.from);
  const hi = afterEnd(range.to);
  const alertKey =
    level === 'department'
      ? sql`a.department_id::text`
      : level === 'staff'
        ? sql`coalesce(a.staff_id::text, '')`
        : sql`coalesce(c.window_id::text, '')`;
  const alerts = await sql<{ key: string; n: number }>`
    SELECT ${alertKey} AS key, count(*)::bigint AS n
    FROM sup_alerts a ${level === 'window' ? sql`LEFT JOIN cases c ON c.id = a.case_id` : sql``}
    WHERE a.raised_at >= ${lo} AND a.raised_at < ${hi} AND ${regionFilter(prefixes, 'a.region_code')}
    GROUP BY 1`.execute(db);
  const cardKey =
    level === 'department'
      ? sql`department_id::text`
      : level === 'staff'
        ? sql`coalesce(staff_id::text, '')`
        : sql`''`;
  const cards = await sql<{ key: string; yellow: number; red: number }>`
    SELECT ${cardKey} AS key,
      count(*) FILTER (WHERE color = 'yellow')::bigint AS yellow,
      count(*) FILTER (WHERE color = 'red')::bigint AS red
    FROM sup_cards
    WHERE issued_at >= ${lo} AND issued_at < ${hi} AND ${regionFilter(prefixes, 'region_code')}
    GROUP BY 1`.execute(db);
  const keys = new Set<string>([
    ...groups.map((g) => g.key),
    ...alerts.rows.map((a) => a.key),
    ...cards.rows.map((c) => c.key),
  ]);
  keys.delete('');
  const names = await dimensionNames(db, level, [...keys]);
  const rows = [...keys].map((key) => {
    const sums = groups.find((g) => g.key === key)?.sums;
    const f = sums ? deriveFigures(sums, null) : null;
    const nAlerts = Number(alerts.rows.find((a) => a.key === key)?.n ?? 0);
    const card = cards.rows.find((c) => c.key === key);
    const yellow = Number(card?.yellow ?? 0);
    const red = Number(card?.red ?? 0);
    const onTime = f?.onTimeRate ?? 100;
    const raw = w.onTime * onTime - w.alert * nAlerts - w.yellowCard * yellow - w.redCard * red;
    return {
      rank: 0,
      key,
      name: names.get(key) ?? key,
      completed: f?.completed ?? 0,
      onTimeRate: f?.onTimeRate ?? null,
      alerts: nAlerts,
      yellowCards: yellow,
      redCards: red,
      score: Math.max(0, Math.round(raw * 100) / 100),
    };
  });
  rows.sort((a, b) => b.score - a.score || b.completed - a.completed || a.name.localeCompare(b.name));
  // Equal scores share a rank (1, 2, 2, 4).
  rows.forEach((r, i) => {
    r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1;
  });
  return { ...range, level, weights: w, rows };
}

export async function getAssessment(db: Db, actorIn: Actor | null, q: z.output<typeof s.assessmentQuery>) {
  const actor = requireWatcher(actorIn);
  return computeAssessment(db, periodRange(q.period, q.date ?? today()), watchedPrefixes(actor), q.level);
}
