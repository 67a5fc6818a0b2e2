import { type Selectable, sql } from 'kysely';
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

/**
 * Rows claimed at once, per unit of concurrency: a claim of 4 × 4 rows is sent 4 at a time and its
 * successes recorded in one statement. Even if every send took the gateway's full 10 s timeout, a batch
 * (4 rounds) ends well inside the lease.
 */
const BATCH_PER_SEND = 4;

/** Deliver every due SMS and e-mail (up to `limit`); returns how many attempts were made. */
export async function deliverDue(ctx: JobContext, opts: DeliverOptions = {}): Promise<number> {
  const concurrency = opts.concurrency ?? 4;
  const limit = opts.limit ?? 500;
  let attempted = 0;
  while (attempted < limit) {
    const size = Math.min(concurrency * BATCH_PER_SEND, limit - attempted);
    const batch = await claim(ctx, size);
    if (batch.length === 0) break;
    const sent: Sent[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const n = batch[next++] as NotificationRow;
        try {
          sent.push({ n, ...(await send(ctx, n)) });
        } catch (err) {
          await recordFailure(ctx, n, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    await recordSent(ctx, sent);
    attempted += batch.length;
    // A short claim took every notification due: no empty claim after it.
    if (batch.length < size) break;
  }
  return attempted;
}

type Sent = { n: NotificationRow; provider: string; providerMessageId: string | null };

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

/**
 * Record the sends of a batch in one statement, each only if this node still holds its lease. Outside the
 * send's try: if this record fails, the rows stay `sending` until their lease runs out and are then sent
 * again with the same idempotency key — never marked for retry as if the send had failed.
 */
async function recordSent(ctx: JobContext, sent: Sent[]): Promise<void> {
  if (sent.length === 0) return;
  const at = now();
  const res = await sql<{ id: string }>`
    UPDATE notifications AS n SET status = 'sent', sent_at = ${at}, provider = v.provider,
      provider_message_id = v.message_id, last_error = NULL, locked_by = NULL, locked_until = NULL,
      updated_at = ${at}
    FROM unnest(${sent.map((x) => x.n.id)}::uuid[], ${sent.map((x) => x.provider)}::text[],
      ${sent.map((x) => x.providerMessageId)}::text[]) AS v(id, provider, message_id)
    WHERE n.id = v.id AND n.status = 'sending' AND n.locked_by = ${ctx.nodeId}
    RETURNING n.id`.execute(ctx.db);
  const recorded = new Set(res.rows.map((r) => r.id));
  for (const { n } of sent) {
    if (!recorded.has(n.id)) {
      ctx.log.warn({ notification: n.id, channel: n.channel }, 'notification sent after its lease was lost');
      continue;
    }
    ctx.log.info(
      { notification: n.id, event: n.event_id, channel: n.channel, attempts: n.attempts },
      'notification sent',
    );
  }
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
