import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { CSRF_COOKIE, deleteSession, type NewSession, SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { requireActor } from '../../platform/policy.js';
import { loginBody, meResponse, passwordBody, registerBody } from './schema.js';
import { changePassword, login, presentMe, registerApplicant } from './service.js';

function setSessionCookies(reply: FastifyReply, session: NewSession, secure: boolean): void {
  const base = { path: '/', sameSite: 'lax' as const, secure, expires: session.expiresAt };
  reply.setCookie(SESSION_COOKIE, session.token, { ...base, httpOnly: true });
  // Readable by the web app, which echoes it in the x-csrf-token header on writes.
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...base, httpOnly: false });
}

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in (staff by username, applicants by mobile)',
        body: loginBody,
        response: { 200: meResponse },
      },
      config: { rateLimit: { max: ctx.config.LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { actor, session } = await login(ctx.db, ctx.config, req.body);
      setSessionCookies(reply, session, ctx.config.COOKIE_SECURE);
      return { user: await presentMe(ctx.db, actor) };
    },
  );

  r.post(
    '/auth/register',
    {
      schema: {
        tags,
        summary: 'Register an applicant account (natural person or enterprise)',
        body: registerBody,
        response: { 201: meResponse },
      },
      config: { rateLimit: { max: ctx.config.LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { actor, session } = await registerApplicant(ctx.db, ctx.config, req.body);
      setSessionCookies(reply, session, ctx.config.COOKIE_SECURE);
      return reply.status(201).send({ user: await presentMe(ctx.db, actor) });
    },
  );

  r.post(
    '/auth/logout',
    { schema: { tags, summary: 'End the session', response: { 204: z.null() } } },
    async (req, reply) => {
      if (req.sessionToken) await deleteSession(ctx.db, req.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    { schema: { tags, summary: 'The logged-in account', response: { 200: meResponse } } },
    async (req) => {
      return { user: await presentMe(ctx.db, requireActor(req.actor)) };
    },
  );

  r.post(
    '/auth/password',
    {
      schema: {
        tags,
        summary: 'Change own password (ends the other sessions)',
        body: passwordBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await changePassword(ctx.db, requireActor(req.actor), req.sessionToken, req.body);
      return reply.status(204).send(null);
    },
  );
}
