import { systemActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { newId } from '../../platform/ids.js';
import { residentIdCheckChar, usccCheckChar } from '../../platform/validators/index.js';
import type { Db } from '../client.js';
import type { HallLevel, LetterAction, RegionLevel, Role } from '../types.js';

/**
 * The demo organisation, modelled on the seed reports: one district (二七区-like) of a city, three
 * streets/townships, six communities/villages, a district service centre with 25 departments, a sub-centre,
 * township centres and village stations, and one account per role. Written by us; codes follow GB/T 2260.
 */
export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_DISTRICT = '410103';

const regions: { code: string; name: string; level: RegionLevel; parent: string | null }[] = [
  { code: '410000', name: '河南省', level: 'province', parent: null },
  { code: '410100', name: '郑州市', level: 'city', parent: '410000' },
  { code: '410103', name: '二七区', level: 'district', parent: '410100' },
  { code: '410103001', name: '淮河路街道', level: 'township', parent: '410103' },
  { code: '410103002', name: '解放路街道', level: 'township', parent: '410103' },
  { code: '410103101', name: '侯寨乡', level: 'township', parent: '410103' },
  { code: '410103001001', name: '兴华社区', level: 'village', parent: '410103001' },
  { code: '410103001002', name: '大学路社区', level: 'village', parent: '410103001' },
  { code: '410103002001', name: '民主路社区', level: 'village', parent: '410103002' },
  { code: '410103002002', name: '苗圃社区', level: 'village', parent: '410103002' },
  { code: '410103101201', name: '樱桃沟村', level: 'village', parent: '410103101' },
  { code: '410103101202', name: '刘胡垌村', level: 'village', parent: '410103101' },
];

/** [key, full name, short name]. The key names the department in the rest of the demo data. */
export const demoDepartments: [string, string, string][] = [
  ['scjg', '二七区市场监督管理局', '市场监管'],
  ['zj', '二七区住房和城乡建设局', '住建'],
  ['zrzy', '二七区自然资源和规划局', '自然资源和规划'],
  ['sthj', '郑州市生态环境局二七分局', '生态环境'],
  ['wj', '二七区卫生健康委员会', '卫健'],
  ['rs', '二七区人力资源和社会保障局', '人社'],
  ['mz', '二七区民政局', '民政'],
  ['ga', '郑州市公安局二七分局', '公安'],
  ['jy', '二七区教育局', '教育'],
  ['wl', '二七区文化广电和旅游局', '文旅'],
  ['jt', '二七区交通运输局', '交通'],
  ['sl', '二七区水利局', '水利'],
  ['ny', '二七区农业农村局', '农业农村'],
  ['yj', '二七区应急管理局', '应急管理'],
  ['sw', '二七区商务局', '商务'],
  ['fg', '二七区发展和改革委员会', '发改'],
  ['ss', '国家税务总局郑州市二七区税务局', '税务'],
  ['yb', '二七区医疗保障局', '医保'],
  ['tyjr', '二七区退役军人事务局', '退役军人'],
  ['cg', '二七区城市管理局', '城管'],
  ['sf', '二七区司法局', '司法'],
  ['cl', '二七区残疾人联合会', '残联'],
  ['cz', '二七区财政局', '财政'],
  ['gjj', '郑州住房公积金管理中心二七区管理部', '公积金'],
  ['xzsp', '二七区行政审批和政务信息管理局', '政务服务'],
];

/** A valid 统一社会信用代码 for the n-th demo department: 11 (机关) + region + a made-up organisation code. */
export function demoUscc(n: number): string {
  const body = `11${DEMO_DISTRICT}${String(7000000 + n).padStart(8, '0')}`.slice(0, 16);
  const first17 = `${body}${n % 10}`;
  return `${first17}${usccCheckChar(first17)}`;
}

/** A valid resident ID for demo applicants (birth date and sequence made up). */
export function demoResidentId(birth: string, seq: number): string {
  const first17 = `${DEMO_DISTRICT}${birth}${String(seq).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

const halls: { key: string; name: string; level: HallLevel; region: string; address: string }[] = [
  {
    key: 'centre',
    name: '二七区政务服务中心',
    level: 'district_centre',
    region: '410103',
    address: '二七区大学中路 1 号',
  },
  {
    key: 'rs-sub',
    name: '二七区人社服务分中心',
    level: 'sub_centre',
    region: '410103',
    address: '二七区航海中路 20 号',
  },
  {
    key: 'hhl',
    name: '淮河路街道便民服务中心',
    level: 'township_centre',
    region: '410103001',
    address: '淮河路 8 号',
  },
  {
    key: 'jfl',
    name: '解放路街道便民服务中心',
    level: 'township_centre',
    region: '410103002',
    address: '解放路 66 号',
  },
  {
    key: 'hz',
    name: '侯寨乡便民服务中心',
    level: 'township_centre',
    region: '410103101',
    address: '侯寨乡政府院内',
  },
  {
    key: 'v1',
    name: '兴华社区便民服务站',
    level: 'village_station',
    region: '410103001001',
    address: '兴华街 12 号',
  },
  {
    key: 'v2',
    name: '大学路社区便民服务站',
    level: 'village_station',
    region: '410103001002',
    address: '大学路 101 号',
  },
  {
    key: 'v3',
    name: '民主路社区便民服务站',
    level: 'village_station',
    region: '410103002001',
    address: '民主路 3 号',
  },
  {
    key: 'v4',
    name: '苗圃社区便民服务站',
    level: 'village_station',
    region: '410103002002',
    address: '苗圃街 9 号',
  },
  {
    key: 'v5',
    name: '樱桃沟村代办点',
    level: 'village_station',
    region: '410103101201',
    address: '樱桃沟村委会',
  },
  {
    key: 'v6',
    name: '刘胡垌村代办点',
    level: 'village_station',
    region: '410103101202',
    address: '刘胡垌村委会',
  },
];

type DemoAccount = {
  username: string;
  name: string;
  dept: string | null;
  region: string;
  roles: { role: Role; dept?: string; region?: string }[];
  letters?: { dept: string; actions: LetterAction[] }[];
};

export const demoAccounts: DemoAccount[] = [
  { username: 'sysadmin', name: '系统管理员', dept: null, region: '410103', roles: [{ role: 'sys_admin' }] },
  {
    username: 'hall_admin',
    name: '王管理',
    dept: 'xzsp',
    region: '410103',
    roles: [{ role: 'hall_admin', region: '410103' }],
  },
  {
    username: 'clerk',
    name: '李窗口',
    dept: 'scjg',
    region: '410103',
    roles: [{ role: 'window_clerk', dept: 'scjg' }],
    letters: [{ dept: 'scjg', actions: ['accept', 'issue'] }],
  },
  {
    username: 'clerk_zj',
    name: '赵窗口',
    dept: 'zj',
    region: '410103',
    roles: [{ role: 'window_clerk', dept: 'zj' }],
    letters: [{ dept: 'zj', actions: ['accept', 'issue'] }],
  },
  {
    username: 'reviewer',
    name: '张审核',
    dept: 'scjg',
    region: '410103',
    roles: [{ role: 'reviewer', dept: 'scjg' }],
    letters: [{ dept: 'scjg', actions: ['review'] }],
  },
  {
    username: 'reviewer_b',
    name: '陈审核(B岗)',
    dept: 'scjg',
    region: '410103',
    roles: [{ role: 'reviewer', dept: 'scjg' }],
  },
  {
    username: 'approver',
    name: '刘首席',
    dept: 'scjg',
    region: '410103',
    roles: [{ role: 'approver', dept: 'scjg' }],
    letters: [{ dept: 'scjg', actions: ['approve', 'issue'] }],
  },
  {
    username: 'supervisor',
    name: '周监察',
    dept: null,
    region: '410103',
    roles: [{ role: 'supervisor', region: '410103' }],
  },
  {
    username: 'hotline',
    name: '吴热线',
    dept: null,
    region: '410103',
    roles: [{ role: 'hotline_operator', region: '410103' }],
  },
  {
    username: 'agent',
    name: '孙代办',
    dept: null,
    region: '410103001001',
    roles: [{ role: 'proxy_agent', region: '410103001001' }],
  },
  {
    username: 'township_admin',
    name: '郑街道',
    dept: null,
    region: '410103001',
    roles: [{ role: 'hall_admin', region: '410103001' }],
  },
];

export const demoApplicants = [
  { mobile: '13800138000', name: '张三', kind: 'person' as const, idNumber: demoResidentId('19900307', 12) },
  { mobile: '13900139000', name: '郑州二七示范餐饮有限公司', kind: 'enterprise' as const, idNumber: null },
];

export async function isSeeded(db: Db): Promise<boolean> {
  const row = await db.selectFrom('regions').select('code').limit(1).executeTakeFirst();
  return !!row;
}

export type SeedSummary = { accounts: { username: string; role: string }[]; applicants: string[] };

export async function seedDemoOrganisation(db: Db): Promise<SeedSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const deptIds = new Map<string, string>();
  const hallIds = new Map<string, string>();
  const staffIds = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    for (const r of regions) {
      await trx
        .insertInto('regions')
        .values({ code: r.code, name: r.name, level: r.level, parent_code: r.parent })
        .execute();
    }
    for (const [i, [key, name, shortName]] of demoDepartments.entries()) {
      const id = newId();
      deptIds.set(key, id);
      await trx
        .insertInto('departments')
        .values({ id, region_code: DEMO_DISTRICT, name, short_name: shortName, uscc: demoUscc(i + 1) })
        .execute();
    }
    for (const h of halls) {
      const id = newId();
      hallIds.set(h.key, id);
      await trx
        .insertInto('halls')
        .values({
          id,
          region_code: h.region,
          name: h.name,
          level: h.level,
          address: h.address,
          hours:
            h.level === 'village_station' ? '周一至周五 8:30-12:00' : '周一至周五 9:00-17:00,周六 9:00-12:00',
          phone: `0371-6800${1000 + hallIds.size}`,
        })
        .execute();
    }
    const centre = hallIds.get('centre') as string;
    const comprehensive: [string, string, string[]][] = [
      ['1', '综合受理窗口(企业开办)', ['企业开办', '市场准入']],
      ['2', '综合受理窗口(投资建设)', ['投资建设', '工程建设']],
      ['3', '综合受理窗口(社会事务)', ['社会事务', '民生服务']],
      ['4', '综合出件窗口(统一发证)', ['统一发证']],
    ];
    for (const [number, name, categories] of comprehensive) {
      await trx
        .insertInto('windows')
        .values({
          id: newId(),
          hall_id: centre,
          region_code: DEMO_DISTRICT,
          number,
          name,
          kind: 'comprehensive',
          department_id: null,
          categories,
        })
        .execute();
    }
    const departmental = ['scjg', 'zj', 'zrzy', 'sthj', 'wj', 'rs', 'mz', 'ga', 'ss', 'gjj'];
    for (const [i, key] of departmental.entries()) {
      const dept = demoDepartments.find((d) => d[0] === key) as [string, string, string];
      await trx
        .insertInto('windows')
        .values({
          id: newId(),
          hall_id: centre,
          region_code: DEMO_DISTRICT,
          number: String(10 + i),
          name: `${dept[2]}窗口`,
          kind: 'departmental',
          department_id: deptIds.get(key) as string,
        })
        .execute();
    }
    await trx
      .insertInto('windows')
      .values({
        id: newId(),
        hall_id: hallIds.get('rs-sub') as string,
        region_code: DEMO_DISTRICT,
        number: '1',
        name: '社保业务窗口',
        kind: 'departmental',
        department_id: deptIds.get('rs') as string,
      })
      .execute();
    for (const key of ['hhl', 'jfl', 'hz']) {
      const region = halls.find((h) => h.key === key)?.region as string;
      for (const number of ['1', '2']) {
        await trx
          .insertInto('windows')
          .values({
            id: newId(),
            hall_id: hallIds.get(key) as string,
            region_code: region,
            number,
            name: `综合窗口 ${number}`,
            kind: 'comprehensive',
            categories: ['社会事务', '民生服务'],
          })
          .execute();
      }
    }
    for (const key of ['v1', 'v2', 'v3', 'v4', 'v5', 'v6']) {
      const region = halls.find((h) => h.key === key)?.region as string;
      await trx
        .insertInto('windows')
        .values({
          id: newId(),
          hall_id: hallIds.get(key) as string,
          region_code: region,
          number: '1',
          name: '代办窗口',
          kind: 'comprehensive',
          categories: ['代办'],
        })
        .execute();
    }

    for (const a of demoAccounts) {
      const id = newId();
      staffIds.set(a.username, id);
      await trx
        .insertInto('staff')
        .values({
          id,
          username: a.username,
          display_name: a.name,
          password_hash: passwordHash,
          department_id: a.dept ? (deptIds.get(a.dept) as string) : null,
          region_code: a.region,
        })
        .execute();
      for (const r of a.roles) {
        await trx
          .insertInto('staff_roles')
          .values({
            id: newId(),
            staff_id: id,
            role: r.role,
            department_id: r.dept ? (deptIds.get(r.dept) as string) : null,
            region_code: r.region ?? null,
          })
          .execute();
      }
      for (const l of a.letters ?? []) {
        await trx
          .insertInto('authorization_letters')
          .values({
            id: newId(),
            department_id: deptIds.get(l.dept) as string,
            region_code: DEMO_DISTRICT,
            staff_id: id,
            actions: l.actions,
            scope: 'all',
            valid_from: '2026-01-01',
            valid_until: '2028-12-31',
            created_by: id,
          })
          .execute();
      }
    }
    await trx
      .insertInto('ab_posts')
      .values({
        id: newId(),
        department_id: deptIds.get('scjg') as string,
        region_code: DEMO_DISTRICT,
        primary_staff_id: staffIds.get('reviewer') as string,
        backup_staff_id: staffIds.get('reviewer_b') as string,
      })
      .execute();
    for (const a of demoApplicants) {
      const uscc = a.kind === 'enterprise' ? demoEnterpriseUscc() : null;
      await trx
        .insertInto('applicants')
        .values({
          id: newId(),
          mobile: a.mobile,
          password_hash: passwordHash,
          kind: a.kind,
          name: a.name,
          id_number: a.kind === 'person' ? a.idNumber : null,
          uscc,
        })
        .execute();
    }
    await recordAudit(trx, systemActor, {
      action: 'seed.demo',
      targetType: 'organisation',
      regionCode: DEMO_DISTRICT,
      after: {
        regions: regions.length,
        departments: demoDepartments.length,
        halls: halls.length,
        accounts: demoAccounts.length,
      },
    });
  });
  return {
    accounts: demoAccounts.map((a) => ({ username: a.username, role: a.roles.map((r) => r.role).join(',') })),
    applicants: demoApplicants.map((a) => a.mobile),
  };
}

/** The demo enterprise's 统一社会信用代码: 91 (企业) + region + made-up organisation code. */
export function demoEnterpriseUscc(): string {
  const first17 = `91${DEMO_DISTRICT}MA4X7Q2K1`;
  return `${first17}${usccCheckChar(first17)}`;
}
