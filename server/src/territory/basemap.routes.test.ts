import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { type Polygonal, pointInPolygonal } from './geometry.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

interface BaseFeature {
  id: string;
  properties: { kind: string; code: string; name: string; approximate: boolean; streetCode?: string };
  geometry: { type: string; coordinates: unknown };
}

const SHICHAHAI = '110102012';

async function baseLayer(query = '', headers: Record<string, string> = {}) {
  return env.app.inject({ method: 'GET', url: `/api/territory/basemap${query}`, headers });
}

describe('GET /api/territory/basemap', () => {
  it('serves every street and community as a named outline with a label inside it, and the alleys', async () => {
    const res = await baseLayer();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const features = (res.json() as { features: BaseFeature[] }).features;
    const of = (kind: string) => features.filter((f) => f.properties.kind === kind);

    const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
      code: string;
      name: string;
    }[];
    expect(of('street').map((f) => [f.properties.code, f.properties.name])).toEqual(
      streets.map((s) => [s.code, s.name]),
    );
    const communities = (await env.app.inject({ method: 'GET', url: '/api/territory/communities' })).json();
    expect(of('community')).toHaveLength(communities.length);
    const alleys = (await env.app.inject({ method: 'GET', url: '/api/territory/alleys?limit=1' })).json();
    expect(of('alley')).toHaveLength(alleys.total);
    expect(of('alley').every((f) => f.geometry.type === 'LineString' && f.properties.name)).toBe(true);

    for (const kind of ['street', 'community'] as const) {
      const areas = new Map(of(kind).map((f) => [f.properties.code, f.geometry as Polygonal]));
      const labels = of(`${kind}-label`);
      expect(labels).toHaveLength(areas.size);
      for (const label of labels) {
        const [lng, lat] = label.geometry.coordinates as [number, number];
        expect(pointInPolygonal(areas.get(label.properties.code)!, lng, lat), label.id).toBe(true);
      }
    }
    // The demo city's shapes are generated, and the layer says so.
    expect(features.every((f) => f.properties.approximate)).toBe(true);
  });

  it('carries no personal data: no alley chief name or phone', async () => {
    const list = (
      await env.app.inject({ method: 'GET', url: `/api/territory/alleys?street=${SHICHAHAI}` })
    ).json();
    const detail = (
      await env.app.inject({ method: 'GET', url: `/api/territory/alleys/${list.items[0].id}` })
    ).json();
    expect(detail.chief.name).toBeTruthy();
    expect(detail.chief.phone).toBeTruthy();
    const body = (await baseLayer(`?street=${SHICHAHAI}`)).body;
    expect(body).toContain(detail.name);
    expect(body).not.toContain(detail.chief.name);
    expect(body).not.toContain(detail.chief.phone);
  });

  it('narrows to one street', async () => {
    const features = (await baseLayer(`?street=${SHICHAHAI}`)).json().features as BaseFeature[];
    expect(features.length).toBeGreaterThan(2);
    for (const f of features) {
      const street = f.properties.kind === 'alley' ? f.properties.streetCode : f.properties.code.slice(0, 9);
      expect(street, f.id).toBe(SHICHAHAI);
    }
    expect((await baseLayer('?street=12')).statusCode).toBe(400);
  });

  it('answers 304 to its own ETag, and a new ETag once the territory changes', async () => {
    const first = await baseLayer(`?street=${SHICHAHAI}`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');

    const again = await baseLayer(`?street=${SHICHAHAI}`, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await baseLayer(`?street=${SHICHAHAI}`, { 'if-none-match': `W/${etag}` })).statusCode).toBe(304);
    expect((await baseLayer(`?street=${SHICHAHAI}`, { 'if-none-match': '"other"' })).statusCode).toBe(200);
    // Compressed for a client that accepts it, the same bytes underneath.
    const zipped = await baseLayer(`?street=${SHICHAHAI}`, { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(first.body);
    expect(first.headers['content-encoding']).toBeUndefined();
    // Another scope has another tag.
    expect((await baseLayer()).headers.etag).not.toBe(etag);

    const street = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' }))
      .json()
      .find((s: { code: string }) => s.code === SHICHAHAI) as { center: [number, number] };
    const [lng, lat] = street.center;
    await env.ctx.territory.importTerritory(SYSTEM_ACTOR, {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {
            layer: 'alley',
            id: `${SHICHAHAI}-basemap-test`,
            name: '测试新胡同',
            streetCode: SHICHAHAI,
            alleyType: 'lane',
          },
          geometry: {
            type: 'LineString',
            coordinates: [
              [lng, lat],
              [lng + 0.0008, lat + 0.0002],
            ],
          },
        },
      ],
    });
    const changed = await baseLayer(`?street=${SHICHAHAI}`, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('测试新胡同');
  });
});
