// Recording a visit on a tablet: a village cadre on a 768-wide screen opens 走访, picks a household
// of the village that has a responsible cadre, records what the visit found with a follow-up, and
// sees it in the household's 走访记录 tab, with the follow-up listed as still to do; the county office
// reads pairings, flags and visit frequency on the same screen size. No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, COUNTY, logIn, openPage, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';
import { systemActor } from '../../src/services/context.js';
import { createCadre, createPairing, createUnit } from '../../src/services/pairing/index.js';
import { makeIdNumber } from '../support/factories.js';

const run = browserAvailable();

describe.skipIf(!run)('visits on a tablet in Chromium', () => {
  let w: World;
  let tablet: Watched;
  let household: { id: number; no: string; head: string };

  beforeAll(async () => {
    w = await startWorld();
    const ctx = { actor: systemActor('browser-test'), db: w.db };
    // A household of the cadre's village that still enjoys policies, with a responsible cadre.
    const [h] = await w.db.query<{ id: number; no: string; head: string; paired: boolean }>(
      `SELECT h.id, h.household_no AS no, h.head_name AS head,
              EXISTS (SELECT 1 FROM pairings p WHERE p.county_code = h.county_code AND p.household_id = h.id AND p.ended_on IS NULL) AS paired
         FROM households h WHERE h.county_code = $1 AND h.village_code = $2 AND h.exit_status IN ('0', '1', '3') ORDER BY h.household_no LIMIT 1`,
      [COUNTY, w.village],
    );
    household = { id: Number(h!.id), no: h!.no, head: h!.head };
    if (!h!.paired) {
      const suffix = `${process.pid}${Date.now().toString(36)}`;
      const unit = await createUnit(ctx, { countyCode: COUNTY, name: `旗农牧局${suffix}`, kind: 'party_gov', level: 'county' });
      const cadre = await createCadre(ctx, { unitId: unit.id, name: '乌力吉', idNumber: makeIdNumber(COUNTY, '1986-05-05', '1', Number(process.pid % 400)) });
      await createPairing(ctx, { householdId: household.id, cadreId: cadre.id, startedOn: '2024-01-02' });
    }
    tablet = await openPage(w, { width: 768, height: 1024 });
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('records a visit on a 768-wide screen and finds it in the household visit list', async () => {
    const { page, errors } = tablet;
    await logIn(w, page, w.users.cadre);
    await page.goto(`${w.base}/visits`);
    await page.getByRole('heading', { name: '我的走访' }).waitFor();
    const picker = page.getByTestId('visit-household');
    await picker.click();
    await page.keyboard.type(household.no);
    await page.locator('.ant-select-item-option').filter({ hasText: household.no }).first().click();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    // The cadre defaults to the household's responsible cadre; findings are required.
    await page.getByTestId('visit-save').click();
    await expect.poll(() => form.innerText()).toContain('请填写走访发现的情况');
    const findings = `入户核实：玉米长势良好，务工收入稳定 ${Date.now()}`;
    await page.getByTestId('visit-findings').fill(findings);
    await form.getByRole('textbox').nth(2).fill('联系旗就业局安排技能培训');
    await page.getByTestId('visit-save').click();
    await page.getByText('走访已记录').waitFor();
    // No horizontal scrolling of the page itself on the tablet.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await shot(page, 'visits-tablet');

    await page.goto(`${w.base}/households/${household.id}`);
    // On a tablet the tab bar scrolls: a click while it scrolls the tab into view may not land.
    const tab = page.getByRole('tab', { name: '走访记录' });
    await expect.poll(async () => {
      await tab.click();
      return tab.getAttribute('aria-selected');
    }, { timeout: 20_000 }).toBe('true');
    const table = page.getByTestId('visits-table');
    await expect.poll(() => table.innerText()).toContain(findings);
    expect(await table.innerText()).toContain('联系旗就业局安排技能培训');
    expect(await table.innerText()).toContain('未办结');
    await shot(page, 'household-visits-tablet');
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows the county office pairings, flags and visit frequency on the tablet', async () => {
    const office = await openPage(w, { width: 768, height: 1024 });
    const { page, errors } = office;
    await logIn(w, page, w.users.county);
    await page.goto(`${w.base}/pairing`);
    await page.getByRole('heading', { name: '结对帮扶' }).waitFor();
    await expect.poll(() => page.getByTestId('pairings-table').innerText()).toContain('结束结对');
    const select = async (name: string) => {
      const tab = page.getByRole('tab', { name });
      await expect.poll(async () => { await tab.click(); return tab.getAttribute('aria-selected'); }, { timeout: 20_000 }).toBe('true');
    };
    await select('标记');
    await page.getByTestId('unpaired-table').waitFor();
    expect(await page.getByText(/无帮扶责任人的农户（\d+ 户）/).count()).toBe(1);
    await select('走访频次');
    await expect.poll(() => page.getByTestId('frequency-table').innerText()).toContain('户均每月走访');
    await shot(page, 'pairing-tablet');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    expect(errors).toEqual([]);
  }, 120_000);
});
