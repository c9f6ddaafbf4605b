import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classificationRoutes } from './classification.routes.ts';
import { defaultFeatureOptions } from './features.ts';
import { ModelRegistry } from './model-registry.ts';
import { syntheticReports } from './test-fixtures.ts';
import { defaultTrainingOptions, trainClassifier } from './training.ts';

let dir: string;
let app: FastifyInstance;
let registry: ModelRegistry;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hutong-classify-'));
  registry = new ModelRegistry(dir);
  app = Fastify();
  await app.register(classificationRoutes, { registry });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('POST /api/classify', () => {
  it('answers 503 while no model is active', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/classify', payload: { text: '井盖丢了' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('CLASSIFIER_UNAVAILABLE');
  });

  it('returns the active model version and the top-k suggestions', async () => {
    const { model } = trainClassifier(
      syntheticReports(15, 1),
      {
        ...defaultTrainingOptions,
        features: { ...defaultFeatureOptions, hashBits: 14 },
        folds: 0,
        innerFolds: 0,
      },
      { now: new Date('2026-11-22T00:00:00Z') },
    );
    await registry.add(model);
    await registry.activate(model.version);

    const res = await app.inject({
      method: 'POST',
      url: '/api/classify',
      payload: { text: '光明胡同口堆了一堆装修垃圾好几天没人管', k: 2 },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.modelVersion).toBe(model.version);
    expect(body.suggestions).toHaveLength(2);
    expect(body.suggestions[0].label).toBe('garbage');
    expect(body.suggestions[0].probability).toBeGreaterThan(body.suggestions[1].probability);

    const three = await app.inject({
      method: 'POST',
      url: '/api/classify',
      payload: { text: '半夜施工噪音太大' },
    });
    expect(three.json().suggestions.map((s: { label: string }) => s.label)).toEqual(
      expect.arrayContaining(['noise']),
    );
    expect(three.json().suggestions).toHaveLength(3);
  });

  it('rejects an empty text or a bad k with 400', async () => {
    for (const payload of [{ text: '   ' }, { text: '井盖', k: 0 }, { k: 2 }, { text: 5 }]) {
      const res = await app.inject({ method: 'POST', url: '/api/classify', payload });
      expect(res.statusCode).toBe(400);
    }
  });
});
