import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { AppError } from '../shared/errors.ts';
import type { TerritoryFeature, TerritoryFeatureCollection } from './territory.schema.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});

const box = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

/** A tiny district: one street split into two communities of two grids each, and two alleys. */
function sampleTerritory(): TerritoryFeatureCollection {
  const f = (properties: TerritoryFeature['properties'], geometry: unknown): TerritoryFeature => ({
    type: 'Feature',
    properties,
    geometry,
  });
  return {
    type: 'FeatureCollection',
    features: [
      f({ layer: 'district', code: '990001', name: '样例区' }, box(116, 39, 116.02, 39.02)),
      f({ layer: 'street', code: '990001001', name: '样例街道' }, box(116, 39, 116.02, 39.02)),
      f({ layer: 'community', code: '990001001001', name: '东社区' }, box(116.01, 39, 116.02, 39.02)),
      f({ layer: 'community', code: '990001001002', name: '西社区' }, box(116, 39, 116.01, 39.02)),
      f({ layer: 'grid', code: '990001001001001' }, box(116.01, 39.01, 116.02, 39.02)),
      f({ layer: 'grid', code: '990001001001002' }, box(116.01, 39, 116.02, 39.01)),
      f({ layer: 'grid', code: '990001001002001' }, box(116, 39.01, 116.01, 39.02)),
      f({ layer: 'grid', code: '990001001002002' }, box(116, 39, 116.01, 39.01)),
      f(
        {
          layer: 'alley',
          id: 'sample-1',
          name: '样例胡同',
          streetCode: '990001001',
          communityCode: '990001001002',
          alleyType: 'lane',
          currentTier: 'fine',
          targetTier: 'exemplary',
          chief: { name: '王巷长', title: '副科长', phone: '010-60000000' },
          checklist: { haves: { representative: true }, nots: { piled_materials: false } },
          cultureNote: '清代已有此巷',
        },
        {
          type: 'LineString',
          coordinates: [
            [116.001, 39.015],
            [116.005, 39.0152],
            [116.009, 39.0149],
          ],
        },
      ),
      f(
        {
          layer: 'alley',
          id: 'sample-2',
          name: '样例大街',
          streetCode: '990001001',
          communityCode: '990001001001',
          alleyType: 'major_street',
          approximate: true,
        },
        {
          type: 'LineString',
          coordinates: [
            [116.011, 39.005],
            [116.019, 39.005],
          ],
        },
      ),
    ],
  };
}

const byKey = (fc: TerritoryFeatureCollection) =>
  Object.fromEntries(
    fc.features.map((x) => [`${x.properties.layer}:${x.properties.code ?? x.properties.id}`, x]),
  );

describe('territory import and export', () => {
  it('imports a valid file and exports the same features again', async () => {
    const input = sampleTerritory();
    const report = await env.ctx.territory.importTerritory(SYSTEM_ACTOR, input);
    expect(report.imported).toEqual({ district: 1, street: 1, community: 2, grid: 4, alley: 2 });
    const exported = await env.ctx.territory.exportTerritory();
    expect(byKey(exported)).toEqual(byKey(input));
    // Re-importing the export changes nothing.
    await env.ctx.territory.importTerritory(SYSTEM_ACTOR, exported);
    expect(byKey(await env.ctx.territory.exportTerritory())).toEqual(byKey(input));
  });

  it('computes alley length, grids and community from the geometry', async () => {
    const alley = await env.ctx.territory.getAlley(null, 'sample-1');
    expect(alley.lengthM).toBeGreaterThan(690);
    expect(alley.lengthM).toBeLessThan(700);
    expect(alley.gridCodes).toEqual(['990001001002001']);
    const located = await env.ctx.territory.locate(116.0051, 39.0151);
    expect(located).toMatchObject({
      street: { code: '990001001' },
      grid: { code: '990001001002001' },
      alley: { id: 'sample-1' },
    });
  });

  it('reports every faulty feature with its field and imports nothing from that file', async () => {
    const before = await env.ctx.territory.exportTerritory();
    const bad = sampleTerritory();
    bad.features.push(
      {
        type: 'Feature',
        properties: { layer: 'community', code: '990001002001', name: '孤儿社区' },
        geometry: box(116, 39, 116.001, 39.001),
      },
      {
        type: 'Feature',
        properties: { layer: 'grid', code: '99000100100' },
        geometry: box(116, 39, 116.001, 39.001),
      },
      {
        type: 'Feature',
        properties: { layer: 'alley', name: '坏胡同', streetCode: '990001001', alleyType: 'alley' },
        geometry: { type: 'LineString', coordinates: [[116, 39]] },
      },
      {
        type: 'Feature',
        properties: { layer: 'street', code: '990001003', name: '开口街道' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [116, 39],
              [116.1, 39],
              [116.1, 39.1],
              [116, 39.2],
            ],
          ],
        },
      },
    );
    bad.features[1]!.properties.name = '改过的名字';
    let err: unknown;
    try {
      await env.ctx.territory.importTerritory(SYSTEM_ACTOR, bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const features = (err as AppError).details.features as {
      index: number;
      errors: { field: string; message: string }[];
    }[];
    const fieldsOf = (i: number) => features.find((f) => f.index === i)?.errors.map((e) => e.field);
    expect(fieldsOf(10)).toEqual(['properties.code']);
    expect(fieldsOf(11)).toEqual(['properties.code']);
    expect(fieldsOf(12)).toEqual(expect.arrayContaining(['properties.alleyType', 'geometry.coordinates']));
    expect(fieldsOf(13)).toEqual(['geometry.coordinates.0']);
    // Nothing of the file went in: not even the renamed street.
    expect(await env.ctx.territory.exportTerritory()).toEqual(before);
  });

  it('imports the valid features and skips the faulty ones and their children when asked', async () => {
    const input: TerritoryFeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { layer: 'street', code: '990001004', name: '' },
          geometry: box(116, 39, 116.001, 39.001),
        },
        {
          type: 'Feature',
          properties: { layer: 'community', code: '990001004001', name: '跟着被跳过' },
          geometry: box(116, 39, 116.001, 39.001),
        },
        {
          type: 'Feature',
          properties: { layer: 'community', code: '990001001003', name: '新社区' },
          geometry: box(116, 39, 116.001, 39.001),
        },
      ],
    };
    const report = await env.ctx.territory.importTerritory(SYSTEM_ACTOR, input, { skipInvalid: true });
    expect(report.imported.community).toBe(1);
    expect(report.skipped).toBe(2);
    expect(report.features.map((f) => f.index)).toEqual([0, 1]);
    const communities = await env.ctx.territory.listCommunities('990001001');
    expect(communities.map((c) => c.name)).toContain('新社区');
  });

  it('refuses something that is not a FeatureCollection', async () => {
    await expect(env.ctx.territory.importTerritory(SYSTEM_ACTOR, { type: 'Feature' })).rejects.toMatchObject({
      code: 'INVALID_GEOJSON',
    });
  });
});
