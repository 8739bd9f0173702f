// The measurement page (贫困测量) in Chromium: the county office of 库伦旗 opens it from the menu
// and sees the headline figures the indicators API gives; opens the households behind a figure;
// chooses a year with multidimensional poverty and reads the MPI contributions table; switches
// to 2018 (no published poverty line) and sees the reason; reads the income distribution; drills
// into a child area from the table; downloads a table as CSV (UTF-8 with BOM, header row first);
// no console errors. Screenshots go to test-results/.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, COUNTY, logIn, openPage, pickOption, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

const int = (n: number) => n.toLocaleString('zh-CN');
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const idx = (x: number) => x.toFixed(4);

interface Fig {
  code: string;
  name: string;
  year: number;
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  exitedPeople: number;
  relapsedPeople: number;
  ruralPeople: number | null;
  incidence: number | null;
  line: number | null;
  mpi: { poorPeople: number; M0: number; H: number; indicators: { key: string; label: { zh: string }; uncensored: number; share: number | null }[] } | null;
}
interface Ind {
  area: { code: string; name: string };
  year: number;
  figures: Fig;
  children: Fig[];
  trend: Fig[];
}

describe.skipIf(!run)('measurement page in Chromium', () => {
  let w: World;
  let county: Watched;

  beforeAll(async () => {
    w = await startWorld();
    county = await openPage(w);
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('shows the API figures, the MPI contributions, the missing line, a drill-down and a CSV download', async () => {
    const { page, errors } = county;
    await logIn(w, page, w.users.county);
    await page.getByRole('menuitem', { name: '贫困测量' }).click();
    await page.waitForURL(/\/measurement/);
    await page.getByTestId('stat-people').waitFor();
    expect(await page.getByTestId('measurement-title').innerText()).toContain('库伦旗');

    // Headline figures as the API gives them (the page's default: the user's county, latest year).
    const get = (query: string) => page.evaluate(async (q) => (await fetch(`/api/v1/indicators?${q}`)).json(), query) as Promise<Ind>;
    const api = await get(`area=${COUNTY}`);
    const f = api.figures;
    await expect.poll(() => page.getByTestId('stat-people').innerText()).toBe(int(f.people));
    expect(await page.getByTestId('stat-poor-people').innerText()).toBe(int(f.poorPeople));
    expect(await page.getByTestId('stat-incidence').innerText()).toBe(f.incidence === null ? '—' : pct(f.incidence));
    expect(await page.getByTestId('line-used').innerText()).toContain((f.line ?? 0).toLocaleString('zh-CN', { minimumFractionDigits: 2 }));
    await page.getByTestId('refreshed').waitFor();
    expect(await page.getByTestId('table-children').locator('tbody tr.ant-table-row').count()).toBe(Math.min(api.children.length, 20));

    // The households behind a figure (the county office may read the register).
    await page.getByTestId('stat-people').click();
    await page.getByTestId('households-summary').waitFor();
    expect(await page.getByTestId('households-summary').innerText()).toContain(`共 ${int(f.households)} 户 ${int(f.people)} 人`);
    await page.keyboard.press('Escape');
    await page.getByTestId('households-drawer').waitFor({ state: 'hidden' });

    // A year with multidimensional poverty, then the MPI tab and its contributions table.
    const mpiYear = [...api.trend].reverse().find((t) => (t.mpi?.poorPeople ?? 0) > 0)?.year ?? api.trend.find((t) => t.mpi)!.year;
    await pickOption(page, page.getByTestId('year-select'), `${mpiYear} 年`);
    await page.waitForURL(new RegExp(`year=${mpiYear}`));
    await page.getByTestId('tab-mpi').click();
    await page.waitForURL(/tab=mpi/);
    const inYear = (await get(`area=${COUNTY}&year=${mpiYear}`)).figures;
    const contributions = page.getByTestId('table-contributions');
    await contributions.waitFor();
    await expect.poll(() => page.getByTestId('stat-M0').innerText()).toBe(idx(inYear.mpi!.M0));
    expect(await page.getByTestId('stat-H').innerText()).toBe(pct(inYear.mpi!.H));
    const rows = contributions.locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(inYear.mpi!.indicators.length);
    expect(await contributions.locator('thead').innerText()).toContain('贡献占比');
    for (const [i, ind] of inYear.mpi!.indicators.entries()) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(ind.label.zh);
      expect(text).toContain(ind.share === null ? '—' : pct(ind.share));
      expect(text).toContain(pct(ind.uncensored));
    }
    await page.getByRole('img', { name: /各指标的剥夺率和对 M0 的贡献/ }).waitFor();
    await shot(page, 'measurement-mpi');

    // The same year's income distribution: the people in the bins below the line are the FGT's poor.
    await page.getByTestId('tab-income').click();
    const bins = page.getByTestId('table-distribution');
    await bins.waitFor();
    const dist = await page.evaluate(async (q) => (await fetch(`/api/v1/indicators/distribution?${q}`)).json(), `area=${COUNTY}&year=${mpiYear}`) as { belowLinePeople: number; bins: { to: number | null; people: number }[]; line: { value: number } };
    const fgtPoor = (inYear as unknown as { fgt: { poorPeople: number } }).fgt.poorPeople;
    expect(dist.belowLinePeople).toBe(fgtPoor);
    expect(dist.bins.filter((b) => b.to !== null && b.to <= dist.line.value).reduce((n, b) => n + b.people, 0)).toBe(fgtPoor);
    await page.getByTestId('stat-median').filter({ hasNotText: '…' }).waitFor();
    await shot(page, 'measurement-income');
    await page.getByTestId('tab-mpi').click();
    await contributions.waitFor();

    // 2018 has no published poverty line: the reason is shown and the MPI table is empty.
    await pickOption(page, page.getByTestId('year-select'), '2018 年');
    await page.waitForURL(/year=2018/);
    const reasons = page.getByTestId('missing-reasons');
    await reasons.waitFor();
    expect(await reasons.innerText()).toContain('2018 年没有公布的贫困线');
    expect(await page.getByTestId('line-used').innerText()).toContain('无贫困线');
    await expect.poll(() => page.getByTestId('stat-M0').innerText()).toBe('—');
    expect(await page.getByTestId('table-contributions').count()).toBe(0);

    // The income tab: the distribution (drawn without a line this year) and the server's reason.
    await page.getByTestId('tab-income').click();
    await page.getByTestId('table-distribution').waitFor();
    await expect.poll(() => reasons.innerText()).toContain('jingzhun policy set');
    await page.getByTestId('stat-median').filter({ hasNotText: '…' }).waitFor();
    await shot(page, 'measurement-income-2018');

    // Back to the overview of the default year, then into the first child area of the table.
    await page.getByTestId('tab-overview').click();
    await pickOption(page, page.getByTestId('year-select'), `${api.year} 年`);
    await page.waitForURL(new RegExp(`year=${api.year}`));
    const drill = page.getByTestId('table-children').locator('a[data-testid^="drill-"]').first();
    const code = (await drill.getAttribute('data-testid'))!.slice('drill-'.length);
    const child = api.children.find((c) => c.code === code)!;
    expect(child).toBeDefined();
    await drill.click();
    await page.waitForURL(new RegExp(`area=${child.code}`));
    await expect.poll(() => page.getByTestId('measurement-title').innerText()).toContain(child.name);
    const inChild = await get(`area=${child.code}&year=${api.year}`);
    await expect.poll(() => page.getByTestId('stat-people').innerText()).toBe(int(inChild.figures.people));
    expect(await page.getByTestId('stat-poor-people').innerText()).toBe(int(inChild.figures.poorPeople));

    // The trend table as CSV: a BOM for Excel, then the header row, then one row per year.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trend').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${child.name}-${api.year}-历年趋势\\.csv$`));
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('年度,建档立卡户数,建档立卡人数,未脱贫户数（含返贫）,未脱贫人数（含返贫）,已脱贫人数,返贫人数,农村人口,贫困发生率');
    expect(lines).toHaveLength(inChild.trend.length + 1);
    const last = inChild.trend.find((t) => t.year === api.year)!;
    expect(lines.find((l) => l.startsWith(`${api.year},`))).toBe(
      `${api.year},${last.households},${last.people},${last.poorHouseholds},${last.poorPeople},${last.exitedPeople},${last.relapsedPeople},${last.ruralPeople ?? ''},${last.incidence === null ? '' : pct(last.incidence)}`,
    );
    await shot(page, 'measurement-child');

    // Subgroups by the head's sex, from the on-demand analysis; then the page in English.
    await page.getByTestId('tab-groups').click();
    await page.getByTestId('groups-by').getByText('户主性别').click();
    await page.waitForURL(/by=sex/);
    const analysis = await page.evaluate(async (q) => (await fetch(`/api/v1/indicators/analysis?${q}`)).json(), `area=${child.code}&year=${api.year}&by=sex`) as { groups: { label: { zh: string; en: string } }[] };
    const groups = page.getByTestId('table-groups');
    await groups.waitFor();
    await expect.poll(() => groups.locator('tbody tr.ant-table-row').count()).toBe(analysis.groups.length);
    expect(await groups.innerText()).toContain(analysis.groups[0]!.label.zh);
    await shot(page, 'measurement-groups');
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByTestId('measurement-title').innerText()).toContain('Poverty measurement');
    expect(await groups.innerText()).toContain(analysis.groups[0]!.label.en);
    expect(errors).toEqual([]);
  }, 180_000);
});
