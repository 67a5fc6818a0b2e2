import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Tx } from '../../platform/tx.js';
import { requireSupervisor } from './policy.js';
import * as s from './schema.js';

export type Settings = {
  warn_days: number;
  off_system_minutes: number;
  alert_due_days: number;
  card_due_days: number;
  weights: z.output<typeof s.weights>;
  version: number;
};

export async function readSettings(db: Tx): Promise<Settings> {
  const row = await db.selectFrom('sup_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    warn_days: row.warn_days,
    off_system_minutes: row.off_system_minutes,
    alert_due_days: row.alert_due_days,
    card_due_days: row.card_due_days,
    weights: s.weights.parse(row.weights),
    version: row.version,
  };
}

export function presentSettings(x: Settings): z.output<typeof s.settings> {
  return {
    warnDays: x.warn_days,
    offSystemMinutes: x.off_system_minutes,
    alertDueDays: x.alert_due_days,
    cardDueDays: x.card_due_days,
    weights: x.weights,
    version: x.version,
  };
}

export async function getSettings(db: Db, actor: Actor | null) {
  requireSupervisor(actor);
  return presentSettings(await readSettings(db));
}

/** Thresholds and weights: one row, optimistic on its version, audited. */
export async function updateSettings(
  db: Db,
  actorIn: Actor | null,
  input: z.output<typeof s.updateSettings>,
) {
  const actor = requireSupervisor(actorIn);
  return db.transaction().execute(async (trx) => {
    const before = await readSettings(trx);
    const res = await trx
      .updateTable('sup_settings')
      .set({
        warn_days: input.warnDays,
        off_system_minutes: input.offSystemMinutes,
        alert_due_days: input.alertDueDays,
        card_due_days: input.cardDueDays,
        weights: JSON.stringify(input.weights),
        version: before.version + 1,
        updated_at: new Date(),
        updated_by: actor.id,
      })
      .where('id', '=', 1)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    await recordAudit(trx, actor, {
      action: 'supervision.settings.update',
      targetType: 'sup_settings',
      targetId: '1',
      before: presentSettings(before),
      after: input,
    });
    return presentSettings(await readSettings(trx));
  });
}
