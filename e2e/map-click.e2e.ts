import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, consoleLogin, DESKTOP, launch, type Session } from './support/browser.ts';

/**
 * A click on an open case drawn on the territory map opens that case; a click on a cluster zooms in.
 * The map instance is reached through the test-only handle `window.__hutongMaps` (registered only in
 * an automated browser), projected where the case is drawn, and clicked with the real mouse.
 *
 * The map is the last card of the territory page, about 2,300 px down a 900-px window: a mouse
 * click at a projected point below the fold reaches no element, which is why earlier attempts never
 * navigated. The canvas is scrolled into view first, and the element at the point is checked to be
 * the canvas before the click.
 */
const STREET = '110102001';
const POINT_LAYER = 'hutong-case-point';
const CLUSTER_LAYER = 'hutong-case-cluster';
const CASE_SOURCE = 'hutong-cases';

type Page = Session['page'];
type MapWindow = { __hutongMaps?: Record<string, import('maplibre-gl').Map> };

/** Waits until the territory map has drawn everything it was asked to: style, case source, idle. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    (source) => {
      const m = (window as unknown as MapWindow).__hutongMaps?.territory;
      return !!m && m.isStyleLoaded() && !!m.getSource(source) && m.isSourceLoaded(source) && !m.isMoving();
    },
    CASE_SOURCE,
    { polling: 100, timeout: 30_000 },
  );
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const m = (window as unknown as MapWindow).__hutongMaps!.territory!;
        // `idle` fires once nothing is loading, animating or waiting to be drawn; a map already idle
        // may not fire it again, so a repaint is asked for.
        m.once('idle', () => done());
        m.triggerRepaint();
      }),
  );
}

/** Where, in page coordinates, a rendered feature of `layer` near the map's centre is drawn. */
async function drawnAt(page: Page, layer: string, id?: string) {
  return page.evaluate(
    ({ layer, id }) => {
      const m = (window as unknown as MapWindow).__hutongMaps!.territory!;
      const found = m
        .queryRenderedFeatures({ layers: [layer] })
        .filter((f) => f.geometry.type === 'Point' && (!id || f.properties.id === id));
      const [hit] = found;
      if (hit?.geometry.type !== 'Point') return null;
      // `project` answers in CSS pixels from the canvas' top-left corner, whatever the pixel ratio.
      const at = m.project(hit.geometry.coordinates as [number, number]);
      const box = m.getCanvas().getBoundingClientRect();
      return {
        x: box.left + at.x,
        y: box.top + at.y,
        id: String(hit.properties.id ?? ''),
        zoom: m.getZoom(),
        inside: at.x >= 0 && at.y >= 0 && at.x <= box.width && at.y <= box.height,
      };
    },
    { layer, id },
  );
}

/** The map's canvas is what the mouse would hit there: in the viewport, under no overlay. */
function canvasAt(page: Page, at: { x: number; y: number }): Promise<boolean> {
  return page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.classList.contains('maplibregl-canvas') ?? false,
    at,
  );
}

describe('territory map clicks', () => {
  const sessions: Session[] = [];
  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  it('opens the case whose point is clicked, after a cluster click zoomed in', async () => {
    const streets = (await (await fetch(new URL('/api/territory/streets', baseUrl()))).json()) as {
      code: string;
      center: [number, number];
    }[];
    const [lng0, lat0] = streets.find((s) => s.code === STREET)!.center;
    // Two open reports a few metres apart: one cluster at street zoom, two points up close.
    for (const [dx, dy] of [
      [0.0004, 0.0002],
      [0.0005, 0.00025],
    ] as const) {
      const filed = await fetch(new URL('/api/public/reports', baseUrl()), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ description: '路边井盖松动需要处理', lng: lng0 + dx, lat: lat0 + dy }),
      });
      expect(filed.status).toBe(201);
    }

    const session = await launch(DESKTOP);
    sessions.push(session);
    const { page } = session;
    await consoleLogin(page, 'demo-street_dispatcher');
    const cases = await page.evaluate(async () => {
      const res = await fetch('/api/cases/map');
      return (await res.json()) as {
        features: { properties: { id: string; caseNumber: string }; geometry: { coordinates: number[] } }[];
      };
    });
    const target = cases.features[0]!;
    const [lng, lat] = target.geometry.coordinates as [number, number];

    await page.goto(`/territory?street=${STREET}`);
    // The map is the last card of the page, below the street and alley tables: a click at a point
    // outside the viewport reaches nothing, so the map is brought into view first.
    await page.locator('.maplibregl-canvas').waitFor();
    await page.locator('.maplibregl-canvas').scrollIntoViewIfNeeded();
    await settled(page);

    // At street zoom the case sits in a cluster; a click on it zooms in.
    await page.evaluate(
      ({ lng, lat }) => {
        (window as unknown as MapWindow).__hutongMaps!.territory!.jumpTo({ center: [lng, lat], zoom: 12 });
      },
      { lng, lat },
    );
    await settled(page);
    const cluster = await drawnAt(page, CLUSTER_LAYER);
    expect(cluster?.inside).toBe(true);
    expect(await canvasAt(page, cluster!)).toBe(true);
    await page.mouse.click(cluster!.x, cluster!.y);
    await page.waitForFunction(
      (before) => (window as unknown as MapWindow).__hutongMaps!.territory!.getZoom() > before + 0.5,
      cluster!.zoom,
      { timeout: 15_000 },
    );

    // Up close the case is a point of its own: a click on it opens it.
    await page.evaluate(
      ({ lng, lat }) => {
        (window as unknown as MapWindow).__hutongMaps!.territory!.jumpTo({ center: [lng, lat], zoom: 18 });
      },
      { lng, lat },
    );
    await settled(page);
    const point = await drawnAt(page, POINT_LAYER, target.properties.id);
    expect(point).not.toBeNull();
    expect(point!.inside).toBe(true);
    expect(await canvasAt(page, point!)).toBe(true);
    await page.mouse.click(point!.x, point!.y);
    await page.waitForURL(`**/cases/${encodeURIComponent(target.properties.id)}`, { timeout: 20_000 });
    await page.getByText(target.properties.caseNumber).first().waitFor();
    expect(session.pageErrors).toEqual([]);
  });
});
