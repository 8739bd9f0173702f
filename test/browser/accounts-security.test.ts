// Issue 7 in the browser: an account created with an initial password is sent to the change form
// at login and enters the app after changing it; a county office enrols a second factor on 我的账号
// and then logs in with the code. No register is seeded: only the account pages are used.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, type ZodApp } from '../../src/http/app.js';
import type { Db } from '../../src/db/client.js';
import { createUser } from '../../src/services/users.js';
import { accountRuntime } from '../../src/services/account-security.js';
import { systemActor } from '../../src/services/context.js';
import { base32Decode, totp } from '../../src/domain/totp.js';
import { testDb } from '../support/db.js';
import { CHROMIUM, CHROMIUM_ARGS, browserAvailable, ensureWebBuilt, shot } from './harness.js';

const PASSWORD = 'Browser#Test2020';
const NEW_PASSWORD = 'Browser#Changed2021';
let db: Db;
let app: ZodApp;
let browser: Browser;
let base = '';
let offset = 0;
const realRuntime = { ...accountRuntime };

describe.runIf(browserAvailable())('accounts in the browser', () => {
  beforeAll(async () => {
    ensureWebBuilt();
    process.env.JINGZHUN_SECRET_KEY ??= randomBytes(32).toString('hex');
    accountRuntime.now = () => new Date(Date.now() + offset);
    accountRuntime.failDelayMs = 0;
    db = await testDb();
    app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    Object.assign(accountRuntime, realRuntime);
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('an initial password is changed at first login, then the app opens', async () => {
    const username = `web-forced-${process.pid}${Date.now().toString(36)}`;
    await createUser({ actor: systemActor('browser-test'), db }, { username, role: 'county_office', areaCode: '150524', password: PASSWORD }, { mustChangePassword: true });
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(base + '/');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('must-change').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await shot(page, 'login-must-change');
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('user-menu').waitFor();
    const me = await (await page.request.get(`${base}/api/v1/auth/me`)).json();
    expect(me.security.mustChangePassword).toBe(false);
    await context.close();
  });

  it('a county office enrols a second factor and then logs in with the code', async () => {
    const username = `web-totp-${process.pid}${Date.now().toString(36)}`;
    await createUser({ actor: systemActor('browser-test'), db }, { username, role: 'county_office', areaCode: '150524', password: PASSWORD });
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const logIn = async () => {
      await page.goto(base + '/');
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
    };
    await logIn();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(base + '/account');
    // Enrolling asks for the current password again.
    await page.getByTestId('totp-password').fill(PASSWORD);
    await page.getByTestId('totp-enrol').click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    const code = (ms: number) => totp(base32Decode(secret)!, ms);
    await page.getByLabel('动态验证码').fill(code(Date.now() + offset));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-state').innerText()).toBe('已启用');
    await shot(page, 'account-security');
    await page.getByTestId('logout').click();
    await logIn();
    await page.getByTestId('totp-step').waitFor();
    offset += 30_000; // the next step's code: the confirming one cannot be used again
    await page.getByLabel('动态验证码').fill(code(Date.now() + offset));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await page.getByTestId('user-menu').waitFor();
    await context.close();
  });
});
