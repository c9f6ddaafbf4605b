import { afterAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  consoleLogin,
  DESKTOP,
  launch,
  PHONE,
  type Session,
  screenshot,
} from './support/browser.ts';

/**
 * With no tile server configured, every map draws the territory's own base layer with names. The
 * labels are checked where MapLibre placed them (its rendered features, through the map handle the
 * web keeps on `window.__hutongMaps` for this), not merely where the data says they could be.
 */
const STREET = '110102001';
const LABEL_LAYERS = [
  'base-street-label',
  'base-community-label',
  'base-alley-label',
  'base-alley-label-major',
];

type Page = Session['page'];

async function renderedLabels(page: Page, map: string, layers: string[]): Promise<string[]> {
  const handle = await page.waitForFunction(
    ({ map, layers }) => {
      const maps = (window as unknown as { __hutongMaps?: Record<string, import('maplibre-gl').Map> })
        .__hutongMaps;
      const instance = maps?.[map];
      if (!instance?.isStyleLoaded() || !instance.areTilesLoaded()) return null;
      const names = instance
        .queryRenderedFeatures({ layers: layers.filter((id) => instance.getLayer(id)) })
        .map((f) => String(f.properties.name));
      return names.length ? [...new Set(names)] : null;
    },
    { map, layers },
    { polling: 250, timeout: 30_000 },
  );
  return (await handle.jsonValue()) as string[];
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, baseUrl()));
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

describe('base map without a tile server', () => {
  const sessions: Session[] = [];
  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  it('names the alleys around the resident pin', async () => {
    const { items } = await getJson<{ items: { id: string; name: string }[] }>(
      `/api/territory/alleys?street=${STREET}&limit=500`,
    );
    const alley = await getJson<{ name: string; geometry: { coordinates: [number, number][] } }>(
      `/api/territory/alleys/${items[0]!.id}`,
    );
    const coords = alley.geometry.coordinates;
    const [longitude, latitude] = coords[Math.floor(coords.length / 2)]!;
    const session = await launch({
      ...PHONE,
      geolocation: { longitude, latitude, accuracy: 10 },
      permissions: ['geolocation'],
    });
    sessions.push(session);
    const { page } = session;
    await page.goto('/r/');
    await page.getByRole('button', { name: '使用我的当前位置' }).click();
    await page.getByTestId('coordinates').waitFor();
    await page.getByRole('button', { name: '在地图上调整位置' }).click();
    await page.locator('.pin-map .maplibregl-canvas').waitFor();

    const names = await renderedLabels(page, 'pin', LABEL_LAYERS);
    // The pin sits on this alley, at a street-level zoom: its name is drawn.
    expect(names).toContain(alley.name);
    await page.locator('.pin-map').scrollIntoViewIfNeeded();
    await screenshot(page, 'resident-pin-map', false);
    expect(session.pageErrors).toEqual([]);
  });

  it('names streets, communities and alleys on the territory map and plots open cases', async () => {
    const session = await launch(DESKTOP);
    sessions.push(session);
    const { page } = session;
    // One open report in the street at least, whatever else the demo holds.
    const streetsFirst =
      await getJson<{ code: string; center: [number, number] }[]>('/api/territory/streets');
    const [lng0, lat0] = streetsFirst.find((s) => s.code === STREET)!.center;
    const filed = await fetch(new URL('/api/public/reports', baseUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: '路边井盖缺失需要处理', lng: lng0 + 0.0006, lat: lat0 + 0.0003 }),
    });
    expect(filed.status).toBe(201);
    await consoleLogin(page, 'demo-street_dispatcher');
    await page.goto(`/territory?street=${STREET}`);
    await page.locator('.maplibregl-canvas').waitFor();

    const streets =
      await getJson<{ code: string; name: string; center: [number, number] }[]>('/api/territory/streets');
    const street = streets.find((s) => s.code === STREET)!;
    const communities = await getJson<{ name: string }[]>(`/api/territory/communities?street=${STREET}`);
    const streetLabels = await renderedLabels(page, 'territory', ['base-street-label']);
    expect(streetLabels).toContain(street.name);

    // The open cases of the dispatcher's street are on the map, as points or clusters.
    const cases = await page.evaluate(async () => {
      const res = await fetch('/api/cases/map');
      return (await res.json()) as { total: number; features: { geometry: { coordinates: number[] } }[] };
    });
    expect(cases.total).toBeGreaterThan(0);
    await page.waitForFunction(() => {
      const m = (window as unknown as { __hutongMaps: Record<string, import('maplibre-gl').Map> })
        .__hutongMaps.territory;
      return (
        !!m && m.queryRenderedFeatures({ layers: ['hutong-case-point', 'hutong-case-cluster'] }).length > 0
      );
    });
    await page.waitForTimeout(500);
    await screenshot(page, 'territory-map');

    // Closer in, the communities are named.
    await page.evaluate((centre) => {
      const m = (window as unknown as { __hutongMaps: Record<string, import('maplibre-gl').Map> })
        .__hutongMaps.territory;
      m?.jumpTo({ center: centre, zoom: 15 });
    }, street.center);
    const communityLabels = await renderedLabels(page, 'territory', ['base-community-label']);
    expect(communityLabels.some((n) => communities.some((c) => c.name === n))).toBe(true);

    // Up close, alleys are named, and a case point opens its case.
    const [lng, lat] = cases.features[0]!.geometry.coordinates as [number, number];
    await page.evaluate(
      ({ lng, lat }) => {
        const m = (window as unknown as { __hutongMaps: Record<string, import('maplibre-gl').Map> })
          .__hutongMaps.territory;
        m?.jumpTo({ center: [lng, lat], zoom: 17 });
      },
      { lng, lat },
    );
    const alleyLabels = await renderedLabels(page, 'territory', [
      'base-alley-label',
      'base-alley-label-major',
    ]);
    const { items } = await getJson<{ items: { name: string }[] }>(
      `/api/territory/alleys?street=${STREET}&limit=500`,
    );
    expect(alleyLabels.filter((n) => items.some((a) => a.name === n)).length).toBeGreaterThan(0);

    // Up close the case is its own point, not a cluster, carrying the id a click opens.
    const ids = await page.waitForFunction(() => {
      const m = (window as unknown as { __hutongMaps: Record<string, import('maplibre-gl').Map> })
        .__hutongMaps.territory;
      const found = m?.queryRenderedFeatures({ layers: ['hutong-case-point'] }) ?? [];
      return found.length ? found.map((f) => String(f.properties.id)) : null;
    });
    expect(await ids.jsonValue()).toContain((cases.features[0] as unknown as { id: string }).id);

    expect(session.pageErrors).toEqual([]);
  });
});
