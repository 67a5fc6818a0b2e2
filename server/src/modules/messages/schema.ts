import { z } from 'zod';
import { pageOf, pageQuery, uuidSchema } from '../../platform/validation.js';

/** 站内信: one message in the caller's own inbox. */
export const message = z.object({
  id: z.string(),
  /** The event it reports, e.g. `case.accepted`. */
  eventType: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  title: z.string(),
  body: z.string(),
  /** Where the message leads in the web app, if anywhere. */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const messageList = pageQuery.omit({ q: true }).extend({
  /** Only unread messages. */
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const messagePage = pageOf(message).extend({
  /** Unread messages in the whole inbox, whatever the page or filter. */
  unread: z.number().int(),
});

export const idParams = z.object({ id: uuidSchema });

export const readAllResult = z.object({ updated: z.number().int() });

export const locale = z.enum(['zh-CN', 'en-US']);

/** How the caller wants to be told: the language of SMS, e-mail and in-app messages, and an e-mail address. */
export const preferences = z.object({
  locale,
  email: z.string().nullable(),
});

export const updatePreferences = z.strictObject({
  locale: locale.optional(),
  /** null removes the address: no more e-mail. */
  email: z.email({ message: 'rule.format' }).max(200).nullable().optional(),
});

export const channel = z.enum(['sms', 'email', 'inapp']);
export const notificationStatus = z.enum(['pending', 'sending', 'retry', 'sent', 'failed']);

/** One notification as administrators see it: the SMS outbox, e-mail and in-app deliveries. */
export const notification = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  channel,
  /** Masked: `138****8000`, `z***@example.cn`, or the masked name of the account for in-app messages. */
  recipient: z.string(),
  accountType: z.enum(['staff', 'applicant']).nullable(),
  locale,
  regionCode: z.string(),
  /** E-mail subject or in-app title; null for SMS. */
  subject: z.string().nullable(),
  /** The text sent (SMS), the e-mail body, or the in-app body. */
  text: z.string(),
  status: notificationStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** `outbox` (recorded only, not sent), `http`, `smtp` or `inapp`; null until sent. */
  provider: z.string().nullable(),
  sentAt: z.string().nullable(),
  /** When the next attempt is due, for pending and retried notifications. */
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});

export const notificationList = pageQuery.omit({ q: true }).extend({
  channel: channel.optional(),
  status: notificationStatus.optional(),
  eventType: z.string().trim().max(100).optional(),
  /** The case (or other aggregate) the notifications are about. */
  aggregateId: z.string().trim().max(100).optional(),
  regionCode: z.string().trim().max(12).optional().describe('Only this region and below'),
});

export const notificationPage = pageOf(notification);
