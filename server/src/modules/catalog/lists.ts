import type { z } from 'zod';
import * as s from './schema.js';
import type { ListKind } from './vocab.js';

/**
 * The eight lists, one definition each: where its routes live, which schema its data follows and which
 * columns a version projects for lists, filters and search.
 */
export type ListDef = {
  kind: ListKind;
  /** URL segment under /api/v1/catalog. */
  path: string;
  /** i18n `what.*` key naming one entry. */
  what: string;
  tag: string;
  schema: z.ZodObject;
};

export const listDefs: Record<ListKind, ListDef> = {
  item: {
    kind: 'item',
    path: 'items',
    what: 'what.catalogItem',
    tag: 'catalog: items 实施清单',
    schema: s.itemData,
  },
  power: {
    kind: 'power',
    path: 'powers',
    what: 'what.catalogPower',
    tag: 'catalog: powers 权责清单',
    schema: s.powerData,
  },
  fee: {
    kind: 'fee',
    path: 'fees',
    what: 'what.catalogFee',
    tag: 'catalog: fees 收费清单',
    schema: s.feeData,
  },
  fund: {
    kind: 'fund',
    path: 'funds',
    what: 'what.catalogFund',
    tag: 'catalog: funds 政府性基金清单',
    schema: s.feeData,
  },
  negative: {
    kind: 'negative',
    path: 'negative-list',
    what: 'what.catalogNegative',
    tag: 'catalog: negative list 负面清单',
    schema: s.negativeData,
  },
  permission: {
    kind: 'permission',
    path: 'permission-list',
    what: 'what.catalogPermission',
    tag: 'catalog: permission list 准许清单',
    schema: s.permissionData,
  },
  supervision: {
    kind: 'supervision',
    path: 'supervision-list',
    what: 'what.catalogSupervision',
    tag: 'catalog: supervision list 监管清单',
    schema: s.supervisionData,
  },
  intermediary: {
    kind: 'intermediary',
    path: 'intermediaries',
    what: 'what.catalogIntermediary',
    tag: 'catalog: intermediaries 中介服务清单',
    schema: s.intermediaryData,
  },
};

export type DeptInfo = { id: string; name: string; shortName: string; regionCode: string };
export type DeptLookup = (id: string | null) => DeptInfo | undefined;

/** What a version stores beside its jsonb data, so reads never open the jsonb to filter or rank. */
export type Projection = {
  name: string;
  departmentId: string | null;
  type: string | null;
  themes: string[];
  levels: string[];
  audiences: string[];
  onlineDepth: number | null;
  immediate: boolean | null;
  /** Codes of other entries this one references (fees, intermediaries, the item it qualifies …). */
  refs: string[];
  searchText: string;
};

const words = (...parts: (string | string[] | null | undefined)[]) =>
  parts
    .flat()
    .filter((p): p is string => !!p && p.trim().length > 0)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .join(' ');

const deptWords = (d: DeptInfo | undefined) => (d ? [d.name, d.shortName] : []);

export function project(kind: ListKind, data: s.EntryData, dept: DeptLookup): Projection {
  const base: Projection = {
    name: data.name,
    departmentId: null,
    type: null,
    themes: [],
    levels: [],
    audiences: [],
    onlineDepth: null,
    immediate: null,
    refs: [],
    searchText: data.name,
  };
  switch (kind) {
    case 'item': {
      const d = data as s.ItemData;
      const themes = [...d.lifeEvents, ...d.enterpriseStages];
      return {
        ...base,
        departmentId: d.departmentId,
        type: d.type,
        themes,
        levels: d.levels,
        audiences: d.serviceObjects,
        onlineDepth: d.onlineDepth,
        immediate: d.caseKind === 'immediate',
        refs: [
          ...d.fees.map((f) => f.feeCode),
          ...d.intermediaryCodes,
          ...(d.powerCode ? [d.powerCode] : []),
        ],
        searchText: words(d.name, d.keywords, d.result.name, deptWords(dept(d.departmentId)), themes),
      };
    }
    case 'power': {
      const d = data as s.PowerData;
      return {
        ...base,
        departmentId: d.departmentId,
        type: d.type,
        levels: d.levels,
        searchText: words(d.name, deptWords(dept(d.departmentId))),
      };
    }
    case 'fee':
    case 'fund': {
      const d = data as s.FeeData;
      return {
        ...base,
        departmentId: d.departmentId,
        searchText: words(d.name, deptWords(dept(d.departmentId))),
      };
    }
    case 'negative': {
      const d = data as s.NegativeData;
      return { ...base, type: d.category, searchText: words(d.name, d.industry) };
    }
    case 'permission': {
      const d = data as s.PermissionData;
      return { ...base, refs: [d.itemCode], searchText: words(d.name, d.itemCode) };
    }
    case 'supervision': {
      const d = data as s.SupervisionData;
      return {
        ...base,
        departmentId: d.departmentId,
        refs: [d.itemCode],
        searchText: words(d.name, d.itemCode, deptWords(dept(d.departmentId))),
      };
    }
    case 'intermediary': {
      const d = data as s.IntermediaryData;
      return {
        ...base,
        departmentId: d.departmentId,
        refs: d.itemCodes,
        searchText: words(d.name, deptWords(dept(d.departmentId))),
      };
    }
  }
}

/**
 * The characters and pairs of adjacent characters of a text, lower-cased, each once. pg_trgm needs three
 * characters to use its index, and Chinese queries are often two (低保, 社保, 许可): a GIN index over these
 * grams finds them without reading every row.
 */
export function gramsOf(text: string): string[] {
  const grams = new Set<string>();
  for (const run of text.toLowerCase().split(/\s+/)) {
    const chars = [...run];
    chars.forEach((c, i) => {
      grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]);
    });
  }
  return [...grams];
}

/** The grams a query needs its matches to have: its pairs (or the single character of a one-character query). */
export function queryGrams(text: string): string[] {
  const grams = new Set<string>();
  for (const run of text.toLowerCase().split(/\s+/).filter(Boolean)) {
    const chars = [...run];
    if (chars.length === 1) grams.add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i += 1) grams.add(chars[i] + chars[i + 1]);
  }
  return [...grams];
}

export function listByPath(path: string): ListDef | undefined {
  return Object.values(listDefs).find((l) => l.path === path);
}
