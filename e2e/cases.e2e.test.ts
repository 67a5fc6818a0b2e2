import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Harness, startHarness } from './harness.js';
import { usccCheckChar } from './identifiers.js';
import { login, nextResponse, pick, seriousViolations } from './pages.js';

const FOOD_LICENCE = '食品经营许可';
const FOOD_LICENCE_CANCEL = '食品经营许可注销';
const ENTERPRISE_MOBILE = '13900139000';
const ENTERPRISE_NAME = '郑州二七示范餐饮有限公司';
/** The material of 食品经营许可 that may follow after acceptance (容缺). */
const DEFERRABLE = '食品安全管理人员及从业人员健康证明';

/** A server sharing two cores with its jobs and the browser can take a while for one write. */
const ACTION_TIMEOUT = 30_000;

/** A tiny PDF: the upload check reads the magic bytes. */
function pdf(name: string) {
  return {
    name,
    mimeType: 'application/pdf',
    buffer: Buffer.from(
      `%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% ${name}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    ),
  };
}

/** A walk-in enterprise's 统一社会信用代码 with its GB 32100 check character. */
function walkInUscc(): string {
  const first17 = '91410103MA5Y8R3L2';
  return `${first17}${usccCheckChar(first17)}`;
}

/** Uploads a scan for a material row and waits until the row shows it provided. */
async function upload(page: Page, row: Locator): Promise<void> {
  const name = (await row.getAttribute('data-name')) ?? 'material';
  const uploaded = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/materials\/[^/]+\/file$/.test(new URL(r.url()).pathname),
    { timeout: ACTION_TIMEOUT },
  );
  await row.getByTestId('material-upload-input').setInputFiles(pdf(`${name}.pdf`));
  expect((await uploaded).status()).toBe(200);
  await page
    .locator(`[data-testid="material-row"][data-name="${name}"][data-status="provided"]`)
    .first()
    .waitFor();
}

/**
 * Waits until the dialog holding `inner` has finished opening: a click during antd's zoom-in can land beside
 * its target, on the mask, which closes the dialog.
 */
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

async function openWorkbenchCase(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}/workbench/cases/${id}`);
  await page.getByTestId('workbench-case').waitFor();
}

async function expectWorkbenchStatus(page: Page, status: string): Promise<void> {
  await page
    .locator(`[data-testid="case-facts"] [data-testid="case-status"][data-status="${status}"]`)
    .waitFor();
}

async function openPortalCase(page: Page, baseUrl: string, id: string, status?: string): Promise<void> {
  await page.goto(`${baseUrl}/portal/cases/${id}`);
  await page.locator(`[data-testid="portal-case"]${status ? `[data-status="${status}"]` : ''}`).waitFor();
}

/**
 * Presses an action's button, lets `fill` answer what the dialog asks, confirms, and returns the server's
 * answer. On success the dialog closes.
 */
async function act(
  page: Page,
  action: string,
  fill?: (dialog: Locator) => Promise<void>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  await page.getByTestId(`action-${action}`).click();
  const dialog = page.locator(`[data-testid="action-dialog"][data-action="${action}"]`);
  await settled(dialog);
  if (fill) await fill(dialog);
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(`/actions/${action}`),
    { timeout: ACTION_TIMEOUT },
  );
  await page.getByTestId('action-confirm').click();
  const response = await answered;
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok()) await dialog.waitFor({ state: 'detached' });
  return { status: response.status(), body };
}

