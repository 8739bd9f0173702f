// The third-party evaluation pages (第三方评估, issue 8) in Chromium: an inspector (like the demo
// `inspector` account: role inspector, area 1505) creates a plan for 库伦旗 through the API and
// draws it; then in the browser opens 第三方评估 from the menu, the plan, the sample tab with its
// villages, one questionnaire; saving it empty shows the server's reasons on the fields; filled in
// and saved, it shows the discrepancies with the register; the results tab shows the four rates;
// a badly headed import file lists its problems; the village route sheet lists its households.
// The questionnaire is also checked at tablet width (768 px). No console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/users.js';
import { systemActor } from '../../src/services/context.js';
import { browserAvailable, COUNTY, logIn, openPage, PASSWORD, shot, startWorld, stopWorld, type World } from './harness.js';

const run = browserAvailable();

interface Sample {
  villages: { code: string; name: string; households: { sampleId: number; stratum: string; householdNo: string | null; headName: string | null }[] }[];
}

describe.skipIf(!run)('evaluation pages in Chromium', () => {
  let w: World;
  let inspector: string;
  let planId: number;
  let sample: Sample;

  beforeAll(async () => {
    w = await startWorld();
    inspector = `web-inspector-${process.pid}${Date.now().toString(36)}`;
    await createUser({ actor: systemActor('browser-test'), db: w.db }, { username: inspector, displayName: '督查（演示）', role: 'inspector', areaCode: '1505', password: PASSWORD });
    const [{ year } = { year: 0 }] = await w.db.query<{ year: number }>('SELECT max(year)::int AS year FROM household_years WHERE county_code = $1', [COUNTY]);
    const login = await w.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: inspector, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const c = login.cookies.find((x) => x.name === 'jz_session')!;
    const cookie = `jz_session=${c.value}`;
    const created = await w.app.inject({
      method: 'POST', url: '/api/v1/assessment/plans', headers: { cookie },
      payload: { county: COUNTY, year, name: `浏览器测试评估 ${year}`, seed: 'browser-test-seed', sizes: { villages: { poor: 1, nonPoor: 1 }, households: { exited: 2, remaining: 1, nonRegistered: 1 } } },
    });
    expect(created.statusCode, created.body).toBe(201);
    planId = created.json().id;
    const drawn = await w.app.inject({ method: 'POST', url: `/api/v1/assessment/plans/${planId}/draw`, headers: { cookie } });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const s = await w.app.inject({ method: 'GET', url: `/api/v1/assessment/plans/${planId}/sample`, headers: { cookie } });
    sample = s.json();
    expect(sample.villages.length).toBeGreaterThan(0);
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('lists the plan, shows the sample, checks and saves a questionnaire, shows the results', async () => {
    const { page, errors, context } = await openPage(w);
    await logIn(w, page, inspector);
    await page.getByRole('menuitem', { name: '第三方评估' }).click();
    await page.waitForURL(/\/assessment$/);
    // The new-plan form without a county: the server's reason is shown.
    await page.getByTestId('new-plan').click();
    await page.getByTestId('plan-form').waitFor();
    // Clicked again until the reason shows: a click was lost under load in CI (the form writes
    // nothing without a county, so a second submit is harmless).
    const formError = page.getByTestId('plan-form-error');
    for (let i = 0; i < 5 && !(await formError.isVisible()); i++) {
      await page.getByRole('button', { name: /创\s*建/ }).click();
      await formError.waitFor({ timeout: 6000 }).catch(() => undefined);
    }
    await formError.waitFor();
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await page.getByTestId(`plan-${planId}`).click();
    await page.waitForURL(new RegExp(`/assessment/${planId}`));
    await expect.poll(() => page.getByTestId('plan-seed').innerText()).toContain('browser-test-seed');
    // Anyone on the plan can re-run the draw from the stored frame and the published seed.
    await page.getByTestId('plan-verify').click();
    await expect.poll(() => page.getByTestId('plan-verify-result').innerText()).toContain(`得到同样的 ${sample.villages.flatMap((v) => v.households).length} 户`);
    await shot(page, 'assessment-plan');

    await page.getByTestId('tab-sample').click();
    await page.getByTestId('sample-tab').waitFor();
    const first = sample.villages[0]!;
    await page.getByTestId(`sample-village-${first.code}`).waitFor();
    expect(await page.locator('.jz-sample-village').count()).toBe(sample.villages.length);
    await shot(page, 'assessment-sample');

    // An exited household: its own question is 退出是否准确.
    const target = sample.villages.flatMap((v) => v.households).find((h) => h.stratum === 'exited') ?? first.households[0]!;
    await page.getByTestId(`survey-link-${target.sampleId}`).click();
    await page.waitForURL(new RegExp(`/assessment/${planId}/survey/${target.sampleId}`));
    await page.getByTestId('survey-household').waitFor();

    // Empty: the server's reason is put on the outcome field.
    await page.getByTestId('survey-save').click();
    await page.getByTestId('survey-problem').waitFor();
    await expect.poll(() => page.getByTestId('q-outcome').locator('.ant-form-item-explain-error').innerText()).toContain('调查结果');

    // Completed, with answers; the size differs from the register so at least one discrepancy shows.
    await page.getByTestId('q-outcome').getByText('已完成', { exact: true }).click();
    await page.getByTestId('q-householdSize').locator('input').fill('29');
    await page.getByTestId('q-perCapitaIncome').locator('input').fill('8000');
    for (const f of ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure', 'approves']) {
      await page.getByTestId(`q-${f}`).getByText('是', { exact: true }).click();
    }
    const own = target.stratum === 'exited' ? 'exitCorrect' : target.stratum === 'remaining' ? 'stillPoor' : 'omitted';
    await page.getByTestId(`q-${own}`).getByText('是', { exact: true }).click();
    if (target.stratum === 'nonRegistered') await page.getByTestId('q-headName').locator('input').fill('张三');
    await page.getByTestId('survey-save').click();
    await page.getByTestId('survey-discrepancies').waitFor();
    if (target.stratum !== 'nonRegistered') expect(await page.getByTestId('survey-discrepancies').innerText()).toContain('家庭人口');
    expect(await page.getByTestId('survey-problem').count()).toBe(0);
    await expect.poll(() => page.getByTestId('survey-save').innerText()).toContain('保存修改');
    await shot(page, 'assessment-survey');

    // The results tab: four rates with their verdicts.
    await page.goto(`${w.base}/assessment/${planId}?tab=results`);
    await page.getByTestId('results-tab').waitFor();
    for (const k of ['wrong_exit_rate', 'omission_rate', 'approval', 'combined_incidence']) await page.getByTestId(`rate-${k}`).waitFor();
    expect(await page.getByTestId('results-counts').innerText()).toContain('已脱贫户');
    await shot(page, 'assessment-results');

    // A file with a wrong header: nothing imported, the problems listed by row and column.
    await page.getByTestId('tab-import').click();
    await page.getByTestId('import-tab').locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('不认识的列,another\n1,2\n') });
    await page.getByTestId('survey-upload').click();
    await page.getByTestId('import-issues').waitFor();
    expect(await page.getByTestId('import-issues').innerText()).toContain('不认识的列');

    // The route sheet of the first village lists its households.
    await page.goto(`${w.base}/assessment/${planId}/route/${first.code}`);
    await page.getByTestId('route-households').waitFor();
    expect(await page.locator('[data-testid="route-households"] tbody tr').count()).toBe(first.households.length);

    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('the questionnaire fits a 768 px tablet', async () => {
    const { page, errors, context } = await openPage(w, { width: 768, height: 1024 });
    await logIn(w, page, inspector);
    const h = sample.villages[0]!.households[0]!;
    await page.goto(`${w.base}/assessment/${planId}/survey/${h.sampleId}`);
    await page.getByTestId('survey-form').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId('survey-save').waitFor();
    await shot(page, 'assessment-survey-tablet');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
