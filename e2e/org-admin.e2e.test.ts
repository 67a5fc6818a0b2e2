import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Harness, startHarness } from './harness.js';
import { breakUscc, makeUscc } from './identifiers.js';
import { login, logout, nextResponse, pick, seriousViolations } from './pages.js';

describe('organisation administration in the browser', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('an administrator builds a department with staff and a letter that another department cannot see', async () => {
    const page = await h.newPage();
    await login(page, h.url, 'sysadmin', DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/admin');

    const suffix = String(Date.now()).slice(-6);
    const departmentName = `二七区测试审批局${suffix}`;
    const staffName = `测试审核员${suffix}`;
    const staffUsername = `e2e.reviewer.${suffix}`;

    // Department
    await page.goto(`${h.url}/admin/departments`);
    await page.getByTestId('create-department').click();
    const departmentForm = page.getByTestId('department-form');
    await departmentForm.getByLabel('部门名称').fill(departmentName);
    await departmentForm.getByLabel('简称').fill(`测试${suffix}`);
    await departmentForm.getByLabel('统一社会信用代码').fill(makeUscc(Number(suffix)));
    const departmentCreated = nextResponse(page, 'POST', '/departments');
    await page.getByTestId('department-submit').click();
    const department = await departmentCreated;
    expect(department.status).toBe(201);
    await page.getByTestId('departments-table').getByText(departmentName).waitFor();

    // Staff member with a reviewer role in that department
    await page.goto(`${h.url}/admin/staff`);
    await page.getByTestId('create-staff').click();
    const staffForm = page.getByTestId('staff-form');
    await staffForm.getByLabel('用户名').fill(staffUsername);
    await staffForm.getByLabel('姓名').fill(staffName);
    await staffForm.getByLabel('初始密码').fill('Test@2026pass');
    await pick(page, staffForm.getByLabel('所属部门', { exact: true }), departmentName);
    const roleRow = staffForm.getByTestId('role-row-0');
    await pick(page, roleRow.getByLabel('角色', { exact: true }), '审核人员');
    await pick(page, roleRow.getByLabel('部门', { exact: true }), departmentName);
    const staffCreated = nextResponse(page, 'POST', '/staff');
    await page.getByTestId('staff-submit').click();
    const staff = await staffCreated;
    expect(staff.status, JSON.stringify(staff.body)).toBe(201);
    const staffId = String(staff.body.id);
    await page.getByTestId('staff-table').getByText(staffName).waitFor();

    // Authorisation letter: accept and review, all items, from today
    await page.goto(`${h.url}/admin/authorizations`);
    await page.getByTestId('create-authorization').click();
    const letterForm = page.getByTestId('authorization-form');
    await pick(page, letterForm.getByLabel('授权部门'), departmentName);
    await pick(page, letterForm.getByLabel('被授权人'), staffName);
    await letterForm.getByLabel('受理').check();
    await letterForm.getByLabel('审核').check();
    const letterCreated = nextResponse(page, 'POST', '/authorizations');
    await page.getByTestId('authorization-submit').click();
    const letter = await letterCreated;
    expect(letter.status, JSON.stringify(letter.body)).toBe(201);
    expect(letter.body.status).toBe('active');
    await page.getByTestId('authorizations-table').getByText(staffName).first().waitFor();

    await logout(page);

    // The clerk of 市场监管局 (another department) cannot see the new staff member.
    await login(page, h.url, 'clerk', DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/workbench');
    await page.getByTestId('workbench-me').getByText('窗口人员').first().waitFor();

    const staffList = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/staff');
    await page.goto(`${h.url}/admin/staff`);
    const listResponse = await staffList;
    if (listResponse.ok()) {
      await page.getByTestId('staff-table').waitFor();
      expect((await page.getByTestId('staff-table').textContent()) ?? '').not.toContain(staffName);
    } else {
      expect(listResponse.status()).toBe(403);
      await page.getByTestId('no-permission').waitFor();
    }

    await page.goto(`${h.url}/admin/staff/${staffId}`);
    await page.getByTestId('no-permission').waitFor();
    expect((await page.getByTestId('no-permission').textContent()) ?? '').toContain('无权访问');

    const direct = await page.request.get(`${h.url}/api/v1/staff/${staffId}`);
    expect(direct.status()).toBe(403);

    expect(h.pageErrors).toEqual([]);
  });

  it('shows the server’s error for a bad unified social credit code under that field', async () => {
    const page = await h.newPage();
    await login(page, h.url, 'sysadmin', DEMO_PASSWORD);
    await page.goto(`${h.url}/admin/departments`);
    await page.getByTestId('create-department').click();
    const form = page.getByTestId('department-form');
    await form.getByLabel('部门名称').fill('校验码错误的部门');
    await form.getByLabel('统一社会信用代码').fill(breakUscc(makeUscc(4242)));
    const rejected = nextResponse(page, 'POST', '/departments');
    await page.getByTestId('department-submit').click();
    const response = await rejected;
    expect(response.status).toBe(400);

    const usccItem = form.locator('.ant-form-item').filter({ has: page.getByLabel('统一社会信用代码') });
    const explain = usccItem.locator('.ant-form-item-explain-error');
    await explain.first().waitFor();
    expect((await explain.allInnerTexts()).join(' ').length).toBeGreaterThan(0);
    // No other field is blamed.
    expect(await form.locator('.ant-form-item-explain-error').count()).toBe(await explain.count());
  });

  it('has no serious or critical accessibility violations on the login page', async () => {
    const page = await h.newPage();
    await page.goto(`${h.url}/login`);
    await page.getByTestId('login-submit-staff').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('switches to English and keeps the choice', async () => {
    const page = await h.newPage();
    await page.goto(`${h.url}/login`);
    await page.getByText('用户名').first().waitFor();
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('tab', { name: 'Staff login' }).waitFor();
    expect((await page.locator('form#login-staff').textContent()) ?? '').toContain('Username');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');

    await page.reload();
    await page.getByRole('tab', { name: 'Staff login' }).waitFor();

    // The server answers in English too: a failed login's message follows Accept-Language.
    const form = page.locator('form#login-staff');
    await form.getByLabel('Username').fill('sysadmin');
    await form.getByLabel('Password').fill('wrong-password');
    const failed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login');
    await page.getByTestId('login-submit-staff').click();
    const response = await failed;
    expect(response.request().headers()['accept-language']).toBe('en-US');
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect((await alert.textContent()) ?? '').not.toMatch(/[\u4e00-\u9fff]/);

    await login(page, h.url, 'sysadmin', DEMO_PASSWORD);
    await page.getByTestId('logout').getByText('Log out').waitFor();
    await page.getByRole('link', { name: 'Departments' }).first().waitFor();
  });
});
