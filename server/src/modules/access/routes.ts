import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { pageOf } from '../../platform/validation.js';
import * as s from './schema.js';
import * as svc from './service.js';

/** Staff accounts and roles, authorisation letters (授权书), AB posts and department API tokens. */
export function registerAccessRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const staff = ['staff'];
  const letters = ['authorisation'];

  r.get(
    '/staff',
    {
      schema: {
        tags: staff,
        summary: 'List staff you may see',
        querystring: s.staffList,
        response: { 200: pageOf(s.staffItem) },
      },
    },
    (req) => svc.listStaff(db, req.actor, req.query),
  );
  r.get(
    '/staff/:id',
    {
      schema: {
        tags: staff,
        summary: 'One staff member',
        params: s.idParams,
        response: { 200: s.staffItem },
      },
    },
    (req) => svc.getStaff(db, req.actor, req.params.id),
  );
  r.post(
    '/staff',
    {
      schema: {
        tags: staff,
        summary: 'Create a staff account with its roles',
        body: s.createStaff,
        response: { 201: s.staffItem },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createStaff(db, req.actor, req.body)),
  );
  r.patch(
    '/staff/:id',
    {
      schema: {
        tags: staff,
        summary: 'Change name, mobile or active flag',
        params: s.idParams,
        body: s.updateStaff,
        response: { 200: s.staffItem },
      },
    },
    (req) => svc.updateStaff(db, req.actor, req.params.id, req.body),
  );
  r.put(
    '/staff/:id/roles',
    {
      schema: {
        tags: staff,
        summary: 'Replace the roles of a staff member',
        params: s.idParams,
        body: s.putRoles,
        response: { 200: s.staffItem },
      },
    },
    (req) => svc.setRoles(db, req.actor, req.params.id, req.body),
  );
  r.post(
    '/staff/:id/absence',
    {
      schema: {
        tags: staff,
        summary: 'Mark absent or present (AB 岗)',
        params: s.idParams,
        body: s.absenceBody,
        response: { 200: s.staffItem },
      },
    },
    (req) => svc.setAbsence(db, req.actor, req.params.id, req.body),
  );
  r.post(
    '/staff/:id/unlock',
    {
      schema: {
        tags: staff,
        summary: 'Lift a login lock-out',
        params: s.idParams,
        response: { 200: s.staffItem },
      },
    },
    (req) => svc.unlockStaff(db, req.actor, req.params.id),
  );

  r.get(
    '/authorizations',
    {
      schema: {
        tags: letters,
        summary: 'List authorisation letters (授权书)',
        querystring: s.letterList,
        response: { 200: pageOf(s.letter) },
      },
    },
    (req) => svc.listLetters(db, req.actor, req.query),
  );
  r.post(
    '/authorizations',
    {
      schema: {
        tags: letters,
        summary: 'Grant a letter: named actions on named items or all items, with validity dates',
        body: s.createLetter,
        response: { 201: s.letter },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createLetter(db, req.actor, req.body)),
  );
  r.post(
    '/authorizations/:id/revoke',
    {
      schema: {
        tags: letters,
        summary: 'Revoke a letter',
        params: s.idParams,
        body: s.revokeBody,
        response: { 200: s.letter },
      },
    },
    (req) => svc.revokeLetter(db, req.actor, req.params.id, req.body.reason),
  );
  r.post(
    '/authorizations/check',
    {
      schema: {
        tags: letters,
        summary: 'May this staff member take this action on this item? 403 AUTH_LETTER_REQUIRED if not',
        body: s.checkBody,
        response: { 200: s.checkResult },
      },
    },
    (req) => svc.checkAuthorisation(db, req.actor, req.body),
  );

  r.get(
    '/ab-posts',
    {
      schema: {
        tags: letters,
        summary: 'List AB posts',
        querystring: s.abPostList,
        response: { 200: pageOf(s.abPost) },
      },
    },
    (req) => svc.listAbPosts(db, req.actor, req.query),
  );
  r.post(
    '/ab-posts',
    {
      schema: {
        tags: letters,
        summary: 'Designate a backup for a primary',
        body: s.createAbPost,
        response: { 201: s.abPost },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createAbPost(db, req.actor, req.body)),
  );
  r.delete(
    '/ab-posts/:id',
    {
      schema: {
        tags: letters,
        summary: 'Remove an AB post',
        params: s.idParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await svc.deleteAbPost(db, req.actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api-tokens',
    {
      schema: {
        tags: ['api-tokens'],
        summary: 'List department API tokens',
        querystring: s.apiTokenList,
        response: { 200: pageOf(s.apiToken) },
      },
    },
    (req) => svc.listApiTokens(db, req.actor, req.query),
  );
  r.post(
    '/api-tokens',
    {
      schema: {
        tags: ['api-tokens'],
        summary: 'Issue a token for a department system (shown once)',
        body: s.createApiToken,
        response: { 201: s.apiTokenCreated },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createApiToken(db, req.actor, req.body)),
  );
  r.post(
    '/api-tokens/:id/revoke',
    {
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke a token',
        params: s.idParams,
        response: { 200: s.apiToken },
      },
    },
    (req) => svc.revokeApiToken(db, req.actor, req.params.id),
  );
}
