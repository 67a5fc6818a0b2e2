import type { z } from 'zod';
import { createProject } from '../../modules/joint/projects.js';
import type * as s from '../../modules/joint/schema.js';
import { createTemplate } from '../../modules/joint/templates.js';
import { systemActor } from '../../platform/actor.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { today } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Db } from '../client.js';
import type { LetterAction } from '../types.js';
import { DEMO_DISTRICT, DEMO_PASSWORD } from './demo-org.js';

/**
 * Demo data of parallel approval: a back-office officer in each member department of 企业开办 and
 * 新生儿出生 that the demo organisation does not staff yet, a window clerk in each department of the
 * package (a package has no joint acceptance: each department's window accepts its own), the 企业开办
 * joint template (five items of five departments, one form, one material set), the 投资建设项目 template by
 * stage, the 新生儿出生 package, and a VIP project with its tracking card. Needs the demo organisation and
 * catalog.
 */
export const demoJointStaff: { username: string; name: string; dept: string; desk: 'back' | 'window' }[] = [
  { username: 'ga_officer', name: '高公安', dept: 'ga', desk: 'back' },
  { username: 'ss_officer', name: '施税务', dept: 'ss', desk: 'back' },
  { username: 'rs_officer', name: '任人社', dept: 'rs', desk: 'back' },
  { username: 'gjj_officer', name: '龚公积金', dept: 'gjj', desk: 'back' },
  { username: 'wj_officer', name: '魏卫健', dept: 'wj', desk: 'back' },
  { username: 'yb_officer', name: '俞医保', dept: 'yb', desk: 'back' },
  { username: 'wj_clerk', name: '吴窗口', dept: 'wj', desk: 'window' },
  { username: 'ga_clerk', name: '葛窗口', dept: 'ga', desk: 'window' },
  { username: 'yb_clerk', name: '严窗口', dept: 'yb', desk: 'window' },
  { username: 'rs_clerk', name: '冉窗口', dept: 'rs', desk: 'window' },
];

type TemplateInput = z.output<typeof s.templateInput>;

async function codeOf(db: Db, name: string): Promise<string> {
  const row = await db
    .selectFrom('catalog_versions')
    .select('code')
    .where('kind', '=', 'item')
    .where('name', '=', name)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return row.code;
}

async function deptId(db: Db, shortName: string): Promise<string> {
  const row = await db
    .selectFrom('departments')
    .select('id')
    .where('short_name', '=', shortName)
    .where('region_code', '=', DEMO_DISTRICT)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function isJointSeeded(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('joint_templates').select('id').limit(1).executeTakeFirst());
}

/**
 * The demo's joint-approval staff, each with roles and an authorisation letter (back office: review,
 * approve, issue and accept; window: accept and issue). Adds only who is missing, so a demo seeded before
 * the package clerks existed gets them on the next seed run.
 */
async function seedJointStaff(db: Db): Promise<void> {
  const shortNames: Record<string, string> = {
    ga: '公安',
    ss: '税务',
    rs: '人社',
    gjj: '公积金',
    wj: '卫健',
    yb: '医保',
  };
  const have = new Set(
    (
      await db
        .selectFrom('staff')
        .select('username')
        .where(
          'username',
          'in',
          demoJointStaff.map((o) => o.username),
        )
        .execute()
    ).map((r) => r.username),
  );
  const missing = demoJointStaff.filter((o) => !have.has(o.username));
  if (missing.length === 0) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const depts = new Map<string, string>();
  for (const o of missing) depts.set(o.dept, await deptId(db, shortNames[o.dept]));
  await db.transaction().execute(async (trx) => {
    for (const o of missing) {
      const dept = depts.get(o.dept) as string;
      const roles = o.desk === 'window' ? (['window_clerk'] as const) : (['reviewer', 'approver'] as const);
      const letters: LetterAction[] =
        o.desk === 'window' ? ['accept', 'issue'] : ['accept', 'review', 'approve', 'issue'];
      const id = newId();
      await trx
        .insertInto('staff')
        .values({
          id,
          username: o.username,
          display_name: o.name,
          password_hash: passwordHash,
          department_id: dept,
          region_code: DEMO_DISTRICT,
        })
        .execute();
      for (const role of roles)
        await trx
          .insertInto('staff_roles')
          .values({ id: newId(), staff_id: id, role, department_id: dept, region_code: null })
          .execute();
      await trx
        .insertInto('authorization_letters')
        .values({
          id: newId(),
          department_id: dept,
          region_code: DEMO_DISTRICT,
          staff_id: id,
          actions: letters,
          scope: 'all',
          valid_from: '2026-01-01',
          valid_until: '2028-12-31',
          created_by: id,
        })
        .execute();
    }
  });
}

