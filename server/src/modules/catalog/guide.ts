import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { today } from '../../platform/clock.js';
import { notFound } from '../../platform/errors.js';
import { type Locale, translate } from '../../platform/i18n.js';
import { currentByCodes, currentReferencing, ensureCurrent } from './current.js';
import { fileUrl } from './files.js';
import { canReadDrafts } from './policy.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import { readData } from './versions.js';
import {
  caseKinds,
  handlingForms,
  levels,
  materialKinds,
  materialSources,
  onlineDepths,
  powerTypes,
  resultKinds,
  serviceObjects,
  stepRoles,
  tongbanRanges,
} from './vocab.js';

/**
 * The item guide (办事指南 / 服务卡片): everything an applicant needs in one answer — conditions, materials with
 * their forms, time limits, fees resolved from the fee list, the process as a flowchart, place and hours,
 * and the version id the apply button files the case under.
 */

type Guide = z.output<typeof s.guide>;
type Node = Guide['process']['nodes'][number];
type Edge = Guide['process']['edges'][number];

const kv = <K extends string>(vocab: Readonly<Record<K, string>>, key: K) => ({ key, label: vocab[key] });

/** Nodes and edges for a flowchart: the steps in order, with the acceptance and decision branches. */
export function flowchart(steps: s.ItemData['steps'], locale: Locale): { nodes: Node[]; edges: Edge[] } {
  const t = (key: string) => translate(locale, key);
  const nodes: Node[] = [
    { id: 'start', label: t('guide.start'), kind: 'start', role: null, limitDays: null },
  ];
  const edges: Edge[] = [];
  steps.forEach((st, i) => {
    nodes.push({
      id: `s${i + 1}`,
      label: st.name,
      kind: st.clockStops ? 'special' : 'step',
      role: stepRoles[st.role],
      limitDays: st.limitDays,
    });
    edges.push({ from: i === 0 ? 'start' : `s${i}`, to: `s${i + 1}`, label: '' });
  });
  nodes.push({ id: 'end', label: t('guide.end'), kind: 'end', role: null, limitDays: null });
  edges.push({ from: steps.length === 0 ? 'start' : `s${steps.length}`, to: 'end', label: '' });

  const accept = steps.findIndex((st) => st.name.includes('受理'));
  if (accept >= 0) {
    const id = `s${accept + 1}`;
    nodes.push({
      id: 'correction',
      label: t('guide.correction'),
      kind: 'branch',
      role: null,
      limitDays: null,
    });
    nodes.push({ id: 'refused', label: t('guide.refused'), kind: 'end', role: null, limitDays: null });
    edges.push({ from: id, to: 'correction', label: t('guide.incomplete') });
    edges.push({ from: 'correction', to: id, label: t('guide.corrected') });
    edges.push({ from: id, to: 'refused', label: t('guide.notEligible') });
  }
  let decide = -1;
  steps.forEach((st, i) => {
    if (st.name.includes('审批') || (st.name.includes('审核') && !steps.some((x) => x.name.includes('审批'))))
      decide = i;
  });
  if (decide >= 0) {
    nodes.push({ id: 'denied', label: t('guide.denied'), kind: 'end', role: null, limitDays: null });
    edges.push({ from: `s${decide + 1}`, to: 'denied', label: t('guide.notApproved') });
  }
  return { nodes, edges };
}

