import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.ts';
import { defaultFeatureOptions } from './features.ts';
import type { ModelFile } from './model-file.ts';
import { ModelRegistry, NoActiveModelError } from './model-registry.ts';
import { syntheticReports } from './test-fixtures.ts';
import { defaultTrainingOptions, type TrainingOptions, trainClassifier } from './training.ts';

const options: TrainingOptions = {
  ...defaultTrainingOptions,
  features: { ...defaultFeatureOptions, hashBits: 14 },
  folds: 0,
  innerFolds: 0,
};

let first: ModelFile;
let second: ModelFile;
let third: ModelFile;

beforeAll(() => {
  const data = syntheticReports(10, 1);
  first = trainClassifier(data, options, { now: new Date('2026-11-01T00:00:00Z') }).model;
  second = trainClassifier(syntheticReports(10, 2), options, { now: new Date('2026-11-02T00:00:00Z') }).model;
  third = trainClassifier(syntheticReports(10, 3), options, { now: new Date('2026-11-03T00:00:00Z') }).model;
});

describe('ModelRegistry', () => {
  let dir: string;
  let registry: ModelRegistry;
  const clock = new ManualClock(new Date('2026-11-22T08:00:00Z'));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hutong-models-'));
    registry = new ModelRegistry(dir, { clock });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty and refuses to classify without an active model', async () => {
    expect(await registry.list()).toEqual([]);
    expect(await registry.init()).toBeNull();
    await expect(registry.classify('井盖丢了')).rejects.toBeInstanceOf(NoActiveModelError);
  });

  it('lists stored models oldest first with their metadata, marking the active one', async () => {
    await registry.add(second);
    await registry.add(first);
    await registry.activate(second.version);
    const list = await registry.list();
    expect(list.map((m) => m.version)).toEqual([first.version, second.version]);
    expect(list.map((m) => m.active)).toEqual([false, true]);
    expect(list[0]).toMatchObject({ labels: 3, trainingSize: 30, dataHash: first.dataHash });
    expect(list[0]!.bytes).toBeGreaterThan(1000);
  });

  it('lists without failing while a retraining prunes older files', async () => {
    for (let round = 0; round < 5; round++) {
      for (const m of [first, second, third]) await registry.add(m);
      const [, listed] = await Promise.all([registry.prune(0), registry.list(), registry.list()]);
      expect(listed.length).toBeLessThanOrEqual(3);
    }
  });

  it('hot-swaps atomically: a classification in flight finishes on the model it started with', async () => {
    for (const m of [first, second]) await registry.add(m);
    await registry.activate(first.version);
    const inFlight = registry.classify('小区门口汽车乱停乱放');
    const activation = registry.activate(second.version);
    const during = registry.classify('小区门口汽车乱停乱放');
    const [a, , b] = await Promise.all([inFlight, activation, during]);
    expect(a.modelVersion).toBe(first.version);
    // Requested before the swap completed, so it still saw the old model too.
    expect(b.modelVersion).toBe(first.version);
    expect((await registry.classify('装修垃圾堆了好几天')).modelVersion).toBe(second.version);
  });

  it('keeps the old model serving when the new one cannot be loaded', async () => {
    await registry.add(first);
    await registry.activate(first.version);
    await expect(registry.activate('20990101T000000Z-deadbeef')).rejects.toThrow(/does not exist/);
    expect(registry.current()?.version).toBe(first.version);
    expect((await registry.readPointer()).active).toBe(first.version);
  });

  it('rolls back step by step and persists activation in the pointer file', async () => {
    for (const m of [first, second, third]) await registry.add(m);
    await registry.activate(first.version);
    await registry.activate(second.version);
    await registry.activate(third.version);
    expect((await registry.rollback()).version).toBe(second.version);
    expect(registry.current()?.version).toBe(second.version);
    const pointer = JSON.parse(await readFile(path.join(dir, 'models', 'active.json'), 'utf8'));
    expect(pointer).toMatchObject({
      active: second.version,
      history: [first.version],
      updatedAt: clock.now().toISOString(),
    });

    // A new process (a restart) serves what the pointer says.
    const restarted = new ModelRegistry(dir);
    expect((await restarted.init())?.version).toBe(second.version);

    expect((await registry.rollback()).version).toBe(first.version);
    await expect(registry.rollback()).rejects.toThrow(/no previously active model/);
  });

  it('follows an activation made by another process on refresh', async () => {
    for (const m of [first, second]) await registry.add(m);
    await registry.activate(first.version);
    const cli = new ModelRegistry(dir);
    await cli.activate(second.version);
    expect(registry.current()?.version).toBe(first.version);
    expect(await registry.refresh()).toBe(true);
    expect(registry.current()?.version).toBe(second.version);
    expect(await registry.refresh()).toBe(false);
  });

  it('prunes old candidates but never the active model or a rollback target', async () => {
    await registry.add(first);
    await registry.activate(first.version);
    await registry.add(second);
    await registry.activate(second.version);
    await registry.add(third);
    // first is in the history (rollback target), second is active, third is a candidate.
    expect(await registry.prune(1)).toEqual([]);
    expect(await registry.prune(0)).toEqual([third.version]);
    expect((await registry.list()).map((m) => m.version).sort()).toEqual(
      [first.version, second.version].sort(),
    );
    expect((await registry.rollback()).version).toBe(first.version);
    // After the rollback, second is neither active nor in the history: a candidate like any other.
    expect(await registry.prune(0)).toEqual([second.version]);
    expect(registry.current()?.version).toBe(first.version);
  });

  it('keeps the most recently written candidates', async () => {
    for (const m of [first, second, third]) {
      await registry.add(m);
      // Distinct write times, whatever the file system's timestamp resolution.
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await registry.prune(2)).toEqual([first.version]);
    expect(await registry.has(third.version)).toBe(true);
    expect(await registry.has(second.version)).toBe(true);
  });

  it('rejects version names that could escape the models folder', async () => {
    await expect(registry.activate('../../etc/passwd')).rejects.toThrow(/not a model version/);
    await expect(registry.read('active')).rejects.toThrow(/not a model version/);
  });

  it('serialises concurrent activations so the pointer history stays consistent', async () => {
    for (const m of [first, second, third]) await registry.add(m);
    await Promise.all([
      registry.activate(first.version),
      registry.activate(second.version),
      registry.activate(third.version),
    ]);
    const pointer = await registry.readPointer();
    expect(pointer.active).toBe(third.version);
    expect(pointer.history).toEqual([first.version, second.version]);
  });
});
