// Printable reports in Chromium: the county office of 库伦旗 opens a household, follows 打印一户一档 to
// the household file card (ID numbers masked, the yearly income against the line as the API gives
// it), presses 打印 (window.print is called) and sees, with the print stylesheet, only the report
// (no menu, no controls); then the yearly MPI report draws its contributions chart beside the
// indicators table. No console errors. Screenshots go to test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, COUNTY, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

describe.skipIf(!run)('printable reports in Chromium', () => {
  let w: World;
  let county: Watched;
  let householdId: number;

  beforeAll(async () => {
    w = await startWorld();
    const [h] = await w.db.query<{ id: number }>(
      `SELECT h.id FROM households h WHERE h.county_code = $1 AND h.village_code = $2
          AND (SELECT count(*) FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id) >= 2
        ORDER BY h.household_no LIMIT 1`,
      [COUNTY, w.village],
    );
    householdId = Number(h!.id);
    county = await openPage(w);
    await county.page.addInitScript(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('prints the household file card from the household page, masked, with only the report on paper', async () => {
    const { page, errors } = county;
    await logIn(w, page, w.users.county);
    await page.goto(`${w.base}/households/${householdId}`);
    await page.getByTestId('household-title').waitFor();
    await page.getByTestId('link-household-card').click();
    await page.waitForURL(new RegExp(`/reports/household/${householdId}`));
    const card = page.getByTestId('household-card');
    await card.getByTestId('card-members').waitFor();

    const api = await page.evaluate(async (id) => (await fetch(`/api/v1/reports/household?id=${id}&format=json`)).json(), householdId);
    expect(await page.getByTestId('report-title').innerText()).toContain(api.household.headName);
    const ids = await card.locator('[data-testid^="card-id-"]').allInnerTexts();
    expect(ids.length).toBe(api.members.length);
    for (const id of ids) expect(id).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    const years = card.getByTestId('card-years').locator('tbody tr');
    expect(await years.count()).toBe(api.years.length);
    const last = api.years[api.years.length - 1];
    expect(await years.last().innerText()).toContain(last.perCapitaIncome.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

    await page.getByTestId('report-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.jz-report-controls').isVisible()).toBe(false);
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await card.isVisible()).toBe(true);
    await shot(page, 'report-household-print');
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
  });

  it('draws the MPI report with its contributions chart', async () => {
    const { page, errors } = county;
    await page.goto(`${w.base}/reports/mpi?area=${COUNTY}&year=2016`);
    const report = page.getByTestId('mpi-report');
    await report.getByTestId('mpi-indicators').waitFor();
    const api = await page.evaluate(async (c) => (await fetch(`/api/v1/reports/mpi?area=${c}&year=2016&format=json`)).json(), COUNTY);
    expect(await page.getByTestId('mpi-M0').innerText()).toBe(api.mpi.M0.toFixed(4));
    expect(await report.getByTestId('mpi-indicators').locator('tbody tr').count()).toBe(api.indicators.length + api.dimensions.length);
    await report.getByTestId('mpi-chart').locator('canvas').first().waitFor();
    expect(await report.getByTestId('mpi-by-ethnicity').locator('tbody tr').count()).toBe(api.breakdowns.find((b: { by: string }) => b.by === 'ethnicity').groups.length);
    await shot(page, 'report-mpi');
    expect(errors).toEqual([]);
  });

  it('opens the county exit report from the exit page, and the village report', async () => {
    const { page, errors } = county;
    await page.goto(`${w.base}/exit?year=2016`);
    await page.getByTestId('county-panel').waitFor();
    await page.getByTestId('link-county-report').click();
    await page.waitForURL(/\/reports\/county-exit/);
    const report = page.getByTestId('county-exit-report');
    await report.getByTestId('county-villages').waitFor();
    const api = await page.evaluate(async (c) => (await fetch(`/api/v1/reports/county-exit?area=${c}&year=2016&format=json`)).json(), COUNTY);
    expect(await report.getByTestId('county-villages').locator('tbody tr').count()).toBe(api.villages.length);
    expect(await report.getByTestId('county-verdict').locator('[data-verdict]').getAttribute('data-verdict')).toBe(api.verdict);
    await shot(page, 'report-county-exit');

    await page.goto(`${w.base}/reports/village?area=${w.village}&year=2016`);
    const v = page.getByTestId('village-report');
    await v.getByTestId('village-households').waitFor();
    const vr = await page.evaluate(async (c) => (await fetch(`/api/v1/reports/village?area=${c}&year=2016&format=json`)).json(), w.village);
    // The households and the totals row.
    expect(await v.getByTestId('village-households').locator('tbody tr').count()).toBe(vr.households.length + 1);
    expect(await v.getByTestId('village-totals').innerText()).toContain(`${vr.totals.households} 户`);
    await shot(page, 'report-village');
    expect(errors).toEqual([]);
  });
});
