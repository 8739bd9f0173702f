// Measures in Chromium: the county office of 库伦旗 opens a household, records a measure on its
// 帮扶措施 tab (first without the member a member type needs: the server's reason shows on the field),
// picking the project through the searchable project select (the fund-source select then offers only
// that project's budget sources), sees it listed; a correction of a version someone else has since
// corrected shows the conflict and saves nothing, and goes through after reloading; then it fills the
// year's transfer income from the ledger after the preview; the ledger page lists the measure and the
// channel view shows the channel. No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/context.js';
import { updateMeasure } from '../../src/services/measures.js';
import { createProject, setBudget } from '../../src/services/projects/index.js';
import { browserAvailable, COUNTY, logIn, openPage, pickOption, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();


// One retry: a single test whose steps only add data; under CI load a click can miss (a real bug fails twice).
describe.skipIf(!run)('measures in Chromium', { retry: 1 }, () => {
  let w: World;
  let county: Watched;

  beforeAll(async () => {
    w = await startWorld();
    county = await openPage(w);
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('records a measure on the household page, sees it listed and fills the income from the ledger', async () => {
    const { page, errors } = county;
    // A household with two or more members and a yearly record; the measure goes into its latest year.
    const [h] = await w.db.query<{ id: number; year: number; member: string }>(
      `SELECT h.id, max(y.year)::int AS year, (SELECT m.name FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id ORDER BY m.relation DESC LIMIT 1) AS member
         FROM households h JOIN household_years y ON y.county_code = h.county_code AND y.household_id = h.id
        WHERE h.county_code = $1 AND (SELECT count(*) FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id) >= 2
        GROUP BY h.id, h.county_code ORDER BY h.id LIMIT 1`,
      [COUNTY],
    );
    expect(h).toBeTruthy();
    const note = `浏览器测试${Date.now().toString(36)}`;
    // A county-wide project of the county with two budget sources, made through the projects service.
    const sys = { db: w.db, actor: systemActor('browser-test') };
    const projectName = `残疾人补贴项目${Date.now().toString(36)}`;
    const project = await createProject(sys, { county: COUNTY, name: projectName, channel: 'social_security', year: h!.year });
    await setBudget(sys, project.id, { fundSource: 'central', amount: 50000 });
    await setBudget(sys, project.id, { fundSource: 'county', amount: 20000 });

    await logIn(w, page, w.users.county);
    await page.goto(`${w.base}/households/${h!.id}`);
    await page.getByTestId('household-title').waitFor();
    // Many tabs on a narrow screen fold into the “more” menu.
    const tab = page.getByRole('tab', { name: '帮扶措施' });
    if (await tab.isVisible()) await tab.click();
    else {
      await page.locator('.ant-tabs-nav-more').click();
      await page.locator('.ant-tabs-dropdown:visible').getByText('帮扶措施', { exact: true }).click();
    }
    await page.getByTestId('measure-add').click();
    const form = page.getByTestId('measure-form');
    await form.waitFor();
    await pickOption(page, page.getByTestId('measure-type'), '残疾人两项补贴', true);
    await page.getByTestId('measure-amount').fill('1234.56');
    await form.locator('textarea').fill(note);
    // The project is searched by name; the option shows its name, year and channel.
    await pickOption(page, page.getByTestId('measure-project'), projectName, true);
    await expect.poll(() => page.locator('.ant-form-item').filter({ has: page.getByTestId('measure-project') }).innerText()).toContain(`${projectName} · ${h!.year} · 社会保障兜底`);
    // The fund-source select now offers the project's two budget sources and nothing else.
    await expect.poll(() => form.innerText()).toContain('只列该项目预算中的资金来源');
    await page.getByTestId('measure-fund').click();
    const funds = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => funds.allInnerTexts()).toEqual(['中央财政专项扶贫（衔接）资金', '旗县财政资金']);
    await page.keyboard.press('Escape');
    await pickOption(page, page.getByTestId('measure-fund'), '旗县财政资金');
    await page.getByTestId('measure-save').click();
    // The member is missing: the server's reason lands on the member field, nothing is saved.
    await expect.poll(() => form.innerText()).toContain('发放给个人，请选择本户的一名成员');
    await pickOption(page, page.getByTestId('measure-member'), h!.member);
    await page.getByTestId('measure-save').click();
    const row = page.getByTestId('measures-table').locator('tr').filter({ hasText: note });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('残疾人两项补贴');
    expect(text).toContain(h!.member);
    expect(text).toContain('1,234.56');
    expect(text).toContain(String(h!.year));
    expect(text).toContain(projectName);
    expect(text).toContain('旗县财政资金');
    const [saved] = await w.db.query<{ id: number; amount: number; income_component: string; recorded_by: string; project_id: number; fund_source: string; version: number }>(
      'SELECT id, amount, income_component, recorded_by, project_id, fund_source, version FROM measures WHERE county_code = $1 AND household_id = $2 AND note = $3', [COUNTY, h!.id, note],
    );
    expect(saved).toMatchObject({ amount: 1234.56, income_component: 'transfer', recorded_by: w.users.county, project_id: project.id, fund_source: 'county', version: 1 });
    await shot(page, 'measures-household');

    // Someone else corrects the quantity after the page read version 1: this correction is refused
    // with the conflict notice and nothing is written; after reloading it goes through.
    await updateMeasure(sys, Number(saved!.id), { quantity: 2, version: 1 });
    await row.getByRole('button', { name: '更正帮扶措施' }).click();
    await form.waitFor();
    await page.getByTestId('measure-amount').fill('1300');
    await page.getByTestId('measure-save').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('第 1 版，当前为第 2 版');
    const stored = async () => (await w.db.query<{ amount: number; quantity: number | null; version: number }>(
      'SELECT amount, quantity, version FROM measures WHERE county_code = $1 AND id = $2', [COUNTY, saved!.id],
    ))[0];
    expect(await stored()).toEqual({ amount: 1234.56, quantity: 2, version: 2 });
    await conflict.getByRole('button', { name: '重新加载' }).click();
    await expect.poll(() => page.getByTestId('measure-quantity').inputValue()).toBe('2');
    expect(await page.getByTestId('measure-amount').inputValue()).not.toBe('1300');
    await page.getByTestId('measure-amount').fill('1300');
    await page.getByTestId('measure-save').click();
    await expect.poll(stored).toEqual({ amount: 1300, quantity: 2, version: 3 });
    await expect.poll(() => row.innerText()).toContain('1,300');

    // The fill-income preview shows the year's transfer ledger sum; confirming writes it into the record.
    const [sum] = await w.db.query<{ total: number }>(
      `SELECT sum(amount) AS total FROM measures WHERE county_code = $1 AND household_id = $2 AND year = $3 AND income_component = 'transfer'`, [COUNTY, h!.id, h!.year],
    );
    const shown = Number(sum!.total).toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
    await expect.poll(() => page.getByTestId('ledger-transfer').innerText()).toBe(shown);
    const transfer = async () => (await w.db.query<{ t: number }>(
      'SELECT transfer_income AS t FROM household_years WHERE county_code = $1 AND household_id = $2 AND year = $3', [COUNTY, h!.id, h!.year],
    ))[0]!.t;
    // Under load the confirm's 是 was once pressed while the pop-up was still opening: press again while nothing was written.
    for (let attempt = 0; ; attempt++) {
      await page.getByTestId('fill-confirm').click();
      await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /是/ }).click({ timeout: 10_000 }).catch(() => undefined);
      try {
        await expect.poll(transfer, { timeout: 10_000 }).toBe(Number(sum!.total));
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }

    // The county ledger lists it; the channel view shows social security for that year.
    await page.getByRole('menuitem', { name: '帮扶措施台账' }).click();
    await page.waitForURL(/\/measures/);
    await page.getByTestId('ledger-year').fill(String(h!.year));
    await page.getByTestId('ledger-table').locator('tr').filter({ hasText: '残疾人两项补贴' }).first().waitFor();
    await page.getByRole('menuitem', { name: '帮扶渠道' }).click();
    await page.waitForURL(/\/channels/);
    await page.getByTestId('channels-year').fill(String(h!.year));
    const social = page.getByTestId('channels-table').locator('tr').filter({ hasText: '社会保障兜底' });
    await expect.poll(async () => Number((await social.locator('td').nth(1).innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    await page.locator('canvas').first().waitFor();
    await shot(page, 'measures-channels');
    expect(errors).toEqual([]);
  }, 180_000);
});
