import { createHash } from 'node:crypto';
import type { Insertable, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, NotificationsTable, NotifyChannel, OutboxEventsTable } from '../../db/types.js';
import { now } from '../clock.js';
import type { Locale } from '../i18n.js';
import { newId } from '../ids.js';
import type { JobContext } from '../jobs/registry.js';
import { isValidMobile } from '../validators/index.js';
import { scrubPersonalData } from './delivery-error.js';
import { type RenderedMessage, renderTemplate } from './templates.js';

/**
 * Outbox → notifications. One committed event becomes one notification row per (event, channel,
 * recipient), in one transaction with the event's status change; the unique key on those rows makes a
 * second dispatch of the same event (two nodes, a crash and a retry) add nothing. In-app messages are
 * written here and then; SMS and e-mail rows wait for delivery (deliver.ts).
 */

const recipientSchema = z.object({
  account: z.object({ type: z.enum(['staff', 'applicant']), id: z.string() }).optional(),
  mobile: z.string().optional(),
  email: z.string().optional(),
  locale: z.enum(['zh-CN', 'en-US']).optional(),
  channels: z.array(z.enum(['sms', 'email', 'inapp'])).optional(),
});
type StoredRecipient = z.output<typeof recipientSchema>;

/** Dispatch attempts before an event is given up on (a missing template, a bug in one). */
const MAX_DISPATCH_ATTEMPTS = 10;
const DISPATCH_RETRY_SECONDS = 30;

type EventRow = Selectable<OutboxEventsTable>;

/** Dispatch every due event (up to `limit`); returns how many were handled. Safe on several nodes at once. */
export async function dispatchOutbox(ctx: JobContext, limit = 500): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    if (!(await dispatchOne(ctx))) break;
    handled += 1;
  }
  return handled;
}

async function dispatchOne(ctx: JobContext): Promise<boolean> {
  const at = now();
  let claimed: EventRow | undefined;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      claimed = await trx
        .selectFrom('outbox_events')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!claimed) return false;
      const created = await materialise(trx, ctx, claimed, at);
      await trx
        .updateTable('outbox_events')
        .set((eb) => ({
          status: 'dispatched',
          dispatched_at: at,
          attempts: eb('attempts', '+', 1),
          last_error: null,
        }))
        .where('id', '=', claimed.id)
        .execute();
      ctx.log.info(
        { event: claimed.id, type: claimed.type, notifications: created },
        'outbox event dispatched',
      );
      return true;
    });
  } catch (err) {
    if (!claimed) throw err;
    await recordDispatchFailure(ctx, claimed, err, at);
    return true;
  }
}

async function recordDispatchFailure(ctx: JobContext, ev: EventRow, err: unknown, at: Date): Promise<void> {
  const attempts = ev.attempts + 1;
  const failed = attempts >= MAX_DISPATCH_ATTEMPTS;
  const message = scrubPersonalData(err instanceof Error ? err.message : String(err));
  await ctx.db
    .updateTable('outbox_events')
    .set({
      attempts,
      last_error: message,
      next_attempt_at: new Date(at.getTime() + DISPATCH_RETRY_SECONDS * 1000 * 2 ** (attempts - 1)),
      ...(failed ? { status: 'failed' as const } : {}),
    })
    .where('id', '=', ev.id)
    .where('status', '=', 'pending')
    .execute();
  ctx.log.error({ event: ev.id, type: ev.type, attempts, failed, error: message }, 'outbox dispatch failed');
}

type Contact = { mobile: string | null; email: string | null; locale: Locale | null };

