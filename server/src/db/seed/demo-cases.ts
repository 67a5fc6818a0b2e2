import type { Config } from '../../config.js';
import { caseFileStore } from '../../modules/cases/files.js';
import { generateCases } from '../../modules/cases/generate.js';
import { act, attachMaterial, type CaseCtx, createCase } from '../../modules/cases/service.js';
import { loadApplicantActor, loadStaffActor } from '../../platform/auth/sessions.js';
import { renderDocument } from '../../platform/pdf/index.js';
import type { Db } from '../client.js';

/**
 * Demo cases so every page shows something real on first start: a few hundred historical cases across
 * items, channels and states (on time, near the deadline, late, corrected, 容缺, suspended, completed), and
 * live cases of the demo applicants made through the case service itself, with their notices.
 */
export async function seedDemoCases(db: Db, config: Config, count = 300): Promise<number> {
  const generated = await generateCases(db, { count, days: 90, seed: 7 });
  const ctx: CaseCtx = { db, config, files: caseFileStore(config) };
  const enterprise = await db
    .selectFrom('applicants')
    .select('id')
    .where('mobile', '=', '13900139000')
    .executeTakeFirst();
  const clerkRow = await db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'clerk')
    .executeTakeFirst();
  const food = await db
    .selectFrom('catalog_versions')
    .select('code')
    .where('kind', '=', 'item')
    .where('name', '=', '食品经营许可')
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!enterprise || !clerkRow || !food) return generated;
  const applicant = await loadApplicantActor(db, enterprise.id);
  const clerk = await loadStaffActor(db, clerkRow.id);
  if (!applicant || !clerk) return generated;
  const scan = await renderDocument({
    title: '申请材料(示例扫描件)',
    caseNumber: '—',
    paragraphs: ['本文件为演示数据中的申请材料示例。'],
    issuer: '郑州二七示范餐饮有限公司',
    date: '2026-11-01',
  });
  const stored = await ctx.files.put(scan);
  const file = {
    sha256: stored.sha256,
    size: stored.size,
    name: '示例材料.pdf',
    kind: 'pdf',
    mime: 'application/pdf',
  };
  for (const stage of ['accepted', 'submitted', 'draft'] as const) {
    let d = await createCase(ctx, applicant, {
      itemCode: food.code,
      channel: 'online',
      form: { 经营场所: '二七区大学路 1 号', 经营项目: '热食类食品制售' },
      submit: false,
    });
    if (stage === 'draft') continue;
    for (const m of d.materials.filter((x) => x.required))
      d = await attachMaterial(ctx, applicant, d.id, m.id, file);
    d = await act(ctx, applicant, d.id, 'submit', { version: d.version });
    if (stage === 'accepted') {
      d = await act(ctx, clerk, d.id, 'preReviewPass', { version: d.version });
      await act(ctx, clerk, d.id, 'accept', { version: d.version });
    }
  }
  return generated + 3;
}
