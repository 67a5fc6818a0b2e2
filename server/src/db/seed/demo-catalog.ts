import ExcelJS from 'exceljs';
import { type BulkAmendment, type BulkEntry, bulkAmend, bulkCreate } from '../../modules/catalog/bulk.js';
import { storeFile } from '../../modules/catalog/files.js';
import { type DeptInfo, project } from '../../modules/catalog/lists.js';
import { dataIssues, referenceIssues, referencesOf } from '../../modules/catalog/quality.js';
import * as q from '../../modules/catalog/queries.js';
import type * as s from '../../modules/catalog/schema.js';
import { enterpriseStages, type ListKind, lifeEvents, powerTypes } from '../../modules/catalog/vocab.js';
import { systemActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import type { FieldError } from '../../platform/errors.js';
import type { Db } from '../client.js';
import {
  type DemoItem,
  demoFees,
  demoFunds,
  demoIntermediaries,
  demoItems,
  demoNegative,
  demoPermissions,
  demoSupervision,
  type StepPreset,
} from './demo-catalog-data.js';
import { generatePowers, powerCode } from './demo-catalog-powers.js';
import { DEMO_DISTRICT, demoDepartments, demoUscc } from './demo-org.js';

/**
 * The demo catalog: about a hundred published service items with materials, processes, fees and themes,
 * the fee, fund, negative, permission, supervision and intermediary lists, and a generated power list of
 * Er-qi size — all in one transaction of batched inserts. A little history shows versioning at work: the
 * food licence was amended (10 → 7 promised days), two funds were repealed, and a draft waits unpublished.
 */

export const DEMO_CATALOG_DATE = '2026-01-01';
export const DEMO_POWER_COUNT = 7406;

export type CatalogSeedOptions = {
  /** Size of the power list (default 7,406 as in the Er-qi report); tests use fewer. */
  powers?: number;
  /** Generate blank application forms (.xlsx) for the materials that are forms (default true). */
  forms?: boolean;
};

export type CatalogSeedSummary = {
  items: number;
  powers: number;
  fees: number;
  funds: number;
  other: number;
  files: number;
};

/** Departmental windows of the district centre (demo-org.ts), for the 办理地点 of each item. */
const windowNumber: Record<string, number> = {
  scjg: 10,
  zj: 11,
  zrzy: 12,
  sthj: 13,
  wj: 14,
  rs: 15,
  mz: 16,
  ga: 17,
  ss: 18,
  gjj: 19,
};

const isForm = (name: string) => /(申请|登记|审批|审核|信息|备案|声明|注册)(表|书)$/.test(name);

function parseMaterial(spec: string, allowDeficiency: boolean): s.ItemData['materials'][number] {
  const m = /^([!~^]*)([^@?#]+)(?:@([^?#]+))?(?:#([^?@]+))?(?:\?(.+))?$/.exec(spec);
  if (!m) throw new Error(`bad material spec ${spec}`);
  const [, flags, name, licence, issuer, condition] = m;
  const electronic = !!licence;
  return {
    name: name.trim(),
    kind: electronic ? 'electronic' : flags.includes('^') ? 'copy' : 'original',
    copies: electronic ? 0 : 1,
    paperSize: electronic ? 'none' : 'A4',
    requirement: condition ? 'conditional' : 'required',
    condition: condition?.trim() ?? '',
    allowDeficiency: allowDeficiency && flags.includes('~'),
    essential: flags.includes('!'),
    source: electronic ? 'e_licence' : issuer ? 'department' : 'applicant',
    issuer: issuer?.trim() ?? '',
    licenceType: licence?.trim() ?? '',
    blankFormFileId: null,
    sampleFileId: null,
    notes: isForm(name)
      ? '请如实填写,签字(盖章)确认;可在线填写后打印。'
      : electronic
        ? '通过电子证照库自动获取,无需提交纸质材料。'
        : '',
    legalBasis: '',
  };
}

type Step = s.ItemData['steps'][number];
const special: Record<string, Step> = {
  inspect: {
    name: '现场核查',
    role: 'inspector',
    limitDays: 5,
    clockStops: true,
    description: '对经营场所、设施进行现场核查,时间不计入办理时限',
  },
  expert: {
    name: '专家评审',
    role: 'expert',
    limitDays: 10,
    clockStops: true,
    description: '组织专家评审或技术论证,时间不计入办理时限',
  },
  notice: {
    name: '批前公示',
    role: 'reviewer',
    limitDays: 7,
    clockStops: true,
    description: '在项目现场和政府网站公示,时间不计入办理时限',
  },
  benefit: {
    name: '公示',
    role: 'reviewer',
    limitDays: 7,
    clockStops: true,
    description: '在申请人所在村(社区)公示 7 天',
  },
  assess: {
    name: '残疾评定',
    role: 'expert',
    limitDays: 10,
    clockStops: true,
    description: '到指定医院进行残疾评定,时间不计入办理时限',
  },
};

/** The steps of a preset, with the promised days spread over the steps that count. */
function buildSteps(preset: StepPreset, promised: number, licensing: boolean): Step[] {
  const names: (string | Step)[] = (() => {
    switch (preset) {
      case 'quick':
        return ['受理', '审核', '办结', '送达'];
      case 'confirm':
        return ['受理', '审核', '办结', '送达'];
      case 'benefit':
        return ['受理', '入户调查', '审核', special.benefit, '审批', '办结', '送达'];
      case 'assess':
        return ['受理', special.assess, '审核', '办结', '送达'];
      case 'inspect':
        return ['受理', '审核', special.inspect, '审批', '办结', '送达'];
      case 'expert':
        return ['受理', '审核', special.expert, '审批', '办结', '送达'];
      case 'notice':
        return ['受理', '审核', special.notice, '审批', '办结', '送达'];
      default:
        return ['受理', '审核', '审批', '办结', '送达'];
    }
  })();
  if (licensing && !names.includes('送达')) names.push('送达');
  const counted = names.filter(
    (n): n is string => typeof n === 'string' && !['受理', '办结', '送达'].includes(n),
  );
  const accept = promised >= 3 ? 1 : 0;
  let left = promised - accept;
  const share = new Map<string, number>();
  counted.forEach((n, i) => {
    const d = i === counted.length - 1 ? left : Math.floor((promised - accept) / counted.length);
    share.set(n, d);
    left -= d;
  });
  const roles: Record<string, Step['role']> = {
    受理: 'window_clerk',
    审核: 'reviewer',
    入户调查: 'reviewer',
    审批: 'approver',
    办结: 'approver',
    送达: 'delivery',
  };
  const notes: Record<string, string> = {
    受理: '窗口审查材料,齐全的当场受理;不齐全的一次性告知需补正的全部内容',
    审核: '审核申请材料的实质内容',
    入户调查: '乡镇(街道)工作人员入户调查核实家庭情况',
    审批: '首席代表或负责人作出决定',
    办结: '出具办理结果',
    送达: '窗口领取或免费邮寄送达',
  };
  return names.map((n) =>
    typeof n === 'string'
      ? {
          name: n,
          role: roles[n] ?? 'reviewer',
          limitDays: n === '受理' ? accept : (share.get(n) ?? 0),
          clockStops: false,
          description: notes[n] ?? '',
        }
      : n,
  );
}

const CENTRE = '二七区政务服务中心(大学中路 1 号)';
const HOURS = '周一至周五 9:00-17:00,周六 9:00-12:00(法定节假日除外)';

function placeOf(it: DemoItem): string {
  const n = windowNumber[it.d];
  const window = n
    ? `${n} 号窗口`
    : it.th.some((t) => t === '投资建设' || t === '工程建设')
      ? '2 号综合受理窗口(投资建设)'
      : it.o === 'E'
        ? '1 号综合受理窗口(企业开办)'
        : '3 号综合受理窗口(社会事务)';
  const lower =
    it.lv === 'DTV'
      ? ';也可在各街道(乡)便民服务中心、村(社区)便民服务站办理'
      : it.lv === 'DT'
        ? ';也可在各街道(乡)便民服务中心办理'
        : '';
  return `${CENTRE}${window}${lower}`;
}

function buildItem(it: DemoItem, deptId: string, deptNo: number, power: string): s.ItemData {
  const flags = it.fl ?? '';
  const allowDeficiency = flags.includes('Q') || it.m.some((x) => x.startsWith('~'));
  const online = it.dp >= 3;
  const forms: s.ItemData['handlingForms'] = ['window'];
  if (online) forms.push('online');
  if (flags.includes('X') || (it.v === 0 && !online)) forms.push('mail');
  const conditions =
    it.c ??
    (it.t === 'XK'
      ? ['申请人具备法律、法规规定的相应条件', '申请材料齐全、符合法定形式']
      : it.t === 'GF'
        ? ['符合政策规定的给付条件', '如实提供家庭或个人相关情况']
        : ['申请材料齐全、符合法定形式']);
  return {
    name: it.n,
    basicCode: '',
    keywords: it.k ?? [],
    type: it.t,
    powerCode: power,
    departmentId: deptId,
    entrustingDepartmentId: null,
    serviceObjects: it.o === 'P' ? ['person'] : it.o === 'E' ? ['enterprise'] : ['person', 'enterprise'],
    conditions,
    legalBasis: it.law ?? '',
    legalLimitDays: it.l,
    promisedLimitDays: it.p,
    caseKind: it.i ? 'immediate' : 'promised',
    steps: buildSteps(it.s ?? 'std', it.p, it.t === 'XK'),
    handlingForms: forms,
    onlineDepth: it.dp,
    visits: it.v,
    place: placeOf(it),
    hours: HOURS,
    phone: `0371-6800${2000 + deptNo}`,
    fees: (it.f ?? []).map((code) => ({ feeCode: code, note: '' })),
    result: { kind: it.rk ?? 'certificate', name: it.r ?? `${it.n}结果`, sampleFileId: null },
    lifeEvents: it.th.filter((t): t is (typeof lifeEvents)[number] =>
      (lifeEvents as readonly string[]).includes(t),
    ),
    enterpriseStages: it.th.filter((t): t is (typeof enterpriseStages)[number] =>
      (enterpriseStages as readonly string[]).includes(t),
    ),
    levels:
      it.lv === 'DTV'
        ? ['district', 'township', 'village']
        : it.lv === 'DT'
          ? ['district', 'township']
          : ['district'],
    tongbanRange: it.tb ?? 'none',
    allowDeficiency,
    deemedApproval: flags.includes('M'),
    commitmentApproval: flags.includes('C'),
    appointment: flags.includes('A') || it.v > 0,
    intermediaryCodes: it.im ?? [],
    materials: it.m.map((spec) => parseMaterial(spec, allowDeficiency)),
    faq: [
      ...(it.faq ?? []).map(([question, answer]) => ({ question, answer })),
      {
        question: '如何查询办理进度?',
        answer: '可登录二七区政务服务网、扫描受理回执上的二维码或拨打咨询电话查询。',
      },
    ],
  };
}

/** A blank application form: the item's title and the fields an applicant fills in. */
async function blankForm(title: string, item: s.ItemData): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('申请表');
  ws.columns = [{ width: 22 }, { width: 48 }];
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow([`事项:${item.name}`]);
  const fields =
    item.serviceObjects.includes('enterprise') && !item.serviceObjects.includes('person')
      ? ['单位名称', '统一社会信用代码', '法定代表人', '住所', '联系人', '联系电话', '申请事项说明']
      : ['姓名', '公民身份号码', '户籍地址', '现居住地址', '联系电话', '申请事项说明'];
  for (const f of fields) ws.addRow([f, '']);
  ws.addRow(['申请人(签字或盖章)', '']);
  ws.addRow(['申请日期', '    年    月    日']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function isCatalogSeeded(db: Db): Promise<boolean> {
  return !(await q.catalogIsEmpty(db));
}

/**
 * Load the demo catalog into a database that holds the demo organisation. Throws when the demo departments
 * are missing; every entry is checked against the catalog's rules first, so the demo never shows bad data.
 */
export async function seedDemoCatalog(db: Db, opts: CatalogSeedOptions = {}): Promise<CatalogSeedSummary> {
  const depts = await q.allDepartments(db);
  const byName = new Map(depts.map((d) => [d.name, d]));
  const deptOf = new Map<string, DeptInfo>();
  for (const [key, name] of demoDepartments) {
    const d = byName.get(name);
    if (!d) throw new Error(`demo catalog: department ${name} is missing; seed the demo organisation first`);
    deptOf.set(key, d);
  }
  const deptNo = (key: string) => demoDepartments.findIndex((d) => d[0] === key) + 1;
  const dept = (key: string) => deptOf.get(key) as DeptInfo;
  const lookup = (id: string | null) => (id ? depts.find((d) => d.id === id) : undefined);
  const reason = '演示数据:二七区“五单一网”清单';

  type Planned = { kind: ListKind; code: string; data: s.EntryData; effectiveFrom?: string };
  const planned: Planned[] = [];

  for (const f of demoFees) {
    planned.push({
      kind: 'fee',
      code: f.code,
      effectiveFrom: '2016-01-01',
      data: {
        name: f.name,
        departmentId: f.d ? dept(f.d).id : null,
        standardFen: f.fen,
        unit: f.unit,
        standardRule: f.rule ?? '',
        legalBasis: f.basis,
        reducible: !!f.reducible,
        reductionPolicy: f.reducible ?? '',
      },
    });
  }
  for (const f of demoFunds) {
    planned.push({
      kind: 'fund',
      code: f.code,
      effectiveFrom: '2016-01-01',
      data: {
        name: f.name,
        departmentId: f.d ? dept(f.d).id : null,
        standardFen: null,
        unit: '',
        standardRule: f.rule,
        legalBasis: f.basis,
        reducible: false,
        reductionPolicy: '',
      },
    });
  }

  // Items, with the power behind each of them.
  const itemCodes = new Map<string, string>();
  const powerSeq = new Map<string, number>();
  const deptSeq = new Map<string, number>();
  const itemPowers: Planned[] = [];
  for (const it of demoItems) {
    const d = dept(it.d);
    const no = deptNo(it.d);
    const seq = (deptSeq.get(it.d) ?? 0) + 1;
    deptSeq.set(it.d, seq);
    const typeNo = Object.keys(powerTypes).indexOf(it.t) + 1;
    const basicCode = `${String(typeNo).padStart(2, '0')}${String(no).padStart(2, '0')}${String(seq).padStart(3, '0')}00000`;
    const code = `${demoUscc(no)}${basicCode}`;
    itemCodes.set(it.n, code);
    const pSeq = (powerSeq.get(`${it.d}:${it.t}`) ?? 0) + 1;
    powerSeq.set(`${it.d}:${it.t}`, pSeq);
    const pCode = powerCode(it.t, no, pSeq);
    itemPowers.push({
      kind: 'power',
      code: pCode,
      data: {
        name: it.n,
        type: it.t,
        departmentId: d.id,
        legalBasis: it.law ?? '',
        responsibilities: [
          '受理责任:公示依法应当提交的材料,一次性告知补正材料,依法受理或不予受理',
          '审查责任:对申请材料进行审查',
          '决定责任:依法作出决定',
          '送达责任:制发结果并送达',
          '事后监管责任:依法开展监督检查',
        ],
        accountability: [
          '对符合法定条件的申请不予受理、不予办理的',
          '违反法定程序实施的',
          '滥用职权、玩忽职守、徇私舞弊的',
        ],
        levels: ['district'],
        source: 'statutory',
        remarks: '',
      },
    });
    const data = buildItem(it, d.id, no, pCode);
    data.basicCode = basicCode;
    planned.push({ kind: 'item', code, data });
  }
  planned.push(...itemPowers);
  const generated = generatePowers(
    demoDepartments.map((d) => d[0]),
    Math.max(0, (opts.powers ?? DEMO_POWER_COUNT) - itemPowers.length),
    new Map([...powerSeq].map(([k, n]) => [k, n])),
  );
  for (const p of generated) {
    planned.push({
      kind: 'power',
      code: p.code,
      data: {
        name: p.name,
        type: p.type as s.PowerData['type'],
        departmentId: dept(p.dept).id,
        legalBasis: p.legalBasis,
        responsibilities: p.responsibilities,
        accountability: p.accountability,
        levels: ['district'],
        source: p.source,
        remarks: '',
      },
    });
  }
  const item = (name: string) => {
    const code = itemCodes.get(name);
    if (!code) throw new Error(`demo catalog: no item named ${name}`);
    return code;
  };
  for (const x of demoIntermediaries) {
    planned.push({
      kind: 'intermediary',
      code: x.code,
      data: {
        name: x.name,
        departmentId: dept(x.d).id,
        itemCodes: x.items.map(item),
        legalBasis: x.basis,
        providerRequirements: x.req,
        feeBasis: x.fee,
        limitDays: x.days,
      },
    });
  }
  for (const x of demoNegative) {
    planned.push({
      kind: 'negative',
      code: x.code,
      data: {
        name: x.name,
        industry: x.industry,
        category: x.cat,
        measures: x.measures,
        legalBasis: x.basis,
      },
    });
  }
  for (const x of demoPermissions) {
    planned.push({
      kind: 'permission',
      code: x.code,
      data: {
        name: `${x.item}准许条件`,
        itemCode: item(x.item),
        conditions: x.conditions,
        legalBasis: x.basis,
      },
    });
  }
  for (const x of demoSupervision) {
    planned.push({
      kind: 'supervision',
      code: x.code,
      data: {
        name: `${x.item}事中事后监管`,
        itemCode: item(x.item),
        departmentId: dept(x.d).id,
        measures: x.measures,
        frequency: x.freq,
        legalBasis: x.basis,
      },
    });
  }

  // The food licence's first version promised 10 days; the 2026 reform cut it to 7.
  const food = planned.find(
    (p) => p.kind === 'item' && (p.data as s.ItemData).name === '食品经营许可',
  ) as Planned;
  const foodNow = food.data as s.ItemData;
  food.data = { ...foodNow, promisedLimitDays: 10, steps: buildSteps('inspect', 10, true) };
  food.effectiveFrom = '2025-01-01';

  // Every rule holds before anything is written.
  const live = new Set(planned.map((p) => `${p.kind}:${p.code}`));
  const problems: string[] = [];
  const check = (p: Planned) => {
    const issues: FieldError[] = [
      ...dataIssues(p.kind, p.data),
      ...referenceIssues(referencesOf(p.kind, p.data), {
        department: (id) => depts.some((d) => d.id === id),
        file: () => true,
        entry: (kind, code) => live.has(`${kind}:${code}`),
      }),
    ];
    for (const i of issues) problems.push(`${p.kind} ${p.code} ${p.data.name}: ${i.field} ${i.rule}`);
  };
  planned.forEach(check);
  const foodV2: s.ItemData = foodNow;
  check({ kind: 'item', code: food.code, data: foodV2 });
  if (problems.length > 0) throw new Error(`demo catalog breaks the catalog rules:\n${problems.join('\n')}`);

  let files = 0;
  const summary = await db.transaction().execute(async (trx) => {
    if (opts.forms !== false) {
      for (const p of planned) {
        if (p.kind !== 'item') continue;
        const d = p.data as s.ItemData;
        for (const m of d.materials) {
          if (m.kind === 'electronic' || !isForm(m.name)) continue;
          const meta = await storeFile(
            trx,
            {
              name: `${m.name}.xlsx`,
              contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
              bytes: await blankForm(m.name, d),
            },
            null,
          );
          m.blankFormFileId = meta.id;
          files += 1;
        }
      }
      // The food licence's versions share their material objects, so both point at the same forms.
    }
    const bulk = (p: Planned): BulkEntry => ({
      kind: p.kind,
      code: p.code,
      regionCode: (p.data as { departmentId?: string | null }).departmentId
        ? (lookup((p.data as { departmentId: string }).departmentId)?.regionCode ?? DEMO_DISTRICT)
        : DEMO_DISTRICT,
      data: p.data,
      projection: project(p.kind, p.data, lookup),
      reason,
      effectiveFrom: p.effectiveFrom ?? DEMO_CATALOG_DATE,
      published: true,
    });
    await bulkCreate(trx, planned.map(bulk), systemActor);

    // History: the food licence amended, two funds repealed, a draft amendment of company registration.
    const entries = await q.entryCodes(
      trx,
      ['item', 'fund'],
      [food.code, ...demoFunds.map((f) => f.code), item('公司设立登记')],
    );
    const amend = (
      kind: ListKind,
      code: string,
      data: s.EntryData,
      why: string,
      from: string,
      published: boolean,
      action?: 'repeal',
    ): BulkAmendment => {
      const e = entries.get(`${kind}:${code}`);
      if (!e) throw new Error(`demo catalog: ${kind} ${code} was not written`);
      return {
        ...bulk({ kind, code, data }),
        reason: why,
        effectiveFrom: from,
        published,
        entryId: e.id,
        expectedSeq: e.latest_seq,
        action,
      };
    };
    const company = planned.find((p) => p.code === item('公司设立登记')) as Planned;
    const changes: BulkAmendment[] = [
      amend(
        'item',
        food.code,
        foodV2,
        '落实“放管服”改革,承诺时限由 10 个工作日压缩至 7 个工作日',
        '2026-07-01',
        true,
      ),
      ...demoFunds
        .filter((f) => f.repealed)
        .map((f) =>
          amend(
            'fund',
            f.code,
            (planned.find((p) => p.code === f.code) as Planned).data,
            f.repealed as string,
            '2017-01-01',
            true,
            'repeal',
          ),
        ),
    ];
    await bulkAmend(trx, changes, systemActor);
    const companyDraft: s.ItemData = {
      ...(company.data as s.ItemData),
      promisedLimitDays: 0,
      caseKind: 'immediate',
    };
    await bulkAmend(
      trx,
      [amend('item', company.code, companyDraft, '拟推行企业开办即时办结(征求意见稿)', '2027-01-01', false)],
      systemActor,
    );

    const counts = {
      items: planned.filter((p) => p.kind === 'item').length,
      powers: planned.filter((p) => p.kind === 'power').length,
      fees: demoFees.length,
      funds: demoFunds.length,
      other: planned.filter((p) => ['intermediary', 'negative', 'permission', 'supervision'].includes(p.kind))
        .length,
      files,
    };
    await recordAudit(trx, systemActor, {
      action: 'seed.demo-catalog',
      targetType: 'catalog',
      regionCode: DEMO_DISTRICT,
      after: counts,
    });
    return counts;
  });
  await q.settleIndexes(db);
  return summary;
}
