// The browser tests' world: the real server (buildApp on a test database with the built web app
// served, listening on a free port) with a small synthetic register of 库伦旗 (150524), accounts,
// and Debian's Chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp, type ZodApp } from '../../src/http/app.js';
import type { Db } from '../../src/db/client.js';
import { Conflict } from '../../src/domain/errors.js';
import { seedRegister } from '../../src/services/seed.js';
import { createUser } from '../../src/services/users.js';
import { systemActor } from '../../src/services/context.js';
import { testDb } from '../support/db.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const COUNTY = '150524';
export const PASSWORD = 'Browser#Test2020';
export const SHOTS = resolve('test-results');
const WEB = resolve('web');

/** Whether to run: Chromium present, or (only with JINGZHUN_SKIP_BROWSER=1) skip with a message. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.JINGZHUN_SKIP_BROWSER === '1') {
    process.stderr.write(`\n[browser tests skipped] ${CHROMIUM} is missing and JINGZHUN_SKIP_BROWSER=1 is set. Install it with: apt-get install -y chromium\n`);
    return false;
  }
  throw new Error(`Browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium). Set JINGZHUN_SKIP_BROWSER=1 to skip them.`);
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules' || name === 'openapi-gen') continue;
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds web/dist when it is missing or older than the app's sources. */
export function ensureWebBuilt(): void {
  const index = join(WEB, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(WEB)) return;
  // NODE_ENV from the test runner ('test') would make Vite build React's development bundle.
  execFileSync('npm', ['run', 'build:web'], { stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
}

export interface World {
  db: Db;
  app: ZodApp;
  base: string;
  browser: Browser;
  users: { county: string; cadre: string };
  /** The cadre's village and another village of the same county. */
  village: string;
  otherVillage: string;
}

export async function startWorld(): Promise<World> {
  ensureWebBuilt();
  mkdirSync(SHOTS, { recursive: true });
  const db = await testDb();
  try {
    await seedRegister(db, { people: 3000, seed: 2014, countyCode: COUNTY });
  } catch (e) {
    // A shared PostgreSQL database may have 库伦旗 already; the tests read whatever is there.
    // Two browser files seeding at once: the second one's insert waits for the first one's
    // transaction and fails with a unique violation once it has committed, so the county is there.
    const uniqueViolation = (e as { code?: string }).code === '23505';
    if (!(e instanceof Conflict) && !uniqueViolation) throw e;
  }
  const villages = await db.query<{ code: string }>(
    `SELECT village_code AS code FROM households WHERE county_code = $1 GROUP BY village_code ORDER BY count(*) DESC, village_code LIMIT 2`,
    [COUNTY],
  );
  const village = villages[0]!.code;
  const otherVillage = villages[1]!.code;
  const suffix = `${process.pid}${Date.now().toString(36)}`;
  const users = { county: `web-county-${suffix}`, cadre: `web-cadre-${suffix}` };
  const ctx = { actor: systemActor('browser-test'), db };
  await createUser(ctx, { username: users.county, displayName: '库伦旗扶贫办', role: 'county_office', areaCode: COUNTY, password: PASSWORD });
  await createUser(ctx, { username: users.cadre, displayName: '嘎查村干部', role: 'village_cadre', areaCode: village, password: PASSWORD });
  const app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return { db, app, base: `http://127.0.0.1:${port}`, browser, users, village, otherVillage };
}

export async function stopWorld(w: World | undefined): Promise<void> {
  if (!w) return;
  // Bounded: a hung database must not hang the test run too.
  const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  await bounded(w.browser.close());
  await bounded(w.app.close());
  await bounded(w.db.close());
}

// API answers the tests provoke on purpose (bad input, other village, no session yet): the
// browser logs each failed fetch as a console error, so those are told apart from real errors.
const EXPECTED = /Failed to load resource: the server responded with a status of (400|401|404|409|422)/;

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, except the expected API answers above. */
  errors: string[];
}

export async function openPage(w: World, viewport = { width: 1280, height: 800 }): Promise<Watched> {
  const context = await w.browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  // Generous: in the full suite two test workers, the server and Chromium share two cores.
  page.setDefaultTimeout(30_000);
  return { context, page, errors };
}

export async function logIn(w: World, page: Page, username: string): Promise<void> {
  await page.goto(w.base + '/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Picks an option of one Ant Design Select. Under load a click can land on a dropdown still opening
 * or closing, or before a server search has answered, so each attempt opens the select, fills its
 * search box when `search` (replacing what an earlier attempt typed), clicks the option in the
 * select's own dropdown (found through the search box's aria-controls, not whichever dropdown is
 * visible) and checks that the select now shows it; three attempts.
 */
export async function pickOption(page: Page, select: Locator, option: string, search = false): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await select.click({ timeout: 10_000 });
      const input = select.locator('input');
      if (search) await input.fill(option, { timeout: 10_000 });
      const list = await input.getAttribute('aria-controls', { timeout: 10_000 });
      await page.locator(`.ant-select-dropdown:has([id="${list}"]) .ant-select-item-option`).filter({ hasText: option }).first().click({ timeout: 10_000 });
      await expect.poll(() => select.innerText(), { timeout: 5_000 }).toContain(option);
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}
