import type { TestApp } from '../../test/app.js';

/** Factories for catalog tests: a valid licensing item that each test breaks in one way. */

export async function departmentIds(t: TestApp): Promise<Record<string, string>> {
  const admin = await t.as('sysadmin');
  const res = await admin.get('/api/v1/departments?pageSize=100');
  const items = res.json().items as { id: string; shortName: string }[];
  return Object.fromEntries(items.map((d) => [d.shortName, d.id]));
}

export function validItem(departmentId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: 'TEST-XK-0001',
    reason: '测试:新增事项',
    publish: true,
    name: '测试经营许可',
    basicCode: '990000000001',
    keywords: ['测试许可证'],
    type: 'XK',
    departmentId,
    serviceObjects: ['enterprise'],
    conditions: ['依法设立的企业'],
    legalLimitDays: 20,
    promisedLimitDays: 7,
    caseKind: 'promised',
    steps: [
      { name: '受理', role: 'window_clerk', limitDays: 1 },
      { name: '审核', role: 'reviewer', limitDays: 3 },
      { name: '现场核查', role: 'inspector', limitDays: 5, clockStops: true },
      { name: '审批', role: 'approver', limitDays: 3 },
      { name: '办结', role: 'approver', limitDays: 0 },
      { name: '送达', role: 'delivery', limitDays: 0 },
    ],
    handlingForms: ['window', 'online'],
    onlineDepth: 3,
    visits: 1,
    fees: [{ feeCode: 'SF001', note: '' }],
    result: { kind: 'certificate', name: '测试许可证' },
    levels: ['district'],
    allowDeficiency: true,
    materials: [
      { name: '测试许可申请书', essential: true },
      {
        name: '营业执照',
        kind: 'electronic',
        copies: 0,
        paperSize: 'none',
        source: 'e_licence',
        licenceType: '营业执照',
      },
      { name: '卫生管理制度', allowDeficiency: true },
    ],
    faq: [{ question: '多久办结?', answer: '7 个工作日。' }],
    ...over,
  };
}

export async function countVersions(t: TestApp): Promise<number> {
  const row = await t.db
    .selectFrom('catalog_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type FieldOut = {
  field: string;
  rule: string;
  message: string;
  messages: { 'zh-CN': string; 'en-US': string };
};
