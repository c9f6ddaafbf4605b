import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  consoleLogin,
  DESKTOP,
  launch,
  makeJpeg,
  PHONE,
  type Session,
  streetCentre,
} from './support/browser.ts';

/**
 * The console, the resident page and the API documentation run under the server's
 * Content-Security-Policy in Chromium without a single violation: every page below is opened, its maps
 * drawn and a photo previewed, and any report of a blocked script, style, image, worker or connection
 * fails the test.
 */
describe('the pages under the content security policy', () => {
  const sessions: Session[] = [];

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  /** Collects violations as the page reports them (DOM events) and as Chromium logs them (workers too). */
  async function watched(options = DESKTOP): Promise<{ session: Session; violations: string[] }> {
    const session = await launch(options);
    sessions.push(session);
    const violations: string[] = [];
    await session.context.exposeFunction('__cspViolation', (text: string) => violations.push(text));
    await session.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(
          `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
        );
      });
    });
    const onConsole = (page: Page) =>
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
    onConsole(session.page);
    session.context.on('page', onConsole);
    return { session, violations };
  }

  it('sends the policy with the pages', async () => {
    for (const path of ['/', '/login', '/r/', '/api/docs']) {
      const res = await fetch(`${baseUrl()}${path}`);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('lets the console run: dashboard and its map, case list, a case with its map, hot issues', async () => {
    const street = await streetCentre('110102001');
    const filed = await fetch(`${baseUrl()}/api/public/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-csp-${Date.now()}` },
      body: JSON.stringify({
        description: 'e2e 内容安全策略检查',
        lng: street.center[0],
        lat: street.center[1],
      }),
    });
    expect(filed.status).toBe(201);
    const { caseNumber } = (await filed.json()) as { caseNumber: string };

    const { session, violations } = await watched();
    const { page } = session;
    await consoleLogin(page, 'demo-district_admin');
    await page.getByTestId('dashboard').waitFor();
    await page.getByRole('region', { name: '问题热点地图，点击六边形查看案件' }).waitFor();
    await page.waitForSelector('canvas.maplibregl-canvas');
    await page.goto('/cases');
    await page.getByText('e2e 内容安全策略检查').first().waitFor();
    await page.goto(`/cases/${caseNumber}`);
    await page.getByRole('region', { name: '位置' }).waitFor();
    await page.waitForSelector('canvas.maplibregl-canvas');
    await page.goto('/hot-issues');
    await page.getByRole('region', { name: '热点问题地图' }).waitFor();
    await page.goto('/territory');
    await page.waitForLoadState('networkidle');
    // Give the map workers time to start and report.
    await page.waitForTimeout(1_000);
    expect(violations).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });

  it('lets the resident page take a photo and show its preview', async () => {
    const { session, violations } = await watched(PHONE);
    const { page } = session;
    await page.goto('/r/');
    await page.getByRole('heading', { name: '上报问题' }).waitFor();
    const photo = await makeJpeg(session);
    await page.getByLabel('拍照或选择照片').setInputFiles(photo);
    await expect(page.getByRole('img', { name: '待上传照片 1' }).isVisible()).resolves.toBe(true);
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });

  it('lets the API documentation run', async () => {
    const { session, violations } = await watched();
    const { page } = session;
    await page.goto('/api/docs');
    await page.locator('.swagger-ui .info').waitFor();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });
});
