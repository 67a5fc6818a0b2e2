import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoJoint } from '../../db/seed/demo-joint.js';
import { setClockOffset } from '../../platform/clock.js';
import { type Client, createTestApp, type TestApp } from '../../test/app.js';
import { openJointIds } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ catalog: true });
  await seedDemoJoint(t.db);
}, 120_000);
afterAll(() => t.close());
afterEach(() => setClockOffset(0));

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

type Member = {
  caseId: string;
  itemName: string;
  departmentName: string;
  status: string;
  version: number;
  materials: string[];
};
type Joint = {
  id: string;
  number: string;
  status: string;
  version: number;
  promisedDue: string | null;
  members: Member[];
  materials: { id: string; name: string; required: boolean; status: string; itemCodes: string[] }[];
  corrections: { round: number; status: string; items: { material: string; departmentName: string }[] }[];
  actions: string[];
  workingDaysTaken: number | null;
  sequentialLimitDays: number;
  daysSaved: number | null;
  outcome: string | null;
};

async function upload(c: Client, jointId: string, materialId: string) {
  const boundary = '----tongban-joint';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/joint-cases/${jointId}/materials/${materialId}/file`,
    cookies: c.cookies,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-csrf-token': c.cookies.tb_csrf,
    },
    payload: body,
  });
}

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

async function count(table: 'joint_templates' | 'joint_template_members' | 'audit_log' | 'projects') {
  const r = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Apply for 企业开办 online as the demo enterprise with every material, and submit. */
async function applyEnterprise(applicant: Client): Promise<Joint> {
  const created = await applicant.post('/api/v1/joint-cases', {
    templateCode: 'QYKB',
    form: {
      companyName: '郑州二七通办科技有限公司',
      address: '二七区大学路 8 号',
      legalRep: '王五',
      staffCount: '12',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  let j: Joint = created.json();
  for (const m of j.materials.filter((x) => x.required)) {
    const res = await upload(applicant, j.id, m.id);
    expect(res.statusCode, res.body).toBe(200);
    j = res.json();
  }
  const submitted = await applicant.post(`/api/v1/joint-cases/${j.id}/submit`, { version: j.version });
  expect(submitted.statusCode, submitted.body).toBe(200);
  return submitted.json();
}

async function caseAct(c: Client, caseId: string, action: string, body: object = {}) {
  const d = (await c.get(`/api/v1/cases/${caseId}`)).json() as { version: number };
  const res = await c.post(`/api/v1/cases/${caseId}/actions/${action}`, { version: d.version, ...body });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json() as { status: string; stepName: string | null };
}

/** A member department takes its sub-case from review to an issued result. */
async function finishMember(reviewer: Client, approver: Client, caseId: string) {
  await caseAct(reviewer, caseId, 'pass');
  await caseAct(approver, caseId, 'approve');
  const done = await caseAct(approver, caseId, 'issue');
  expect(done.status).toBe('completed');
}

describe('joint templates (admin)', () => {
  it('shows 企业开办 with five members of five departments, one merged form and a deduplicated material set', async () => {
    const res = await t.anonymous().get('/api/v1/joint-templates/QYKB');
    expect(res.statusCode, res.body).toBe(200);
    const tpl = res.json();
    expect(tpl.members).toHaveLength(5);
    expect(new Set(tpl.members.map((m: { departmentId: string }) => m.departmentId)).size).toBe(5);
    const licence = tpl.materials.find((m: { name: string }) => m.name === '营业执照');
    // Asked for by three members, asked for once.
    expect(licence.itemCodes).toHaveLength(3);
    expect(tpl.materials.filter((m: { name: string }) => m.name === '营业执照')).toHaveLength(1);
    expect(tpl.sequentialDays).toBe(3);
  });

  it('refuses an unpublished item, a duplicate member and an unmapped field with a 400 naming each, writing nothing', async () => {
    const admin = await t.as('hall_admin');
    const base = (await t.anonymous().get('/api/v1/joint-templates/QYKB')).json();
    const company = await itemCode('公司设立登记');
    const seal = await itemCode('公章刻制备案');
    const before = {
      templates: await count('joint_templates'),
      members: await count('joint_template_members'),
      audit: await count('audit_log'),
    };
    const res = await admin.post(
      '/api/v1/joint-templates',
      {
        code: 'BAD1',
        name: '错误模板',
        mode: 'joint',
        category: '商贸流通',
        regionCode: '410103',
        leadDepartmentId: base.leadDepartmentId,
        promisedDays: 3,
        legalDays: 15,
        members: [
          { itemCode: company },
          { itemCode: 'NO-SUCH-ITEM-404' },
          { itemCode: seal },
          { itemCode: company },
        ],
        formFields: [
          { key: 'name', label: '企业名称', maps: [{ itemCode: company, field: '企业名称' }] },
          { key: 'orphan', label: '孤立字段', maps: [] },
        ],
      },
      { 'accept-language': 'en-US' },
    );
    expect(res.statusCode, res.body).toBe(400);
    const fields = res.json().error.details.fields as { field: string; rule: string; message: string }[];
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'members.1.itemCode', rule: 'published' }),
        expect.objectContaining({ field: 'members.3.itemCode', rule: 'unique' }),
        expect.objectContaining({ field: 'formFields.1.maps', rule: 'mapped' }),
      ]),
    );
    expect(fields.find((f) => f.rule === 'mapped')?.message).toContain('孤立字段');
    // The same answer in Chinese.
    const zh = await admin.post('/api/v1/joint-templates', {
      ...{ code: 'BAD2', name: '错误', category: '商贸流通', regionCode: '410103' },
      leadDepartmentId: base.leadDepartmentId,
      promisedDays: 50,
      legalDays: 50,
      members: [{ itemCode: company }, { itemCode: seal }],
    });
    expect(zh.statusCode).toBe(400);
    expect(JSON.stringify(zh.json().error.details.fields)).toContain('不能超过 45 个工作日');
    expect(await count('joint_templates')).toBe(before.templates);
    expect(await count('joint_template_members')).toBe(before.members);
    expect(await count('audit_log')).toBe(before.audit);
  });
});

describe('企业开办 as one joint case', () => {
  it('applies once, is accepted once, runs in parallel with one combined correction, completes and is handed over once', async () => {
    const applicant = await t.asApplicant('13900139000');
    let j = await applyEnterprise(applicant);
    expect(j.status).toBe('submitted');
    expect(j.number).toMatch(/^LB410103-\d{8}-\d{5}$/);
    expect(j.members).toHaveLength(5);
    expect(j.members.every((m) => m.status === 'registered')).toBe(true);

    // The member department sees its sub-case in its normal inbox, with the materials given once.
    const gjj = await t.as('gjj_officer');
    const fundCase = j.members.find((m) => m.itemName === '住房公积金单位缴存登记') as Member;
    const seen = (await gjj.get(`/api/v1/cases/${fundCase.caseId}`)).json();
    expect(seen.materials.find((m: { name: string }) => m.name === '营业执照').status).toBe('provided');
    expect(seen.form.单位名称).toBe('郑州二七通办科技有限公司');

    // 首问启动: the first window accepts once; every sub-case starts at the same moment.
    const clerk = await t.as('clerk');
    const accepted = await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version });
    expect(accepted.statusCode, accepted.body).toBe(200);
    j = accepted.json();
    expect(j.status).toBe('accepted');
    expect(j.promisedDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(j.members.every((m) => m.status === 'accepted')).toBe(true);
    await t.jobs.drain();
    const copied = await t.db
      .selectFrom('notifications as n')
      .innerJoin('outbox_events as e', 'e.id', 'n.event_id')
      .select('n.id')
      .where('e.type', '=', 'joint.notified')
      .execute();
    expect(copied.length).toBeGreaterThanOrEqual(5);

    const by = (name: string) => j.members.find((m) => m.itemName === name) as Member;
    const ga = await t.as('ga_officer');
    const ss = await t.as('ss_officer');
    const rs = await t.as('rs_officer');
    // Two departments act on their sub-cases at the same moment.
    const [a, b] = await Promise.all([
      ga.post(`/api/v1/cases/${by('公章刻制备案').caseId}/actions/pass`, {
        version: by('公章刻制备案').version,
      }),
      ss.post(`/api/v1/cases/${by('发票领用').caseId}/actions/pass`, { version: by('发票领用').version }),
    ]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);

    // A department cannot act on another department's sub-case.
    const foreign = await ga.post(`/api/v1/joint-cases/${j.id}/corrections`, {
      caseId: by('单位社会保险登记').caseId,
      version: by('单位社会保险登记').version,
      corrections: [{ material: '单位社会保险登记表', problem: '未盖章' }],
    });
    expect(foreign.statusCode).toBe(403);

    // 人社 and 公积金 ask for corrections: one round, one notice, two departments.
    const social = by('单位社会保险登记');
    const r1 = await rs.post(`/api/v1/joint-cases/${j.id}/corrections`, {
      caseId: social.caseId,
      version: social.version,
      corrections: [{ material: '单位社会保险登记表', problem: '未加盖公章' }],
    });
    expect(r1.statusCode, r1.body).toBe(200);
    j = r1.json();
    expect(j.status).toBe('correcting');
    expect(j.members.find((m) => m.caseId === social.caseId)?.status).toBe('suspended');
    const wrong = await gjj.post(`/api/v1/joint-cases/${j.id}/corrections`, {
      caseId: fundCase.caseId,
      version: by('住房公积金单位缴存登记').version,
      corrections: [{ material: '公司章程', problem: '不是本部门材料' }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.fields[0].field).toBe('corrections.0.material');
    const r2 = await gjj.post(`/api/v1/joint-cases/${j.id}/corrections`, {
      caseId: fundCase.caseId,
      version: by('住房公积金单位缴存登记').version,
      corrections: [{ material: '单位缴存登记表', problem: '缴存比例未填写' }],
    });
    expect(r2.statusCode, r2.body).toBe(200);
    j = r2.json();
    expect(j.corrections).toHaveLength(1);
    expect(j.corrections[0].items.map((x) => x.material).sort()).toEqual([
      '单位社会保险登记表',
      '单位缴存登记表',
    ]);

    // The applicant sees one combined notice and supplies once.
    let mine: Joint = (await applicant.get(`/api/v1/joint-cases/${j.id}`)).json();
    expect(mine.actions).toContain('supply');
    const early = await applicant.post(`/api/v1/joint-cases/${j.id}/supply`, { version: mine.version });
    expect(early.statusCode).toBe(400);
    for (const m of mine.materials.filter((x) => x.status === 'deficient')) {
      const res = await upload(applicant, j.id, m.id);
      expect(res.statusCode, res.body).toBe(200);
      mine = res.json();
    }
    const supplied = await applicant.post(`/api/v1/joint-cases/${j.id}/supply`, { version: mine.version });
    expect(supplied.statusCode, supplied.body).toBe(200);
    j = supplied.json();
    expect(j.status).toBe('accepted');
    expect(j.members.filter((m) => m.status === 'suspended')).toHaveLength(0);

    // Every department finishes its part.
    await caseAct(ga, by('公章刻制备案').caseId, 'approve');
    await caseAct(ga, by('公章刻制备案').caseId, 'issue');
    await caseAct(ss, by('发票领用').caseId, 'approve');
    await caseAct(ss, by('发票领用').caseId, 'issue');
    await finishMember(rs, rs, social.caseId);
    await finishMember(gjj, gjj, fundCase.caseId);
    const reviewer = await t.as('reviewer');
    const approver = await t.as('approver');
    await finishMember(reviewer, approver, by('公司设立登记').caseId);

    j = (await clerk.get(`/api/v1/joint-cases/${j.id}`)).json();
    expect(j.status).toBe('completed');
    expect(j.outcome).toBe('approved');
    expect(j.sequentialLimitDays).toBe(3);
    expect(j.workingDaysTaken).toBe(0);
    expect(j.daysSaved).toBe(3);
    const row = await t.db
      .selectFrom('joint_cases')
      .select(['working_days_taken', 'sequential_limit_days', 'days_saved', 'completed_at'])
      .where('id', '=', j.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ working_days_taken: 0, sequential_limit_days: 3, days_saved: 3 });
    expect(row.completed_at).not.toBeNull();

    // 统一发证: one handover delivers every result.
    const handed = await clerk.post(`/api/v1/joint-cases/${j.id}/handover`, {
      version: j.version,
      deliveryMethod: 'pickup',
    });
    expect(handed.statusCode, handed.body).toBe(200);
    j = handed.json();
    expect(j.status).toBe('delivered');
    expect(j.members.every((m) => m.status === 'delivered')).toBe(true);

    // The correction went out as one message to the applicant.
    await t.jobs.drain();
    const notices = await t.db
      .selectFrom('outbox_events')
      .select(['payload'])
      .where('type', '=', 'joint.correction')
      .where('aggregate_id', '=', j.id)
      .execute();
    expect(notices.length).toBeGreaterThanOrEqual(1);
    // The second request joined the same notice: its payload lists both departments' materials.
    expect(notices.some((n) => JSON.stringify(n.payload).includes('单位缴存登记表'))).toBe(true);
    expect(notices.some((n) => /单位社会保险登记表.*单位缴存登记表/.test(JSON.stringify(n.payload)))).toBe(
      true,
    );
  }, 60_000);

  it('computes the joint deadline across National Day 2026 and lets the lead urge a late member', async () => {
    // 2026-09-29 10:00 in Shanghai: two working days are 09-30 and 10-08 (10-01..10-07 are the holiday).
    setClockOffset(new Date('2026-09-29T10:00:00+08:00').getTime() - Date.now());
    const applicant = await t.asApplicant('13900139000');
    const j = await applyEnterprise(applicant);
    const clerk = await t.as('clerk');
    const res = await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version });
    expect(res.statusCode, res.body).toBe(200);
    const accepted: Joint = res.json();
    expect(accepted.promisedDue).toBe('2026-10-08');

    // After the deadline the board shows who is late; the lead department urges one of them.
    setClockOffset(new Date('2026-10-09T10:00:00+08:00').getTime() - Date.now());
    const clerk2 = await t.as('clerk');
    const board = (await clerk2.get('/api/v1/joint-cases?scope=lead')).json();
    const mine = board.items.find((x: { id: string }) => x.id === j.id);
    expect(mine.late).toBe(true);
    const member = accepted.members.find((m) => m.itemName === '单位社会保险登记') as Member;
    const urged = await clerk2.post(`/api/v1/joint-cases/${j.id}/urge`, {
      caseId: member.caseId,
      message: '请今日办结',
    });
    expect(urged.statusCode, urged.body).toBe(200);
    const ev = await t.db
      .selectFrom('joint_events')
      .select(['action', 'reason'])
      .where('joint_case_id', '=', j.id)
      .where('action', '=', 'urge')
      .executeTakeFirstOrThrow();
    expect(ev.reason).toBe('请今日办结');
    // A member department may not urge.
    const rs = await t.as('rs_officer');
    expect(
      (await rs.post(`/api/v1/joint-cases/${j.id}/urge`, { caseId: member.caseId, message: 'x' })).statusCode,
    ).toBe(403);
  }, 60_000);

  it('stops the others and explains once when a member denies and the template says stop', async () => {
    const applicant = await t.asApplicant('13900139000');
    let j = await applyEnterprise(applicant);
    const clerk = await t.as('clerk');
    j = (await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version })).json();
    const ga = await t.as('ga_officer');
    const seal = j.members.find((m) => m.itemName === '公章刻制备案') as Member;
    await caseAct(ga, seal.caseId, 'pass');
    await caseAct(ga, seal.caseId, 'deny', { reason: '印模不符合规定', legalBasis: '《印章管理办法》' });
    j = (await applicant.get(`/api/v1/joint-cases/${j.id}`)).json();
    expect(j.status).toBe('stopped');
    expect(j.outcome).toBe('denied');
    expect(j.members.filter((m) => m.status === 'terminated')).toHaveLength(4);
  }, 60_000);

  it('the periodic settle closes a finished joint case, whatever older ones are still in progress', async () => {
    const applicant = await t.asApplicant('13900139000');
    const clerk = await t.as('clerk');
    const accepted = async () => {
      const j = await applyEnterprise(applicant);
      const res = await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Joint;
    };
    const older = await accepted();
    const newer = await accepted();
    // Every member of the newer one finished (set here: the departments' own steps are tested above).
    await t.db
      .updateTable('cases')
      .set({ status: 'completed', completed_at: new Date() })
      .where(
        'id',
        'in',
        newer.members.map((m) => m.caseId),
      )
      .execute();
    const ready = await openJointIds(t.db, 1000);
    expect(ready).toContain(newer.id);
    expect(ready).not.toContain(older.id);
    setClockOffset(120_000); // the settle runs every minute
    await t.jobs.drain();
    const rows = await t.db
      .selectFrom('joint_cases')
      .select(['id', 'status'])
      .where('id', 'in', [older.id, newer.id])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [older.id]: 'accepted',
      [newer.id]: 'completed',
    });
  }, 60_000);
});

/**
 * Make every write to one row of `table` lose its race, as if someone else had changed it a moment before:
 * a BEFORE UPDATE trigger that skips the row, so the guarded update finds nothing and answers 409.
 */
async function loseRaceOn(
  table: 'cases' | 'joint_cases' | 'project_approvals',
  id: string,
): Promise<() => Promise<void>> {
  await sql`CREATE FUNCTION joint_test_lose_race() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF OLD.id = ${sql.lit(id)} THEN RETURN NULL; END IF; RETURN NEW; END $$`.execute(t.db);
  await sql`CREATE TRIGGER joint_test_lose_race BEFORE UPDATE ON ${sql.table(table)}
    FOR EACH ROW EXECUTE FUNCTION joint_test_lose_race()`.execute(t.db);
  return async () => {
    await sql`DROP TRIGGER joint_test_lose_race ON ${sql.table(table)}`.execute(t.db);
    await sql`DROP FUNCTION joint_test_lose_race()`.execute(t.db);
  };
}

/** What a failed request must leave untouched: the joint row, every sub-case, the rounds, events and outbox. */
async function snapshot(jointId: string) {
  const members = await t.db
    .selectFrom('joint_case_members as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .select(['c.id', 'c.status', 'c.version', 'c.promised_due'])
    .where('m.joint_case_id', '=', jointId)
    .orderBy('m.position')
    .execute();
  const ids = members.map((m) => m.id);
  const joint = await t.db
    .selectFrom('joint_cases')
    .select(['status', 'version', 'promised_due'])
    .where('id', '=', jointId)
    .executeTakeFirstOrThrow();
  const n = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
  return {
    joint,
    members,
    caseEvents: await n(
      t.db
        .selectFrom('case_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('case_id', 'in', ids)
        .executeTakeFirstOrThrow(),
    ),
    jointEvents: await n(
      t.db
        .selectFrom('joint_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('joint_case_id', '=', jointId)
        .executeTakeFirstOrThrow(),
    ),
    rounds: await t.db
      .selectFrom('joint_corrections')
      .selectAll()
      .where('joint_case_id', '=', jointId)
      .execute(),
    materials: await t.db
      .selectFrom('joint_materials')
      .select(['name', 'status', 'note'])
      .where('joint_case_id', '=', jointId)
      .orderBy('position')
      .execute(),
    outbox: await n(
      t.db
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('aggregate_id', '=', jointId), eb('aggregate_id', 'in', ids)]))
        .executeTakeFirstOrThrow(),
    ),
  };
}

describe('a failed joint request changes nothing', () => {
  it('accepts every sub-case and the joint case in one transaction: a lost race on the last member accepts none', async () => {
    const applicant = await t.asApplicant('13900139000');
    const j = await applyEnterprise(applicant);
    const last = j.members[j.members.length - 1];
    const before = await snapshot(j.id);
    const restore = await loseRaceOn('cases', last.caseId);
    const clerk = await t.as('clerk');
    let res: Awaited<ReturnType<Client['post']>>;
    try {
      res = await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version });
    } finally {
      await restore();
    }
    expect(res.statusCode, res.body).toBe(409);
    const after = await snapshot(j.id);
    expect(after).toEqual(before);
    expect(after.members.every((m) => m.status === 'registered')).toBe(true);
    expect(after.joint.status).toBe('submitted');

    // Nothing is half done, so accepting again simply works.
    const again = await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version });
    expect(again.statusCode, again.body).toBe(200);
    expect((again.json() as Joint).members.every((m) => m.status === 'accepted')).toBe(true);
  }, 60_000);

  it('pauses the sub-case and opens the combined notice in one transaction: a failed joint write pauses nothing', async () => {
    const applicant = await t.asApplicant('13900139000');
    let j = await applyEnterprise(applicant);
    const clerk = await t.as('clerk');
    j = (await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version })).json();
    const social = j.members.find((m) => m.itemName === '单位社会保险登记') as Member;
    const rs = await t.as('rs_officer');
    const before = await snapshot(j.id);
    const restore = await loseRaceOn('joint_cases', j.id);
    let res: Awaited<ReturnType<Client['post']>>;
    try {
      res = await rs.post(`/api/v1/joint-cases/${j.id}/corrections`, {
        caseId: social.caseId,
        version: social.version,
        corrections: [{ material: '单位社会保险登记表', problem: '未加盖公章' }],
      });
    } finally {
      await restore();
    }
    expect(res.statusCode, res.body).toBe(409);
    const after = await snapshot(j.id);
    expect(after).toEqual(before);
    expect(after.members.find((m) => m.id === social.caseId)?.status).toBe('accepted');
    expect(after.rounds).toHaveLength(0);

    // A lost race on the sub-case itself leaves the joint case without a round, too.
    const restore2 = await loseRaceOn('cases', social.caseId);
    try {
      res = await rs.post(`/api/v1/joint-cases/${j.id}/corrections`, {
        caseId: social.caseId,
        version: social.version,
        corrections: [{ material: '单位社会保险登记表', problem: '未加盖公章' }],
      });
    } finally {
      await restore2();
    }
    expect(res.statusCode, res.body).toBe(409);
    expect(await snapshot(j.id)).toEqual(before);

    const ok = await rs.post(`/api/v1/joint-cases/${j.id}/corrections`, {
      caseId: social.caseId,
      version: social.version,
      corrections: [{ material: '单位社会保险登记表', problem: '未加盖公章' }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as Joint).status).toBe('correcting');
  }, 60_000);
});

describe('service package 新生儿出生 and major projects', () => {
  it('creates the member cases of a package from one application; each department accepts its own', async () => {
    const person = await t.asApplicant('13800138000');
    const created = await person.post('/api/v1/joint-cases', {
      templateCode: 'XSECS',
      form: { babyName: '张小明' },
    });
    expect(created.statusCode, created.body).toBe(201);
    let j: Joint = created.json();
    for (const m of j.materials.filter((x) => x.required)) j = (await upload(person, j.id, m.id)).json();
    j = (await person.post(`/api/v1/joint-cases/${j.id}/submit`, { version: j.version })).json();
    expect(j.status).toBe('submitted');
    expect(j.members).toHaveLength(4);
    expect(j.actions).not.toContain('accept');
    const clerk = await t.as('clerk');
    expect((await clerk.post(`/api/v1/joint-cases/${j.id}/accept`, { version: j.version })).statusCode).toBe(
      403,
    );
    const mine = (await person.get('/api/v1/joint-cases?scope=mine')).json();
    expect(mine.items.some((x: { id: string }) => x.id === j.id)).toBe(true);

    // Each department's window accepts its own member case; its back office finishes it.
    const desks: Record<string, { clerk: string; officer: string }> = {
      出生医学证明签发: { clerk: 'wj_clerk', officer: 'wj_officer' },
      出生登记: { clerk: 'ga_clerk', officer: 'ga_officer' },
      城乡居民基本医疗保险参保登记: { clerk: 'yb_clerk', officer: 'yb_officer' },
      社会保障卡申领: { clerk: 'rs_clerk', officer: 'rs_officer' },
    };
    for (const m of j.members) {
      const desk = desks[m.itemName];
      expect(desk, m.itemName).toBeDefined();
      const window = await t.as(desk.clerk);
      const inbox = (await window.get('/api/v1/cases?pageSize=100')).json() as { items: { id: string }[] };
      expect(inbox.items.some((c) => c.id === m.caseId)).toBe(true);
      expect((await caseAct(window, m.caseId, 'accept')).status).toBe('accepted');
      const officer = await t.as(desk.officer);
      await finishMember(officer, officer, m.caseId);
    }

    // The one progress page shows every member done and the package complete.
    j = (await person.get(`/api/v1/joint-cases/${j.id}`)).json();
    expect(j.members.map((m) => m.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(j.status).toBe('completed');
    expect(j.outcome).toBe('approved');
  }, 60_000);

  it('refuses prohibited projects, asks restricted ones for the approval, and reverse-schedules a VIP card', async () => {
    const admin = await t.as('hall_admin');
    const before = await count('projects');
    const base = {
      name: '测试项目',
      investor: '某投资公司',
      investmentYuan: 60_000_000,
      location: '二七区',
      industry: '电力',
      regionCode: '410103',
      targetStartOn: '2027-03-01',
      templateCode: 'TZJS',
    };
    const prohibited = await admin.post('/api/v1/projects', { ...base, negativeCode: 'FM001' });
    expect(prohibited.statusCode).toBe(400);
    expect(prohibited.json().error.details.fields[0]).toMatchObject({
      field: 'negativeCode',
      rule: 'prohibited',
    });
    const restricted = await admin.post('/api/v1/projects', { ...base, negativeCode: 'FM008' });
    expect(restricted.statusCode).toBe(400);
    expect(restricted.json().error.details.fields[0].field).toBe('restrictionApproval');
    expect(await count('projects')).toBe(before);

    const res = await admin.post('/api/v1/projects', { ...base, industry: '制造业' });
    expect(res.statusCode, res.body).toBe(201);
    const card = res.json();
    expect(card.vip).toBe(true);
    expect(card.greenChannel).toBe(true);
    expect(card.agentName).toBeTruthy();
    expect(card.approvals).toHaveLength(6);
    const stages = ['立项用地规划许可', '工程建设许可', '施工许可', '竣工验收'];
    const dueOf = (stage: string) =>
      card.approvals.find((a: { stage: string }) => a.stage === stage).plannedDue;
    const startOf = (stage: string) =>
      card.approvals.find((a: { stage: string }) => a.stage === stage).plannedStart;
    for (let i = 0; i < stages.length - 1; i++) expect(dueOf(stages[i]) < startOf(stages[i + 1])).toBe(true);
    expect(dueOf('竣工验收') < '2027-03-01').toBe(true);

    const small = await admin.post('/api/v1/projects', {
      ...base,
      industry: '制造业',
      investmentYuan: 10_000_000,
    });
    expect(small.json().vip).toBe(false);

    const agent = await t.as('agent');
    const mine = (await agent.get('/api/v1/projects?scope=mine')).json();
    expect(mine.items.length).toBeGreaterThanOrEqual(1);
    const noted = await agent.post(`/api/v1/projects/${mine.items[0].id}/notes`, {
      channel: 'phone',
      content: '电话回访投资方',
    });
    expect(noted.statusCode, noted.body).toBe(200);
    expect(noted.json().notes[0].content).toBe('电话回访投资方');
  });

  it('files a case for an approval from the card in one step and reverse-schedules again when the plan changes', async () => {
    const admin = await t.as('hall_admin');
    const created = await admin.post('/api/v1/projects', {
      name: '计划调整测试项目',
      investor: '郑州二七通办科技有限公司',
      investmentYuan: 90_000_000,
      location: '二七区',
      industry: '制造业',
      regionCode: '410103',
      targetStartOn: '2027-03-01',
      templateCode: 'TZJS',
    });
    expect(created.statusCode, created.body).toBe(201);
    type Approval = {
      id: string;
      stage: string;
      itemName: string;
      plannedStart: string;
      plannedDue: string;
      caseId: string | null;
      caseNumber: string | null;
    };
    type Card = { id: string; version: number; targetStartOn: string; approvals: Approval[] };
    let card: Card = created.json();
    const due = (c: Card, stage: string) => c.approvals.find((a) => a.stage === stage)?.plannedDue as string;
    const lastDue = due(card, '竣工验收');

    // A later target start moves every date later; the last stage still ends the working day before it.
    const moved = await admin.put(`/api/v1/projects/${card.id}/plan`, {
      version: card.version,
      targetStartOn: '2027-04-01',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const later: Card = moved.json();
    expect(later.targetStartOn).toBe('2027-04-01');
    for (const [i, a] of later.approvals.entries()) {
      expect(a.plannedDue > card.approvals[i].plannedDue, a.itemName).toBe(true);
      expect(a.plannedStart > card.approvals[i].plannedStart, a.itemName).toBe(true);
    }
    expect(due(later, '竣工验收') < '2027-04-01').toBe(true);
    // A stale version changes nothing.
    const stale = await admin.put(`/api/v1/projects/${card.id}/plan`, {
      version: card.version,
      targetStartOn: '2027-05-01',
    });
    expect(stale.statusCode).toBe(409);

    // Back to March without the acceptance stage: 施工许可 is now the last stage and takes its place.
    const codes = (
      await t.db
        .selectFrom('project_approvals')
        .select(['item_code', 'stage'])
        .where('project_id', '=', card.id)
        .orderBy('position')
        .execute()
    ).filter((a) => a.stage !== '竣工验收');
    const replanned = await admin.put(`/api/v1/projects/${card.id}/plan`, {
      version: later.version,
      targetStartOn: '2027-03-01',
      approvals: codes.map((a) => ({ stage: a.stage, itemCode: a.item_code })),
    });
    expect(replanned.statusCode, replanned.body).toBe(200);
    card = replanned.json();
    expect(card.approvals).toHaveLength(5);
    expect(due(card, '施工许可')).toBe(lastDue);

    // The agent files the first approval's case from the card: registered and linked at once.
    const agent = await t.as('agent');
    const enterprise = await t.db
      .selectFrom('applicants')
      .select(['name', 'uscc'])
      .where('mobile', '=', '13900139000')
      .executeTakeFirstOrThrow();
    const first = card.approvals[0];
    const applicant = {
      kind: 'enterprise',
      name: enterprise.name,
      uscc: enterprise.uscc,
      mobile: '13900139000',
    };
    const casesBefore = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // A lost race on the link leaves no case behind.
    const restore = await loseRaceOn('project_approvals', first.id);
    let lost: Awaited<ReturnType<Client['post']>>;
    try {
      lost = await agent.post(`/api/v1/projects/${card.id}/approvals/${first.id}/file`, {
        applicant,
        form: {},
      });
    } finally {
      await restore();
    }
    expect(lost.statusCode, lost.body).toBe(409);
    const casesAfter = await t.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(casesAfter.n)).toBe(Number(casesBefore.n));

    const filed = await agent.post(`/api/v1/projects/${card.id}/approvals/${first.id}/file`, {
      applicant,
      form: { 建设规模: '一期 12 万平方米' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    card = filed.json();
    const linked = card.approvals[0];
    expect(linked.caseId).toBeTruthy();
    expect(linked.caseNumber).toMatch(/^410103-\d{8}-\d{5}$/);
    const row = await t.db
      .selectFrom('cases')
      .select(['status', 'channel', 'item_code', 'form', 'proxy_agent_id'])
      .where('id', '=', linked.caseId as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'registered', channel: 'proxy' });
    expect((row.form as Record<string, string>).项目名称).toBe('计划调整测试项目');
    expect(
      (await agent.post(`/api/v1/projects/${card.id}/approvals/${first.id}/file`, { applicant, form: {} }))
        .statusCode,
    ).toBe(409);

    // A filed approval cannot be taken off the card.
    const drop = await admin.put(`/api/v1/projects/${card.id}/plan`, {
      version: card.version,
      approvals: codes.slice(1).map((a) => ({ stage: a.stage, itemCode: a.item_code })),
    });
    expect(drop.statusCode).toBe(400);
    expect(drop.json().error.details.fields[0].field).toBe('approvals');
  }, 60_000);
});
