/**
 * The caller's in-app messages (站内信) and, for administrators, the notifications sent (SMS outbox, e-mail,
 * in-app) — server/src/modules/messages/schema.ts is the contract.
 */
import { http } from './client';
import type { Page } from './types';

export type Message = {
  id: string;
  /** The event it reports, e.g. `case.accept`. */
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  title: string;
  body: string;
  /** Where the message leads in the web app (an absolute URL), if anywhere. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
};

/** A page of messages with the unread count of the whole inbox. */
export type MessagePage = Page<Message> & { unread: number };

export const NOTIFICATION_CHANNELS = ['sms', 'email', 'inapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'retry', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type Notification = {
  id: string;
  eventId: string;
  eventType: string;
  channel: NotificationChannel;
  /** Masked: 138****8000. */
  recipient: string;
  accountType: 'staff' | 'applicant' | null;
  locale: 'zh-CN' | 'en-US';
  regionCode: string;
  subject: string | null;
  text: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  provider: string | null;
  sentAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
};

export type NotificationQuery = {
  page?: number;
  pageSize?: number;
  channel?: NotificationChannel;
  status?: NotificationStatus;
  eventType?: string;
  aggregateId?: string;
  regionCode?: string;
};

export const messagesApi = {
  list: (query: { page?: number; pageSize?: number; unread?: boolean }) =>
    http.get<MessagePage>('/messages', query),
  read: (id: string) => http.post<Message>(`/messages/${id}/read`),
  readAll: () => http.post<{ updated: number }>('/messages/read-all'),
};

export const notificationsApi = {
  list: (query: NotificationQuery) => http.get<Page<Notification>>('/notifications', query),
};

/** The in-app path of a message's link (the server writes absolute URLs with its public address). */
export function messagePath(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, window.location.origin);
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}
