import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { now } from '../../platform/clock.js';
import { notFound } from '../../platform/errors.js';
import { maskMobile, maskName } from '../../platform/mask.js';
import { maskEmail } from '../../platform/notify/delivery-error.js';
import { notificationRegions, ownInbox } from './policy.js';
import * as q from './queries.js';
import type * as s from './schema.js';

type Message = z.output<typeof s.message>;
type Notification = z.output<typeof s.notification>;
type Preferences = z.output<typeof s.preferences>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const presentMessage = (m: q.MessageRow): Message => ({
  id: m.id,
  eventType: m.event_type,
  aggregateType: m.aggregate_type,
  aggregateId: m.aggregate_id,
  title: m.title,
  body: m.body,
  link: m.link,
  createdAt: m.created_at.toISOString(),
  readAt: iso(m.read_at),
});

/** Addresses are kept for sending and shown masked, always. */
function maskedRecipient(n: q.NotificationRow): string {
  if (n.channel === 'sms') return maskMobile(n.address ?? '');
  if (n.channel === 'email') return maskEmail(n.address ?? '');
  return n.account_name ? maskName(n.account_name) : '-';
}

export const presentNotification = (n: q.NotificationRow): Notification => ({
  id: n.id,
  eventId: n.event_id,
  eventType: n.event_type,
  channel: n.channel,
  recipient: maskedRecipient(n),
  accountType: n.account_type,
  locale: n.locale,
  regionCode: n.region_code,
  subject: n.subject,
  text: n.body,
  status: n.status,
  attempts: n.attempts,
  lastError: n.last_error,
  provider: n.provider,
  sentAt: iso(n.sent_at),
  nextAttemptAt: n.status === 'pending' || n.status === 'retry' ? n.next_attempt_at.toISOString() : null,
  createdAt: n.created_at.toISOString(),
});

export async function listMessages(db: Db, actor: Actor | null, query: z.output<typeof s.messageList>) {
  const account = ownInbox(actor);
  const page = await q.listMessages(db, account, query);
  return { ...page, items: page.items.map(presentMessage), unread: await q.countUnread(db, account) };
}

export async function readMessage(db: Db, actor: Actor | null, id: string): Promise<Message> {
  const account = ownInbox(actor);
  // Another account's message is "not found": its existence is none of the caller's business.
  if (!(await q.getMessage(db, account, id))) throw notFound('what.message');
  await q.markRead(db, account, id, now());
  return presentMessage((await q.getMessage(db, account, id)) as q.MessageRow);
}

export async function readAllMessages(db: Db, actor: Actor | null): Promise<{ updated: number }> {
  return { updated: await q.markAllRead(db, ownInbox(actor), now()) };
}

export async function getPreferences(db: Db, actor: Actor | null): Promise<Preferences> {
  const prefs = await q.getPreferences(db, ownInbox(actor));
  return { locale: prefs?.locale ?? 'zh-CN', email: prefs?.email ?? null };
}

export async function updatePreferences(
  db: Db,
  actor: Actor | null,
  input: z.output<typeof s.updatePreferences>,
): Promise<Preferences> {
  const account = ownInbox(actor);
  const current = await getPreferences(db, actor);
  const next = {
    locale: input.locale ?? current.locale,
    email: input.email === undefined ? current.email : input.email,
  };
  await q.savePreferences(db, account, next, now());
  return next;
}

export async function listNotifications(
  db: Db,
  actor: Actor | null,
  query: z.output<typeof s.notificationList>,
) {
  const within = notificationRegions(actor);
  const page = await q.listNotifications(
    db,
    {
      channel: query.channel,
      status: query.status,
      eventType: query.eventType,
      aggregateId: query.aggregateId,
      regionCode: query.regionCode,
      within,
    },
    query,
  );
  return { ...page, items: page.items.map(presentNotification) };
}
