import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import * as s from './schema.js';
import * as svc from './service.js';

/** The working-day calendar: official holidays and make-up days, local overrides, deadline arithmetic. */
export function registerCalendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const home = ctx.config.HOME_REGION;
  const tags = ['calendar'];

  r.get(
    '/calendar/days',
    {
      schema: {
        tags,
        summary: 'Every day of a year with its kind, for a region',
        querystring: s.daysQuery,
        response: { 200: s.daysResponse },
      },
    },
    (req) => svc.yearDays(db, req.actor, req.query.year, req.query.regionCode ?? home),
  );
  r.get(
    '/calendar/overrides',
    {
      schema: {
        tags,
        summary: "Local overrides applying to a region (its own and its ancestors')",
        querystring: s.overridesQuery,
        response: { 200: z.object({ items: z.array(s.override) }) },
      },
    },
    (req) => svc.listOverrides(db, req.actor, req.query, home),
  );
  r.post(
    '/calendar/overrides',
    {
      schema: {
        tags,
        summary: 'Add a local day off or extra working day',
        body: s.createOverride,
        response: { 201: s.override },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createOverride(db, req.actor, req.body)),
  );
  r.delete(
    '/calendar/overrides/:id',
    { schema: { tags, summary: 'Remove an override', params: s.idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await svc.deleteOverride(db, req.actor, req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/calendar/years',
    {
      schema: {
        tags,
        summary: 'Mark a later year as loaded once its holidays are entered',
        body: s.loadYear,
        response: { 201: z.object({ regionCode: z.string(), year: z.number(), loaded: z.boolean() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.markYearLoaded(db, req.actor, req.body)),
  );
  r.get(
    '/calendar/compute',
    {
      schema: {
        tags,
        summary: 'Add N working days to a date (the period starts the day after)',
        querystring: s.computeQuery,
        response: { 200: s.computeResponse },
      },
    },
    (req) => svc.compute(db, req.actor, req.query, home),
  );
}
