// The project library in Chromium: the county office of 库伦旗 opens 项目库 from the menu, opens a
// project (budget 100,000.00 from central funds, 60,000.00 already paid), tries to pay 50,000.00 and
// sees the refusal with the numbers, pays 40,000.00 instead, reads the solar station's income
// distribution line by line, then the funds page and the print-styled disclosure list. No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/context.js';
import { createAsset, createProject, disburse, recordIncome, setBudget, setProjectStatus } from '../../src/services/projects/index.js';
import { browserAvailable, COUNTY, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();
const YEAR = new Date().getFullYear();

describe.skipIf(!run)('project library in Chromium', () => {
  let w: World;
  let county: Watched;
  let projectId: number;
  const name = `嘎查光伏与肉牛项目${Date.now().toString(36)}`;

  beforeAll(async () => {
    w = await startWorld();
    county = await openPage(w);
    const ctx = { actor: systemActor('browser-projects'), db: w.db };
    const p = await createProject(ctx, { county: COUNTY, name, channel: 'solar_wind', year: YEAR, villageCodes: [w.village], implementer: '嘎查村集体', startsOn: `${YEAR}-03-01`, endsOn: `${YEAR}-10-31` });
    projectId = p.id;
    await setBudget(ctx, projectId, { fundSource: 'central', amount: 100000 });
    await setProjectStatus(ctx, projectId, { status: 'approved', version: 1 });
    await disburse(ctx, projectId, { fundSource: 'central', amount: 60000, paidOn: `${YEAR}-01-01`, payee: '光伏施工单位' });
    const asset = await createAsset(ctx, { projectId, villageCode: w.village, kind: 'solar_station', name: '村级光伏电站', capacity: 300 });
    await recordIncome(ctx, asset.id, {
      year: YEAR, quarter: 1, amount: 9000, decidedOn: `${YEAR}-04-10`,
      distribution: { shares: { jobs: 100 }, recipients: [{ purpose: 'jobs', name: '护路员甲' }, { purpose: 'jobs', name: '护路员乙' }] },
    });
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('refuses a payment beyond the budget with the numbers, then pays within it', async () => {
    const { page, errors } = county;
    await logIn(w, page, w.users.county);
    await page.getByRole('menuitem', { name: '项目库' }).click();
    await page.waitForURL(/\/projects/);
    await page.getByTestId('projects-table').waitFor();
    await page.goto(`${w.base}/projects?id=${projectId}`);
    const drawer = page.getByTestId('project-drawer');
    await drawer.getByTestId('budgets-table').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await drawer.getByTestId('project-status').innerText()).toBe('已批复');

    const form = drawer.getByTestId('disburse-form');
    const pay = async (amount: string) => {
      const source = form.locator('.ant-form-item').first();
      if (!(await source.innerText()).includes('中央财政')) {
        // Under load the drawer may still be sliding in and the dropdown close under the click:
        // check the choice took, else open it and choose again.
        for (let attempt = 0; ; attempt++) {
          try {
            await form.getByLabel('资金来源').click({ timeout: 5_000 });
            await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '中央财政' }).click({ timeout: 5_000 });
            await expect.poll(() => source.innerText(), { timeout: 5_000 }).toContain('中央财政');
            break;
          } catch (e) {
            if (attempt >= 4) throw e;
            await drawer.locator('.ant-drawer-title').click();
          }
        }
      }
      await form.getByLabel('金额（元）').fill(amount);
      const date = form.getByLabel('拨付日期');
      await date.fill(`${YEAR}-01-01`); // payments cannot be dated after today: 1 January always works
      await date.press('Enter');
      await form.getByLabel('收款方').fill('光伏施工单位');
      await form.getByTestId('disburse-submit').click();
    };

    await pay('50000');
    const refusal = drawer.getByTestId('disburse-error');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('预算 100,000.00 元，已拨付 60,000.00 元，本次 50,000.00 元，超出 10,000.00 元');
    expect(await drawer.getByTestId('disbursements-table').locator('tbody tr.ant-table-row').count()).toBe(1);
    await shot(page, 'projects-refused');

    await pay('40000');
    await expect.poll(() => drawer.getByTestId('disbursements-table').locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await drawer.getByTestId('budgets-table').locator('tbody tr.ant-table-row').first().innerText()).toContain('0.00');
    expect(await drawer.getByTestId('budgets-table').innerText()).toContain('100,000.00');

    // The station's income: expand the asset, then its income, to the calculator's lines.
    await drawer.getByTestId('assets-table').locator('button.ant-table-row-expand-icon').first().click();
    const incomes = drawer.locator('[data-testid^="incomes-"]');
    await incomes.locator('tbody tr.ant-table-row').first().waitFor();
    await incomes.locator('button.ant-table-row-expand-icon').first().click();
    const dist = drawer.locator('[data-testid^="distribution-"]');
    await dist.waitFor();
    expect(await dist.innerText()).toContain('4,500.00');
    await shot(page, 'projects-drawer');
    expect(errors).toEqual([]);
  });

  it('shows the balance on the funds page and the project on the disclosure list', async () => {
    const { page, errors } = county;
    await page.goto(`${w.base}/funds`);
    const projects = page.getByTestId('funds-projects');
    await projects.waitFor();
    const row = projects.locator('tr.ant-table-row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/100,000\.00\s+100,000\.00\s+0\.00/);

    await page.goto(`${w.base}/projects/disclosure?area=${COUNTY}&year=${YEAR}`);
    const table = page.getByTestId('disclosure-table');
    await table.waitFor();
    const line = table.locator('tr').filter({ hasText: name });
    expect(await line.innerText()).toContain('中央财政专项扶贫（衔接）资金：100,000.00');
    expect(await line.innerText()).toContain('已批复');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    await shot(page, 'projects-disclosure-print');
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
  });
});
