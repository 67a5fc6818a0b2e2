import { calendarFor } from '../../modules/calendar/service.js';
import { consumeAll, sweepDeadlines } from '../../modules/supervision/consume.js';
import { systemActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { civilDate, now } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Db } from '../client.js';

/**
 * Supervision on first start: the demo cases counted into the figures, the alerts their data shows
 * (overdue cases, steps past their limit, repeated corrections), and one yellow card to the department with
 * the most alerts, so the dashboard, the alert queue and the card list all show something real.
 */
export async function seedDemoSupervision(db: Db): Promise<{ cases: number; alerts: number; cards: number }> {
  const cases = await consumeAll(db);
  await sweepDeadlines(db);
  const alerts = await db
    .selectFrom('sup_alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const top = await db
    .selectFrom('sup_alerts')
    .select(['department_id', 'region_code', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['department_id', 'region_code'])
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirst();
  const supervisor = await db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'supervisor')
    .executeTakeFirst();
  let cards = 0;
  if (top && supervisor) {
    const ids = await db
      .selectFrom('sup_alerts')
      .select('id')
      .where('department_id', '=', top.department_id)
      .orderBy('raised_at')
      .limit(3)
      .execute();
    const at = now();
    const due = (await calendarFor(db, top.region_code)).addWorkingDays(civilDate(at), 10).date;
    const id = newId();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sup_cards')
        .values({
          id,
          number: `JC${civilDate(at).slice(0, 4)}-0001`,
          color: 'yellow',
          target_type: 'department',
          region_code: top.region_code,
          department_id: top.department_id,
          reason: `电子监察发现本部门有 ${top.n} 件办件预警(超期、环节超时等),请限期整改。`,
          alert_ids: JSON.stringify(ids.map((i) => i.id)),
          status: 'issued',
          issued_by: supervisor.id,
          issued_at: at,
          rectify_due: due,
        })
        .execute();
      await recordAudit(trx, systemActor, {
        action: 'supervision.card.issue',
        targetType: 'sup_card',
        targetId: id,
        regionCode: top.region_code,
        after: { color: 'yellow', departmentId: top.department_id, seed: true },
      });
    });
    cards = 1;
  }
  return { cases, alerts: Number(alerts?.n ?? 0), cards };
}
