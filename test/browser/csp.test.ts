// The Content-Security-Policy against the real built app in Chromium: pages with Ant Design (inline
// styles), ECharts (canvas) and Swagger UI load without a single CSP violation, logging in through
// the page (a same-origin POST with Origin) passes the cross-origin check, and a page of another
// origin cannot post to the API (403, and no CORS header lets it read the answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, logIn, openPage, stopWorld, startWorld, type Watched, type World } from './harness.js';

const run = browserAvailable();

describe.skipIf(!run)('CSP and same-origin rules in Chromium', () => {
  let w: World;
  let p: Watched;
  const violations: string[] = [];

  beforeAll(async () => {
    w = await startWorld();
    p = await openPage(w);
    await p.page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await p.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
  }, 240_000);

  afterAll(async () => {
    await stopWorld(w);
  });

  it('the app loads, logs in and draws its charts with no CSP violation or console error', async () => {
    const { page } = p;
    await logIn(w, page, w.users.county);
    await page.locator('canvas').first().waitFor();
    for (const path of ['/register', '/measurement', '/calculators']) {
      await page.goto(w.base + path);
      await page.getByTestId('user-menu').waitFor();
      await page.waitForTimeout(500);
    }
    expect(violations).toEqual([]);
    expect(p.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(p.errors).toEqual([]);
  });

  it('Swagger UI works under the same policy', async () => {
    const { page } = p;
    await page.goto(`${w.base}/api/docs/`);
    await page.locator('.swagger-ui .information-container').waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(violations).toEqual([]);
  });

  it('a form on another site cannot post to the API with the session (classic CSRF)', async () => {
    const { page } = p; // signed in above
    // A page of another origin (served by Playwright) with an auto-submitting form aimed at the API.
    await page.route('http://evil.test/**', (route) => route.fulfill({
      contentType: 'text/html',
      body: `<form id="f" method="POST" action="${w.base}/api/v1/auth/logout"></form><script>document.getElementById('f').submit()</script>`,
    }));
    const seen = page.waitForResponse((res) => res.url().endsWith('/api/v1/auth/logout'));
    await page.goto('http://evil.test/');
    const res = await seen;
    expect(res.request().headers()['origin']).toBe('http://evil.test');
    expect(res.status()).toBe(403);
    expect(res.headers()['access-control-allow-origin']).toBeUndefined();
    // Still signed in: the forged logout did nothing.
    await page.goto(w.base + '/');
    await page.getByTestId('user-menu').waitFor();
  });
});
