// The exit evaluation page in Chromium: the county office of 库伦旗 opens 退出评估 from the menu,
// sees the county bar with its verdict and the villages worst first, filters the failing ones,
// opens a village's panel, gets the server's reason on a bad assessment count and then the three
// assessment bars passing at exactly 2.00% / 2.00% / 90.00%; no console errors. Screenshots go to test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/context.js';
import { countyExitPanel } from '../../src/services/exit-panels.js';
import { browserAvailable, COUNTY, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

describe.skipIf(!run)('exit evaluation page in Chromium', () => {
  let w: World;
  let county: Watched;
  let year: number;

  beforeAll(async () => {
    w = await startWorld();
    // The latest year in which some village of the county fails its bar (by the service the page calls).
    const ctx = { actor: systemActor('browser-test'), db: w.db };
    for (year = 2025; year >= 2014; year -= 1) {
      if ((await countyExitPanel(ctx, { area: COUNTY, year })).villages.summary.fail > 0) break;
    }
    county = await openPage(w);
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('shows the county bar, the villages worst first, a village panel and the assessment bars', async () => {
    const { page, errors } = county;
    await logIn(w, page, w.users.county);
    await page.getByRole('menuitem', { name: '退出评估' }).click();
    await page.waitForURL(/\/exit/);
    // The menu opens the page on the user's own county; the year is chosen in the address.
    await page.getByTestId('county-panel').waitFor();
    expect(await page.getByTestId('exit-title').innerText()).toContain('库伦旗');
    await page.goto(`${w.base}/exit?year=${year}`);
    await page.getByTestId('county-panel').waitFor();
    expect(await page.getByTestId('exit-year').innerText()).toContain(String(year));

    // The county bar as the API computes it.
    const api = await page.evaluate(async ([c, y]) => (await fetch(`/api/v1/exit-panels/county?area=${c}&year=${y}`)).json(), [COUNTY, year] as const);
    const bar = api.evaluation.bars[0];
    await expect.poll(() => page.getByTestId('bar-fraction-incidence').first().innerText()).toBe(`${bar.numerator.toLocaleString('zh-CN')} / ${bar.denominator.toLocaleString('zh-CN')}`);
    const zhVerdict = { pass: '达标', fail: '不达标', unknown: '无法判断' } as const;
    expect(await page.getByTestId('county-panel-verdict').innerText()).toBe(zhVerdict[api.verdict as keyof typeof zhVerdict]);
    await page.getByTestId('param-source').first().hover();
    await page.getByRole('tooltip').filter({ hasText: 'county_exit_incidence_max_pct' }).waitFor();

    // Villages: the summary, then only the failing ones.
    const s = api.villages.summary;
    expect(await page.getByTestId('village-summary').innerText()).toBe(`共 ${s.villages} 个村：达标 ${s.pass}，不达标 ${s.fail}，无法判断 ${s.unknown}`);
    expect(s.fail).toBeGreaterThan(0);
    await page.getByTestId('only-failing').click();
    const rows = page.getByTestId('village-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(s.fail, 20));
    const verdicts = await rows.locator('[data-verdict]').evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(new Set(verdicts)).toEqual(new Set(['fail']));
    await shot(page, 'exit-county');

    // The worst village's own panel.
    const worst = api.villages.items[0];
    await rows.first().locator('a').click();
    await page.getByTestId('drawer-panel').waitFor();
    expect(await page.getByTestId('drawer-panel-verdict').innerText()).toBe('不达标');
    await expect.poll(() => page.getByTestId('drawer-panel').getByTestId('bar-fraction-incidence').innerText()).toBe(`${worst.poorPeople.toLocaleString('zh-CN')} / ${worst.ruralPeople.toLocaleString('zh-CN')}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer-panel').waitFor({ state: 'hidden' });

    // The assessment: a part larger than its whole gets the server's reason on the field.
    const fill = async (values: Record<string, number>) => {
      for (const [k, v] of Object.entries(values)) await page.getByTestId(`assess-${k}`).fill(String(v));
      await page.getByTestId('assess-submit').click();
    };
    await fill({ wronglyExited: 101, sampledExited: 100, omitted: 20, sampledNonRegistered: 1000, approving: 90, surveyedHouseholds: 100 });
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '错退人数（wronglyExited）101 大于抽查已脱贫人数（sampledExited）100' }).waitFor();
    await fill({ wronglyExited: 2 });
    await page.getByTestId('assess-result').waitFor();
    for (const key of ['wrong_exit_rate', 'omission_rate', 'approval']) {
      expect(await page.getByTestId('assess-result').getByTestId(`bar-verdict-${key}`).innerText(), key).toBe('达标');
    }
    expect(await page.getByTestId('assess-result').getByTestId('bar-fraction-approval').innerText()).toBe('90 / 100');
    await shot(page, 'exit-assessment');
    expect(errors).toEqual([]);
  }, 120_000);
});
