// Scorecards (考核评分) in Chromium: the county office of 库伦旗 follows the menu entry, sees the
// townships ranked as the API ranks them (the period the server chose named above the table), sorts
// by the composite, sees the trend chart of the first township, switches to the responsible cadres
// and downloads the workbook (townships, cadres and the indicator sheet). No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { browserAvailable, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

interface Row { key: string; name: string; rank: number | null; composite: number | null }

describe.skipIf(!run)('scorecards in Chromium', () => {
  let w: World;
  let county: Watched;

  beforeAll(async () => {
    w = await startWorld();
    county = await openPage(w);
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('ranks the townships and the cadres, draws a trend and downloads the workbook', async () => {
    const { page, errors } = county;
    await logIn(w, page, w.users.county);
    await page.getByRole('menuitem', { name: '考核评分' }).click();
    await page.waitForURL(/\/scorecards$/);
    await page.getByRole('heading', { name: '考核评分' }).waitFor();
    const table = page.getByTestId('scorecard-table');
    const rows = table.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();

    const api = await page.evaluate(async () => (await fetch('/api/v1/supervision/scorecards?level=township')).json()) as { from: string; to: string; rows: Row[] };
    expect(api.rows.length).toBeGreaterThan(1);
    expect(await rows.count()).toBe(api.rows.length);
    expect(await table.getByTestId('row-rank').allInnerTexts()).toEqual(api.rows.map((r) => (r.rank === null ? '—' : String(r.rank))));
    expect(await rows.first().getByTestId('row-name').innerText()).toContain(api.rows[0]!.name);
    expect(await rows.first().getByTestId('row-composite').innerText()).toBe(api.rows[0]!.composite!.toFixed(2));
    expect(await page.getByTestId('scorecard-period').innerText()).toContain(`${api.from} 至 ${api.to}`);
    expect(await page.getByTestId('scorecard-from').inputValue()).toBe(api.from);

    // The trend of the first township.
    const trend = page.getByTestId('scorecard-trend');
    await trend.locator('canvas').first().waitFor();
    expect(await trend.innerText()).toContain(`${api.rows[0]!.name} 月度趋势`);

    // Sorting by the composite (ascending; rows without a score stay last).
    await table.locator('th', { hasText: '综合得分' }).click();
    const scored = api.rows.filter((r) => r.composite !== null).map((r) => r.composite!);
    await expect.poll(() => rows.first().getByTestId('row-composite').innerText()).toBe(Math.min(...scored).toFixed(2));
    await shot(page, 'scorecards-townships');

    // The responsible cadres.
    await page.getByTestId('scorecard-level').getByText('帮扶责任人').click();
    const cadres = await page.evaluate(async () => (await fetch('/api/v1/supervision/scorecards?level=cadre')).json()) as { rows: Row[] };
    expect(cadres.rows.length).toBeGreaterThan(0);
    await expect.poll(() => table.locator('th', { hasText: '帮扶责任人' }).count()).toBeGreaterThan(0);
    await expect.poll(() => rows.first().getByTestId('row-name').innerText()).toContain(cadres.rows[0]!.name);
    expect(await rows.count()).toBe(Math.min(50, cadres.rows.length));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scorecard-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^考核评分-库伦旗-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['苏木乡镇', '帮扶责任人', '指标说明']);
    expect(wb.getWorksheet('苏木乡镇')!.getCell('C5').value).toBe(api.rows[0]!.name);
    expect(wb.getWorksheet('帮扶责任人')!.getCell('C5').value).toBe(cadres.rows[0]!.name);
    await shot(page, 'scorecards-cadres');
    expect(errors).toEqual([]);
  });
});
