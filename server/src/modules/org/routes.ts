import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { pageOf } from '../../platform/validation.js';
import * as s from './schema.js';
import * as svc from './service.js';

/** Regions, departments, halls and windows: the structure of the service system. */
export function registerOrgRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.get(
    '/regions',
    {
      schema: {
        tags: ['org'],
        summary: 'List regions (行政区划)',
        querystring: s.regionList,
        response: { 200: pageOf(s.region) },
      },
    },
    (req) => svc.listRegions(db, req.actor, req.query),
  );
  r.post(
    '/regions',
    { schema: { tags: ['org'], summary: 'Add a region', body: s.createRegion, response: { 201: s.region } } },
    async (req, reply) => reply.status(201).send(await svc.createRegion(db, req.actor, req.body)),
  );
  r.patch(
    '/regions/:code',
    {
      schema: {
        tags: ['org'],
        summary: 'Rename a region',
        params: s.codeParams,
        body: s.updateRegion,
        response: { 200: s.region },
      },
    },
    (req) => svc.updateRegion(db, req.actor, req.params.code, req.body),
  );

  r.get(
    '/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'List departments (implementing bodies)',
        querystring: s.departmentList,
        response: { 200: pageOf(s.department) },
      },
    },
    (req) => svc.listDepartments(db, req.actor, req.query),
  );
  r.post(
    '/departments',
    {
      schema: {
        tags: ['org'],
        summary: 'Add a department',
        body: s.createDepartment,
        response: { 201: s.department },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createDepartment(db, req.actor, req.body)),
  );
  r.patch(
    '/departments/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Change a department',
        params: s.idParams,
        body: s.updateDepartment,
        response: { 200: s.department },
      },
    },
    (req) => svc.updateDepartment(db, req.actor, req.params.id, req.body),
  );

  r.get(
    '/halls',
    {
      schema: {
        tags: ['org'],
        summary: 'List halls (service centres and stations)',
        querystring: s.hallList,
        response: { 200: pageOf(s.hall) },
      },
    },
    (req) => svc.listHalls(db, req.actor, req.query),
  );
  r.post(
    '/halls',
    { schema: { tags: ['org'], summary: 'Add a hall', body: s.createHall, response: { 201: s.hall } } },
    async (req, reply) => reply.status(201).send(await svc.createHall(db, req.actor, req.body)),
  );
  r.patch(
    '/halls/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Change a hall',
        params: s.idParams,
        body: s.updateHall,
        response: { 200: s.hall },
      },
    },
    (req) => svc.updateHall(db, req.actor, req.params.id, req.body),
  );

  r.get(
    '/windows',
    {
      schema: {
        tags: ['org'],
        summary: 'List windows',
        querystring: s.windowList,
        response: { 200: pageOf(s.window) },
      },
    },
    (req) => svc.listWindows(db, req.actor, req.query),
  );
  r.post(
    '/windows',
    {
      schema: {
        tags: ['org'],
        summary: 'Add a window (comprehensive or departmental)',
        body: s.createWindow,
        response: { 201: s.window },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createWindow(db, req.actor, req.body)),
  );
  r.patch(
    '/windows/:id',
    {
      schema: {
        tags: ['org'],
        summary: 'Change a window',
        params: s.idParams,
        body: s.updateWindow,
        response: { 200: s.window },
      },
    },
    (req) => svc.updateWindow(db, req.actor, req.params.id, req.body),
  );
}