export async function seedDemoJoint(db: Db): Promise<{ templates: number; projects: number }> {
  await seedJointStaff(db);
  if (await isJointSeeded(db)) return { templates: 0, projects: 0 };
  const company = await codeOf(db, '公司设立登记');
  const seal = await codeOf(db, '公章刻制备案');
  const invoice = await codeOf(db, '发票领用');
  const social = await codeOf(db, '单位社会保险登记');
  const fund = await codeOf(db, '住房公积金单位缴存登记');
  const enterprise: TemplateInput = {
    code: 'QYKB',
    name: '企业开办',
    mode: 'joint',
    category: '商贸流通',
    description: '设立登记、公章刻制、申领发票、社保登记、公积金开户一表申请、一窗受理、并联办理、统一发证。',
    regionCode: DEMO_DISTRICT,
    level: 'district',
    leadDepartmentId: await deptId(db, '市场监管'),
    promisedDays: 2,
    legalDays: 15,
    extensionApproved: false,
    continueOnDenial: false,
    members: [
      { itemCode: company },
      { itemCode: seal },
      { itemCode: invoice },
      { itemCode: social },
      { itemCode: fund },
    ],
    formFields: [
      {
        key: 'companyName',
        label: '企业名称',
        required: true,
        maps: [
          { itemCode: company, field: '企业名称' },
          { itemCode: seal, field: '单位名称' },
          { itemCode: social, field: '单位名称' },
          { itemCode: fund, field: '单位名称' },
          { itemCode: invoice, field: '纳税人名称' },
        ],
      },
      { key: 'address', label: '住所', required: true, maps: [{ itemCode: company, field: '住所' }] },
      {
        key: 'legalRep',
        label: '法定代表人',
        required: true,
        maps: [
          { itemCode: company, field: '法定代表人' },
          { itemCode: seal, field: '法定代表人' },
        ],
      },
      {
        key: 'capital',
        label: '注册资本(万元)',
        required: false,
        maps: [{ itemCode: company, field: '注册资本' }],
      },
      {
        key: 'staffCount',
        label: '职工人数',
        required: false,
        maps: [
          { itemCode: social, field: '参保人数' },
          { itemCode: fund, field: '缴存人数' },
        ],
      },
      {
        key: 'invoiceKind',
        label: '发票种类',
        required: false,
        maps: [{ itemCode: invoice, field: '发票种类' }],
      },
    ],
  };
  const project: TemplateInput = {
    code: 'TZJS',
    name: '投资建设项目(社会投资)',
    mode: 'joint',
    category: '基本建设',
    description: '按立项用地规划许可、工程建设许可、施工许可、竣工验收四个阶段并联审批。',
    regionCode: DEMO_DISTRICT,
    level: 'district',
    leadDepartmentId: await deptId(db, '政务服务'),
    promisedDays: 15,
    legalDays: 45,
    extensionApproved: false,
    continueOnDenial: true,
    members: [
      { itemCode: await codeOf(db, '企业投资项目备案'), stage: '立项用地规划许可' },
      { itemCode: await codeOf(db, '建设用地规划许可'), stage: '立项用地规划许可' },
      { itemCode: await codeOf(db, '建设工程规划许可'), stage: '工程建设许可' },
      { itemCode: await codeOf(db, '建设项目环境影响报告表审批'), stage: '工程建设许可' },
      { itemCode: await codeOf(db, '建筑工程施工许可'), stage: '施工许可' },
      { itemCode: await codeOf(db, '建设工程竣工验收备案'), stage: '竣工验收' },
    ],
    formFields: [],
  };
  const birth: TemplateInput = {
    code: 'XSECS',
    name: '新生儿出生一件事',
    mode: 'package',
    category: '生育收养',
    description: '出生医学证明、户口登记、医保参保、社保卡申领一次申请、一套材料。',
    regionCode: DEMO_DISTRICT,
    level: 'district',
    leadDepartmentId: await deptId(db, '卫健'),
    promisedDays: 5,
    legalDays: 20,
    extensionApproved: false,
    continueOnDenial: true,
    members: [
      { itemCode: await codeOf(db, '出生医学证明签发') },
      { itemCode: await codeOf(db, '出生登记') },
      { itemCode: await codeOf(db, '城乡居民基本医疗保险参保登记') },
      { itemCode: await codeOf(db, '社会保障卡申领') },
    ],
    formFields: [
      {
        key: 'babyName',
        label: '新生儿姓名',
        required: true,
        maps: [
          { itemCode: await codeOf(db, '出生医学证明签发'), field: '新生儿姓名' },
          { itemCode: await codeOf(db, '出生登记'), field: '申报人姓名' },
        ],
      },
    ],
  };
  // The project template's form is filled per stage by the agent; give it one mapped field.
  project.formFields = [
    {
      key: 'projectName',
      label: '项目名称',
      required: true,
      maps: project.members.map((m) => ({ itemCode: m.itemCode, field: '项目名称' })),
    },
  ];
  for (const t of [enterprise, project, birth]) await createTemplate(db, systemActor, t);

  const agent = await db
    .selectFrom('staff')
    .select(['id', 'display_name'])
    .where('username', '=', 'agent')
    .executeTakeFirst();
  const start = new Date(`${today()}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() + 120);
  const card = await createProject(db, systemActor, {
    name: '二七智能制造产业园一期',
    investor: '河南中原智造投资有限公司',
    investmentYuan: 800_000_000,
    location: '二七区侯寨乡产业集聚区',
    industry: '制造业',
    regionCode: DEMO_DISTRICT,
    ...(agent ? { agentId: agent.id } : {}),
    targetStartOn: start.toISOString().slice(0, 10),
    templateCode: 'TZJS',
    approvals: [],
  });
  if (agent)
    await db
      .insertInto('project_notes')
      .values({
        id: newId(),
        project_id: card.id,
        author_id: agent.id,
        author_name: agent.display_name,
        channel: 'visit',
        content: '上门对接投资方,确认用地红线与一期建设规模,约定下周提交项目备案材料。',
      })
      .execute();
  return { templates: 3, projects: 1 };
}
