// Relapse monitoring (防返贫监测) in Chromium, each step by the role and area level its workflow names.
// First the inbox: a batch step of the township reviewer over three cases of the township, refused as
// a whole when one of them has moved on meanwhile (the reason shown, nothing changed), then taken for
// the other two; the printable notice list as the API lists it; a monitoring scan by the county
// office and an alert turned into a case by the village cadre. Then one case the whole way: the
// cadre opens it from the household page and records the risk (sent empty, each required field gets
// the server's reason), checks at home (refused without the verification record, taken with the
// upload), passes the village review and posts the notice, which the case page shows running with
// the close not offered and why; an objection sends the case back; the second notice runs out and
// the cadre closes it; the township reviewer passes it from the inbox; the county office approves it
// with the announcement; the cadre records the assistance and is shown that the risk cannot be
// eliminated within six months of identification; later the cadre proposes the elimination and the
// county confirms it. The case page shows the final state and every step; the household page the
// case and its audited steps. No console errors. Screenshots go to test-results/.
//
// Time: the HTTP API takes every step at the clock's "now", and neither a notice nor the six months
// after identification can be cut short. test/cases.test.ts dates such steps with the services'
// `now`; steps taken in a browser cannot pass one, so this file moves the clock the server reads
// (Date in this process: vi.useFakeTimers for Date only; PGlite's now() follows it) and the pages'
// clock (Playwright's clock) forward by whole days, only forward (PGlite's timers misbehave when
// the clock goes back). No rule, parameter or stored event is touched. Sessions last 12 hours by
// the database clock, so each page logs in again after a jump.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, localDay } from '../../src/domain/workflows/index.js';
import { systemActor, type Actor, type Ctx } from '../../src/services/context.js';
import { actOnCase, addAttachment, getCase, openCase } from '../../src/services/cases/index.js';
import { createHousehold } from '../../src/services/households.js';
import { putHouseholdYear } from '../../src/services/household-years.js';
import { createUser } from '../../src/services/users.js';
import { householdNo, makeIdNumber } from '../support/factories.js';
import { COUNTY, PASSWORD, browserAvailable, logIn, openPage, pickOption, shot, startWorld, stopWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

/** 10:00 China time on `day`. */
const tenAm = (day: string) => new Date(`${day}T02:00:00Z`);
/** The day the story starts (the real clock's day in China). */
const T = localDay(new Date());
const today = T;

// One retry per step: run beside other files, a step once met a dropdown that never settled; a retried
// step starts again from the case page (the clock only moves forward), and a real bug fails twice.
describe.skipIf(!run)('one monitoring case, the inbox batch, notices and alerts in Chromium', { retry: 1 }, () => {
  let w: World;
  let cadre: Watched;
  let township: Watched;
  let county: Watched;
  /** The cadre of a village with an alert (the alerts test). */
  let alertCadre: Watched | undefined;
  let townshipUser: string;
  let townshipCode: string;
  const actors: Record<'cadre' | 'township', Actor> = {} as never;
  let household: { id: number; headName: string; householdNo: string };
  let caseId: number;

  const pages = () => [cadre, township, county];

  /** Moves the server's and the pages' clock forward to 10:00 China time on `day`; the pages named log in again. */
  async function clockAt(day: string, who: ('cadre' | 'township' | 'county')[]) {
    const at = tenAm(day);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    if (vi.isFakeTimers()) vi.setSystemTime(at);
    else vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: at });
    const all = { cadre: [cadre, w.users.cadre], township: [township, townshipUser], county: [county, w.users.county] } as const;
    for (const [p] of Object.values(all)) await p.context.clock.setSystemTime(at);
    // Sessions last 12 hours by the database's clock.
    await Promise.all(who.map(async (k) => {
      const [p, user] = all[k];
      await p.context.clearCookies();
      await logIn(w, p.page, user);
    }));
  }

  const as = (a: Actor): Ctx => ({ db: w.db, actor: a });
  const daysAgo = (n: number) => tenAm(addDays(today, -n));
  /** A step through the services at `at` (as test/cases.test.ts takes steps before a notice ends). */
  async function stepAt(who: Actor, id: number, action: string, at: Date, input: Record<string, unknown>, kinds: string[] = []) {
    const ids: number[] = [];
    for (const kind of kinds) ids.push((await addAttachment(as(who), { caseId: id, kind, filename: `${kind}.pdf`, mime: 'application/pdf', bytes: Buffer.from(kind) })).id);
    const seq = (await getCase(as(who), id)).seq;
    return actOnCase(as(who), { caseId: id, action, seq, input, attachmentIds: ids, now: at });
  }

  /** Households of the cadre's village without an open monitoring case (not the story's). */
  async function freeHouseholds(n: number) {
    return w.db.query<{ id: number }>(
      `SELECT h.id FROM households h WHERE h.county_code = $1 AND h.village_code = $2 AND h.id <> $3
          AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.county_code = h.county_code AND c.household_id = h.id AND c.workflow = 'monitoring' AND NOT c.closed)
        ORDER BY h.id DESC LIMIT $4`,
      [COUNTY, w.village, household.id, n],
    );
  }

  const state = (page: Page, label: string) => page.getByTestId('case-state').filter({ hasText: new RegExp(`^${label}$`) }).waitFor();

  async function openStep(page: Page, action: string) {
    await page.getByTestId(`action-${action}`).click();
    await page.getByTestId('action-form').waitFor();
  }

  async function choose(page: Page, label: string, option: string) {
    const item = page.getByTestId('action-form').locator('.ant-form-item').filter({ has: page.getByLabel(label) });
    const before = await item.innerText();
    if (before.includes(option)) throw new Error(`the field ${label} already mentions ${option}: cannot tell when it is chosen`);
    // The select's own dropdown, checked that the choice took, three attempts (harness.ts).
    await pickOption(page, item.locator('.ant-select').first(), option);
  }

  async function attach(page: Page, kind: string, name: string) {
    const box = page.getByTestId(`attachment-${kind}`);
    await box.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${kind} ${name}`) });
    await box.getByText(name).waitFor();
  }

  async function submit(page: Page, next: string) {
    const reached = (timeout: number) => page.getByTestId('case-state').filter({ hasText: new RegExp(`^${next}$`) }).waitFor({ timeout });
    const shown = page.getByTestId('action-problem');
    await page.getByTestId('action-submit').click();
    try {
      await reached(15_000);
    } catch (e) {
      // Under load a press of the submit button was once lost (nothing sent, nothing refused). If the
      // form is still open and shows no refusal, press it once more: a second press of a step that did
      // go through is refused by the case's seq, never applied twice.
      if ((await shown.count()) || !(await page.getByTestId('action-form').isVisible())) {
        throw new Error(`the step did not reach "${next}": ${(await shown.count()) ? await shown.innerText() : 'no refusal shown'}`, { cause: e });
      }
      // The button may be busy with a slow first press, or gone when it lands: then just wait.
      await page.getByTestId('action-submit').click({ timeout: 5_000 }).catch(() => undefined);
      try {
        await reached(25_000);
      } catch (e2) {
        throw new Error(`the step did not reach "${next}" after a second press: ${(await shown.count()) ? await shown.innerText() : 'no refusal shown'}`, { cause: e2 });
      }
    }
    await page.getByTestId('action-form').waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    w = await startWorld();
    const sys: Ctx = { actor: systemActor('browser-test'), db: w.db };
    townshipCode = w.village.slice(0, 9);
    townshipUser = `web-township-${process.pid}${Date.now().toString(36)}`;
    const t = await createUser(sys, { username: townshipUser, displayName: '苏木审核员', role: 'township_reviewer', areaCode: townshipCode, password: PASSWORD });
    actors.township = { id: t.id, username: t.username, role: 'township_reviewer', areaCode: townshipCode };
    const [c] = await w.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [w.users.cadre]);
    actors.cadre = { id: c!.id, username: w.users.cadre, role: 'village_cadre', areaCode: w.village };
    // An exited household (脱贫户) of two adults: its 2020 income of 11,000 yuan a head is above the
    // monitoring range, and 三保障 and water are secured, so only time and the steps decide.
    const h = await createHousehold(sys, {
      household: { householdNo: householdNo('CF'), villageCode: w.village, attribute: '1', exitStatus: '1', exitYear: 2017, mainCause: '01', identifiedOn: '2015-04-01' },
      members: [
        { name: '乌力吉', idNumber: makeIdNumber(COUNTY, '1968-05-21', '1'), relation: '01', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
        { name: '萨仁', idNumber: makeIdNumber(COUNTY, '1970-10-03', '2'), relation: '02', ethnicity: '02', health: '1', labourAbility: '1', medicalInsurance: true },
      ],
    });
    await putHouseholdYear(sys, h.id, 2020, {
      householdSize: 2, status: '1', wageIncome: 22000,
      foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: true, waterLitresPerDay: 60, waterFetchMinutes: 5,
    });
    household = { id: h.id, headName: '乌力吉', householdNo: h.householdNo };
    [cadre, township, county] = await Promise.all([openPage(w), openPage(w), openPage(w)]);
    await logIn(w, cadre.page, w.users.cadre);
    await logIn(w, township.page, townshipUser);
    await logIn(w, county.page, w.users.county);
  }, 240_000);

  afterAll(async () => {
    // The database first: PGlite's timers spin when the clock goes back.
    await stopWorld(w);
    vi.useRealTimers();
  });

  it('a batch step in the township inbox is all or none: one case moved on, nothing is taken; then the rest are', async () => {
    // Three households of the village, taken through discovery and the village notice in the past
    // (the services with `now`, as test/cases.test.ts does), so they await the township review.
    const rows = await freeHouseholds(3);
    expect(rows).toHaveLength(3);
    const ids: number[] = [];
    for (const r of rows) {
      const c = await openCase(as(actors.cadre), { workflow: 'monitoring', householdId: r.id, now: daysAgo(12) });
      await stepAt(actors.cadre, c.id, 'discover', daysAgo(12), { source: 'department_screening', riskType: 'disaster', description: '雹灾致玉米绝收' });
      await stepAt(actors.cadre, c.id, 'verify', daysAgo(11), { findings: '属实', crossCheck: '农险理赔数据一致' }, ['verification_record']);
      await stepAt(actors.cadre, c.id, 'village_review_pass', daysAgo(10), { meetingDate: addDays(today, -10), opinion: '同意' }, ['meeting_minutes']);
      await stepAt(actors.cadre, c.id, 'village_notice_close', daysAgo(5), {}, ['notice_photo']);
      ids.push(c.id);
    }
    const states = async () => (await w.db.query<{ id: number; state: string; seq: number }>('SELECT id, state, seq FROM cases WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]));
    const before = await states();
    expect(before.map((r) => r.state)).toEqual(['township_review', 'township_review', 'township_review']);

    const { page } = township;
    await page.goto(`${w.base}/cases?workflow=monitoring&state=township_review&area=${townshipCode}`);
    const table = page.getByTestId('cases-table');
    for (const id of ids) await table.locator(`tr[data-row-key="${id}"]`).waitFor();
    for (const id of ids) await table.locator(`tr[data-row-key="${id}"] input[type=checkbox]`).check();
    await page.getByTestId('batch-open').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '批量办理' });
    await dialog.getByText('已选 3 件').waitFor();
    // the select's own dropdown, checked that the choice took (a bare click was once lost under load)
    await pickOption(page, dialog.getByTestId('batch-action'), '乡镇审核通过');
    await dialog.getByLabel('审核意见').fill('同意上报旗县');
    // Meanwhile another reviewer of the township rejects one of them.
    await actOnCase(as(actors.township), { caseId: ids[2]!, action: 'township_review_reject', seq: before[2]!.seq, input: { reason: '核实家庭收入已恢复' } });
    await dialog.getByRole('button', { name: /批量办理/ }).click();
    const problem = page.getByTestId('batch-problem');
    await problem.waitFor();
    const text = await problem.innerText();
    expect(text).toContain('未办理：以下案件不能办理此步骤，已全部撤销');
    expect(text).toContain(`案件 ${ids[2]}`);
    expect(text).toContain('不能办理');
    expect(text).not.toContain(`案件 ${ids[0]}（`);
    await shot(page, 'flow-7-batch-refused');
    // Nothing moved: the two others are still awaiting the township review.
    expect((await states()).slice(0, 2)).toEqual(before.slice(0, 2));

    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await page.reload();
    await table.locator(`tr[data-row-key="${ids[0]}"]`).waitFor();
    await expect.poll(() => table.locator(`tr[data-row-key="${ids[2]}"]`).count()).toBe(0);
    for (const id of ids.slice(0, 2)) await table.locator(`tr[data-row-key="${id}"] input[type=checkbox]`).check();
    await page.getByTestId('batch-open').click();
    await dialog.getByText('已选 2 件').waitFor();
    // the select's own dropdown, checked that the choice took (a bare click was once lost under load)
    await pickOption(page, dialog.getByTestId('batch-action'), '乡镇审核通过');
    await dialog.getByLabel('审核意见').fill('同意上报旗县');
    await dialog.getByRole('button', { name: /批量办理/ }).click();
    await page.getByText('已批量办理 2 件').waitFor();
    await expect.poll(async () => (await states()).map((r) => r.state)).toEqual(['county_approval', 'county_approval', 'dismissed']);
  });

  it('the notice list prints what the API lists', async () => {
    // A case whose village notice was posted two days ago.
    const [h] = await freeHouseholds(1);
    const c = await openCase(as(actors.cadre), { workflow: 'monitoring', householdId: h!.id, now: daysAgo(4) });
    await stepAt(actors.cadre, c.id, 'discover', daysAgo(4), { source: 'self_report', riskType: 'accident', description: '意外受伤' });
    await stepAt(actors.cadre, c.id, 'verify', daysAgo(3), { findings: '属实', crossCheck: '一致' }, ['verification_record']);
    await stepAt(actors.cadre, c.id, 'village_review_pass', daysAgo(2), { meetingDate: addDays(today, -2), opinion: '同意' }, ['meeting_minutes']);
    const { page } = county;
    await page.goto(`${w.base}/notices`);
    const api = await page.evaluate(async () => (await fetch('/api/v1/notices')).json()) as { items: { caseId: number; villageCode: string }[] };
    await page.getByTestId('notices-title').waitFor();
    expect(api.items.map((n) => n.caseId)).toContain(c.id);
    const links = page.locator('.jz-notice-village tbody a[href^="/cases/"]');
    await expect.poll(() => links.count()).toBe(api.items.length);
    const shown = await links.evaluateAll((els) => els.map((e) => Number(e.getAttribute('href')!.split('/').pop())));
    expect(shown.sort((a, b) => a - b)).toEqual(api.items.map((n) => n.caseId).sort((a, b) => a - b));
    const row = page.locator('.jz-notice-village tbody tr').filter({ has: page.locator(`a[href="/cases/${c.id}"]`) });
    expect(await row.innerText()).toContain(addDays(today, 3));
    expect(await row.innerText()).toContain('尚余 3 天');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('notices-print').isVisible()).toBe(false);
    await shot(page, 'flow-8-notices-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('a monitoring scan lists alerts as the API does, and a village cadre turns an alert into a case', async () => {
    // The county office runs the scan (monitor.scan) …
    const c = county.page;
    await c.goto(`${w.base}/alerts`);
    await c.getByTestId('scan-run').click();
    await c.getByTestId('scan-result').waitFor();
    const all = await c.evaluate(async () => (await fetch('/api/v1/monitoring/alerts?status=open&pageSize=500')).json()) as { total: number; items: { id: number; householdId: number; villageCode: string; headName: string }[] };
    expect(all.total).toBeGreaterThan(0);
    // The list reloads after the scan and counts what the API lists.
    await c.getByText(`共 ${all.total.toLocaleString('zh-CN')} 条`).waitFor();
    // … and the cadre of a village with an alert opens the case (the village takes its first step).
    const open = await w.db.query<{ householdId: number }>(`SELECT household_id AS "householdId" FROM cases WHERE workflow = 'monitoring' AND NOT closed`);
    const busy = new Set(open.map((r) => Number(r.householdId)));
    const alert = all.items.find((a) => !busy.has(Number(a.householdId)));
    expect(alert, 'an open alert for a household without an open monitoring case').toBeDefined();
    const username = `web-cadre2-${process.pid}${Date.now().toString(36)}`;
    await createUser({ db: w.db, actor: systemActor('browser-test') }, { username, displayName: '嘎查村干部', role: 'village_cadre', areaCode: alert!.villageCode, password: PASSWORD });
    alertCadre = await openPage(w);
    const { page } = alertCadre;
    await logIn(w, page, username);
    await page.goto(`${w.base}/alerts`);
    const mine = all.items.filter((a) => a.villageCode === alert!.villageCode);
    const table = page.getByTestId('alerts-table');
    await page.getByText(`共 ${mine.length} 条`).waitFor();
    const shown = await table.locator('tbody tr.ant-table-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-row-key'))));
    expect(shown.sort((a, b) => a - b)).toEqual(mine.map((a) => a.id).sort((a, b) => a - b));
    await shot(page, 'flow-9-alerts');
    await page.getByTestId(`alert-open-${alert!.id}`).click();
    await page.waitForURL(/\/cases\/\d+$/);
    const newCase = Number(/\/cases\/(\d+)$/.exec(page.url())![1]);
    await state(page, '未发现');
    expect(await page.getByTestId('case-household-link').innerText()).toBe(alert!.headName);
    const after = await page.evaluate(async () => (await fetch('/api/v1/monitoring/alerts?status=case_opened&pageSize=500')).json()) as { items: { id: number; caseId: number | null; statusLabel: { zh: string } }[] };
    const opened = after.items.find((a) => a.id === alert!.id);
    expect(opened).toMatchObject({ caseId: newCase });
    // Back on the list, the alert is no longer open and links to its case.
    await page.goto(`${w.base}/alerts?status=case_opened`);
    const row = page.getByTestId('alerts-table').locator(`tr[data-row-key="${alert!.id}"]`);
    await row.getByRole('link', { name: '查看案件' }).waitFor();
    expect(await row.innerText()).toContain(opened!.statusLabel.zh);
  });

  it('the cadre opens the case and records the risk; sent empty, the required fields are named', async () => {
    const { page } = cadre;
    await page.goto(`${w.base}/households/${household.id}`);
    await page.getByTestId('household-title').filter({ hasText: household.headName }).waitFor();
    await page.getByTestId('open-case-monitoring').click();
    await page.getByTestId('open-case-confirm').click();
    await page.waitForURL(/\/cases\/\d+$/);
    caseId = Number(/\/cases\/(\d+)$/.exec(page.url())![1]);
    await state(page, '未发现');

    await openStep(page, 'discover');
    await page.getByTestId('action-submit').click();
    const problem = page.getByTestId('action-problem');
    await problem.waitFor();
    const form = page.getByTestId('action-form');
    // Each missing field carries the server's reason.
    for (const label of ['发现方式', '风险类型', '风险情况']) {
      await form.locator('.ant-form-item').filter({ hasText: label }).locator('.ant-form-item-explain-error').first().waitFor();
    }
    await shot(page, 'flow-1-discover-refused');
    await choose(page, '发现方式', '干部走访排查');
    await choose(page, '风险类型', '因病');
    await form.getByLabel('风险情况').fill('户主突发脑梗住院，医疗自付费用约 4 万元');
    await submit(page, '已发现，待入户核实');
    // The identification deadline runs from discovery (20 working days).
    expect(await page.getByTestId('case-household').innerText()).toContain('办理期限');
  });

  it('the home check is refused without its verification record, then taken with the upload', async () => {
    const { page } = cadre;
    await openStep(page, 'verify');
    const form = page.getByTestId('action-form');
    await form.getByLabel('核实情况').fill('入户核实属实，户主住院治疗中');
    await form.getByLabel('数据比对结果').fill('医保报销数据一致，无车辆、商品房');
    await page.getByTestId('action-submit').click();
    const missing = page.getByTestId('attachment-verification_record').locator('.ant-form-item-explain-error');
    await missing.first().waitFor();
    expect(await missing.first().innerText()).toContain('入户核实记录');
    await attach(page, 'verification_record', '入户核实记录.pdf');
    await submit(page, '已核实，待村级评议');
    const timeline = page.getByTestId('case-timeline');
    await timeline.getByRole('link', { name: '入户核实记录.pdf' }).waitFor();
  });

  it('the village review posts the notice: shown running, the close not offered; an objection sends the case back', async () => {
    const { page } = cadre;
    await openStep(page, 'village_review_pass');
    expect(await page.getByRole('dialog').innerText()).toContain(`提交后开始公示，至 ${addDays(T, 5)} 期满`);
    const form = page.getByTestId('action-form');
    await form.getByLabel('评议日期').fill(T);
    await form.getByLabel('审核意见').fill('村民代表会议评议同意纳入监测');
    await attach(page, 'meeting_minutes', '民主评议记录.pdf');
    await submit(page, '村内公示中');
    const notice = page.getByTestId('case-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toBe(`公示至 ${addDays(T, 5)}，尚余 5 天，期满前不能结束公示`);
    await page.getByTestId('action-village_notice_objection').waitFor();
    expect(await page.getByTestId('action-village_notice_close').count()).toBe(0);
    await shot(page, 'flow-2-notice-running');

    // The printed notice list of the village has the case, as the API lists it.
    await page.goto(`${w.base}/notices?area=${w.village}`);
    const api = await page.evaluate(async (v) => (await fetch(`/api/v1/notices?area=${v}`)).json(), w.village) as { items: { caseId: number; endsOn: string }[] };
    expect(api.items.map((n) => n.caseId)).toContain(caseId);
    const board = page.getByTestId(`notice-village-${w.village}`);
    await board.waitFor();
    await expect.poll(() => board.locator('tbody tr.ant-table-row').count()).toBe(api.items.length);
    const mine = board.locator('tbody tr.ant-table-row').filter({ has: page.locator(`a[href="/cases/${caseId}"]`) });
    expect(await mine.innerText()).toContain(addDays(T, 5));
    expect(await mine.innerText()).toContain('尚余 5 天');

    // An objection during the notice: the case goes back to the village review.
    await page.goto(`${w.base}/cases/${caseId}`);
    await state(page, '村内公示中');
    await openStep(page, 'village_notice_objection');
    await page.getByTestId('action-form').getByLabel('异议内容').fill('反映该户子女在外务工收入较高');
    await page.getByTestId('action-form').getByLabel('异议人').fill('本村村民');
    await submit(page, '已核实，待村级评议');
    expect(await page.getByTestId('case-notice').count()).toBe(0);
    await expect.poll(() => page.getByTestId('case-timeline').innerText()).toContain('反映该户子女在外务工收入较高');
  });

  it('after re-checking, a second notice runs its five days and the cadre closes it', async () => {
    const { page } = cadre;
    await openStep(page, 'village_review_pass');
    const form = page.getByTestId('action-form');
    await form.getByLabel('评议日期').fill(T);
    await form.getByLabel('审核意见').fill('核实子女已分户另过，评议同意纳入监测');
    await attach(page, 'meeting_minutes', '第二次民主评议记录.pdf');
    await submit(page, '村内公示中');
    expect(await page.getByTestId('case-notice').innerText()).toContain('尚余 5 天');

    // Five days on: the notice ends today and may be closed.
    await clockAt(addDays(T, 5), ['cadre', 'township', 'county']);
    await page.goto(`${w.base}/cases/${caseId}`);
    await state(page, '村内公示中');
    expect(await page.getByTestId('case-notice').innerText()).toBe(`公示至 ${addDays(T, 5)}，今天期满，可以结束公示`);
    await openStep(page, 'village_notice_close');
    await attach(page, 'notice_photo', '公示照片.pdf');
    await submit(page, '待乡镇审核');
    // The village has nothing more to do until the township has reviewed it.
    expect(await page.getByTestId('case-actions').innerText()).toContain('当前没有您可以办理的步骤');
  });

  it('the township reviewer finds it in the inbox and passes the review', async () => {
    const { page } = township;
    await page.goto(`${w.base}/cases?workflow=monitoring`);
    const row = page.getByTestId('cases-table').locator(`tr[data-row-key="${caseId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('待乡镇审核');
    await shot(page, 'flow-3-township-inbox');
    await row.getByRole('link', { name: household.headName }).click();
    await page.waitForURL(new RegExp(`/cases/${caseId}$`));
    await openStep(page, 'township_review_pass');
    await page.getByTestId('action-form').getByLabel('审核意见').fill('经苏木审核，同意上报旗县');
    await submit(page, '待旗县审批');
  });

  it('the county office approves it with the announcement: monitored, within the deadline', async () => {
    const { page } = county;
    await page.goto(`${w.base}/cases/${caseId}`);
    await state(page, '待旗县审批');
    await openStep(page, 'county_approve');
    await page.getByTestId('action-form').getByLabel('审核意见').fill('同意纳入防返贫监测');
    await attach(page, 'announcement', '监测对象公告.pdf');
    await submit(page, '已公告纳入监测，待帮扶');
    expect(await page.getByTestId('case-household').innerText()).toContain('已按期完成');
    expect(await page.getByTestId('case-overdue').count()).toBe(0);
  });

  it('the cadre records the assistance; the elimination is not yet possible (six months since identification)', async () => {
    const { page } = cadre;
    await page.goto(`${w.base}/cases/${caseId}`);
    await state(page, '已公告纳入监测，待帮扶');
    await openStep(page, 'record_assistance');
    await page.getByTestId('action-form').getByLabel('帮扶措施').fill('落实医疗救助 8,000 元；安排公益性岗位 1 个');
    await submit(page, '帮扶中');

    // The evaluation the server would compute today says no, and why.
    await openStep(page, 'propose_elimination');
    const form = page.getByTestId('action-form');
    await form.getByLabel('收入稳定超过监测线的月数').fill('7');
    await choose(page, '大额刚性支出已解决', '是');
    const evaluation = page.getByTestId('field-evaluation');
    await expect.poll(() => evaluation.innerText()).toContain(`未达到至少 6 个月`);
    await form.getByLabel('评议日期').fill(addDays(T, 5));
    await form.getByLabel('审核意见').fill('拟消除风险');
    await attach(page, 'meeting_minutes', '风险消除评议记录（初议）.pdf');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('action-problem').waitFor();
    await form.locator('.ant-form-item-explain-error').filter({ hasText: '6 个月' }).first().waitFor();
    await shot(page, 'flow-4-elimination-too-early');
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await state(page, '帮扶中');
  });

  it('two hundred days on the cadre proposes the elimination and the county confirms it; the case shows its whole timeline', async () => {
    await clockAt(addDays(T, 205), ['cadre', 'county']);
    const { page } = cadre;
    await page.goto(`${w.base}/cases/${caseId}`);
    await state(page, '帮扶中');
    await openStep(page, 'propose_elimination');
    const form = page.getByTestId('action-form');
    await form.getByLabel('收入稳定超过监测线的月数').fill('7');
    await choose(page, '大额刚性支出已解决', '是');
    await expect.poll(() => page.getByTestId('field-evaluation').innerText()).toContain('已达到至少 6 个月');
    // Both facts reached the evaluation (a click on a closing dropdown would leave the second unknown).
    await expect.poll(() => page.getByTestId('field-evaluation').innerText()).toContain('大额刚性支出问题已解决');
    // Nothing of the refused attempt is left on the form (reasons, uploads).
    expect(await form.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect(await page.getByTestId('action-problem').count()).toBe(0);
    expect(await page.getByTestId('attachment-meeting_minutes').innerText()).not.toContain('初议');
    await form.getByLabel('评议日期').fill(addDays(T, 205));
    await form.getByLabel('审核意见').fill('收入稳定，评议同意消除风险');
    await attach(page, 'meeting_minutes', '风险消除评议记录.pdf');
    await submit(page, '风险消除待旗县审定');

    const c = county.page;
    await c.goto(`${w.base}/cases/${caseId}`);
    await state(c, '风险消除待旗县审定');
    await openStep(c, 'confirm_elimination');
    await c.getByTestId('action-form').getByLabel('审核意见').fill('经旗县审定，风险已消除');
    await submit(c, '风险已消除');
    expect(await c.getByTestId('case-actions').innerText()).toContain('案件已办结');

    // The timeline: every step in order, by whom, with the refused ones absent.
    const steps = [
      ['登记发现的风险', '嘎查村干部'],
      ['入户核实并数据比对', '嘎查村干部'],
      ['村级评议通过并公示', '嘎查村干部'],
      ['监测对象公示期间登记异议并退回', '嘎查村干部'],
      ['村级评议通过并公示', '嘎查村干部'],
      ['公示期满无异议，报乡镇审核', '嘎查村干部'],
      ['乡镇审核通过', '苏木乡镇审核员'],
      ['旗县审批并公告，纳入监测', '旗县扶贫办'],
      ['登记帮扶措施', '嘎查村干部'],
      ['村级评议拟风险消除', '嘎查村干部'],
      ['旗县审定风险消除', '旗县扶贫办'],
    ];
    for (const [i, [label, role]] of steps.entries()) {
      const text = await c.getByTestId(`event-${i + 1}`).innerText();
      expect(text, `event ${i + 1}`).toContain(label);
      expect(text, `event ${i + 1}`).toContain(role);
    }
    expect(await c.getByTestId(`event-${steps.length + 1}`).count()).toBe(0);
    expect(await c.getByTestId('event-4').innerText()).toContain('反映该户子女在外务工收入较高');
    expect(await c.getByTestId('event-6').innerText()).toContain('公示照片.pdf');
    expect(await c.getByTestId('event-10').innerText()).toContain('已达到至少 6 个月');
    await shot(c, 'flow-5-case-eliminated');

    // The stored trail agrees: the events' days are the days the steps were taken.
    const events = (await getCase({ db: w.db, actor: systemActor('browser-test') }, caseId)).events;
    expect(events.map((e) => localDay(e.at))).toEqual([T, T, T, T, T, ...Array(4).fill(addDays(T, 5)), addDays(T, 205), addDays(T, 205)]);
  });

  it('the household page shows the closed case and the audited steps', async () => {
    const { page } = county;
    await page.getByTestId('case-household-link').click();
    await page.waitForURL(new RegExp(`/households/${household.id}$`));
    await page.getByRole('tab', { name: '本户案件' }).click();
    const row = page.getByTestId('household-cases').locator('tbody tr.ant-table-row').filter({ hasText: `案件 ${caseId}` });
    await row.waitFor();
    expect(await row.innerText()).toContain('防返贫监测');
    expect(await row.innerText()).toContain('风险已消除');
    await page.getByRole('tab', { name: '变更记录' }).click();
    const history = page.getByTestId('history-table');
    await history.waitFor();
    // Newest first: the county's confirmation, and every audited step on the page as the API lists it.
    const api = await page.evaluate(async (id) => (await fetch(`/api/v1/households/${id}/history`)).json(), household.id) as { items: { entity: string; action: string; actorName: string }[] };
    expect(api.items.filter((e) => e.entity === 'cases' && e.action === 'step')).toHaveLength(11);
    const rows = history.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.first().innerText()).toContain('办理 · 案件');
    expect(await rows.first().innerText()).toContain(w.users.county);
    const firstPage = api.items.slice(0, 20);
    expect(await rows.filter({ hasText: '办理 · 案件' }).count()).toBe(firstPage.filter((e) => e.entity === 'cases' && e.action === 'step').length);
    expect(await rows.filter({ hasText: '新增 · 案件附件' }).count()).toBe(firstPage.filter((e) => e.entity === 'case_attachments').length);
    await shot(page, 'flow-6-household');
  });

  it('no console errors on any page', () => {
    expect([...pages(), ...(alertCadre ? [alertCadre] : [])].flatMap((p) => p.errors)).toEqual([]);
  });
});