export async function itemGuide(
  db: Db,
  actor: Actor | null,
  codeOrId: string,
  versionId: string | undefined,
  locale: Locale,
): Promise<Guide> {
  await ensureCurrent(db);
  const entry = await q.findEntry(db, 'item', codeOrId);
  if (!entry) throw notFound('what.catalogItem');
  const day = today();
  let v: q.VersionWithData | undefined;
  if (versionId) {
    v = await q.getVersion(db, versionId);
    if (v && (v.entry_id !== entry.id || (v.status !== 'published' && !canReadDrafts(actor, v.region_code))))
      v = undefined;
  } else {
    v = await q.versionInEffect(db, entry.id, day);
    if (v?.action === 'repeal') v = undefined;
  }
  if (!v) throw notFound('what.catalogItem');
  const d = readData('item', v.data) as s.ItemData;

  const fileIds = [
    ...d.materials.flatMap((m) => [m.blankFormFileId, m.sampleFileId]),
    d.result.sampleFileId,
  ].filter((x): x is string => !!x);
  const [depts, files, fees, intermediaries, permissions, supervision] = await Promise.all([
    q.departmentsByIds(db, [d.departmentId, ...(d.entrustingDepartmentId ? [d.entrustingDepartmentId] : [])]),
    q.fileMetas(db, fileIds),
    currentByCodes(
      db,
      ['fee', 'fund'],
      d.fees.map((f) => f.feeCode),
    ),
    currentByCodes(db, ['intermediary'], d.intermediaryCodes),
    currentReferencing(db, ['permission'], entry.code),
    currentReferencing(db, ['supervision'], entry.code),
  ]);
  const deptName = (id: string) => depts.find((x) => x.id === id)?.name ?? '';
  const file = (id: string | null) => {
    const f = id ? files.get(id) : undefined;
    return f ? { id: f.id, name: f.name, url: fileUrl(f.id), size: f.size } : null;
  };
  const feeByCode = new Map(fees.map((f) => [f.code, readData(f.kind, f.data) as s.FeeData]));

  return {
    versionId: v.id,
    entryId: entry.id,
    code: entry.code,
    basicCode: d.basicCode,
    name: d.name,
    type: { code: d.type, label: powerTypes[d.type] },
    department: { id: d.departmentId, name: deptName(d.departmentId) },
    entrustingDepartment: d.entrustingDepartmentId
      ? { id: d.entrustingDepartmentId, name: deptName(d.entrustingDepartmentId) }
      : null,
    serviceObjects: d.serviceObjects.map((o) => kv(serviceObjects, o)),
    conditions: d.conditions,
    legalBasis: d.legalBasis,
    timeLimits: {
      legalDays: d.legalLimitDays,
      promisedDays: d.promisedLimitDays,
      caseKind: kv(caseKinds, d.caseKind),
      savedDays: d.legalLimitDays - d.promisedLimitDays,
    },
    materials: d.materials.map((m, index) => ({
      index,
      name: m.name,
      kind: m.kind,
      kindLabel: materialKinds[m.kind],
      copies: m.copies,
      paperSize: m.paperSize,
      required: m.requirement === 'required',
      condition: m.condition,
      allowDeficiency: m.allowDeficiency,
      essential: m.essential,
      source: m.source,
      sourceLabel: materialSources[m.source],
      issuer: m.issuer,
      licenceType: m.licenceType,
      blankForm: file(m.blankFormFileId),
      sample: file(m.sampleFileId),
      notes: m.notes,
      legalBasis: m.legalBasis,
    })),
    fees: {
      free: d.fees.length === 0,
      items: d.fees.map((f) => {
        const fee = feeByCode.get(f.feeCode);
        return {
          code: f.feeCode,
          name: fee?.name ?? f.feeCode,
          standardFen: fee?.standardFen ?? null,
          unit: fee?.unit ?? '',
          standardRule: fee?.standardRule ?? '',
          legalBasis: fee?.legalBasis ?? '',
          reducible: fee?.reducible ?? false,
          note: f.note,
        };
      }),
    },
    process: { steps: d.steps, ...flowchart(d.steps, locale) },
    handling: {
      forms: d.handlingForms.map((f) => kv(handlingForms, f)),
      onlineDepth: d.onlineDepth,
      onlineDepthLabel: onlineDepths[d.onlineDepth as 1 | 2 | 3 | 4],
      visits: d.visits,
      place: d.place,
      hours: d.hours,
      phone: d.phone,
      levels: d.levels.map((l) => kv(levels, l)),
      tongbanRange: kv(tongbanRanges, d.tongbanRange),
      appointment: d.appointment,
    },
    flags: {
      allowDeficiency: d.allowDeficiency,
      deemedApproval: d.deemedApproval,
      commitmentApproval: d.commitmentApproval,
    },
    result: {
      kind: d.result.kind,
      kindLabel: resultKinds[d.result.kind],
      name: d.result.name,
      sample: file(d.result.sampleFileId),
    },
    themes: { lifeEvents: d.lifeEvents, enterpriseStages: d.enterpriseStages },
    intermediaries: intermediaries.map((i) => {
      const x = readData('intermediary', i.data) as s.IntermediaryData;
      return { code: i.code, name: x.name, feeBasis: x.feeBasis, limitDays: x.limitDays };
    }),
    standardConditions: permissions.flatMap(
      (p) => (readData('permission', p.data) as s.PermissionData).conditions,
    ),
    supervision: supervision.flatMap((p) => (readData('supervision', p.data) as s.SupervisionData).measures),
    faq: d.faq,
    effectiveFrom: v.effective_from,
    apply: { online: d.handlingForms.includes('online') && d.onlineDepth >= 3, versionId: v.id },
  };
}
