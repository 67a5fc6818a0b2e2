import { createHash } from 'node:crypto';
import type { Insertable, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type {
  Database,
  MessagesTable,
  NotificationsTable,
  NotifyChannel,
  OutboxEventsTable,
} from '../../db/types.js';
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

/** Events claimed and dispatched together in one transaction. */
const DISPATCH_BATCH = 50;

/** Dispatch every due event (up to `limit`); returns how many were handled. Safe on several nodes at once. */
export async function dispatchOutbox(ctx: JobContext, limit = 500): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    const size = Math.min(DISPATCH_BATCH, limit - handled);
    const n = await dispatchBatch(ctx, size);
    handled += n;
    // A short batch took every event due (rows another node holds are that node's): no empty claim after it.
    if (n < size) break;
  }
  return handled;
}

function claimDue(trx: Transaction<Database>, at: Date, size: number): Promise<EventRow[]> {
  return trx
    .selectFrom('outbox_events')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(size)
    .forUpdate()
    .skipLocked()
    .execute();
}

function markDispatched(trx: Transaction<Database>, ids: string[], at: Date) {
  return trx
    .updateTable('outbox_events')
    .set((eb) => ({
      status: 'dispatched',
      dispatched_at: at,
      attempts: eb('attempts', '+', 1),
      last_error: null,
    }))
    .where('id', 'in', ids)
    .execute();
}

/**
 * Claim up to `size` due events and turn them into notifications in one transaction: contacts read once
 * for the batch, one insert for every row. An event that cannot be rendered (a malformed recipient list, a
 * missing template) is recorded as a failed attempt and the rest go on. If the batch's transaction fails,
 * the events are dispatched one by one, so one bad event cannot hold up the others.
 */
async function dispatchBatch(ctx: JobContext, size: number): Promise<number> {
  const at = now();
  const failures: { ev: EventRow; err: unknown }[] = [];
  let handled: number;
  try {
    handled = await ctx.db.transaction().execute(async (trx) => {
      const claimed = await claimDue(trx, at, size);
      if (claimed.length === 0) return 0;
      // Each event's recipient list is parsed once, for the contact lookup and for the rows.
      const parsed: { ev: EventRow; recipients: StoredRecipient[] }[] = [];
      for (const ev of claimed) {
        try {
          parsed.push({ ev, recipients: parseRecipients(ev) });
        } catch (err) {
          failures.push({ ev, err });
        }
      }
      const contacts = await loadContacts(
        trx,
        parsed.map((p) => p.recipients),
      );
      const planned: Planned[] = [];
      const ok: EventRow[] = [];
      for (const { ev, recipients } of parsed) {
        try {
          planned.push(...planEvent(ctx, ev, recipients, contacts, at));
          ok.push(ev);
        } catch (err) {
          failures.push({ ev, err });
        }
      }
      const created = await writePlanned(trx, planned);
      if (ok.length > 0)
        await markDispatched(
          trx,
          ok.map((e) => e.id),
          at,
        );
      ctx.log.info({ events: ok.length, notifications: created }, 'outbox events dispatched');
      return claimed.length;
    });
  } catch (err) {
    if (size === 1) throw err;
    let n = 0;
    while (n < size && (await dispatchOne(ctx))) n += 1;
    return n;
  }
  for (const f of failures) await recordDispatchFailure(ctx, f.ev, f.err, at);
  return handled;
}

