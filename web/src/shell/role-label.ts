import type { MeRole } from '../api/types';
import type { Translate } from '../i18n/i18n';

/** 审核人员 · 市场监管局 — the role and where it applies. */
export function roleLabel(t: Translate, role: MeRole): string {
  const where = role.departmentName ?? role.regionName;
  return where ? `${t(`role.${role.role}`)} · ${where}` : t(`role.${role.role}`);
}
