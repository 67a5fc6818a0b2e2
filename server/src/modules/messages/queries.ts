import type { AccountType, NotificationStatus, NotifyChannel, PreferredLocale } from '../../db/types.js';
import { type Page, paginate } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';
import { regionPrefix } from '../../platform/validators/index.js';

/** SQL for inboxes, contact preferences and the notification log. Only this module's service calls it. */

export type Account = { type: AccountType; id: string };

export type MessageRow = {
  id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
};

const messageColumns = [
  'id',
  'event_type',
  'aggregate_type',
  'aggregate_id',
  'title',
  'body',
  'link',
  'created_at',
  'read_at',
] as const;

function inbox(db: Tx, account: Account) {
  return db
    .selectFrom('messages')
    .where('account_type', '=', account.type)
    .where('account_id', '=', account.id);
}

export function listMessages(
  db: Tx,
  account: Account,
  page: Omit<PageQuery, 'q'> & { unread: boolean },
): Promise<Page<MessageRow>> {
  let q = inbox(db, account);
  if (page.unread) q = q.where('read_at', 'is', null);
  return paginate(q.select(messageColumns), { ...page, q: undefined }, (p) =>
    p.orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
  );
}

export async function countUnread(db: Tx, account: Account): Promise<number> {
  const row = await inbox(db, account)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function getMessage(db: Tx, account: Account, id: string): Promise<MessageRow | undefined> {
  return inbox(db, account).select(messageColumns).where('id', '=', id).executeTakeFirst();
}

/** Mark read if unread; a message already read keeps its first reading time. */
export async function markRead(db: Tx, account: Account, id: string, at: Date): Promise<void> {
  await db
    .updateTable('messages')
    .set({ read_at: at })
    .where('account_type', '=', account.type)
    .where('account_id', '=', account.id)
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .execute();
}

export async function markAllRead(db: Tx, account: Account, at: Date): Promise<number> {
  const res = await db
    .updateTable('messages')
    .set({ read_at: at })
    .where('account_type', '=', account.type)
    .where('account_id', '=', account.id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export type PreferencesRow = { locale: PreferredLocale; email: string | null };

export function getPreferences(db: Tx, account: Account): Promise<PreferencesRow | undefined> {
  return db
    .selectFrom('contact_preferences')
    .select(['locale', 'email'])
    .where('account_type', '=', account.type)
    .where('account_id', '=', account.id)
    .executeTakeFirst();
}

export async function savePreferences(
  db: Tx,
  account: Account,
  prefs: PreferencesRow,
  at: Date,
): Promise<void> {
  await db
    .insertInto('contact_preferences')
    .values({ account_type: account.type, account_id: account.id, ...prefs, updated_at: at })
    .onConflict((oc) => oc.columns(['account_type', 'account_id']).doUpdateSet({ ...prefs, updated_at: at }))
    .execute();
}

export type NotificationRow = {
  id: string;
  event_id: string;
  event_type: string;
  channel: NotifyChannel;
  account_type: AccountType | null;
  account_name: string | null;
  address: string | null;
  locale: PreferredLocale;
  region_code: string;
  subject: string | null;
  body: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  provider: string | null;
  sent_at: Date | null;
  next_attempt_at: Date;
  created_at: Date;
};

export type NotificationFilter = {
  channel?: NotifyChannel;
  status?: NotificationStatus;
  eventType?: string;
  aggregateId?: string;
  regionCode?: string;
  /** Region codes the caller may see (null: all). */
  within: string[] | null;
};

/** The prefix of a region filter; a malformed code matches nothing rather than everything. */
function safePrefix(code: string): string {
  try {
    return regionPrefix(code);
  } catch {
    return '#';
  }
}

export function listNotifications(
  db: Tx,
  filter: NotificationFilter,
  page: Omit<PageQuery, 'q'>,
): Promise<Page<NotificationRow>> {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('applicants as a', (j) =>
      j.onRef('a.id', '=', 'n.account_id').on('n.account_type', '=', 'applicant'),
    )
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'n.account_id').on('n.account_type', '=', 'staff'));
  if (filter.channel) q = q.where('n.channel', '=', filter.channel);
  if (filter.status) q = q.where('n.status', '=', filter.status);
  if (filter.eventType) q = q.where('n.event_type', '=', filter.eventType);
  if (filter.aggregateId) {
    const aggregateId = filter.aggregateId;
    q = q.where('n.event_id', 'in', (eb) =>
      eb.selectFrom('outbox_events').select('id').where('aggregate_id', '=', aggregateId),
    );
  }
  if (filter.regionCode) q = q.where('n.region_code', 'like', `${safePrefix(filter.regionCode)}%`);
  const within = filter.within;
  if (within !== null) {
    if (within.length === 0) q = q.where('n.region_code', '=', '#');
    else q = q.where((eb) => eb.or(within.map((r) => eb('n.region_code', 'like', `${safePrefix(r)}%`))));
  }
  return paginate(
    q.select((eb) => [
      'n.id',
      'n.event_id',
      'n.event_type',
      'n.channel',
      'n.account_type',
      eb.fn.coalesce('a.name', 's.display_name').as('account_name'),
      'n.address',
      'n.locale',
      'n.region_code',
      'n.subject',
      'n.body',
      'n.status',
      'n.attempts',
      'n.last_error',
      'n.provider',
      'n.sent_at',
      'n.next_attempt_at',
      'n.created_at',
    ]),
    { ...page, q: undefined },
    (p) => p.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').execute(),
  );
}
