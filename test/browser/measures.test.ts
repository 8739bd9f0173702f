// Measures in Chromium: the county office of 库伦旗 opens a household, records a measure on its
// 帮扶措施 tab (first without the member a member type needs: the server's reason shows on the field),
// sees it listed, then fills the year's transfer income from the ledger after the preview; the
// ledger page lists the measure and the channel view shows the channel. No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, COUNTY, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

/** Picks an option of a Select; under load a click can land on a dropdown still animating, so check it took. */
async function choose(page: Page, testId: string, option: string, search = false) {
  const item = page.locator('.ant-form-item').filter({ has: page.getByTestId(testId) });
  for (let attempt = 0; ; attempt++) {
    await page.getByTestId(testId).click();
    // The option list is virtual: type to bring the option into it.
    if (search) await page.keyboard.type(option);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
    try {
      await expect.poll(() => item.innerText(), { timeout: 5_000 }).toContain(option);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

describe.skipIf(!run)('measures in Chromium', () => {
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
    await choose(page, 'measure-type', '残疾人两项补贴', true);
    await page.getByTestId('measure-amount').fill('1234.56');
    await form.locator('textarea').fill(note);
    await page.getByTestId('measure-save').click();
    // The member is missing: the server's reason lands on the member field, nothing is saved.
    await expect.poll(() => form.innerText()).toContain('发放给个人，请选择本户的一名成员');
    await choose(page, 'measure-member', h!.member);
    await page.getByTestId('measure-save').click();
    const row = page.getByTestId('measures-table').locator('tr').filter({ hasText: note });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('残疾人两项补贴');
    expect(text).toContain(h!.member);
    expect(text).toContain('1,234.56');
    expect(text).toContain(String(h!.year));
    const [saved] = await w.db.query<{ amount: number; income_component: string; recorded_by: string }>(
      'SELECT amount, income_component, recorded_by FROM measures WHERE county_code = $1 AND household_id = $2 AND note = $3', [COUNTY, h!.id, note],
    );
    expect(saved).toEqual({ amount: 1234.56, income_component: 'transfer', recorded_by: w.users.county });
    await shot(page, 'measures-household');

    // The fill-income preview shows the year's transfer ledger sum; confirming writes it into the record.
    const [sum] = await w.db.query<{ total: number }>(
      `SELECT sum(amount) AS total FROM measures WHERE county_code = $1 AND household_id = $2 AND year = $3 AND income_component = 'transfer'`, [COUNTY, h!.id, h!.year],
    );
    const shown = Number(sum!.total).toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
    await expect.poll(() => page.getByTestId('ledger-transfer').innerText()).toBe(shown);
    await page.getByTestId('fill-confirm').click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /是/ }).click();
    await expect.poll(async () => (await w.db.query<{ t: number }>(
      'SELECT transfer_income AS t FROM household_years WHERE county_code = $1 AND household_id = $2 AND year = $3', [COUNTY, h!.id, h!.year],
    ))[0]!.t).toBe(Number(sum!.total));

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