async function accountContact(
  trx: Transaction<Database>,
  account: NonNullable<StoredRecipient['account']>,
): Promise<Contact | null> {
  const id = z.uuid().safeParse(account.id);
  if (!id.success) return null;
  const row =
    account.type === 'applicant'
      ? await trx.selectFrom('applicants').select('mobile').where('id', '=', id.data).executeTakeFirst()
      : await trx.selectFrom('staff').select('mobile').where('id', '=', id.data).executeTakeFirst();
  if (!row) return null;
  const prefs = await trx
    .selectFrom('contact_preferences')
    .select(['locale', 'email'])
    .where('account_type', '=', account.type)
    .where('account_id', '=', id.data)
    .executeTakeFirst();
  return { mobile: row.mobile, email: prefs?.email ?? null, locale: prefs?.locale ?? null };
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** Who the rows are unique by: the account, else a digest of the address (no number in the key). */
function recipientKey(r: StoredRecipient): string | null {
  if (r.account) return `${r.account.type}:${r.account.id}`;
  if (r.mobile) return `mobile:${digest(r.mobile.trim())}`;
  if (r.email) return `email:${digest(r.email.trim().toLowerCase())}`;
  return null;
}

/** The key every send of this notification carries: the event id, the channel, and who. */
export function idempotencyKey(eventId: string, channel: NotifyChannel, key: string): string {
  return `${eventId}.${channel}.${digest(key)}`;
}

async function materialise(
  trx: Transaction<Database>,
  ctx: JobContext,
  ev: EventRow,
  at: Date,
): Promise<number> {
  const parsed = z.array(recipientSchema).safeParse(ev.recipients);
  if (!parsed.success) throw new Error(`event ${ev.id}: malformed recipients`);
  const env = { publicUrl: ctx.config.PUBLIC_URL };
  const rendered = new Map<Locale, RenderedMessage>();
  let created = 0;

  for (const r of parsed.data) {
    const key = recipientKey(r);
    if (!key) continue;
    const contact = r.account ? await accountContact(trx, r.account) : null;
    if (r.account && !contact) {
      ctx.log.warn({ event: ev.id, account: r.account }, 'notification recipient account not found');
      continue;
    }
    const locale: Locale = r.locale ?? contact?.locale ?? 'zh-CN';
    let message = rendered.get(locale);
    if (!message) {
      message = renderTemplate(ev.type, locale, ev.payload, env);
      rendered.set(locale, message);
    }
    const channels = new Set<NotifyChannel>(r.channels ?? ['sms', 'email', 'inapp']);
    const base = {
      event_id: ev.id,
      event_type: ev.type,
      recipient_key: key,
      account_type: r.account?.type ?? null,
      account_id: r.account?.id ?? null,
      locale,
      region_code: ev.region_code,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    };
    const insert = async (row: Omit<Insertable<NotificationsTable>, keyof typeof base | 'id'>) => {
      const inserted = await trx
        .insertInto('notifications')
        .values({ id: newId(), ...base, ...row })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) created += 1;
      return inserted?.id ?? null;
    };

    const mobile = (r.mobile ?? contact?.mobile ?? '').trim();
    if (channels.has('sms') && mobile && message.sms) {
      const valid = isValidMobile(mobile);
      await insert({
        channel: 'sms',
        address: mobile,
        body: message.sms,
        idempotency_key: idempotencyKey(ev.id, 'sms', key),
        ...(valid ? {} : { status: 'failed', last_error: 'not a valid mobile number' }),
      });
    }
    const email = (r.email ?? contact?.email ?? '').trim();
    if (channels.has('email') && email && ctx.notifier.email && message.emailSubject) {
      await insert({
        channel: 'email',
        address: email,
        subject: message.emailSubject,
        body: message.emailBody,
        idempotency_key: idempotencyKey(ev.id, 'email', key),
      });
    }
    if (channels.has('inapp') && r.account) {
      const notificationId = await insert({
        channel: 'inapp',
        address: null,
        subject: message.inappTitle,
        body: message.inappBody,
        idempotency_key: idempotencyKey(ev.id, 'inapp', key),
        status: 'sent',
        attempts: 1,
        provider: 'inapp',
        sent_at: at,
      });
      if (notificationId) {
        await trx
          .insertInto('messages')
          .values({
            id: newId(),
            account_type: r.account.type,
            account_id: r.account.id,
            notification_id: notificationId,
            event_type: ev.type,
            aggregate_type: ev.aggregate_type,
            aggregate_id: ev.aggregate_id,
            title: message.inappTitle,
            body: message.inappBody,
            link: message.link ?? null,
            created_at: at,
          })
          .execute();
      }
    }
  }
  return created;
}
