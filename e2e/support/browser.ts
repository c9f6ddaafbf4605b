import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM = process.env.HUTONG_CHROMIUM ?? '/usr/bin/chromium';
// What CI and a developer machine both need for a quiet, self-contained headless run.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

export function baseUrl(): string {
  return inject('baseUrl');
}

export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1366, height: 900 } };

export interface Session {
  context: BrowserContext;
  page: Page;
  /** A folder of this session's own, removed with it (the browser profile lives inside). */
  folder: string;
  /** Uncaught exceptions in the page: a journey that produces one has failed even if it finished. */
  pageErrors: string[];
  close: () => Promise<void>;
}

/**
 * One browser per person in a journey, each with a fresh profile folder (`--user-data-dir`), so
 * cookies, storage and IndexedDB never leak between the resident, the dispatcher and the others.
 */
export async function launch(options: BrowserContextOptions = DESKTOP): Promise<Session> {
  const folder = await mkdtemp(join(tmpdir(), 'hutong-e2e-'));
  const userDataDir = join(folder, 'profile');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: baseUrl(),
    ...options,
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    folder,
    pageErrors,
    close: async () => {
      await context.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let fonts, images and the last re-render settle so the picture shows the page, not its loading.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

/** antd spaces out two-character Chinese button labels ("立 案"); match the label with or without. */
export function label(text: string): RegExp {
  return new RegExp(`^\\s*${[...text].join('\\s*')}\\s*$`);
}

export async function consoleLogin(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo');
  await page.getByRole('button', { name: label('登录') }).click();
  await page.getByText('我的待办').waitFor();
}

/** Opens a case from the home queue tab that should hold it, by its description. */
export async function openFromQueue(page: Page, tab: string, description: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('tab', { name: new RegExp(tab) }).click();
  const row = page.getByRole('row', { name: new RegExp(description) });
  await row.getByRole('link').click();
  await page.getByText('处理过程').waitFor();
}

/** Fires a case action from the case page: its button, its dialog, then the button of the next step. */
export async function act(page: Page, action: string, fill?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: label(action) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  if (fill) await fill();
  await dialog.getByRole('button', { name: label('确定') }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A small JPEG drawn by the browser itself (a wall, a doorway, a heap), saved in the session's folder. */
export async function makeJpeg(session: Session): Promise<string> {
  const { page } = session;
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.fillStyle = '#9e9e9e';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#6d4c41';
    g.fillRect(120, 60, 80, 140);
    g.fillStyle = '#33691e';
    g.beginPath();
    g.ellipse(230, 215, 70, 30, 0, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL('image/jpeg', 0.85);
  });
  const file = join(session.folder, 'photo.jpg');
  await writeFile(file, Buffer.from(dataUrl.split(',')[1] ?? '', 'base64'));
  return file;
}

export interface StreetInfo {
  code: string;
  name: string;
  center: [number, number];
}

/** A point inside a street, as the API itself says (the demo city is generated). */
export async function streetCentre(code: string): Promise<StreetInfo> {
  const response = await fetch(`${baseUrl()}/api/territory/streets`);
  const streets = (await response.json()) as StreetInfo[];
  const street = streets.find((candidate) => candidate.code === code);
  if (!street) throw new Error(`No street ${code}`);
  return street;
}
