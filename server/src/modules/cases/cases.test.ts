import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { statementsSent } from '../../db/client.js';
import { demoResidentId } from '../../db/seed/demo-org.js';
import type { StaffActor } from '../../platform/actor.js';
import { setClockOffset } from '../../platform/clock.js';
import { type Client, createTestApp, type TestApp } from '../../test/app.js';
import { caseFileStore } from './files.js';
import { compactCaseCounts, runArt32, runWarnings } from './jobs.js';
import { prepareCaseAct } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ catalog: true });
});
afterAll(() => t.close());
afterEach(() => setClockOffset(0));

/** A tiny valid PDF (magic bytes are what the upload check reads). */
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function itemCode(name: string): Promise<string> {
  const row = await t.db
    .selectFrom('catalog_versions')
    .select('code')
    .where('kind', '=', 'item')
    .where('name', '=', name)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.code;
}

function multipart(filename: string, bytes: Buffer, type = 'application/pdf') {
  const boundary = '----tongban-test';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(c: Client, caseId: string, materialId: string, name = 'scan.pdf', bytes = pdf) {
  const m = multipart(name, bytes);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/materials/${materialId}/file`,
    cookies: c.cookies,
    headers: { ...m.headers, 'x-csrf-token': c.cookies.tb_csrf },
    payload: m.body,
  });
}

type Detail = {
  id: string;
  number: string;
  status: string;
  version: number;
  stepName: string | null;
  promisedDue: string | null;
  deficiencyPending: boolean;
  materials: { id: string; name: string; required: boolean; allowDeficiency: boolean; status: string }[];
  documents: { id: string; kind: string; title: string; url: string }[];
  timeline: { action: string; toStatus: string; viaBackupOf: string | null }[];
};

async function act(c: Client, d: { id: string; version: number }, action: string, body: object = {}) {
  return c.post(`/api/v1/cases/${d.id}/actions/${action}`, { version: d.version, ...body });
}

async function provideAll(c: Client, d: Detail): Promise<Detail> {
  let last = d;
  for (const m of d.materials.filter((x) => x.required)) {
    const res = await upload(c, d.id, m.id);
    expect(res.statusCode, res.body).toBe(200);
    last = res.json();
  }
  return last;
}

describe('online application, pre-review and the back office (一受一核一审)', () => {
  it('runs from draft to delivery with a correction round, notices and one unified number', async () => {
    const applicant = await t.asApplicant('13900139000'); // the demo enterprise
    const code = await itemCode('食品经营许可');
    const created = await applicant.post('/api/v1/cases', {
      itemCode: code,
      form: { 经营场所: '二七区大学路 1 号' },
    });
    expect(created.statusCode, created.body).toBe(201);
    let d: Detail = created.json();
    expect(d.status).toBe('draft');
    expect((await applicant.get(`/api/v1/cases/${d.id}`)).json()).toEqual(d);
    expect(d.number).toMatch(/^410103-\d{8}-\d{5}$/);

    // Submitting without the required materials names every missing one.
    const early = await act(applicant, d, 'submit');
    expect(early.statusCode).toBe(400);
    const missing = early.json().error.details.fields as { field: string }[];
    expect(missing.length).toBe(d.materials.filter((m) => m.required && !m.allowDeficiency).length);

    d = await provideAll(applicant, d);
    // Each upload is kept in the applicant's own library (一次提供、多次使用) and audited with its material.
    const required = d.materials.filter((m) => m.required).map((m) => m.name);
    const library = (await applicant.get('/api/v1/library')).json() as { items: { name: string }[] };
    expect(library.items.map((x) => x.name)).toEqual(expect.arrayContaining(required));
    const audited = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('target_id', '=', d.id)
      .where('action', '=', 'case.material')
      .execute();
    expect(audited.map((a) => (a.after as { material: string }).material).sort()).toEqual(
      [...required].sort(),
    );
    d = (await act(applicant, d, 'submit')).json();
    expect(d.status).toBe('submitted');

    const clerk = await t.as('clerk');
    const returned = await act(clerk, d, 'preReviewReturn', { reason: '营业执照复印件不清晰' });
    expect(returned.statusCode, returned.body).toBe(200);
    d = returned.json();
    expect(d.status).toBe('returned');
    d = (await act(applicant, d, 'resubmit')).json();
    expect(d.status).toBe('submitted');
    d = (await act(clerk, d, 'preReviewPass')).json();
    expect(d.status).toBe('registered');

    const accepted = await act(clerk, d, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    d = accepted.json();
    expect(d.status).toBe('accepted');
    expect(d.promisedDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(d.stepName).toBe('审核');
    expect(d.documents.map((x) => x.kind)).toContain('acceptance');
    // The page an action answers with is the page a fresh read shows (timeline, documents, buttons).
    expect((await clerk.get(`/api/v1/cases/${d.id}`)).json()).toEqual(d);

    // 食品经营许可 has an on-site inspection: passing into it stops the clock.
    const reviewer = await t.as('reviewer');
    d = (await act(reviewer, d, 'pass')).json();
    expect(d.status).toBe('suspended');
    expect(d.documents.map((x) => x.kind)).toContain('stage_start');
    d = (await act(reviewer, d, 'resume')).json();
    expect(d.status).toBe('accepted');
    expect((await reviewer.get(`/api/v1/cases/${d.id}`)).json()).toEqual(d);
    expect(d.stepName).toBe('审批');

    const approver = await t.as('approver');
    const seen = (await approver.get(`/api/v1/cases/${d.id}`)).json().actions as string[];
    expect(seen).toEqual(expect.arrayContaining(['approve', 'deny']));
    expect(seen).not.toContain('pass');
    expect((await clerk.get(`/api/v1/cases/${d.id}`)).json().actions).not.toContain('approve');
    d = (await act(approver, d, 'approve')).json();
    expect(d.status).toBe('approved');
    d = (await act(clerk, d, 'issue')).json();
    expect(d.status).toBe('completed');
    const decision = d.documents.find((x) => x.kind === 'decision');
    expect(decision?.title).toBe('食品经营许可证');

    // The applicant sees it and downloads the decision as a PDF.
    const mine = await applicant.get(`/api/v1/cases/${d.id}`);
    expect(mine.json().status).toBe('completed');
    const file = await applicant.get(decision?.url as string);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    d = (await act(applicant, d, 'deliver', { deliveryMethod: 'download' })).json();
    expect(d.status).toBe('delivered');
    const actions = d.timeline.map((e) => e.action);
    expect(actions).toEqual([
      'register',
      'submit',
      'preReviewReturn',
      'resubmit',
      'preReviewPass',
      'accept',
      'pass',
      'resume',
      'approve',
      'issue',
      'deliver',
    ]);

    // Every step told the applicant: one SMS per event, never twice.
    await t.jobs.drain();
    const sms = await t.db
      .selectFrom('notifications')
      .select(['event_id'])
      .where('channel', '=', 'sms')
      .execute();
    expect(sms.length).toBeGreaterThanOrEqual(actions.length - 1);
    expect(new Set(sms.map((s) => s.event_id)).size).toBe(sms.length);
  });
});

describe('window: walk-in registration, 即办件 and refusal', () => {
  it('accepts and completes an immediate item in one act, with the result on the spot', async () => {
    const clerk = await t.as('clerk');
    const code = await itemCode('食品经营许可注销');
    const res = await clerk.post('/api/v1/cases', {
      itemCode: code,
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: '二七区某餐饮店',
        uscc: `91410103MA4X7Q2K6${checkUscc('91410103MA4X7Q2K6')}`,
        mobile: '13655556666',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    let d: Detail = res.json();
    expect(d.status).toBe('registered');
    d = await provideAll(clerk, d);
    const done = await act(clerk, d, 'completeOnSpot');
    expect(done.statusCode, done.body).toBe(200);
    d = done.json();
    expect(d.status).toBe('completed');
    expect(d.documents.map((x) => x.kind).sort()).toEqual(['acceptance', 'decision']);
  });

  it('a walk-in with a wrong ID check digit is a 400 naming applicant.idNumber, and no case is created', async () => {
    const clerk = await t.as('clerk');
    const before = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const good = demoResidentId('19800202', 41);
    const res = await clerk.post('/api/v1/cases', {
      itemCode: await itemCode('食品经营许可'),
      channel: 'window',
      applicant: {
        kind: 'person',
        name: '李四',
        idNumber: `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`,
        mobile: '13655557777',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('applicant.idNumber');
    const after = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a correction notice lists every problem at once; a refusal needs a legal basis', async () => {
    const clerk = await t.as('clerk');
    const d0: Detail = (
      await clerk.post('/api/v1/cases', {
        itemCode: await itemCode('食品经营许可'),
        channel: 'window',
        applicant: {
          kind: 'enterprise',
          name: '某超市',
          uscc: `91410103MA4X7Q2K2${checkUscc('91410103MA4X7Q2K2')}`,
          mobile: '13655558888',
        },
      })
    ).json();
    const corrections = d0.materials.slice(0, 2).map((m) => ({ material: m.name, problem: '未提供' }));
    const res = await act(clerk, d0, 'requestCorrection', { corrections });
    expect(res.statusCode, res.body).toBe(200);
    const d: Detail = res.json();
    expect(d.status).toBe('correcting');
    expect(d.documents.find((x) => x.kind === 'correction')?.title).toBe('补正材料告知书');
    expect(d.materials.filter((m) => m.status === 'deficient').length).toBe(2);
    const early = await act(clerk, d, 'supplyCorrection');
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.fields).toHaveLength(2);
    let fixed = d;
    for (const m of d.materials.filter((x) => x.status === 'deficient'))
      fixed = (await upload(clerk, d.id, m.id)).json();
    const back: Detail = (await act(clerk, fixed, 'supplyCorrection')).json();
    expect(back.status).toBe('registered');
    const noBasis = await act(clerk, back, 'refuse', { reason: '不属于本机关职权范围' });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().error.details.fields[0].field).toBe('legalBasis');
    const refused = await act(clerk, back, 'refuse', {
      reason: '不属于本机关职权范围',
      legalBasis: '《行政许可法》第三十二条第一款第(二)项',
    });
    expect(refused.json().status).toBe('refused');
  });
});

describe('容缺受理, authorisation and concurrency', () => {
  async function windowCase(name: string): Promise<Detail> {
    const clerk = await t.as('clerk');
    const res = await clerk.post('/api/v1/cases', {
      itemCode: await itemCode(name),
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: '容缺测试公司',
        uscc: `91410103MA4X7Q2K3${checkUscc('91410103MA4X7Q2K3')}`,
        mobile: '13655559999',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('blocks approval until the deferred material arrives', async () => {
    const clerk = await t.as('clerk');
    let d = await windowCase('食品经营许可');
    const deferrable = d.materials.find((m) => m.required && m.allowDeficiency);
    expect(deferrable, 'the demo item has a 容缺 material').toBeDefined();
    // The answers to a registration and to an upload are the pages a fresh read shows.
    expect((await clerk.get(`/api/v1/cases/${d.id}`)).json()).toEqual(d);
    for (const m of d.materials.filter((x) => x.required && x.id !== deferrable?.id)) {
      d = (await upload(clerk, d.id, m.id)).json();
      expect((await clerk.get(`/api/v1/cases/${d.id}`)).json()).toEqual(d);
    }
    const noCommitment = await act(clerk, d, 'accept', { deferredMaterials: [deferrable?.name] });
    expect(noCommitment.statusCode).toBe(400);
    expect(noCommitment.json().error.details.fields[0].field).toBe('commitment');
    d = (await act(clerk, d, 'accept', { deferredMaterials: [deferrable?.name], commitment: true })).json();
    expect(d.status).toBe('accepted');
    expect(d.deficiencyPending).toBe(true);
    const reviewer = await t.as('reviewer');
    d = (await act(reviewer, d, 'pass')).json();
    if (d.status === 'suspended') d = (await act(reviewer, d, 'resume')).json();
    const approver = await t.as('approver');
    const blocked = await act(approver, d, 'approve');
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.details.fields[0].rule).toBe('deficiencyPending');
    d = (await upload(clerk, d.id, deferrable?.id as string)).json();
    expect(d.deficiencyPending).toBe(false);
    expect((await act(approver, d, 'approve')).json().status).toBe('approved');
  });

  it('two staff acting at once: one wins, the other gets 409 and nothing else changes', async () => {
    const clerk = await t.as('clerk');
    let d = await windowCase('食品经营许可注销');
    d = await provideAll(clerk, d);
    const [a, b] = await Promise.all([
      act(clerk, d, 'accept'),
      act(clerk, d, 'refuse', { reason: '重复', legalBasis: '《行政许可法》' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = await t.db
      .selectFrom('case_events')
      .select('action')
      .where('case_id', '=', d.id)
      .execute();
    expect(events.length).toBe(2);
  });

  it('a reviewer without a letter for the department is refused; the AB backup acts while the primary is absent', async () => {
    const clerk = await t.as('clerk');
    let d = await windowCase('食品经营许可注销');
    d = await provideAll(clerk, d);
    d = (await act(clerk, d, 'accept')).json();
    const backup = await t.as('reviewer_b');
    const refused = await act(backup, d, 'pass');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('AUTH_LETTER_REQUIRED');
    const admin = await t.as('hall_admin');
    const primary = await t.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'reviewer')
      .executeTakeFirstOrThrow();
    await admin.post(`/api/v1/staff/${primary.id}/absence`, { absent: true, note: '出差' });
    const ok = await act(backup, d, 'pass');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().timeline.at(-1).viaBackupOf).toBe(primary.id);
    await admin.post(`/api/v1/staff/${primary.id}/absence`, { absent: false });
  });

  it('an upload is read with the session; a file that arrives after the case was accepted is refused and changes nothing', async () => {
    const clerk = await t.as('clerk');
    let d = await windowCase('食品经营许可注销');
    const [first, ...rest] = d.materials.filter((m) => m.required);
    // On PostgreSQL an ordinary upload is two round trips: the session with the case, then the write.
    const sentBefore = statementsSent(t.db);
    const res = await upload(clerk, d.id, first.id);
    expect(res.statusCode, res.body).toBe(200);
    if (sentBefore !== null) expect((statementsSent(t.db) ?? 0) - sentBefore).toBe(2);
    d = res.json();
    for (const m of rest) d = (await upload(clerk, d.id, m.id)).json();

    // A second scan of the first material starts; its file is still on the way when the case is accepted.
    const m = multipart('late.pdf', pdf);
    const body = new PassThrough();
    const late = t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${d.id}/materials/${first.id}/file`,
      cookies: clerk.cookies,
      headers: { ...m.headers, 'x-csrf-token': clerk.cookies.tb_csrf },
      payload: body,
    });
    body.write(m.body.subarray(0, 40));
    await new Promise((r) => setTimeout(r, 300));
    const accepted = await act(clerk, d, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    body.end(m.body.subarray(40));
    const refused = await late;
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('CONFLICT');
    // The accepted case keeps the material it was accepted with.
    const page = (await clerk.get(`/api/v1/cases/${d.id}`)).json();
    expect(page).toEqual(accepted.json());
    const row = await t.db
      .selectFrom('case_materials')
      .select(['file_name', 'status'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ file_name: 'scan.pdf', status: 'provided' });
  });

  it('a letter revoked between the check and the write: the action is refused and writes nothing', async () => {
    const clerk = await t.as('clerk');
    let d = await windowCase('食品经营许可注销');
    d = await provideAll(clerk, d);
    d = (await act(clerk, d, 'accept')).json();
    const staff = await t.db
      .selectFrom('staff')
      .select(['id', 'username', 'display_name', 'department_id', 'region_code'])
      .where('username', '=', 'reviewer')
      .executeTakeFirstOrThrow();
    const roles = await t.db.selectFrom('staff_roles').selectAll().where('staff_id', '=', staff.id).execute();
    const reviewer: StaffActor = {
      type: 'staff',
      id: staff.id,
      username: staff.username,
      displayName: staff.display_name,
      departmentId: staff.department_id,
      regionCode: staff.region_code,
      roles: roles.map((r) => ({
        id: r.id,
        role: r.role,
        departmentId: r.department_id,
        regionCode: r.region_code,
      })),
    };
    const ctx = { db: t.db, config: t.config, files: caseFileStore(t.config) };
    // Checked and prepared with the letter valid …
    const write = await prepareCaseAct(ctx, reviewer, d.id, 'pass', { version: d.version });
    const count = async () => {
      const n = (table: 'case_events' | 'outbox_events' | 'audit_log', column: string) =>
        sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${d.id}`
          .execute(t.db)
          .then((r) => r.rows[0]?.n);
      return [
        await n('case_events', 'case_id'),
        await n('outbox_events', 'aggregate_id'),
        await n('audit_log', 'target_id'),
      ];
    };
    const before = await count();
    // … then the hall revokes it before the write reaches the database.
    const revoked = await t.db
      .updateTable('authorization_letters')
      .set({ revoked_at: new Date(), revoke_reason: '调岗' })
      .where('staff_id', '=', staff.id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    expect(revoked.length).toBeGreaterThan(0);
    try {
      await expect(write(t.db)).rejects.toMatchObject({ code: 'AUTH_LETTER_REQUIRED' });
      const row = await t.db
        .selectFrom('cases')
        .select(['status', 'version', 'step_name'])
        .where('id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: d.status, version: d.version, step_name: d.stepName });
      expect(await count()).toEqual(before);
    } finally {
      await t.db
        .updateTable('authorization_letters')
        .set({ revoked_at: null, revoke_reason: null })
        .where(
          'id',
          'in',
          revoked.map((r) => r.id),
        )
        .execute();
    }
    // With the letter back, the same action goes through: nothing was half done.
    const ok = await act(await t.as('reviewer'), d, 'pass');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await count()).map((n, i) => n - before[i])).toEqual([1, 1, 1]);
  });

  it('the inbox shows each role what waits for it, soonest deadline first, with the total and pages', async () => {
    const clerk = await t.as('clerk');
    const reviewer = await t.as('reviewer');
    const approver = await t.as('approver');
    const waiting = await windowCase('食品经营许可变更');
    let inReview = await provideAll(clerk, await windowCase('食品经营许可变更'));
    inReview = (await act(clerk, inReview, 'accept')).json();
    let atApproval = await provideAll(clerk, await windowCase('食品经营许可变更'));
    atApproval = (await act(clerk, atApproval, 'accept')).json();
    atApproval = (await act(reviewer, atApproval, 'pass')).json();
    expect([inReview.stepName, atApproval.stepName]).toEqual(['审核', '审批']);

    type List = { items: { id: string; promisedDue: string | null }[]; total: number };
    const list = async (c: Client, query: string): Promise<List> => {
      const res = await c.get(`/api/v1/cases?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const ids = (l: List) => l.items.map((x) => x.id);
    const clerkInbox = await list(clerk, 'scope=inbox&pageSize=200');
    expect(ids(clerkInbox)).toContain(waiting.id);
    expect(ids(clerkInbox)).not.toContain(inReview.id);
    const reviewerInbox = await list(reviewer, 'scope=inbox&pageSize=200');
    expect(ids(reviewerInbox)).toContain(inReview.id);
    expect(ids(reviewerInbox)).not.toContain(atApproval.id);
    expect(ids(reviewerInbox)).not.toContain(waiting.id);
    const approverInbox = await list(approver, 'scope=inbox&pageSize=200');
    expect(ids(approverInbox)).toContain(atApproval.id);
    expect(ids(approverInbox)).not.toContain(inReview.id);

    // The same as the database says: every case of the department in the clerk's statuses, or registered by them.
    const { id: clerkId } = await t.db
      .selectFrom('staff')
      .select('id')
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    const { department_id: departmentId } = await t.db
      .selectFrom('cases')
      .select('department_id')
      .where('id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    const statuses = ['submitted', 'registered', 'correcting', 'approved', 'denied', 'completed'];
    const expected = await t.db
      .selectFrom('cases')
      .select('id')
      .where('status', 'in', statuses)
      .where((eb) => eb.or([eb('department_id', '=', departmentId), eb('registered_by', '=', clerkId)]))
      .execute();
    expect(clerkInbox.total).toBe(expected.length);
    expect([...ids(clerkInbox)].sort()).toEqual(expected.map((r) => r.id).sort());

    // Soonest promised deadline first, cases without one (not yet accepted) last.
    const dues = reviewerInbox.items.map((x) => x.promisedDue ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
    // Pages: the second page of one is the list's second case, with the same total.
    const second = await list(reviewer, 'scope=inbox&pageSize=1&page=2');
    expect(second.total).toBe(reviewerInbox.total);
    expect(ids(second)).toEqual(reviewerInbox.total > 1 ? [reviewerInbox.items[1]?.id] : []);
    const beyond = await list(reviewer, `scope=inbox&pageSize=1&page=${reviewerInbox.total + 1}`);
    expect(beyond).toMatchObject({ items: [], total: reviewerInbox.total });

    // Deadline warnings filter the same lists: a month on, the case in review is past its promised day.
    setClockOffset(30 * 86_400_000);
    const red = await list(reviewer, 'scope=department&warning=red&pageSize=200');
    const green = await list(reviewer, 'scope=department&warning=green&pageSize=200');
    expect(ids(red)).toContain(inReview.id);
    expect(ids(green)).not.toContain(inReview.id);
    const late = await t.db
      .selectFrom('cases')
      .select('id')
      .where('department_id', '=', departmentId)
      .where('status', 'in', ['accepted', 'suspended'])
      .where('promised_due_at', '<', new Date(Date.now() + 30 * 86_400_000))
      .execute();
    expect([...ids(red)].sort()).toEqual(late.map((r) => r.id).sort());
    expect(red.total).toBe(late.length);
  });

  it('the counters behind the list totals follow every change, a refused change moves none, and folding a gone connection keeps the sums', async () => {
    type Row = { k: string; n: number };
    const counters = async () =>
      (
        await sql<Row>`SELECT department_id || '/' || status || '/' || step_role AS k, sum(n)::int AS n
          FROM case_counts GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`.execute(t.db)
      ).rows;
    const actual = async () =>
      (
        await sql<Row>`SELECT department_id || '/' || status || '/' || coalesce(step_role, '') AS k,
          count(*)::int AS n FROM cases GROUP BY 1 ORDER BY 1`.execute(t.db)
      ).rows;
    const clerk = await t.as('clerk');
    const reviewer = await t.as('reviewer');
    let d = await provideAll(clerk, await windowCase('食品经营许可变更'));
    d = (await act(clerk, d, 'accept')).json();
    const before = await counters();
    expect(before).toEqual(await actual());
    // A stale version is refused with nothing changed, the counters included.
    expect((await act(reviewer, { id: d.id, version: d.version - 1 }, 'pass')).statusCode).toBe(409);
    expect(await counters()).toEqual(before);
    d = (await act(reviewer, d, 'pass')).json();
    expect(d.stepName).toBe('审批');
    await windowCase('食品经营许可注销');
    expect(await counters()).toEqual(await actual());
    // The reviewer's inbox total is the counters' sum at their step: the same as counting the cases.
    const inbox = (await reviewer.get('/api/v1/cases?scope=inbox')).json() as { total: number };
    const { department_id: departmentId } = await t.db
      .selectFrom('cases')
      .select('department_id')
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    const counted = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('department_id', '=', departmentId)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'suspended'),
          eb.and([eb('status', '=', 'accepted'), eb('step_role', 'in', ['reviewer', 'inspector', 'expert'])]),
        ]),
      )
      .executeTakeFirstOrThrow();
    expect(inbox.total).toBe(Number(counted.n));

    // A connection that has gone left its own row; the periodic fold moves it to slot 0, the sums unchanged.
    const row = await t.db.selectFrom('case_counts').selectAll().where('n', '>', 0).executeTakeFirstOrThrow();
    await t.db
      .updateTable('case_counts')
      .set({ slot: -7 })
      .where('department_id', '=', row.department_id)
      .where('status', '=', row.status)
      .where('step_role', '=', row.step_role)
      .where('slot', '=', row.slot)
      .execute();
    expect(await compactCaseCounts({ db: t.db })).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('case_counts').select('n').where('slot', '=', -7).execute()).toEqual([]);
    expect(await counters()).toEqual(await actual());
  });

  it('a clerk of another department cannot read the case', async () => {
    const d = await windowCase('食品经营许可注销');
    const other = await t.as('clerk_zj');
    expect((await other.get(`/api/v1/cases/${d.id}`)).statusCode).toBe(403);
  });

  it('the case page and its actions read the session with the case: a logout, a missing case and a bad id still answer as before', async () => {
    const d = await windowCase('食品经营许可注销');
    const clerk = await t.as('clerk');
    const sentBefore = statementsSent(t.db);
    const page = await clerk.get(`/api/v1/cases/${d.id}`);
    expect(page.statusCode, page.body).toBe(200);
    // On PostgreSQL the page is two round trips: the session with the case and the letters, then the
    // materials, timeline and documents.
    if (sentBefore !== null) expect((statementsSent(t.db) ?? 0) - sentBefore).toBe(2);
    expect(page.json().actions).toContain('accept');
    // The page read with the session is the page the registration answered with.
    expect(page.json()).toEqual(d);
    const missing = await clerk.get('/api/v1/cases/01a1fe33-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    const malformed = await clerk.get('/api/v1/cases/not-an-id');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.fields[0].field).toBe('params.id');
    // An action answers with the page a fresh read shows.
    const accepted = await act(clerk, await provideAll(clerk, d), 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    expect((await clerk.get(`/api/v1/cases/${d.id}`)).json()).toEqual(accepted.json());

    // After logout the same cookie reads nothing of the case and acts on nothing: 401, not 403 or 404.
    const cookies = { tb_session: clerk.cookies.tb_session, tb_csrf: clerk.cookies.tb_csrf };
    expect((await clerk.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/cases/${d.id}`, cookies });
    expect(gone.statusCode).toBe(401);
    expect(gone.body).not.toContain(d.number);
    const before = accepted.json() as Detail;
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${d.id}/actions/pass`,
      cookies,
      headers: { 'x-csrf-token': cookies.tb_csrf },
      payload: { version: before.version },
    });
    expect(stale.statusCode).toBe(401);
    const after = await (await t.as('clerk')).get(`/api/v1/cases/${d.id}`);
    expect(after.json().version).toBe(before.version);

    // An applicant who did not file the case is refused, as before.
    const applicant = await t.asApplicant('13800138000');
    expect((await applicant.get(`/api/v1/cases/${d.id}`)).statusCode).toBe(403);
  });

  it('a retried registration with the same Idempotency-Key creates one case', async () => {
    const clerk = await t.as('clerk');
    const body = {
      itemCode: await itemCode('食品经营许可注销'),
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: '幂等公司',
        uscc: `91410103MA4X7Q2K4${checkUscc('91410103MA4X7Q2K4')}`,
        mobile: '13655550000',
      },
    };
    const a = await clerk.post('/api/v1/cases', body, { 'idempotency-key': 'case-retry-1' });
    const b = await clerk.post('/api/v1/cases', body, { 'idempotency-key': 'case-retry-1' });
    expect(b.json().id).toBe(a.json().id);
    const n = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('applicant_name', '=', '幂等公司')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('the key holds even when the first answer was lost, or two nodes get the same key at once', async () => {
    const clerk = await t.as('clerk');
    const body = {
      itemCode: await itemCode('食品经营许可注销'),
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: '幂等二号公司',
        uscc: `91410103MA4X7Q2K5${checkUscc('91410103MA4X7Q2K5')}`,
        mobile: '13655550001',
      },
    };
    const a = await clerk.post('/api/v1/cases', body, { 'idempotency-key': 'case-retry-2' });
    expect(a.statusCode).toBe(201);
    // The node that registered it died before it stored its answer: only the case itself knows the key.
    await t.db.deleteFrom('idempotency_keys').where('key', '=', 'case-retry-2').execute();
    const b = await clerk.post('/api/v1/cases', body, { 'idempotency-key': 'case-retry-2' });
    expect(b.statusCode).toBe(201);
    expect(b.json()).toMatchObject({ id: a.json().id, number: a.json().number });
    // Two nodes: each has its own in-flight guard, so both requests reach the database together.
    const second = await buildApp(
      { db: t.db, config: loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }) },
      { webDist: '/nonexistent' },
    );
    try {
      const body3 = { ...body, applicant: { ...body.applicant, name: '幂等三号公司' } };
      const headers = { 'x-csrf-token': clerk.cookies.tb_csrf, 'idempotency-key': 'case-retry-3' };
      const [x, y] = await Promise.all([
        clerk.post('/api/v1/cases', body3, { 'idempotency-key': 'case-retry-3' }),
        second.inject({
          method: 'POST',
          url: '/api/v1/cases',
          cookies: clerk.cookies,
          headers,
          payload: body3,
        }),
      ]);
      expect([x.statusCode, y.statusCode]).toEqual([201, 201]);
      expect(y.json().id).toBe(x.json().id);
    } finally {
      await second.close();
    }
    const n = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('applicant_name', 'in', ['幂等二号公司', '幂等三号公司'])
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });
});

