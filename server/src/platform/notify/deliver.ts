import type { Selectable } from 'kysely';
import type { NotificationsTable } from '../../db/types.js';
import { now } from '../clock.js';
import type { JobContext } from '../jobs/registry.js';
import { DeliveryError, scrubPersonalData } from './delivery-error.js';

/**
 * Notifications → SMS gateway and SMTP. A node claims due rows with `FOR UPDATE SKIP LOCKED` and marks
 * them `sending` under a lease before it sends, outside any transaction; it records the outcome only if
 * it still holds the lease. So one row is never sent by two nodes at once, a sent row is never sent
 * again, and the only resend possible is after a crash between the provider's answer and our record of
 * it — with the same idempotency key, which the gateway uses to drop the duplicate.
 */

/** How long a claim holds: longer than the slowest send (HTTP 10 s, SMTP up to 30 s of silence). */
const LEASE_MS = 120_000;

type NotificationRow = Selectable<NotificationsTable>;

export type DeliverOptions = {
  /** Sends in flight at once per node. */
  concurrency?: number;
  /** Stop after this many in one call (the next tick continues). */
  limit?: number;
};

/** Deliver every due SMS and e-mail (up to `limit`); returns how many attempts were made. */
export async function deliverDue(ctx: JobContext, opts: DeliverOptions = {}): Promise<number> {
  const concurrency = opts.concurrency ?? 4;
  const limit = opts.limit ?? 500;
  let attempted = 0;
  while (attempted < limit) {
    const batch = await claim(ctx, Math.min(concurrency, limit - attempted));
    if (batch.length === 0) break;
    await Promise.all(batch.map((n) => deliverOne(ctx, n)));
    attempted += batch.length;
  }
  return attempted;
}

async function claim(ctx: JobContext, size: number): Promise<NotificationRow[]> {
  const at = now();
  return ctx.db
    .updateTable('notifications')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      locked_by: ctx.nodeId,
      locked_until: new Date(at.getTime() + LEASE_MS),
      updated_at: at,
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('notifications')
        .select('id')
        .where('channel', 'in', ['sms', 'email'])
        .where((w) =>
          w.or([
            w.and([w('status', 'in', ['pending', 'retry']), w('next_attempt_at', '<=', at)]),
            // A node that died mid-send: its lease ran out, the send may or may not have happened.
            w.and([w('status', '=', 'sending'), w('locked_until', '<', at)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(size)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

async function deliverOne(ctx: JobContext, n: NotificationRow): Promise<void> {
  let sent: { provider: string; providerMessageId: string | null };
  try {
    sent = await send(ctx, n);
  } catch (err) {
    await recordFailure(ctx, n, err);
    return;
  }
  // Outside the try: if this record fails, the row stays `sending` until its lease runs out and is then
  // sent again with the same idempotency key — never marked for retry as if the send had failed.
  const at = now();
  const res = await ctx.db
    .updateTable('notifications')
    .set({
      status: 'sent',
      sent_at: at,
      provider: sent.provider,
      provider_message_id: sent.providerMessageId,
      last_error: null,
      locked_by: null,
      locked_until: null,
      updated_at: at,
    })
    .where('id', '=', n.id)
    .where('status', '=', 'sending')
    .where('locked_by', '=', ctx.nodeId)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    ctx.log.warn({ notification: n.id, channel: n.channel }, 'notification sent after its lease was lost');
    return;
  }
  ctx.log.info(
    { notification: n.id, event: n.event_id, channel: n.channel, attempts: n.attempts },
    'notification sent',
  );
}

async function send(
  ctx: JobContext,
  n: NotificationRow,
): Promise<{ provider: string; providerMessageId: string | null }> {
  const { notifier } = ctx;
  if (!n.address) throw new DeliveryError('no address', { permanent: true });
  if (n.channel === 'sms') {
    const receipt = await notifier.sms.send({
      to: n.address,
      text: n.body,
      idempotencyKey: n.idempotency_key,
    });
    return { provider: notifier.sms.name, providerMessageId: receipt.providerMessageId };
  }
  if (!notifier.email) throw new DeliveryError('e-mail is turned off (SMTP_URL)', { permanent: true });
  const receipt = await notifier.email.send({
    to: n.address,
    subject: n.subject ?? '',
    text: n.body,
    idempotencyKey: n.idempotency_key,
  });
  return { provider: notifier.email.name, providerMessageId: receipt.providerMessageId };
}

async function recordFailure(ctx: JobContext, n: NotificationRow, err: unknown): Promise<void> {
  const { config } = ctx;
  const permanent = err instanceof DeliveryError && err.permanent;
  const message = scrubPersonalData(err instanceof Error ? err.message : String(err));
  const failed = permanent || n.attempts >= config.NOTIFY_MAX_ATTEMPTS;
  const at = now();
  const wait = config.NOTIFY_RETRY_SECONDS * 1000 * 2 ** (n.attempts - 1);
  await ctx.db
    .updateTable('notifications')
    .set({
      status: failed ? 'failed' : 'retry',
      last_error: message,
      next_attempt_at: failed ? at : new Date(at.getTime() + wait),
      locked_by: null,
      locked_until: null,
      updated_at: at,
    })
    .where('id', '=', n.id)
    .where('status', '=', 'sending')
    .where('locked_by', '=', ctx.nodeId)
    .execute();
  const fields = {
    notification: n.id,
    event: n.event_id,
    channel: n.channel,
    attempts: n.attempts,
    error: message,
  };
  if (failed) ctx.log.error(fields, 'notification failed');
  else ctx.log.warn(fields, 'notification will be retried');
}
