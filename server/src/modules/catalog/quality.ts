import type { FieldError } from '../../platform/errors.js';
import type * as s from './schema.js';
import type { ListKind } from './vocab.js';
import { licensingStepGroups } from './vocab.js';

/**
 * Quality rules of the catalog (质量规则), checked on every save, import row and publication. Each broken
 * rule names the field by its path in the entry data (`materials.2.allowDeficiency`), so the editor can point
 * at it and the importer can turn it into a sheet, row and column. Every rule is reported, not just the first.
 */

const issue = (field: string, rule: string, params: Record<string, string | number> = {}): FieldError => ({
  field,
  rule,
  key: `rule.${rule}`,
  params,
});

export function itemIssues(d: s.ItemData): FieldError[] {
  const out: FieldError[] = [];
  if (d.promisedLimitDays > d.legalLimitDays) {
    out.push(issue('promisedLimitDays', 'promisedWithinLegal', { legal: d.legalLimitDays }));
  }
  if (d.caseKind === 'immediate' && d.promisedLimitDays > 1) {
    out.push(issue('promisedLimitDays', 'immediateLimit'));
  }
  if (d.onlineDepth === 4 && d.visits > 0) out.push(issue('visits', 'fullyOnlineVisits'));
  if (d.visits === 0 && !d.handlingForms.includes('online') && !d.handlingForms.includes('mail')) {
    out.push(issue('handlingForms', 'mailRequired'));
  }
  if (d.type === 'XK') {
    const missing = licensingStepGroups
      .filter((group) => !d.steps.some((st) => group.some((word) => st.name.includes(word))))
      .map((group) => group.join('/'));
    if (missing.length > 0) out.push(issue('steps', 'licensingSteps', { missing: missing.join('、') }));
  }
  const seen = new Map<string, number>();
  d.materials.forEach((m, i) => {
    const key = m.name.replace(/\s+/g, '');
    if (seen.has(key)) out.push(issue(`materials.${i}.name`, 'unique', { value: m.name }));
    else seen.set(key, i);
    if (m.requirement === 'conditional' && m.condition.length === 0) {
      out.push(issue(`materials.${i}.condition`, 'conditionRequired'));
    }
    if (m.allowDeficiency && m.essential)
      out.push(issue(`materials.${i}.allowDeficiency`, 'deficiencyEssential'));
    else if (m.allowDeficiency && !d.allowDeficiency) {
      out.push(issue(`materials.${i}.allowDeficiency`, 'deficiencyNotAllowed'));
    }
    if (m.source === 'e_licence' && m.licenceType.length === 0) {
      out.push(issue(`materials.${i}.licenceType`, 'licenceTypeRequired'));
    }
  });
  const fees = new Set<string>();
  d.fees.forEach((f, i) => {
    if (fees.has(f.feeCode)) out.push(issue(`fees.${i}.feeCode`, 'unique', { value: f.feeCode }));
    fees.add(f.feeCode);
  });
  return out;
}

export function feeIssues(d: s.FeeData): FieldError[] {
  if (d.standardFen === null && d.standardRule.length === 0) return [issue('standardFen', 'feeStandard')];
  return [];
}

/** The rules that need nothing but the entry itself. */
export function dataIssues(kind: ListKind, data: s.EntryData): FieldError[] {
  switch (kind) {
    case 'item':
      return itemIssues(data as s.ItemData);
    case 'fee':
    case 'fund':
      return feeIssues(data as s.FeeData);
    default:
      return [];
  }
}

/** A reference to another catalog entry, a department or a file, at a field path. */
export type Reference =
  | { field: string; to: 'department'; id: string }
  | { field: string; to: 'file'; id: string }
  | { field: string; to: 'entry'; kinds: ListKind[]; code: string; rule: string };

export function referencesOf(kind: ListKind, data: s.EntryData): Reference[] {
  const refs: Reference[] = [];
  const dept = (field: string, id: string | null) => {
    if (id) refs.push({ field, to: 'department', id });
  };
  const file = (field: string, id: string | null) => {
    if (id) refs.push({ field, to: 'file', id });
  };
  switch (kind) {
    case 'item': {
      const d = data as s.ItemData;
      dept('departmentId', d.departmentId);
      dept('entrustingDepartmentId', d.entrustingDepartmentId);
      if (d.powerCode)
        refs.push({
          field: 'powerCode',
          to: 'entry',
          kinds: ['power'],
          code: d.powerCode,
          rule: 'powerExists',
        });
      d.fees.forEach((f, i) => {
        refs.push({
          field: `fees.${i}.feeCode`,
          to: 'entry',
          kinds: ['fee', 'fund'],
          code: f.feeCode,
          rule: 'feeExists',
        });
      });
      d.intermediaryCodes.forEach((c, i) => {
        refs.push({
          field: `intermediaryCodes.${i}`,
          to: 'entry',
          kinds: ['intermediary'],
          code: c,
          rule: 'intermediaryExists',
        });
      });
      d.materials.forEach((m, i) => {
        file(`materials.${i}.blankFormFileId`, m.blankFormFileId);
        file(`materials.${i}.sampleFileId`, m.sampleFileId);
      });
      file('result.sampleFileId', d.result.sampleFileId);
      break;
    }
    case 'power':
    case 'fee':
    case 'fund':
    case 'intermediary':
      dept('departmentId', (data as { departmentId: string | null }).departmentId);
      if (kind === 'intermediary') {
        (data as s.IntermediaryData).itemCodes.forEach((c, i) => {
          refs.push({ field: `itemCodes.${i}`, to: 'entry', kinds: ['item'], code: c, rule: 'itemExists' });
        });
      }
      break;
    case 'permission':
    case 'supervision':
      if (kind === 'supervision') dept('departmentId', (data as s.SupervisionData).departmentId);
      refs.push({
        field: 'itemCode',
        to: 'entry',
        kinds: ['item'],
        code: (data as s.PermissionData).itemCode,
        rule: 'itemExists',
      });
      break;
    case 'negative':
      break;
  }
  return refs;
}

/** What exists to be referenced: answers come from the database, or from a workbook being imported. */
export type ReferenceTargets = {
  department(id: string): boolean;
  file(id: string): boolean;
  /** A live entry: its newest published version is not a repeal. */
  entry(kind: ListKind, code: string): boolean;
};

export function referenceIssues(refs: Reference[], targets: ReferenceTargets): FieldError[] {
  const out: FieldError[] = [];
  for (const r of refs) {
    if (r.to === 'department' && !targets.department(r.id)) {
      out.push({ field: r.field, rule: 'exists', key: 'rule.exists', params: { what: 'what.department' } });
    } else if (r.to === 'file' && !targets.file(r.id)) {
      out.push({ field: r.field, rule: 'exists', key: 'rule.exists', params: { what: 'what.catalogFile' } });
    } else if (r.to === 'entry' && !r.kinds.some((k) => targets.entry(k, r.code))) {
      out.push(issue(r.field, r.rule, { value: r.code }));
    }
  }
  return out;
}
