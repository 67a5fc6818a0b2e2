import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import * as s from './schema.js';
import * as svc from './service.js';

/** The caller's in-app inbox and contact preferences; the notification log for administrators. */
export function registerMessageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'My in-app messages (站内信), newest first, with the unread count',
        querystring: s.messageList,
        response: { 200: s.messagePage },
      },
    },
    (req) => svc.listMessages(db, req.actor, req.query),
  );
  r.post(
    '/messages/read-all',
    {
      schema: {
        tags: ['messages'],
        summary: 'Mark all my messages read',
        response: { 200: s.readAllResult },
      },
    },
    (req) => svc.readAllMessages(db, req.actor),
  );
  r.post(
    '/messages/:id/read',
    {
      schema: {
        tags: ['messages'],
        summary: 'Mark one of my messages read (again is harmless)',
        params: s.idParams,
        response: { 200: s.message },
      },
    },
    (req) => svc.readMessage(db, req.actor, req.params.id),
  );
  r.get(
    '/messages/preferences',
    {
      schema: {
        tags: ['messages'],
        summary: 'How I am told: language and e-mail address',
        response: { 200: s.preferences },
      },
    },
    (req) => svc.getPreferences(db, req.actor),
  );
  r.put(
    '/messages/preferences',
    {
      schema: {
        tags: ['messages'],
        summary: 'Change my language or e-mail address for notifications',
        body: s.updatePreferences,
        response: { 200: s.preferences },
      },
    },
    (req) => svc.updatePreferences(db, req.actor, req.body),
  );

  r.get(
    '/notifications',
    {
      schema: {
        tags: ['messages'],
        summary: 'Notifications sent (SMS outbox, e-mail, in-app), recipients masked; administrators only',
        querystring: s.notificationList,
        response: { 200: s.notificationPage },
      },
    },
    (req) => svc.listNotifications(db, req.actor, req.query),
  );
}
