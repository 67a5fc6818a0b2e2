import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../server/src/platform/clock.js';
import { DEMO_PASSWORD, type Harness, startHarness } from './harness.js';
import { login } from './pages.js';

/**
 * 电子监察 in the browser: a case passes its deadline (the platform clock moved by the test hook) → the board
 * turns it red without a reload (server-sent events) → the supervisor issues a card on its alert → the
 * department reports its rectification.
 */
const WAIT = 60_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  setClockOffset(0);
  await h?.close();
});

async function api<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    return res.json();
  }, path) as Promise<T>;
}

type BoardCase = { id: string; number: string; promisedDueAt: string | null; level: string };

describe('supervision dashboard', () => {
  it('a late case turns red live, gets a card, and the department rectifies', async () => {
    // The department of the demo approver (首席代表) answers for its cases.
    const dept = await h.newPage();
    await login(dept, h.url, 'approver', DEMO_PASSWORD);
    const me = await api<{ user: { roles: { departmentId: string | null }[] } }>(dept, '/auth/me');
    const departmentId = me.user.roles.find((r) => r.departmentId)?.departmentId as string;

    const page = await h.newPage();
    await login(page, h.url, 'supervisor', DEMO_PASSWORD);
    await page.goto(`${h.url}/supervision`);
    await page.locator('[data-testid="live-status"][data-connected="yes"]').waitFor({ timeout: WAIT });

    // The department's open case with the nearest deadline still ahead.
    const upcoming = await api<{ items: BoardCase[] }>(
      page,
      `/supervision/board/cases?groupBy=department&key=${departmentId}&pageSize=50`,
    );
    const target = upcoming.items.find((c) => c.level !== 'red' && c.promisedDueAt);
    expect(target).toBeDefined();
    const c = target as BoardCase;
    await expect
      .poll(() =>
        page.locator(`[data-testid="board-case"][data-number="${c.number}"][data-level="red"]`).count(),
      )
      .toBe(0);
    const redBefore = Number(await page.getByTestId('count-red').textContent());

    // Time passes: one minute after the case's deadline. No write happens; the board notices by itself.
    setClockOffset(new Date(c.promisedDueAt as string).getTime() + 60_000 - Date.now());
    await page
      .locator(`[data-testid="board-case"][data-number="${c.number}"][data-level="red"]`)
      .waitFor({ timeout: WAIT });
    expect(Number(await page.getByTestId('count-red').textContent())).toBeGreaterThan(redBefore);

    // The deadline sweep raises the overdue alert; the supervisor issues a yellow card on it.
    await page.goto(`${h.url}/supervision/alerts`);
    const alertRow = page.locator(`[data-testid="alert-row"][data-case="${c.number}"][data-rule="overdue"]`);
    await alertRow.waitFor({ timeout: WAIT * 2 });
    // The demo already holds an issued card (to another department): the new one is the card not there before.
    const cardNumbers = () =>
      page
        .locator('[data-testid="card-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number') ?? ''));
    const listed = await api<{ items: { number: string }[] }>(page, '/supervision/cards?pageSize=100');
    const before = new Set(listed.items.map((x) => x.number));
    await alertRow.getByTestId('issue-card').click();
    await page.getByTestId('card-reason').fill('办件超过承诺期限未办结,请说明原因并整改。');
    await page.getByTestId('card-submit').click();
    let cardNumber = '';
    await expect
      .poll(
        async () => {
          cardNumber = (await cardNumbers()).find((n) => n && !before.has(n)) ?? '';
          return cardNumber;
        },
        { timeout: WAIT },
      )
      .not.toBe('');
    await page
      .locator(`[data-testid="card-row"][data-number="${cardNumber}"][data-status="issued"]`)
      .waitFor({ timeout: WAIT });

    // The department sees the card addressed to it and reports its rectification.
    await dept.goto(`${h.url}/supervision/alerts`);
    const deptCard = dept.locator(`[data-testid="card-row"][data-number="${cardNumber}"]`);
    await deptCard.waitFor({ timeout: WAIT });
    await deptCard.getByTestId('rectify-card').click();
    await dept.getByTestId('rectify-note').fill('已督办该件并完成整改,建立超期台账。');
    await dept.getByTestId('rectify-submit').click();
    await dept
      .locator(`[data-testid="card-row"][data-number="${cardNumber}"][data-status="rectified"]`)
      .waitFor({ timeout: WAIT });

    // The supervisor's page follows without a reload.
    await page
      .locator(`[data-testid="card-row"][data-number="${cardNumber}"][data-status="rectified"]`)
      .waitFor({ timeout: WAIT });
    expect(h.pageErrors).toEqual([]);
  });
});
