import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { classificationRepository } from './classification.repository.ts';
import { ClassificationService } from './classification.service.ts';
import type { LabelledText } from './dataset.ts';
import { defaultFeatureOptions } from './features.ts';
import type { ModelFile } from './model-file.ts';
import { ModelRegistry } from './model-registry.ts';
import { syntheticReports } from './test-fixtures.ts';
import { defaultTrainingOptions, trainClassifier } from './training.ts';

/**
 * The classifier inside the running server: `/api/classify` for anyone, model management for
 * administrators, hot swap without a restart, a suggestion stored at intake, a label recorded at filing,
 * and the retraining policy (a candidate is kept only if it beats the active model on held-out labels).
 */

// Which labels are held out depends on a hash of their case's id. Ids are random in the product; here
// they come from a counter, so that the held-out part, and the scores the retraining policy compares,
// are the same on every run.
vi.mock(import('../shared/ids.ts'), async (importOriginal) => {
  const real = await importOriginal();
  let next = 0;
  return { ...real, newId: (prefix: string) => `${prefix}_${(++next).toString(16).padStart(32, '0')}` };
});

// Keys of the demo taxonomy (the national catalogue) for the three synthetic classes.
const KEYS: Record<string, string> = {
  garbage: 'event:06011',
  noise: 'event:08001',
  parking: 'event:09009',
};

function taxonomyReports(perClass: number, seed: number): LabelledText[] {
  return syntheticReports(perClass, seed).map((s) => ({ ...s, label: KEYS[s.label]! }));
}

function smallModel(samples: LabelledText[], now: string): ModelFile {
  return trainClassifier(
    samples,
    {
      ...defaultTrainingOptions,
      features: { ...defaultFeatureOptions, hashBits: 14 },
      folds: 0,
      innerFolds: 0,
    },
    { now: new Date(now) },
  ).model;
}

let env: TestEnv;
let admin: Session;
let dispatcher: Session;
let point: [number, number];
let first: ModelFile;
let second: ModelFile;

beforeAll(async () => {
  env = await createTestEnv();
  admin = await login(env.app, 'demo-district_admin');
  dispatcher = await login(env.app, 'demo-street_dispatcher');
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((x) => x.code === '110102001')!.center;
  first = smallModel(taxonomyReports(12, 1), '2026-11-01T00:00:00Z');
  second = smallModel(taxonomyReports(12, 2), '2026-11-02T00:00:00Z');
});
afterAll(async () => {
  await env?.close();
});

const classify = (payload: unknown, headers: Record<string, string> = {}) =>
  env.app.inject({ method: 'POST', url: '/api/classify', payload: payload as object, headers });

