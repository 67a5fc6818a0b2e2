import { sql, type Transaction } from 'kysely';
import type { AccountType, Database, NotifyChannel } from '../db/types.js';
import { now } from './clock.js';
import { AppError } from './errors.js';
import type { Locale } from './i18n.js';
import { newId } from './ids.js';
import { WAKE_CHANNEL } from './jobs/registry.js';
import { hasTemplate } from './notify/templates.js';

/**
 * The transactional outbox. A service that changes something people must hear about writes the event in
 * the same transaction as the change:
 *
 *   await inTransaction(db, async (trx) => {
 *     … update the case, recordAudit(trx, …) …
 *     await enqueueEvent(trx, { type: 'case.accepted', aggregateType: 'case', aggregateId: c.id,
 *       regionCode: c.region_code, payload: { caseNo: c.number },
 *       recipients: [{ account: { type: 'applicant', id: c.applicant_id } }] });
 *   });
 *
 * The row exists only if the transaction commits; commit wakes the job runners (NOTIFY is transactional),
 * and a periodic sweep catches anything a sleeping node missed. Dispatch turns the event into one
 * notification per (event, channel, recipient) — a unique key, so a second dispatch adds nothing — and
 * every downstream send carries an idempotency key derived from the event id.
 */

/** Who hears about an event. An account gets SMS to its mobile, e-mail to its preferred address, and an
 * in-app message; `mobile`/`email` reach people without an account or override the account's own. */
export type Recipient = {
  account?: { type: AccountType; id: string };
  mobile?: string;
  email?: string;
  /** Language of the messages; default: the account's preference, else zh-CN. */
  locale?: Locale;
  /** Restrict the channels (default: every channel the recipient can be reached on). */
  channels?: NotifyChannel[];
};

export type OutboxEventInput<P extends object = Record<string, unknown>> = {
  /** Dotted name, `<aggregate>.<what happened>`: `case.accepted`. Templates are registered by it. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** Region code of the aggregate: administrators of that region see its notifications. */
  regionCode: string;
  /** What templates and consumers need; no ID numbers (they end up in SMS text otherwise). */
  payload: P;
  recipients?: Recipient[];
};

/**
 * Write one event in the caller's transaction and return its id (the idempotency key downstream).
 * An event with recipients needs a registered template for its type: a missing one is a programming
 * error, reported here rather than discovered by an applicant who was never told.
 */
export async function enqueueEvent<P extends object>(
  trx: Transaction<Database>,
  event: OutboxEventInput<P>,
): Promise<string> {
  const row = outboxRow(event);
  // One round trip: the row and the wake-up call for the runners (delivered at commit).
  await sql`WITH ins AS (
      INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, region_code, payload, recipients, next_attempt_at)
      VALUES (${row.id}, ${row.type}, ${row.aggregate_type}, ${row.aggregate_id}, ${row.region_code},
        ${row.payload}::jsonb, ${row.recipients}::jsonb, ${row.next_attempt_at})
      RETURNING id)
    SELECT pg_notify(${WAKE_CHANNEL}, 'outbox') FROM ins`.execute(trx);
  return row.id;
}

/**
 * The outbox row of an event (checked as `enqueueEvent` checks it), for a caller that writes it as part of a
 * larger statement; that statement must also `pg_notify(WAKE_CHANNEL, 'outbox')` when the row is written.
 */
export function outboxRow<P extends object>(event: OutboxEventInput<P>) {
  const recipients = event.recipients ?? [];
  if (recipients.length > 0 && !hasTemplate(event.type)) {
    throw new AppError('INTERNAL', 'error.internal', {}, { reason: `no template for event ${event.type}` });
  }
  return {
    id: newId(),
    type: event.type,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    region_code: event.regionCode,
    payload: JSON.stringify(event.payload),
    recipients: JSON.stringify(recipients),
    next_attempt_at: now(),
  };
}