describe('statutory clocks and jobs', () => {
  it('art. 32: a case left undecided for 5 working days counts as accepted on the day of receipt', async () => {
    const clerk = await t.as('clerk');
    const d: Detail = (
      await clerk.post('/api/v1/cases', {
        itemCode: await itemCode('食品经营许可注销'),
        channel: 'window',
        applicant: {
          kind: 'enterprise',
          name: '三十二条公司',
          uscc: `91410103MA4X7Q2K5${checkUscc('91410103MA4X7Q2K5')}`,
          mobile: '13655551111',
        },
      })
    ).json();
    setClockOffset(20 * 86400_000);
    await t.jobs.drain();
    const row = await t.db
      .selectFrom('cases')
      .select(['status', 'auto_accepted', 'accepted_on', 'received_at'])
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('accepted');
    expect(row.auto_accepted).toBe(true);
    const received = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      row.received_at as Date,
    );
    expect(row.accepted_on).toBe(received);
  });

  it('art. 32 takes the longest-waiting cases first: cases not due yet cannot hold back one that is', async () => {
    const clerk = await t.as('clerk');
    const ids: string[] = [];
    for (const [name, body] of [
      ['三十二条甲公司', '91410103MA4X7Q2K7'],
      ['三十二条乙公司', '91410103MA4X7Q2K8'],
      ['三十二条丙公司', '91410103MA4X7Q2K9'],
    ]) {
      const res = await clerk.post('/api/v1/cases', {
        itemCode: await itemCode('食品经营许可注销'),
        channel: 'window',
        applicant: { kind: 'enterprise', name, uscc: `${body}${checkUscc(body)}`, mobile: '13655551112' },
      });
      ids.push((res.json() as Detail).id);
    }
    // Run on Monday 23 November 2026 at noon: received on Tuesday the 17th (over five calendar days ago, but
    // not five working days) is not due; received on Monday the 9th is. With room for two a run, the due one
    // must be among them whatever order the database would return the three in (at 1,000,000 cases it
    // returned them by region, and ~380 of every 500 were not due).
    const [notDue1, notDue2, due] = ids;
    for (const [id, at] of [
      [notDue1, '2026-11-17T01:00:00Z'],
      [notDue2, '2026-11-17T02:00:00Z'],
      [due, '2026-11-09T01:00:00Z'],
    ] as const)
      await t.db
        .updateTable('cases')
        .set({ received_at: new Date(at) })
        .where('id', '=', id)
        .execute();
    const job = { ...t.jobs.context(), now: new Date('2026-11-23T04:00:00Z') };
    expect(await runArt32(job, 2)).toBe(1);
    const rows = await t.db.selectFrom('cases').select(['id', 'status']).where('id', 'in', ids).execute();
    const status = new Map(rows.map((r) => [r.id, r.status]));
    expect([status.get(notDue1), status.get(notDue2), status.get(due)]).toEqual([
      'registered',
      'registered',
      'accepted',
    ]);
  });

  it('the public progress query needs the number and the code, and shows no personal data', async () => {
    const applicant = await t.asApplicant('13900139000');
    const list = await applicant.get('/api/v1/cases?scope=mine');
    const c = list.json().items[0] as { number: string };
    const wrong = await t.anonymous().get(`/api/v1/public/progress?number=${c.number}&code=000000`);
    expect(wrong.statusCode).toBe(404);
    const res = await t.anonymous().get(`/api/v1/public/progress?number=${c.number}&code=13900139000`);
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).not.toContain('13900139000');
    expect(text).not.toContain('郑州二七示范餐饮有限公司');
    expect(res.json().timeline.length).toBeGreaterThan(1);
  });

  it('stores deadlines as instants the lists read by index', async () => {
    const rows = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM cases WHERE status = 'accepted' AND promised_due_at IS NULL`.execute(
      t.db,
    );
    expect(rows.rows[0].n).toBe(0);
  });
});

/** GB 32100 check character for a 17-character body. */
function checkUscc(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((acc, ch, i) => acc + alphabet.indexOf(ch) * weights[i], 0);
  return alphabet[(31 - (sum % 31)) % 31];
}

describe('deemed approval, approval on commitment, extension, withdrawal and uploads', () => {
  async function registered(name: string, suffix: string): Promise<{ clerk: Client; d: Detail }> {
    const clerk = await t.as('clerk');
    const body17 = `91410103MA4X7Q2${suffix}`;
    const res = await clerk.post('/api/v1/cases', {
      itemCode: await itemCode(name),
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: `测试${suffix}公司`,
        uscc: `${body17}${checkUscc(body17)}`,
        mobile: '13655552222',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { clerk, d: await provideAll(clerk, res.json()) };
  }

  it('超时默认: an item flagged for it is approved by the system when the promised deadline passes', async () => {
    const code = await itemCode('食品经营许可注销');
    await sql`UPDATE catalog_versions SET data = jsonb_set(data, '{deemedApproval}', 'true') WHERE code = ${code}`.execute(
      t.db,
    );
    try {
      const { clerk, d: d0 } = await registered('食品经营许可注销', 'M1');
      const d = (await act(clerk, d0, 'accept')).json() as Detail;
      expect(d.status).toBe('accepted');
      setClockOffset(30 * 86400_000);
      await t.jobs.drain();
      const row = await t.db
        .selectFrom('cases')
        .select(['status', 'deemed_approved', 'decision'])
        .where('id', '=', d.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'approved', deemed_approved: true, decision: 'approved' });
      const ev = await t.db
        .selectFrom('case_events')
        .select(['action', 'actor_type', 'reason'])
        .where('case_id', '=', d.id)
        .orderBy('at', 'desc')
        .executeTakeFirstOrThrow();
      expect(ev).toMatchObject({ action: 'deemApprove', actor_type: 'system' });
      expect(ev.reason).toContain('视为准予');
    } finally {
      await sql`UPDATE catalog_versions SET data = jsonb_set(data, '{deemedApproval}', 'false') WHERE code = ${code}`.execute(
        t.db,
      );
    }
  });

  it('warns the applicant once when the yellow line is passed, and reminds them of a 容缺 material due', async () => {
    const accepted = async (suffix: string) => {
      const { clerk, d } = await registered('食品经营许可注销', suffix);
      return (await act(clerk, d, 'accept')).json() as Detail;
    };
    const [yellow, deficient, quiet] = [await accepted('W1'), await accepted('W2'), await accepted('W3')];
    // The item's deadline and today's date may put the yellow line before now already: move the others' ahead.
    const hourAgo = new Date(Date.now() - 3600_000);
    await t.db.updateTable('cases').set({ warn_at: hourAgo }).where('id', '=', yellow.id).execute();
    await t.db
      .updateTable('cases')
      .set({ warn_at: new Date(Date.now() + 7 * 86400_000) })
      .where('id', 'in', [deficient.id, quiet.id])
      .execute();
    await t.db
      .updateTable('cases')
      .set({ deficiency_pending: true, deficiency_notified: false, deficiency_due: '2026-01-05' })
      .where('id', '=', deficient.id)
      .execute();
    await runWarnings(t.jobs.context());
    await runWarnings(t.jobs.context());
    const events = await t.db
      .selectFrom('outbox_events')
      .select(['type', 'aggregate_id'])
      .where('aggregate_id', 'in', [yellow.id, deficient.id, quiet.id])
      .where('type', 'in', ['case.warning', 'case.deficiencyDue'])
      .execute();
    expect(events.map((e) => `${e.type} ${e.aggregate_id}`).sort()).toEqual(
      [`case.deficiencyDue ${deficient.id}`, `case.warning ${yellow.id}`].sort(),
    );
  });

  it('告知承诺: approved at once on the commitment, with a post-verification task for the department', async () => {
    const { d } = await registered('食品经营许可', 'C1');
    const approver = await t.as('approver');
    const without = await act(approver, d, 'approveOnCommitment');
    expect(without.statusCode).toBe(400);
    expect(without.json().error.details.fields[0].field).toBe('commitment');
    const ok = await act(approver, d, 'approveOnCommitment', { commitment: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('approved');
    const task = await t.db
      .selectFrom('post_verifications')
      .selectAll()
      .where('case_id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(task.status).toBe('open');
    expect(task.due_on > (ok.json().promisedDue as string)).toBe(true);
  });

  it('extends once by at most 10 working days, with a notice; a second extension is refused', async () => {
    const { clerk, d: d0 } = await registered('食品经营许可注销', 'E1');
    const d = (await act(clerk, d0, 'accept')).json() as Detail;
    const approver = await t.as('approver');
    const tooLong = await act(approver, d, 'extend', { days: 11, reason: '需补充核查' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details.fields[0].field).toBe('days');
    const ok = await act(approver, d, 'extend', { days: 5, reason: '需补充核查' });
    expect(ok.statusCode, ok.body).toBe(200);
    const e = ok.json() as Detail;
    expect(e.promisedDue && d.promisedDue && e.promisedDue > d.promisedDue).toBe(true);
    expect(e.documents.map((x) => x.kind)).toContain('extension');
    expect((await act(approver, e, 'extend', { days: 2, reason: '再延' })).statusCode).toBe(409);
  });

  it('the applicant withdraws before a decision; a clerk cannot withdraw for them', async () => {
    const applicant = await t.asApplicant('13900139000');
    const d = (
      await applicant.post('/api/v1/cases', { itemCode: await itemCode('食品经营许可'), form: {} })
    ).json() as Detail;
    const clerk = await t.as('clerk');
    expect((await act(clerk, d, 'withdraw')).statusCode).toBe(403);
    const w = await act(applicant, d, 'withdraw');
    expect(w.json().status).toBe('withdrawn');
  });

  it('an upload whose content does not match its extension is a 400 on file and attaches nothing', async () => {
    const applicant = await t.asApplicant('13900139000');
    const d = (
      await applicant.post('/api/v1/cases', { itemCode: await itemCode('食品经营许可'), form: {} })
    ).json() as Detail;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    const res = await upload(applicant, d.id, d.materials[0].id, 'licence.pdf', png);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ field: 'file', rule: 'contentMismatch' });
    const m = await t.db
      .selectFrom('case_materials')
      .select('status')
      .where('id', '=', d.materials[0].id)
      .executeTakeFirstOrThrow();
    expect(m.status).toBe('missing');
    const html = await upload(applicant, d.id, d.materials[0].id, 'x.exe', Buffer.from('MZ'));
    expect(html.json().error.details.fields[0].rule).toBe('type');
  });

  it('an upload over the size limit is a 413 naming file and attaches nothing', async () => {
    const applicant = await t.asApplicant('13900139000');
    const d = (
      await applicant.post('/api/v1/cases', { itemCode: await itemCode('食品经营许可'), form: {} })
    ).json() as Detail;
    const big = Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024 + 1 - pdf.length, 0x20)]);
    const res = await upload(applicant, d.id, d.materials[0].id, 'big.pdf', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.details.fields[0].field).toBe('file');
    const m = await t.db
      .selectFrom('case_materials')
      .select('status')
      .where('id', '=', d.materials[0].id)
      .executeTakeFirstOrThrow();
    expect(m.status).toBe('missing');
  });

  it('an unknown item is a 400 naming itemCode; an action not allowed in this state is a 409 that changes nothing', async () => {
    const applicant = await t.asApplicant('13900139000');
    const bad = await applicant.post('/api/v1/cases', { itemCode: 'NO-SUCH-ITEM', form: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('itemCode');
    const d = (
      await applicant.post('/api/v1/cases', { itemCode: await itemCode('食品经营许可'), form: {} })
    ).json() as Detail;
    const approver = await t.as('approver');
    const res = await act(approver, d, 'approve');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    const row = await t.db
      .selectFrom('cases')
      .select(['status', 'version'])
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'draft', version: d.version });
  });
});

describe('claiming, proxy agents and department systems', () => {
  it('a clerk claims a case; a colleague cannot take it until it is released', async () => {
    const clerk = await t.as('clerk');
    const body17 = '91410103MA4X7Q2L1';
    const d: Detail = (
      await clerk.post('/api/v1/cases', {
        itemCode: await itemCode('食品经营许可注销'),
        channel: 'window',
        applicant: {
          kind: 'enterprise',
          name: '认领测试公司',
          uscc: `${body17}${checkUscc(body17)}`,
          mobile: '13655553333',
        },
      })
    ).json();
    const claimed = await clerk.post(`/api/v1/cases/${d.id}/claim`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    const mine = (await clerk.get('/api/v1/cases?scope=claimed')).json().items as { id: string }[];
    expect(mine.map((x) => x.id)).toContain(d.id);
    const admin = await t.as('hall_admin');
    const colleague = await admin.post('/api/v1/staff', {
      username: 'clerk_scjg_2',
      displayName: '钱窗口',
      password: 'Colleague2026',
      departmentId: (
        await t.db
          .selectFrom('departments')
          .select('id')
          .where('short_name', '=', '市场监管')
          .executeTakeFirstOrThrow()
      ).id,
      regionCode: '410103',
      roles: [{ role: 'window_clerk' }],
    });
    expect(colleague.statusCode).toBe(201);
    const other = await t.as('clerk_scjg_2', 'Colleague2026');
    const taken = await other.post(`/api/v1/cases/${d.id}/claim`);
    expect(taken.statusCode).toBe(409);
    expect((await clerk.post(`/api/v1/cases/${d.id}/release`)).statusCode).toBe(200);
    expect((await other.post(`/api/v1/cases/${d.id}/claim`)).statusCode).toBe(200);
    const timeline = (await other.get(`/api/v1/cases/${d.id}`)).json().timeline as { action: string }[];
    expect(timeline.map((e) => e.action)).toEqual(['register', 'claim', 'release', 'claim']);
  });

  it('a proxy agent files on behalf of a villager; the case shows in the agent’s list and the applicant’s own', async () => {
    const agent = await t.as('agent');
    const res = await agent.post('/api/v1/cases', {
      itemCode: await itemCode('食品经营许可注销'),
      channel: 'proxy',
      applicant: {
        kind: 'enterprise',
        name: '郑州二七示范餐饮有限公司',
        uscc: (
          await t.db
            .selectFrom('applicants')
            .select('uscc')
            .where('mobile', '=', '13900139000')
            .executeTakeFirstOrThrow()
        ).uscc as string,
        mobile: '13900139000',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d.channel).toBe('proxy');
    expect(d.number.startsWith('410103001001-')).toBe(true);
    expect(
      ((await agent.get('/api/v1/cases?scope=mine')).json().items as { id: string }[]).map((x) => x.id),
    ).toContain(d.id);
    const owner = await t.asApplicant('13900139000');
    expect((await owner.get(`/api/v1/cases/${d.id}`)).statusCode).toBe(200);
  });

  it("a department system registers through the API with its token, for its own department's items only", async () => {
    const admin = await t.as('hall_admin');
    const scjg = (
      await t.db
        .selectFrom('departments')
        .select('id')
        .where('short_name', '=', '市场监管')
        .executeTakeFirstOrThrow()
    ).id;
    const token = (
      await admin.post('/api/v1/api-tokens', { name: '市场监管审批系统', departmentId: scjg })
    ).json().token as string;
    const body17 = '91410103MA4X7Q2L2';
    const applicant = {
      kind: 'enterprise',
      name: '接口测试公司',
      uscc: `${body17}${checkUscc(body17)}`,
      mobile: '13655554444',
    };
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { authorization: `Bearer ${token}` },
      payload: { itemCode: await itemCode('食品经营许可注销'), channel: 'api', applicant },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ channel: 'api', status: 'registered' });
    const foreign = await t.db
      .selectFrom('catalog_versions as v')
      .innerJoin('departments as d', 'd.id', 'v.department_id')
      .select('v.code')
      .where('v.kind', '=', 'item')
      .where('v.status', '=', 'published')
      .where('d.short_name', '<>', '市场监管')
      .executeTakeFirstOrThrow();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { authorization: `Bearer ${token}` },
      payload: { itemCode: foreign.code, channel: 'api', applicant },
    });
    expect(refused.statusCode).toBe(403);
  });
});