async function report(description: string): Promise<{ caseNumber: string }> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    payload: { description, lng: point[0], lat: point[1] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function caseView(caseNumber: string) {
  const res = await env.app.inject({
    method: 'GET',
    url: `/api/cases/${caseNumber}`,
    headers: dispatcher.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return (body.case ?? body) as {
    id: string;
    suggestion: { key: string; confidence: number; model: string } | null;
  };
}

describe('POST /api/classify in the server', () => {
  it('answers 503 in the error shape while no model is active, and intake files without a suggestion', async () => {
    const res = await classify({ text: '井盖丢了' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: { code: 'CLASSIFIER_UNAVAILABLE', message: expect.any(String), details: {} },
    });
    const { caseNumber } = await report('胡同口的井盖丢了一个');
    expect((await caseView(caseNumber)).suggestion).toBeNull();
  });

  it('validates the body and bounds its size', async () => {
    const empty = await classify({ text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details.fields[0].field).toBe('text');
    expect((await classify({ text: '井盖', k: 0 })).json().error.details.fields[0].field).toBe('k');
    const huge = await classify({ text: '垃圾'.repeat(20_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets only district and system administrators manage models', async () => {
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/classifier/models' });
    expect(anonymous.statusCode).toBe(401);
    const street = await env.app.inject({
      method: 'GET',
      url: '/api/classifier/models',
      headers: dispatcher.headers,
    });
    expect(street.json().error.code).toBe('FORBIDDEN');
    const retrain = await env.app.inject({
      method: 'POST',
      url: '/api/classifier/retrain',
      headers: dispatcher.headers,
    });
    expect(retrain.json().error.code).toBe('FORBIDDEN');
    // Without a cookie or a token nobody is trusted: no training run starts and no model file appears.
    const anonymousRetrain = await env.app.inject({ method: 'POST', url: '/api/classifier/retrain' });
    expect(anonymousRetrain.statusCode).toBe(401);
    expect(anonymousRetrain.json().error.code).toBe('UNAUTHENTICATED');
    expect(await env.ctx.classification.registry.list()).toEqual([]);
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/classifier/models',
      headers: admin.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [] });
  });

  it('serves a newly activated model from the next request on, and rolls back, without a restart', async () => {
    await env.ctx.classification.registry.add(first);
    await env.ctx.classification.registry.add(second);
    const activate = (version: string) =>
      env.app.inject({
        method: 'POST',
        url: `/api/classifier/models/${version}/activate`,
        headers: admin.headers,
      });
    expect((await activate('no-such-model')).statusCode).toBe(404);

    const one = await activate(first.version);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({ version: first.version, active: true });
    // Anonymous, as from the resident page.
    const a = await classify({ text: '半夜施工噪音太大吵得睡不着', k: 2 });
    expect(a.statusCode).toBe(200);
    expect(a.json().modelVersion).toBe(first.version);
    expect(a.json().suggestions).toHaveLength(2);
    expect(a.json().suggestions[0]).toMatchObject({ label: KEYS.noise, name: expect.any(String) });

    expect((await activate(second.version)).statusCode).toBe(200);
    expect((await classify({ text: '半夜施工噪音太大' })).json().modelVersion).toBe(second.version);

    const back = await env.app.inject({
      method: 'POST',
      url: '/api/classifier/rollback',
      headers: admin.headers,
    });
    expect(back.json()).toMatchObject({ version: first.version, active: true });
    expect((await classify({ text: '半夜施工噪音太大' })).json().modelVersion).toBe(first.version);
  });

  it('stores the suggestion at intake and records the filing, corrected or not, as a label', async () => {
    const { caseNumber } = await report('光明胡同半夜施工噪音太大吵得睡不着');
    const filed = await caseView(caseNumber);
    expect(filed.suggestion).toMatchObject({ key: KEYS.noise, model: first.version });
    expect(filed.suggestion!.confidence).toBeGreaterThan(0);
    expect(filed.suggestion!.confidence).toBeLessThanOrEqual(1);

    // The dispatcher corrects the suggestion when filing.
    const accept = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${caseNumber}/actions/accept`,
      headers: dispatcher.headers,
      payload: { categoryKey: KEYS.parking },
    });
    expect(accept.statusCode, accept.body).toBe(200);
    const labels = await classificationRepository(env.ctx.db).labelsOfCase(filed.id);
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({
      case_id: filed.id,
      district_code: '110102',
      text: '光明胡同半夜施工噪音太大吵得睡不着',
      final_key: KEYS.parking,
      suggested_key: KEYS.noise,
      model_version: first.version,
      actor_role: 'street_dispatcher',
    });
    expect(labels[0]!.actor_user_id).toEqual(expect.any(String));
    // A case that was not filed gives no label.
    const other = await report('小区门口乱停车，堵住了路口');
    expect(
      await classificationRepository(env.ctx.db).labelsOfCase((await caseView(other.caseNumber)).id),
    ).toEqual([]);
  });

  it('files a report even when the classifier fails', async () => {
    const service = env.ctx.classification;
    const original = service.suggest;
    let failures = 0;
    const originalFailed = service.failed;
    service.suggest = async () => {
      throw new Error('the model broke');
    };
    service.failed = () => {
      failures++;
    };
    try {
      const { caseNumber } = await report('垃圾桶满了溢出来好几天没人清理');
      expect((await caseView(caseNumber)).suggestion).toBeNull();
      expect(failures).toBe(1);
    } finally {
      service.suggest = original;
      service.failed = originalFailed;
    }
  });

  it('documents the routes in OpenAPI', async () => {
    const spec = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.paths['/api/classify'].post.responses).toHaveProperty('503');
    expect(spec.paths['/api/classifier/retrain'].post).toBeDefined();
    expect(spec.paths['/api/classifier/models/{version}/activate'].post).toBeDefined();
  });
});

describe('retraining from confirmed labels', () => {
  let dir: string;
  let service: ClassificationService;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hutong-retrain-'));
    service = new ClassificationService(env.ctx.db, new ModelRegistry(dir, { clock: env.clock }), env.clock, {
      trainer: 'inline',
      taxonomyModel: { sentencesPerTerm: 1 },
      heldOutPercent: 50,
      minHeldOut: 3,
    });
    // Filed cases with dispatcher-confirmed labels: about half are held out, by case id.
    const samples = taxonomyReports(12, 7);
    for (const s of samples) {
      const { result } = await env.ctx.cases.intake(null, {
        channel: 'resident',
        description: s.text,
        lng: point[0],
        lat: point[1],
        crs: 'wgs84',
      });
      await service.onCategoryConfirmed(env.ctx.db, {
        caseId: result.id,
        districtCode: '110102',
        text: s.text,
        finalKey: s.label,
        suggestedKey: null,
        suggestedConfidence: null,
        suggestedModel: null,
        actorUserId: 'u-test',
        actorRole: 'street_dispatcher',
        at: env.clock.now(),
      });
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('activates the first model, then keeps the active one unless a candidate beats it on held-out labels', async () => {
    const labels = await classificationRepository(env.ctx.db).confirmedLabels();
    const heldOut = labels.filter((l) => service.isHeldOut(l.caseId)).length;
    expect(heldOut).toBeGreaterThanOrEqual(3);

    const initial = await service.retrain(SYSTEM_ACTOR);
    expect(initial).toMatchObject({ activated: true, previous: null, heldOutLabels: heldOut });
    expect(initial.trainingLabels + initial.heldOutLabels).toBe(labels.length);
    expect(service.registry.current()!.version).toBe(initial.candidate);

    // A model that knows none of the taxonomy's keys loses to any candidate.
    const unrelated = smallModel(syntheticReports(10, 3), '2026-11-03T00:00:00Z');
    await service.registry.add(unrelated);
    await service.registry.activate(unrelated.version);
    const better = await service.retrain(SYSTEM_ACTOR);
    expect(better.activated).toBe(true);
    expect(better.previousScore!.macroF1).toBe(0);
    expect(better.candidateScore!.macroF1).toBeGreaterThan(0.5);
    expect(service.registry.current()!.version).toBe(better.candidate);

    // The same data and parameters trained later give the same weights: a tie keeps the active model.
    env.clock.advance(60_000);
    const tie = await service.retrain(SYSTEM_ACTOR);
    expect(tie.candidate).not.toBe(better.candidate);
    expect(tie.activated).toBe(false);
    expect(tie.reason).toMatch(/does not beat/);
    expect(tie.candidateScore).toEqual(tie.previousScore);
    expect(service.registry.current()!.version).toBe(better.candidate);
    // The candidate is stored all the same, for an administrator to inspect or activate.
    expect((await service.registry.list()).map((m) => m.version)).toContain(tie.candidate);
  }, 120_000);

  it('trains the default model at the first start and loads it at the next', async () => {
    const modelsDir = await mkdtemp(path.join(tmpdir(), 'hutong-start-'));
    try {
      const options = { trainer: 'inline' as const, taxonomyModel: { sentencesPerTerm: 1 } };
      const firstStart = new ClassificationService(
        env.ctx.db,
        new ModelRegistry(modelsDir, { clock: env.clock }),
        env.clock,
        options,
      );
      await firstStart.start();
      const trained = firstStart.registry.current()!.version;
      expect(await firstStart.suggest('半夜施工噪音太大吵得睡不着')).toMatchObject({ model: trained });

      const secondStart = new ClassificationService(
        env.ctx.db,
        new ModelRegistry(modelsDir, { clock: env.clock }),
        env.clock,
        options,
      );
      env.clock.advance(60_000);
      await secondStart.start();
      expect(secondStart.registry.current()!.version).toBe(trained);
      expect(await secondStart.registry.list()).toHaveLength(1);
    } finally {
      await rm(modelsDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('does not replace the active model when there are too few held-out labels to judge', async () => {
    const strict = new ClassificationService(env.ctx.db, service.registry, env.clock, {
      trainer: 'inline',
      taxonomyModel: { sentencesPerTerm: 1, seed: 7 },
      heldOutPercent: 50,
      minHeldOut: 10_000,
      keepCandidates: 1,
    });
    const active = service.registry.current()!.version;
    const kept = await strict.retrain(SYSTEM_ACTOR);
    expect(kept.activated).toBe(false);
    expect(kept.reason).toMatch(/held-out labels; at least 10000/);
    expect(service.registry.current()!.version).toBe(active);
    // Older candidates (the earlier test's tie) are deleted; the active model, the rollback targets and
    // this candidate stay.
    const pointer = await service.registry.readPointer();
    const stored = (await service.registry.list()).map((m) => m.version);
    expect(stored).toContain(kept.candidate);
    expect(
      stored.filter((v) => v !== kept.candidate && v !== active && !pointer.history.includes(v)),
    ).toEqual([]);
    expect(stored.length).toBeLessThan(2 + pointer.history.length + 1);
  }, 120_000);

  it('retrains over HTTP in a child process, keeping the server responsive', async () => {
    let retrained = false;
    const pending = env.app
      .inject({ method: 'POST', url: '/api/classifier/retrain', headers: admin.headers })
      .then((r) => {
        retrained = true;
        return r;
      });
    // Training takes seconds in the child; a classification meanwhile is answered at once.
    const during = await classify({ text: '井盖丢了' });
    expect(during.statusCode).toBe(200);
    expect(retrained).toBe(false);
    const res = await pending;
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.taxonomyEntries).toBeGreaterThan(100);
    // The server's registry has an active model (the hot-swap test's), and too few held-out labels
    // to judge a candidate by, so the candidate is stored but not activated.
    expect(body).toMatchObject({ activated: false, previous: first.version, active: first.version });
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/classifier/models',
      headers: admin.headers,
    });
    expect(list.json().items.map((m: { version: string }) => m.version)).toContain(body.candidate);
  }, 180_000);

  it('neither trains nor scores on the generated descriptions of camera cases', async () => {
    const repo = classificationRepository(env.ctx.db);
    const before = await repo.confirmedLabels();
    // Enough camera cases that, were they counted, some would fall on each side of the held-out split.
    const cameraIds: string[] = [];
    for (const [i, s] of taxonomyReports(4, 11).entries()) {
      const { result } = await env.ctx.cases.intake(null, {
        channel: 'camera',
        description: `摄像头识别：${s.text}`,
        lng: point[0],
        lat: point[1],
        crs: 'wgs84',
      });
      cameraIds.push(result.id);
      await service.onCategoryConfirmed(env.ctx.db, {
        caseId: result.id,
        districtCode: '110102',
        text: `摄像头识别：${s.text}`,
        finalKey: s.label,
        suggestedKey: null,
        suggestedConfidence: null,
        suggestedModel: null,
        actorUserId: 'u-test',
        actorRole: i % 2 === 0 ? 'street_dispatcher' : 'district_admin',
        at: env.clock.now(),
      });
    }
    expect(cameraIds.some((id) => service.isHeldOut(id))).toBe(true);
    expect(cameraIds.some((id) => !service.isHeldOut(id))).toBe(true);
    // The confirmation is still on record for the case's audit.
    expect(await repo.labelsOfCase(cameraIds[0]!)).toHaveLength(1);

    const after = await repo.confirmedLabels();
    expect(after.map((l) => l.caseId)).toEqual(before.map((l) => l.caseId));
    const retrained = await service.retrain(SYSTEM_ACTOR);
    expect(retrained.trainingLabels + retrained.heldOutLabels).toBe(before.length);
    expect(retrained.heldOutLabels).toBe(before.filter((l) => service.isHeldOut(l.caseId)).length);
  }, 120_000);
});
