import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { pageOf } from '../../platform/validation.js';
import * as alerts from './alerts.js';
import { getAssessment } from './assessment.js';
import { getBoard, listBoardCases } from './board.js';
import { bulletinPdf, bulletinXlsx, getBulletin } from './bulletin.js';
import * as cards from './cards.js';
import { getFigures, getTrend } from './figures.js';
import { registerSupervisionJobs } from './jobs.js';
import { subscribe } from './live.js';
import { requireWatcher } from './policy.js';
import * as s from './schema.js';
import { getSettings, updateSettings } from './settings.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(
  reply: FastifyReply,
  bytes: Buffer | Uint8Array,
  name: string,
  type: string,
  inline = false,
) {
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(Buffer.from(bytes));
}

/** Electronic supervision (电子监察) under /api/v1/supervision. */
export function registerSupervisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerSupervisionJobs();
  const { db } = ctx;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];

  r.get(
    '/supervision/board',
    {
      schema: {
        tags,
        summary: 'Open cases by warning level (green, yellow, red), broken down by one dimension',
        querystring: s.boardQuery,
        response: { 200: s.board },
      },
    },
    (req) => getBoard(db, req.actor, req.query),
  );
  r.get(
    '/supervision/board/cases',
    {
      schema: {
        tags,
        summary: 'Open cases of one level (and group), most urgent first, for drill-down',
        querystring: s.boardCasesQuery,
        response: { 200: pageOf(s.boardCase) },
      },
    },
    (req) => listBoardCases(db, req.actor, req.query),
  );
  r.get(
    '/supervision/stream',
    {
      schema: {
        tags,
        summary:
          'Live board updates (text/event-stream): an event `change` whenever cases, alerts or cards change or a deadline passes',
      },
    },
    async (req, reply) => {
      requireWatcher(req.actor);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\nevent: hello\ndata: {}\n\n');
      const unsubscribe = await subscribe(db, (e) => {
        raw.write(`event: change\nid: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
  r.get(
    '/supervision/figures',
    {
      schema: {
        tags,
        summary:
          'The published figures for a period (docs/metrics.md), optionally per region, hall, department, window, item or staff',
        querystring: s.figuresQuery,
        response: { 200: s.figuresResult },
      },
    },
    (req) => getFigures(db, req.actor, req.query),
  );
  r.get(
    '/supervision/figures/trend',
    {
      schema: {
        tags,
        summary: 'The figures per day, week, month, quarter or year inside a period',
        querystring: s.trendQuery,
        response: { 200: s.trendResult },
      },
    },
    (req) => getTrend(db, req.actor, req.query),
  );

  r.get(
    '/supervision/alerts',
    {
      schema: {
        tags,
        summary: 'Alerts raised by the supervision rules, newest first, with their evidence',
        querystring: s.alertList,
        response: { 200: pageOf(s.alert) },
      },
    },
    (req) => alerts.listAlerts(db, req.actor, req.query),
  );
  r.get(
    '/supervision/alerts/:id',
    { schema: { tags, summary: 'One alert', params: s.idParams, response: { 200: s.alert } } },
    (req) => alerts.getAlert(db, req.actor, req.params.id),
  );
  r.post(
    '/supervision/alerts/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'The department acknowledges an alert (raised → acknowledged)',
        params: s.idParams,
        body: s.versionBody,
        response: { 200: s.alert },
      },
    },
    (req) =>
      alerts.stepAlert(db, req.actor, req.params.id, { kind: 'acknowledge', version: req.body.version }),
  );
  r.post(
    '/supervision/alerts/:id/rectify',
    {
      schema: {
        tags,
        summary: 'The department reports the rectification with a note and evidence (→ rectified)',
        params: s.idParams,
        body: s.rectifyBody,
        response: { 200: s.alert },
      },
    },
    (req) => alerts.stepAlert(db, req.actor, req.params.id, { kind: 'rectify', ...req.body }),
  );
  r.post(
    '/supervision/alerts/:id/close',
    {
      schema: {
        tags,
        summary: 'A supervisor closes the alert (→ closed)',
        params: s.idParams,
        body: s.closeBody,
        response: { 200: s.alert },
      },
    },
    (req) => alerts.stepAlert(db, req.actor, req.params.id, { kind: 'close', ...req.body }),
  );
  r.post(
    '/supervision/alerts/:id/reopen',
    {
      schema: {
        tags,
        summary: 'A supervisor rejects the rectification (rectified → acknowledged) with a note',
        params: s.idParams,
        body: s.reopenBody,
        response: { 200: s.alert },
      },
    },
    (req) => alerts.stepAlert(db, req.actor, req.params.id, { kind: 'reopen', ...req.body }),
  );

  r.get(
    '/supervision/cards',
    {
      schema: {
        tags,
        summary: 'Yellow and red cards (效能监察)',
        querystring: s.cardList,
        response: { 200: pageOf(s.card) },
      },
    },
    (req) => cards.listCards(db, req.actor, req.query),
  );
  r.post(
    '/supervision/cards',
    {
      schema: {
        tags,
        summary: 'Issue a yellow or red card to a department or a staff member',
        body: s.createCard,
        response: { 201: s.card },
      },
    },
    async (req, reply) => reply.status(201).send(await cards.issueCard(db, req.actor, req.body)),
  );
  r.get(
    '/supervision/cards/:id',
    { schema: { tags, summary: 'One card', params: s.idParams, response: { 200: s.card } } },
    (req) => cards.getCard(db, req.actor, req.params.id),
  );
  r.post(
    '/supervision/cards/:id/rectify',
    {
      schema: {
        tags,
        summary: 'The department reports its rectification (issued → rectified)',
        params: s.idParams,
        body: s.rectifyCard,
        response: { 200: s.card },
      },
    },
    (req) => cards.stepCard(db, req.actor, req.params.id, { kind: 'rectify', ...req.body }),
  );
  r.post(
    '/supervision/cards/:id/close',
    {
      schema: {
        tags,
        summary: 'A supervisor closes the card (→ closed)',
        params: s.idParams,
        body: s.versionBody,
        response: { 200: s.card },
      },
    },
    (req) => cards.stepCard(db, req.actor, req.params.id, { kind: 'close', version: req.body.version }),
  );
  r.get(
    '/supervision/cards/:id/notice.pdf',
    { schema: { tags, summary: 'The rectification notice (整改通知书) as PDF', params: s.idParams } },
    async (req, reply) => {
      const { name, pdf } = await cards.cardNotice(db, req.actor, req.params.id);
      return sendFile(reply, pdf, name, 'application/pdf', true);
    },
  );

  r.get(
    '/supervision/assessment',
    {
      schema: {
        tags,
        summary: 'Scores and ranking of departments, windows or staff for a month, quarter or year (考核)',
        querystring: s.assessmentQuery,
        response: { 200: s.assessment },
      },
    },
    (req) => getAssessment(db, req.actor, req.query),
  );
  r.get(
    '/supervision/bulletin.xlsx',
    {
      schema: { tags, summary: 'The monthly bulletin (月通报) as a workbook', querystring: s.bulletinQuery },
    },
    async (req, reply) =>
      sendFile(
        reply,
        await bulletinXlsx(await getBulletin(db, req.actor, req.query)),
        `月通报-${req.query.month}.xlsx`,
        XLSX_TYPE,
      ),
  );
  r.get(
    '/supervision/bulletin.pdf',
    {
      schema: {
        tags,
        summary: 'The monthly bulletin (月通报) as a PDF with charts',
        querystring: s.bulletinQuery,
      },
    },
    async (req, reply) =>
      sendFile(
        reply,
        await bulletinPdf(await getBulletin(db, req.actor, req.query)),
        `月通报-${req.query.month}.pdf`,
        'application/pdf',
      ),
  );

  r.get(
    '/supervision/settings',
    { schema: { tags, summary: 'Thresholds and assessment weights', response: { 200: s.settings } } },
    (req) => getSettings(db, req.actor),
  );
  r.put(
    '/supervision/settings',
    {
      schema: {
        tags,
        summary: 'Change thresholds and assessment weights (optimistic on version)',
        body: s.updateSettings,
        response: { 200: s.settings },
      },
    },
    (req) => updateSettings(db, req.actor, req.body),
  );
}
