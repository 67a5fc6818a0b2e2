/** Steps a user takes in the web app, by the labels and test ids they see. */

import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';

export async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  accountType: 'staff' | 'applicant' = 'staff',
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  if (accountType === 'applicant') await page.getByRole('tab').nth(1).click();
  // Field ids (form name + field name) do not change with the language.
  await page.locator(`#login-${accountType}_username`).fill(username);
  await page.locator(`#login-${accountType}_password`).fill(password);
  await page.getByTestId(`login-submit-${accountType}`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.waitForURL((url) => url.pathname.startsWith('/login'));
}

/**
 * Opens an antd Select, types to search (when the select is searchable) and picks the option whose label
 * contains `text`.
 */
export async function pick(page: Page, select: Locator, text: string, search = text): Promise<void> {
  await select.click();
  if (await select.isEditable()) await select.fill(search);
  const option = page.locator('.ant-select-item-option:visible', { hasText: text }).first();
  await option.waitFor();
  await option.click();
  // The closing dropdown must be gone, or the next pick could find its options.
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}

/** Waits for the response to the next `method` call of `path` (under /api/v1) and returns its status and body. */
export async function nextResponse(
  page: Page,
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname === `/api/v1${path}`,
  );
  // A page that navigates right after the response (a login, a registration) takes the body with it.
  const text = await response.text().catch(() => '');
  return { status: response.status(), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
