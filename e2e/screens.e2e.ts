import { afterAll, describe, it } from 'vitest';
import { consoleLogin, DESKTOP, launch, PHONE, type Session, screenshot } from './support/browser.ts';

const ALLEY = '110102001-0004';

/** The remaining main pages, for docs/screenshots: territory map, alley registry, board and poster. */
describe('main pages render', () => {
  const sessions: Session[] = [];

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  it('shows the territory map and an alley registry entry in the console', async () => {
    const session = await launch(DESKTOP);
    sessions.push(session);
    const { page } = session;
    await consoleLogin(page, 'demo-street_dispatcher');
    await page.goto('/territory?street=110102001');
    await page.locator('.maplibregl-canvas').waitFor();
    await page
      .getByRole('cell', { name: /胡同|街|巷/ })
      .first()
      .waitFor();
    // MapLibre draws asynchronously; give it a moment to draw the layers it was given.
    await page.waitForTimeout(1500);
    await screenshot(page, 'territory-map');

    await page.goto(`/territory/alleys/${ALLEY}`);
    await page.getByText('街巷台账').first().waitFor();
    await screenshot(page, 'alley-registry');
  });

  it('shows the public alley board on a phone and its printable poster', async () => {
    const phone = await launch(PHONE);
    sessions.push(phone);
    await phone.page.goto(`/r/alley/${ALLEY}`);
    await phone.page.getByRole('heading', { name: '十有十无' }).waitFor();
    await phone.page.getByRole('link', { name: /拨打街巷长/ }).waitFor();
    await phone.page.getByTestId('case-counts').waitFor();
    await screenshot(phone.page, 'alley-board');

    const desk = await launch({ viewport: { width: 794, height: 1123 } });
    sessions.push(desk);
    await desk.page.goto(`/r/alley/${ALLEY}/poster`);
    await desk.page.getByRole('img', { name: /公示牌二维码/ }).waitFor();
    // The poster as it prints: the page's print stylesheet, on A4 proportions.
    await desk.page.emulateMedia({ media: 'print' });
    await screenshot(desk.page, 'alley-poster');
  });
});