async function dispatchOne(ctx: JobContext): Promise<boolean> {
  const at = now();
  let claimed: EventRow | undefined;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      [claimed] = await claimDue(trx, at, 1);
      if (!claimed) return false;
      const recipients = parseRecipients(claimed);
      const created = await writePlanned(
        trx,
        planEvent(ctx, claimed, recipients, await loadContacts(trx, [recipients]), at),
      );
      await markDispatched(trx, [claimed.id], at);
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
type Contacts = Map<string, Contact>;

function parseRecipients(ev: EventRow): StoredRecipient[] {
  const parsed = z.array(recipientSchema).safeParse(ev.recipients);
  if (!parsed.success) throw new Error(`event ${ev.id}: malformed recipients`);
  return parsed.data;
}

/** The mobile numbers and preferences of every account the recipient lists name, in at most three queries. */
async function loadContacts(trx: Transaction<Database>, lists: StoredRecipient[][]): Promise<Contacts> {
  const ids = { applicant: new Set<string>(), staff: new Set<string>() };
  for (const list of lists) {
    for (const r of list) {
      if (r.account && z.uuid().safeParse(r.account.id).success) ids[r.account.type].add(r.account.id);
    }
  }
  const contacts: Contacts = new Map();
  const applicants = [...ids.applicant];
  const staff = [...ids.staff];
  if (applicants.length === 0 && staff.length === 0) return contacts;
  const [a, s, prefs] = await Promise.all([
    applicants.length
      ? trx.selectFrom('applicants').select(['id', 'mobile']).where('id', 'in', applicants).execute()
      : [],
    staff.length ? trx.selectFrom('staff').select(['id', 'mobile']).where('id', 'in', staff).execute() : [],
    trx
      .selectFrom('contact_preferences')
      .select(['account_type', 'account_id', 'locale', 'email'])
      .where((eb) =>
        eb.or([
          ...(applicants.length
            ? [eb.and([eb('account_type', '=', 'applicant'), eb('account_id', 'in', applicants)])]
            : []),
          ...(staff.length
            ? [eb.and([eb('account_type', '=', 'staff'), eb('account_id', 'in', staff)])]
            : []),
        ]),
      )
      .execute(),
  ]);
  const pref = new Map(prefs.map((p) => [`${p.account_type}:${p.account_id}`, p]));
  for (const [type, rows] of [
    ['applicant', a],
    ['staff', s],
  ] as const) {
    for (const row of rows) {
      const p = pref.get(`${type}:${row.id}`);
      contacts.set(`${type}:${row.id}`, {
        mobile: row.mobile,
        email: p?.email ?? null,
        locale: p?.locale ?? null,
      });
    }
  }
  return contacts;
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

type MessageRow = Omit<Insertable<MessagesTable>, 'id' | 'notification_id'>;
/** A notification row to insert, with the in-app message that goes with it if it is new. */
type Planned = { row: Insertable<NotificationsTable>; message?: MessageRow };

/** The notification rows one event becomes: one per channel and recipient (pure: no database access). */
function planEvent(
  ctx: JobContext,
  ev: EventRow,
  recipients: StoredRecipient[],
  contacts: Contacts,
  at: Date,
): Planned[] {
  const env = { publicUrl: ctx.config.PUBLIC_URL };
  const rendered = new Map<Locale, RenderedMessage>();
  const planned: Planned[] = [];

  for (const r of recipients) {
    const key = recipientKey(r);
    if (!key) continue;
    const contact = r.account ? (contacts.get(`${r.account.type}:${r.account.id}`) ?? null) : null;
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
    const add = (row: Omit<Insertable<NotificationsTable>, keyof typeof base | 'id'>, msg?: MessageRow) =>
      planned.push({ row: { id: newId(), ...base, ...row }, ...(msg ? { message: msg } : {}) });

    const mobile = (r.mobile ?? contact?.mobile ?? '').trim();
    if (channels.has('sms') && mobile && message.sms) {
      const valid = isValidMobile(mobile);
      add({
        channel: 'sms',
        address: mobile,
        body: message.sms,
        idempotency_key: idempotencyKey(ev.id, 'sms', key),
        ...(valid ? {} : { status: 'failed', last_error: 'not a valid mobile number' }),
      });
    }
    const email = (r.email ?? contact?.email ?? '').trim();
    if (channels.has('email') && email && ctx.notifier.email && message.emailSubject) {
      add({
        channel: 'email',
        address: email,
        subject: message.emailSubject,
        body: message.emailBody,
        idempotency_key: idempotencyKey(ev.id, 'email', key),
      });
    }
    if (channels.has('inapp') && r.account) {
      add(
        {
          channel: 'inapp',
          address: null,
          subject: message.inappTitle,
          body: message.inappBody,
          idempotency_key: idempotencyKey(ev.id, 'inapp', key),
          status: 'sent',
          attempts: 1,
          provider: 'inapp',
          sent_at: at,
        },
        {
          account_type: r.account.type,
          account_id: r.account.id,
          event_type: ev.type,
          aggregate_type: ev.aggregate_type,
          aggregate_id: ev.aggregate_id,
          title: message.inappTitle,
          body: message.inappBody,
          link: message.link ?? null,
          created_at: at,
        },
      );
    }
  }
  return planned;
}

/**
 * Insert the planned rows in one statement; a row that already exists (the same event dispatched before by
 * another node) is skipped, and so is its in-app message. Returns how many rows are new.
 */
async function writePlanned(trx: Transaction<Database>, planned: Planned[]): Promise<number> {
  if (planned.length === 0) return 0;
  const inserted = await trx
    .insertInto('notifications')
    .values(planned.map((p) => p.row))
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  const fresh = new Set(inserted.map((r) => r.id));
  const messages = planned
    .filter((p) => p.message && fresh.has(p.row.id as string))
    .map((p) => ({ id: newId(), notification_id: p.row.id as string, ...(p.message as MessageRow) }));
  if (messages.length > 0) await trx.insertInto('messages').values(messages).execute();
  return fresh.size;
}