describe('case handling in the browser', () => {
  let h: Harness;
  let applicant: Page;
  let clerk: Page;
  let reviewer: Page;
  let approver: Page;
  /** The online application of the first test: later tests look it up. */
  let first: { id: string; number: string; itemCode: string };

  beforeAll(async () => {
    h = await startHarness();
    // Everyone signs in once; the tests hand the case from one desk to the next.
    [applicant, clerk, reviewer, approver] = await Promise.all([
      h.newPage(),
      h.newPage(),
      h.newPage(),
      h.newPage(),
    ]);
    await Promise.all([
      login(applicant, h.url, ENTERPRISE_MOBILE, DEMO_PASSWORD, 'applicant'),
      login(clerk, h.url, 'clerk', DEMO_PASSWORD),
      login(reviewer, h.url, 'reviewer', DEMO_PASSWORD),
      login(approver, h.url, 'approver', DEMO_PASSWORD),
    ]);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('an enterprise applies online, is returned by the pre-review, resubmits, and downloads the licence once the back office is done', async () => {
    // From the guide of 食品经营许可 to the application form.
    await applicant.goto(`${h.url}/portal/catalog?q=${encodeURIComponent(FOOD_LICENCE)}`);
    await applicant
      .getByTestId('search-hit')
      .locator('h2')
      .getByRole('link', { name: FOOD_LICENCE, exact: true })
      .first()
      .click();
    await applicant.getByTestId('guide').waitFor();
    await applicant.getByTestId('guide-apply').click();
    await applicant.waitForURL((url) => url.pathname.startsWith('/portal/apply/'));
    const itemCode = decodeURIComponent(new URL(applicant.url()).pathname.split('/').at(-1) ?? '');
    await applicant.getByTestId('apply-page').waitFor();

    await applicant.getByLabel('第 1 项内容').fill('新开一家热食类餐饮门店，申请食品经营许可。');
    await applicant.getByLabel('第 2 项内容').fill('郑州市二七区大学路 1 号');

    // Submitting with nothing uploaded names every missing material on its own row.
    const draftMade = nextResponse(applicant, 'POST', '/cases');
    await applicant.getByTestId('apply-submit').click();
    expect((await draftMade).status).toBe(201);
    await applicant.getByTestId('apply-material-errors').waitFor();
    const rows = applicant.locator('[data-testid="material-row"][data-required="true"]');
    const required = await rows.count();
    expect(required).toBeGreaterThanOrEqual(3);
    // Materials that may follow later (容缺) are no obstacle to submission.
    expect(await applicant.getByTestId('material-error').count()).toBeLessThan(required);
    expect(await applicant.getByTestId('material-error').count()).toBeGreaterThan(0);

    for (let i = 0; i < required; i++) await upload(applicant, rows.nth(i));
    expect(await applicant.getByTestId('material-error').count()).toBe(0);

    await applicant.getByTestId('apply-submit').click();
    await applicant.waitForURL((url) => /^\/portal\/cases\/[0-9a-f-]{36}$/.test(url.pathname));
    await applicant.locator('[data-testid="portal-case"][data-status="submitted"]').waitFor();
    const id = new URL(applicant.url()).pathname.split('/').at(-1) as string;
    const number = ((await applicant.getByTestId('case-number').textContent()) ?? '').trim();
    expect(number).toMatch(/^\d{6}-\d{8}-\d{5}$/);
    first = { id, number, itemCode };

    // The clerk finds it in the inbox by its number and returns it with a reason.
    await clerk.goto(`${h.url}/workbench/cases`);
    await clerk.getByTestId('cases-table').waitFor();
    const search = clerk.getByTestId('list-search').locator('input');
    await search.fill(number);
    await search.press('Enter');
    await clerk.locator(`[data-testid="cases-table"] tr[data-number="${number}"]`).waitFor();
    await clerk.getByTestId('case-link').filter({ hasText: number }).click();
    await clerk.getByTestId('workbench-case').waitFor();
    await expectWorkbenchStatus(clerk, 'submitted');
    const reason = '营业执照扫描件不清晰，请重新上传';
    const returned = await act(clerk, 'preReviewReturn', (d) =>
      d.getByLabel('理由', { exact: true }).fill(reason),
    );
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    await expectWorkbenchStatus(clerk, 'returned');

    // The applicant reads why, uploads the licence again and resubmits.
    await openPortalCase(applicant, h.url, id, 'returned');
    expect((await applicant.getByTestId('case-returned').textContent()) ?? '').toContain(reason);
    await applicant.getByTestId('case-edit-resubmit').click();
    await applicant.getByTestId('apply-returned').waitFor();
    await upload(applicant, applicant.locator('[data-testid="material-row"][data-name="营业执照"]'));
    const resubmitted = nextResponse(applicant, 'POST', `/cases/${id}/actions/resubmit`);
    await applicant.getByTestId('apply-submit').click();
    expect((await resubmitted).status).toBe(200);
    await applicant.locator('[data-testid="portal-case"][data-status="submitted"]').waitFor();

    // Pre-review passed, accepted at the window: the clock starts.
    await clerk.getByTestId('case-reload').click();
    await expectWorkbenchStatus(clerk, 'submitted');
    expect((await act(clerk, 'preReviewPass')).status).toBe(200);
    await expectWorkbenchStatus(clerk, 'registered');
    const accepted = await act(clerk, 'accept');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await expectWorkbenchStatus(clerk, 'accepted');
    await clerk.getByTestId('deadline').waitFor();
    await clerk.locator('[data-testid="case-document"][data-kind="acceptance"]').waitFor();

    // The reviewer passes; the on-site inspection stops the clock until the reviewer resumes.
    await openWorkbenchCase(reviewer, h.url, id);
    await expectWorkbenchStatus(reviewer, 'accepted');
    expect((await act(reviewer, 'pass')).status).toBe(200);
    await expectWorkbenchStatus(reviewer, 'suspended');
    await reviewer.locator('[data-testid="case-document"][data-kind="stage_start"]').waitFor();
    expect((await act(reviewer, 'resume')).status).toBe(200);
    await expectWorkbenchStatus(reviewer, 'accepted');
    expect(
      (await reviewer.locator('[data-testid="case-steps"] [aria-current="step"]').textContent()) ?? '',
    ).toBe('审批');

    // The approver approves, the window issues the licence.
    await openWorkbenchCase(approver, h.url, id);
    expect((await act(approver, 'approve')).status).toBe(200);
    await expectWorkbenchStatus(approver, 'approved');
    await clerk.getByTestId('case-reload').click();
    await expectWorkbenchStatus(clerk, 'approved');
    expect((await act(clerk, 'issue')).status).toBe(200);
    await expectWorkbenchStatus(clerk, 'completed');

    // The applicant sees 办结 and downloads the decision as a PDF.
    await openPortalCase(applicant, h.url, id, 'completed');
    expect((await applicant.getByTestId('case-status').first().textContent()) ?? '').toContain('办结');
    const decision = applicant.locator('[data-testid="case-document"][data-kind="decision"]');
    await decision.waitFor();
    const downloading = applicant.waitForEvent('download');
    await decision.getByTestId('document-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await readFile((await download.path()) as string);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const href = (await decision.getByTestId('document-download').getAttribute('href')) as string;
    const file = await applicant.request.get(`${h.url}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('application/pdf');

    const timeline = await applicant
      .getByTestId('timeline-entry')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-action')));
    expect(timeline).toEqual([
      'register',
      'submit',
      'preReviewReturn',
      'resubmit',
      'preReviewPass',
      'accept',
      'pass',
      'resume',
      'approve',
      'issue',
    ]);
    expect(h.pageErrors).toEqual([]);
  });

  it('registers a walk-in enterprise at the window and completes a 即办件 on the spot', async () => {
    await clerk.goto(`${h.url}/workbench/register`);
    const form = clerk.getByTestId('walk-in-form');
    await form.waitFor();
    await pick(clerk, form.getByLabel('办理事项'), FOOD_LICENCE_CANCEL);
    await form.getByLabel('企业名称').fill('二七区某某小吃店');
    await form.getByLabel('统一社会信用代码').fill(walkInUscc());
    await form.getByLabel('手机号码').fill('13655556666');
    const registered = nextResponse(clerk, 'POST', '/cases');
    await clerk.getByTestId('walk-in-submit').click();
    const created = await registered;
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.channel).toBe('window');
    await clerk.waitForURL((url) => url.pathname === `/workbench/cases/${created.body.id}`);
    await expectWorkbenchStatus(clerk, 'registered');

    // The scans of the materials, then accepted and completed in one act.
    const rows = clerk.locator('[data-testid="material-row"][data-required="true"]');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await upload(clerk, rows.nth(i));
    const done = await act(clerk, 'completeOnSpot');
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await expectWorkbenchStatus(clerk, 'completed');
    const documents = clerk.getByTestId('case-documents');
    await documents.locator('[data-kind="decision"]').waitFor();
    await documents.locator('[data-kind="acceptance"]').waitFor();
    const href = (await documents
      .locator('[data-kind="decision"]')
      .getByTestId('document-open')
      .getAttribute('href')) as string;
    const file = await clerk.request.get(`${h.url}${href}`);
    expect(file.headers()['content-type']).toContain('application/pdf');
  });

  it('a 容缺 case: accepted with a material missing, blocked from approval until the applicant supplies it', async () => {
    // The applicant applies again, reusing the materials from the library, without the deferrable one.
    await applicant.goto(`${h.url}/portal/apply/${encodeURIComponent(first.itemCode)}`);
    await applicant.getByTestId('apply-page').waitFor();
    const rows = applicant.locator('[data-testid="material-row"][data-required="true"]');
    const names = await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-name') as string));
    expect(names).toContain(DEFERRABLE);
    for (const name of names.filter((n) => n !== DEFERRABLE)) {
      await applicant
        .locator(`[data-testid="material-row"][data-name="${name}"]`)
        .getByTestId('material-library')
        .click();
      const item = applicant.locator(`[data-testid="library-item"][data-name="${name}"]`).first();
      await settled(item);
      const reused = applicant.waitForResponse(
        (r) => r.request().method() === 'POST' && /\/materials\/[^/]+\/file$/.test(new URL(r.url()).pathname),
        { timeout: ACTION_TIMEOUT },
      );
      await item.getByTestId('library-use').click();
      expect((await reused).status()).toBe(200);
      await applicant
        .locator(`[data-testid="material-row"][data-name="${name}"][data-status="provided"]`)
        .waitFor();
    }
    await applicant.getByTestId('apply-submit').click();
    await applicant.waitForURL((url) => /^\/portal\/cases\/[0-9a-f-]{36}$/.test(url.pathname));
    await applicant.locator('[data-testid="portal-case"][data-status="submitted"]').waitFor();
    const id = new URL(applicant.url()).pathname.split('/').at(-1) as string;

    // The clerk accepts with the health certificates deferred, on the applicant's written commitment.
    await openWorkbenchCase(clerk, h.url, id);
    expect((await act(clerk, 'preReviewPass')).status).toBe(200);
    await expectWorkbenchStatus(clerk, 'registered');
    const accepted = await act(clerk, 'accept', async (dialog) => {
      await expect.poll(() => dialog.getByLabel(DEFERRABLE).isChecked()).toBe(true);
      await dialog.getByLabel('申请人已签署书面承诺', { exact: false }).check();
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.deficiencyPending).toBe(true);
    await expectWorkbenchStatus(clerk, 'accepted');
    await clerk.getByTestId('case-deficiency').waitFor();

    await openWorkbenchCase(reviewer, h.url, id);
    expect((await act(reviewer, 'pass')).status).toBe(200);
    await expectWorkbenchStatus(reviewer, 'suspended');
    expect((await act(reviewer, 'resume')).status).toBe(200);
    await expectWorkbenchStatus(reviewer, 'accepted');

    // No approval while the material is missing: the dialog says why and nothing changes.
    await openWorkbenchCase(approver, h.url, id);
    const blocked = await act(approver, 'approve');
    expect(blocked.status).toBe(400);
    const error = approver.getByTestId('action-error');
    await error.waitFor();
    expect((await error.textContent()) ?? '').toContain('容缺材料尚未补齐');
    await approver.getByRole('button', { name: '取消' }).click();
    await expectWorkbenchStatus(approver, 'accepted');

    // The applicant supplies it from the case page.
    await openPortalCase(applicant, h.url, id, 'accepted');
    const supply = applicant.getByTestId('deferred-supply');
    await supply.waitFor();
    await upload(applicant, supply.locator(`[data-testid="material-row"][data-name="${DEFERRABLE}"]`));

    await approver.getByTestId('case-reload').click();
    await approver.getByTestId('case-deficiency').waitFor({ state: 'detached' });
    const approved = await act(approver, 'approve');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await expectWorkbenchStatus(approver, 'approved');
    expect(h.pageErrors).toEqual([]);
  });

  it('the public progress page finds a case by number and mobile, without a name or a phone number', async () => {
    const visitor = await h.newPage();
    await visitor.goto(`${h.url}/progress?number=${encodeURIComponent(first.number)}`);
    await visitor.getByTestId('progress-page').waitFor();
    // Not signed in: the public frame offers the login.
    await visitor.getByTestId('public-login').waitFor();
    expect(await visitor.getByLabel('办件编号').inputValue()).toBe(first.number);

    await visitor.getByLabel('查询码').fill('000000');
    await visitor.getByTestId('progress-submit').click();
    await visitor.getByTestId('progress-error').waitFor();

    await visitor.getByLabel('查询码').fill(ENTERPRISE_MOBILE);
    await visitor.getByTestId('progress-submit').click();
    const result = visitor.getByTestId('progress-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(first.number);
    expect(text).toContain(FOOD_LICENCE);
    expect(text).toContain('已办结');
    expect(text).not.toContain(ENTERPRISE_NAME);
    expect(text).not.toContain(ENTERPRISE_MOBILE);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(await result.getByTestId('progress-entry').count()).toBeGreaterThanOrEqual(8);
    // The code is not kept in the address.
    expect(new URL(visitor.url()).searchParams.get('code')).toBeNull();
  });

  it('tells the applicant at every step: in-app messages with the unread count, and SMS with masked numbers', async () => {
    // Notifications leave through the outbox after each commit: wait for the job to deliver them.
    await expect
      .poll(
        async () => {
          await applicant.goto(`${h.url}/portal/messages`);
          await applicant.getByTestId('messages-badge').waitFor();
          return Number(await applicant.getByTestId('messages-badge').getAttribute('data-unread'));
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    const messages = applicant.getByTestId('message');
    await messages.first().waitFor();
    expect((await messages.allTextContents()).join('\n')).toContain(first.number);

    const admin = await h.newPage();
    await login(admin, h.url, 'sysadmin', DEMO_PASSWORD);
    await admin.goto(`${h.url}/admin/sms-outbox`);
    const table = admin.getByTestId('sms-table');
    await table.locator('tbody tr', { hasText: '139****9000' }).first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('139****9000');
    expect(text).not.toContain(ENTERPRISE_MOBILE);
  });

  it('has no serious or critical accessibility violations on the inbox and the portal case page', async () => {
    // The reviewer's inbox: running cases with their deadline colours.
    await reviewer.goto(`${h.url}/workbench/cases`);
    await reviewer.locator('[data-testid="cases-table"] [data-testid="deadline"]').first().waitFor();
    expect(await seriousViolations(reviewer)).toEqual([]);

    await openPortalCase(applicant, h.url, first.id, 'completed');
    await applicant.getByTestId('case-timeline').waitFor();
    expect(await seriousViolations(applicant)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  });
});
