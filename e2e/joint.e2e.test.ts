import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Harness, startHarness } from './harness.js';
import { login, pick } from './pages.js';

const ACTION_TIMEOUT = 30_000;

function pdf(name: string) {
  return {
    name,
    mimeType: 'application/pdf',
    buffer: Buffer.from(
      `%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% ${name}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    ),
  };
}

async function settled(inner: Locator): Promise<void> {
  await inner.waitFor();
  await inner.evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        const modal = element.closest('.ant-modal');
        const check = () =>
          !modal || !/zoom-(appear|enter)/.test(modal.className) ? resolve() : setTimeout(check, 16);
        check();
      }),
  );
}

/** Presses a case action on the workbench case page and confirms its dialog; returns the HTTP status. */
async function act(page: Page, action: string): Promise<number> {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.locator(`[data-testid="action-dialog"][data-action="${action}"]`);
  await settled(dialog);
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(`/actions/${action}`),
    { timeout: ACTION_TIMEOUT },
  );
  await page.getByTestId('action-confirm').click();
  const response = await answered;
  if (response.ok()) await dialog.waitFor({ state: 'detached' });
  return response.status();
}

async function openCase(page: Page, url: string, caseId: string, status?: string): Promise<void> {
  await page.goto(`${url}/workbench/cases/${caseId}`);
  await page
    .locator(
      `[data-testid="case-facts"] [data-testid="case-status"]${status ? `[data-status="${status}"]` : ''}`,
    )
    .waitFor({ timeout: ACTION_TIMEOUT });
}

/** The departments of 企业开办 and who acts for each (reviewer, then approver who also issues). */
const DEPARTMENTS: { item: string; reviewer: string; approver: string }[] = [
  { item: '公司设立登记', reviewer: 'reviewer', approver: 'approver' },
  { item: '公章刻制备案', reviewer: 'ga_officer', approver: 'ga_officer' },
  { item: '发票领用', reviewer: 'ss_officer', approver: 'ss_officer' },
  { item: '单位社会保险登记', reviewer: 'rs_officer', approver: 'rs_officer' },
  { item: '住房公积金单位缴存登记', reviewer: 'gjj_officer', approver: 'gjj_officer' },
];

describe('企业开办 in the browser: one application, five departments in parallel, one handover', () => {
  let h: Harness;
  let applicant: Page;
  let clerk: Page;
  const staff = new Map<string, Page>();

  beforeAll(async () => {
    h = await startHarness();
    applicant = await h.newPage();
    clerk = await h.newPage();
    await login(applicant, h.url, '13900139000', DEMO_PASSWORD, 'applicant');
    await login(clerk, h.url, 'clerk', DEMO_PASSWORD);
    for (const name of new Set(DEPARTMENTS.flatMap((d) => [d.reviewer, d.approver]))) {
      const page = await h.newPage();
      await login(page, h.url, name, DEMO_PASSWORD);
      staff.set(name, page);
    }
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  it('applies once, five departments act in parallel, one asks for a correction, the applicant supplies once, all complete, one handover', async () => {
    // The applicant picks 企业开办, fills one form and hands in one material set.
    await applicant.goto(`${h.url}/portal/joint`);
    await applicant.locator('[data-testid="joint-template"][data-code="QYKB"]').getByRole('button').click();
    await applicant.getByLabel('企业名称').fill('郑州二七浏览器测试科技有限公司');
    await applicant.getByLabel('住所').fill('二七区大学路 9 号');
    await applicant.getByLabel('法定代表人').fill('赵六');
    await applicant.getByRole('button', { name: '下一步:提交材料' }).click();
    await applicant.waitForURL(/\/portal\/joint\/[0-9a-f-]{36}$/);
    const jointId = new URL(applicant.url()).pathname.split('/').pop() as string;
    const rows = applicant.locator('[data-testid="joint-material"]');
    await rows.first().waitFor();
    const names: string[] = [];
    for (const row of await rows.all()) {
      if ((await row.locator('.ant-tag', { hasText: '必需' }).count()) > 0)
        names.push((await row.getAttribute('data-name')) as string);
    }
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const row = applicant.locator(`[data-testid="joint-material"][data-name="${name}"]`);
      await row.locator('input[type=file]').setInputFiles(pdf(`${name}.pdf`));
      await applicant
        .locator(`[data-testid="joint-material"][data-name="${name}"][data-status="provided"]`)
        .waitFor({ timeout: ACTION_TIMEOUT });
    }
    await applicant.getByRole('button', { name: '提交申请' }).click();
    await applicant
      .locator('[data-testid="joint-status"][data-status="submitted"]')
      .waitFor({ timeout: ACTION_TIMEOUT });

    // The first window accepts once; every department's sub-case starts.
    await clerk.goto(`${h.url}/workbench/joint/${jointId}`);
    await clerk.getByRole('button', { name: '统一受理(首问启动)' }).click();
    await clerk
      .locator('[data-testid="joint-status"][data-status="accepted"]')
      .waitFor({ timeout: ACTION_TIMEOUT });
    const members = clerk.locator('[data-testid="joint-member"][data-status="accepted"]');
    await expect.poll(() => members.count(), { timeout: ACTION_TIMEOUT }).toBe(5);
    const caseIds = new Map<string, string>();
    for (const d of DEPARTMENTS) {
      const link = clerk.locator(`[data-testid="joint-member"][data-item="${d.item}"] a`, {
        hasText: '打开办件',
      });
      caseIds.set(d.item, ((await link.getAttribute('href')) as string).split('/').pop() as string);
    }

    // 人社 asks for a correction from the joint board; the others review at the same time.
    const rs = staff.get('rs_officer') as Page;
    await rs.goto(`${h.url}/workbench/joint/${jointId}`);
    await rs
      .locator('[data-testid="joint-member"][data-item="单位社会保险登记"]')
      .getByRole('button', { name: '要求补正' })
      .click();
    const dialog = rs.locator('.ant-modal', { hasText: '要求补正' });
    await settled(dialog);
    await pick(rs, dialog.getByLabel('材料', { exact: true }), '单位社会保险登记表');
    // The form refuses to send without its material: the choice must show before 发送 is pressed.
    await dialog.locator('.ant-select-content[title="单位社会保险登记表"]').waitFor();
    await dialog.getByLabel('问题').fill('未加盖单位公章');
    const others = DEPARTMENTS.filter((d) => d.item !== '单位社会保险登记');
    const [corrected, ...passed] = await Promise.all([
      (async () => {
        const answered = rs.waitForResponse((r) => r.url().endsWith('/corrections'), {
          timeout: ACTION_TIMEOUT,
        });
        await dialog.getByRole('button', { name: '发送' }).click();
        return (await answered).status();
      })(),
      ...others.map(async (d) => {
        const page = staff.get(d.reviewer) as Page;
        await openCase(page, h.url, caseIds.get(d.item) as string, 'accepted');
        return act(page, 'pass');
      }),
    ]);
    expect(corrected).toBe(200);
    expect(passed).toEqual([200, 200, 200, 200]);

    // The applicant sees one combined notice, supplies once, and the paused department resumes.
    await applicant.reload();
    await applicant.getByTestId('joint-correction-notice').waitFor({ timeout: ACTION_TIMEOUT });
    await expect
      .poll(() => applicant.getByTestId('joint-correction-notice').textContent())
      .toContain('未加盖单位公章');
    await applicant
      .locator('[data-testid="joint-material"][data-name="单位社会保险登记表"] input[type=file]')
      .setInputFiles(pdf('单位社会保险登记表-盖章.pdf'));
    await applicant
      .locator('[data-testid="joint-material"][data-name="单位社会保险登记表"][data-status="provided"]')
      .waitFor({ timeout: ACTION_TIMEOUT });
    await applicant.getByRole('button', { name: '提交补正' }).click();
    await applicant
      .locator('[data-testid="joint-status"][data-status="accepted"]')
      .waitFor({ timeout: ACTION_TIMEOUT });

    // Every department finishes in parallel: 人社 reviews now, everyone approves and issues.
    await openCase(rs, h.url, caseIds.get('单位社会保险登记') as string, 'accepted');
    expect(await act(rs, 'pass')).toBe(200);
    const finished = await Promise.all(
      DEPARTMENTS.map(async (d) => {
        const page = staff.get(d.approver) as Page;
        await openCase(page, h.url, caseIds.get(d.item) as string, 'accepted');
        const approved = await act(page, 'approve');
        await openCase(page, h.url, caseIds.get(d.item) as string, 'approved');
        const issued = await act(page, 'issue');
        return [approved, issued];
      }),
    );
    expect(finished.flat()).toEqual(Array(10).fill(200));

    // One handover at the first window delivers every result; the figures are kept.
    await clerk.goto(`${h.url}/workbench/joint/${jointId}`);
    await clerk
      .locator('[data-testid="joint-status"][data-status="completed"]')
      .waitFor({ timeout: ACTION_TIMEOUT });
    await clerk.getByTestId('joint-figures').waitFor();
    await clerk.getByRole('button', { name: '统一发证' }).click();
    await clerk
      .locator('[data-testid="joint-status"][data-status="delivered"]')
      .waitFor({ timeout: ACTION_TIMEOUT });
    await expect
      .poll(() => clerk.locator('[data-testid="joint-member"][data-status="delivered"]').count())
      .toBe(5);
    await applicant.reload();
    await applicant
      .locator('[data-testid="joint-status"][data-status="delivered"]')
      .waitFor({ timeout: ACTION_TIMEOUT });
    expect(h.pageErrors).toEqual([]);
  }, 300_000);
});
