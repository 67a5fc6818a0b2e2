import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Harness, startHarness } from './harness.js';
import { breakResidentId, makeResidentId } from './identifiers.js';
import { login, logout, nextResponse, pick, seriousViolations } from './pages.js';

/** Each administration page does its one job against the real server. */
describe('administration pages', () => {
  let h: Harness;
  let admin: Page;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.newPage();
    await login(admin, h.url, 'sysadmin', DEMO_PASSWORD);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('adds a hall and its windows; a departmental window needs its department', async () => {
    await admin.goto(`${h.url}/admin/halls`);
    await admin.getByTestId('create-hall').click();
    const hallForm = admin.getByTestId('hall-form');
    await hallForm.getByLabel('大厅名称').fill('侯寨乡测试便民服务站');
    await pick(admin, hallForm.getByLabel('层级'), '村（社区）便民服务站');
    await pick(admin, hallForm.getByLabel('所在区划'), '樱桃沟村', '樱桃');
    await hallForm.getByLabel('地址').fill('樱桃沟村委会东侧');
    const hallCreated = nextResponse(admin, 'POST', '/halls');
    await admin.getByTestId('hall-submit').click();
    expect((await hallCreated).status).toBe(201);

    await admin.goto(`${h.url}/admin/windows`);
    await admin.getByTestId('create-window').click();
    const windowForm = admin.getByTestId('window-form');
    await pick(admin, windowForm.getByLabel('所属大厅'), '侯寨乡测试便民服务站', '侯寨乡测试');
    await windowForm.getByLabel('窗口号').fill('1');
    await windowForm.getByLabel('窗口名称').fill('代办窗口');
    await windowForm.getByLabel('部门窗口').check();
    await admin.getByTestId('window-submit').click();
    const departmentItem = windowForm.locator('.ant-form-item').filter({ has: admin.getByLabel('所属部门') });
    await departmentItem.locator('.ant-form-item-explain-error').waitFor();
    await pick(admin, windowForm.getByLabel('所属部门'), '二七区民政局', '民政');
    const windowCreated = nextResponse(admin, 'POST', '/windows');
    await admin.getByTestId('window-submit').click();
    const created = await windowCreated;
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.departmentName).toBe('二七区民政局');

    await admin.getByTestId('create-window').click();
    await pick(admin, windowForm.getByLabel('所属大厅'), '侯寨乡测试便民服务站', '侯寨乡测试');
    await windowForm.getByLabel('窗口号').fill('2');
    await windowForm.getByLabel('窗口名称').fill('综合受理窗口');
    await windowForm.getByLabel('受理类别').fill('社会事务');
    await windowForm.getByLabel('受理类别').press('Enter');
    const comprehensive = nextResponse(admin, 'POST', '/windows');
    await admin.getByTestId('window-submit').click();
    const second = await comprehensive;
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.categories).toEqual(['社会事务']);
  });

  it('adds a village under a township and renames it', async () => {
    await admin.goto(`${h.url}/admin/regions`);
    await admin.getByTestId('create-region').click();
    const form = admin.getByTestId('region-form');
    await form.getByLabel('区划代码').fill('410103001099');
    await form.getByLabel('名称').fill('测试社区');
    await pick(admin, form.getByLabel('层级'), '村（社区）');
    await pick(admin, form.getByLabel('上级区划'), '淮河路街道', '淮河路');
    const created = nextResponse(admin, 'POST', '/regions');
    await admin.getByTestId('region-submit').click();
    expect((await created).status).toBe(201);

    await admin.getByTestId('list-search').locator('input').fill('测试社区');
    await admin.getByTestId('list-search').locator('input').press('Enter');
    const row = admin.locator('tr', { hasText: '410103001099' });
    await row.getByRole('button', { name: '编辑' }).click();
    await form.getByLabel('名称').fill('测试新社区');
    const renamed = nextResponse(admin, 'PATCH', '/regions/410103001099');
    await admin.getByTestId('region-submit').click();
    const result = await renamed;
    expect(result.status).toBe(200);
    expect(result.body.name).toBe('测试新社区');
  });

  it('shows a new API token once and revokes it', async () => {
    await admin.goto(`${h.url}/admin/api-tokens`);
    await admin.getByTestId('create-api-token').click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('名称').fill('市场监管业务系统');
    await pick(admin, dialog.getByLabel('所属部门'), '二七区市场监督管理局', '市场');
    const created = nextResponse(admin, 'POST', '/api-tokens');
    await dialog.getByRole('button', { name: '保存' }).click();
    const token = await created;
    expect(token.status).toBe(201);
    const shown = admin.getByTestId('new-api-token');
    await shown.waitFor();
    expect((await shown.textContent()) ?? '').toContain(String(token.body.token));
    await admin.getByRole('button', { name: '已复制，关闭' }).click();

    const row = admin.locator('tr', { hasText: '市场监管业务系统' });
    await row.getByRole('button', { name: '撤销' }).click();
    const revoked = nextResponse(admin, 'POST', `/api-tokens/${String(token.body.id)}/revoke`);
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '撤销' }).click();
    expect((await revoked).status).toBe(200);
    await row.getByText('已撤销').waitFor();
  });

  it('pairs an A post with its backup, never with themselves', async () => {
    await admin.goto(`${h.url}/admin/ab-posts`);
    await admin.getByTestId('create-ab-post').click();
    const dialog = admin.getByRole('dialog');
    await pick(admin, dialog.getByLabel('部门'), '二七区市场监督管理局', '市场');
    await pick(admin, dialog.getByLabel('A 岗'), '刘首席');
    await pick(admin, dialog.getByLabel('B 岗'), '刘首席');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('A 岗和 B 岗不能是同一人').waitFor();
    await pick(admin, dialog.getByLabel('B 岗'), '李窗口');
    const created = nextResponse(admin, 'POST', '/ab-posts');
    await dialog.getByRole('button', { name: '保存' }).click();
    const post = await created;
    expect(post.status, JSON.stringify(post.body)).toBe(201);
    await admin.locator('tr', { hasText: '刘首席' }).getByText('李窗口').waitFor();
  });

  it('marks a staff member absent and present, and edits their roles', async () => {
    await admin.goto(`${h.url}/admin/staff`);
    await admin.getByTestId('staff-table').getByRole('link', { name: '张审核' }).click();
    await admin.getByTestId('mark-absent').click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('不在岗说明').fill('出差至周五');
    const absent = nextResponse(admin, 'POST', `/staff/${admin.url().split('/').pop()}/absence`);
    await dialog.getByRole('button', { name: '确定' }).click();
    expect((await absent).status).toBe(200);
    await admin.getByTestId('staff-detail').getByText('不在岗').first().waitFor();
    await admin.getByTestId('mark-present').click();
    await admin.getByTestId('mark-absent').waitFor();

    await admin.getByTestId('add-role').click();
    const row = admin.getByTestId('role-row-1');
    await pick(admin, row.getByLabel('角色', { exact: true }), '代办员');
    await pick(admin, row.getByLabel('区划范围'), '兴华社区', '兴华');
    const saved = nextResponse(admin, 'PUT', `/staff/${admin.url().split('/').pop()}/roles`);
    await admin.getByTestId('save-roles').click();
    const result = await saved;
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect((result.body.roles as { role: string }[]).map((r) => r.role).sort()).toEqual([
      'proxy_agent',
      'reviewer',
    ]);
  });

  it('adds and removes a local day off, and computes a deadline', async () => {
    await admin.goto(`${h.url}/admin/calendar`);
    const day = admin.locator('button[data-date="2026-03-02"]');
    await day.waitFor();
    expect(await day.getAttribute('data-kind')).toBe('workday');
    await day.click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('说明').fill('区运动会');
    const added = nextResponse(admin, 'POST', '/calendar/overrides');
    await admin.getByTestId('add-override').click();
    expect((await added).status).toBe(201);
    await admin.locator('button[data-date="2026-03-02"][data-kind="override-off"]').waitFor();

    await admin.locator('button[data-date="2026-03-02"]').click();
    await admin.getByTestId('remove-override').click();
    await admin.locator('button[data-date="2026-03-02"][data-kind="workday"]').waitFor();

    const calculator = admin.getByTestId('deadline-calculator');
    await calculator.getByLabel('起算日期').fill('2026-09-28');
    await calculator.getByLabel('起算日期').press('Enter');
    await calculator.getByLabel('工作日数').fill('5');
    const computed = nextResponse(admin, 'GET', '/calendar/compute');
    await admin.getByTestId('compute-deadline').click();
    const result = await computed;
    expect(result.status).toBe(200);
    expect((await admin.getByTestId('deadline-due').textContent()) ?? '').toBe(String(result.body.due));
    // 9-28 + 5 working days crosses the National Day holiday.
    expect(String(result.body.due) > '2026-10-07').toBe(true);

    await calculator.getByLabel('起算日期').fill('2026-12-28');
    await calculator.getByLabel('起算日期').press('Enter');
    await calculator.getByLabel('工作日数').fill('10');
    await admin.getByTestId('compute-deadline').click();
    await admin.getByTestId('deadline-provisional').waitFor();
  });

  it('keeps the busiest pages free of serious accessibility violations', async () => {
    for (const path of ['/admin/staff', '/admin/authorizations', '/admin/calendar']) {
      await admin.goto(`${h.url}${path}`);
      await admin.waitForLoadState('networkidle');
      expect(await seriousViolations(admin), path).toEqual([]);
    }
  });

  it('lists what happened in the audit log', async () => {
    await admin.goto(`${h.url}/admin/audit`);
    const table = admin.getByTestId('audit-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
  });

  it('registers an applicant, showing a bad resident ID under its field, then changes the password', async () => {
    const page = await h.newPage();
    await page.goto(`${h.url}/register`);
    const form = page.locator('form#register');
    const mobile = `137${String(Date.now()).slice(-8)}`;
    const idNumber = makeResidentId('19880512', 27);
    await form.getByLabel('姓名').fill('测试申请人');
    await form.getByLabel('居民身份证号码').fill(breakResidentId(idNumber));
    await form.getByLabel('手机号码').fill(mobile);
    await form.getByLabel('密码', { exact: true }).fill('Apply@2026x');
    await form.getByLabel('确认密码').fill('Apply@2026x');
    const rejected = nextResponse(page, 'POST', '/auth/register');
    await page.getByTestId('register-submit').click();
    expect((await rejected).status).toBe(400);
    const idItem = form.locator('.ant-form-item').filter({ has: page.getByLabel('居民身份证号码') });
    await idItem.locator('.ant-form-item-explain-error').waitFor();

    await form.getByLabel('居民身份证号码').fill(idNumber);
    await page.getByTestId('register-submit').click();
    await page.waitForURL((url) => url.pathname === '/portal');
    await page.getByTestId('account-info').getByText('测试申请人').waitFor();

    await page.getByTestId('change-password').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('当前密码').fill('Apply@2026x');
    await dialog.getByLabel('新密码').fill('Apply@2027y');
    await dialog.getByLabel('确认密码').fill('Apply@2027y');
    const changed = nextResponse(page, 'POST', '/auth/password');
    await dialog.getByRole('button', { name: '保存' }).click();
    expect((await changed).status).toBe(204);

    await logout(page);
    await login(page, h.url, mobile, 'Apply@2027y', 'applicant');
    expect(new URL(page.url()).pathname).toBe('/portal');
  });

  it('sends a user whose session ended back to the login page, and then where they were', async () => {
    const page = await h.newPage();
    await login(page, h.url, 'hall_admin', DEMO_PASSWORD);
    await page.waitForLoadState('networkidle');
    await page.context().clearCookies();
    // Staff records need a session (departments are public now): the expired session shows on this page.
    await page.goto(`${h.url}/admin/staff`);
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/staff');
    await page.locator('#login-staff_username').fill('hall_admin');
    await page.locator('#login-staff_password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit-staff').click();
    await page.waitForURL((url) => url.pathname === '/admin/staff');
    expect(h.pageErrors).toEqual([]);
  });
});
