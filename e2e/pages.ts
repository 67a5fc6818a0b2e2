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
 * Opens an antd Select (single choice), types to search (when the select is searchable) and picks the option
 * whose label contains `text`. Only this select's own dropdown is searched, and the pick is done when the select
 * reports itself closed: on a slow host a click can land while the dropdown is still moving, and a dropdown left
 * open covers the fields below it.
 */
export async function pick(page: Page, select: Locator, text: string, search = text): Promise<void> {
  const id = await select.getAttribute('id');
  if (!id) throw new Error(`pick: the select for "${text}" has no id`);
  // rc-select renders the listbox `${id}_list` inside the select's own popup.
  const dropdown = page.locator('.ant-select-dropdown', { has: page.locator(`[id="${id}_list"]`) });
  const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
  for (let attempt = 0; ; attempt++) {
    if ((await select.getAttribute('aria-expanded')) !== 'true') {
      await select.click();
      if (await select.isEditable()) await select.fill(search);
    }
    await option.click();
    const closed = await select
      .and(page.locator('[aria-expanded="false"]'))
      .waitFor({ timeout: 3_000 })
      .then(
        () => true,
        () => false,
      );
    if (closed) return;
    if (attempt === 2) throw new Error(`pick: the select ${id} stayed open after choosing "${text}"`);
  }
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
