import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type Clock, systemClock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { type ModelFile, parseModelFile, serialiseModelFile } from './model-file.ts';
import { type Classification, TextClassifier } from './text-classifier.ts';

/**
 * The trained models of one installation, in `<dataDir>/models/<version>.json`, and which one is in use,
 * in `<dataDir>/models/active.json`. Activation loads the new model completely before swapping one
 * reference, so a request that already holds the old model finishes on it and no request ever sees a
 * half-loaded one; no restart is needed. Rolling back reactivates the model that was active before.
 */

const pointerSchema = z.object({
  active: z.string().nullable(),
  /** Previously active versions, most recent last. */
  history: z.array(z.string()),
  updatedAt: z.string(),
});

export type ActivePointer = z.infer<typeof pointerSchema>;

export interface ModelSummary {
  version: string;
  createdAt: string;
  labels: number;
  trainingSize: number;
  dataHash: string;
  accuracy: number | null;
  macroF1: number | null;
  ece: number | null;
  bytes: number;
  active: boolean;
}

/** There is no active model: the caller should let a person classify. */
export class NoActiveModelError extends Error {
  constructor() {
    super('no classifier model is active');
    this.name = 'NoActiveModelError';
  }
}

const versionPattern = /^[0-9A-Za-z._-]+$/u;
const pointerFile = 'active.json';
const historyLimit = 50;

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

export interface ModelRegistryOptions {
  clock?: Clock;
}

export class ModelRegistry {
  readonly dir: string;
  private readonly clock: Clock;
  private active: TextClassifier | null = null;
  /** Activations run one at a time, so two concurrent requests cannot interleave pointer writes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, options: ModelRegistryOptions = {}) {
    this.dir = path.join(dataDir, 'models');
    this.clock = options.clock ?? systemClock;
  }

  private fileOf(version: string): string {
    if (!versionPattern.test(version) || version === pointerFile.replace('.json', '')) {
      throw new AppError('VALIDATION_FAILED', `"${version}" is not a model version`, { version });
    }
    return path.join(this.dir, `${version}.json`);
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Loads the active model named by the pointer file, if any. Call once at start. */
  async init(): Promise<TextClassifier | null> {
    await this.refresh();
    return this.active;
  }

  /** The model serving now; hold on to the returned object for the duration of one request. */
  current(): TextClassifier | null {
    return this.active;
  }

  async classify(text: string, k = 3): Promise<Classification> {
    const model = this.active;
    if (!model) throw new NoActiveModelError();
    return model.classifyAsync(text, k);
  }

  async readPointer(): Promise<ActivePointer> {
    try {
      return pointerSchema.parse(JSON.parse(await readFile(path.join(this.dir, pointerFile), 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { active: null, history: [], updatedAt: '' };
      throw e;
    }
  }

  private async writePointer(active: string | null, history: string[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const pointer: ActivePointer = {
      active,
      history: history.slice(-historyLimit),
      updatedAt: this.clock.now().toISOString(),
    };
    await writeAtomically(path.join(this.dir, pointerFile), `${JSON.stringify(pointer, null, 2)}\n`);
  }

  /** Stores a model (idempotent for the same version) and returns its version. Does not activate it. */
  async add(model: ModelFile): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(this.fileOf(model.version), serialiseModelFile(model));
    return model.version;
  }

  /** Copies a model file from elsewhere (e.g. the output of `classifier train`) into the registry. */
  async importFile(file: string): Promise<ModelFile> {
    const model = parseModelFile(await readFile(file, 'utf8'));
    await this.add(model);
    return model;
  }

  async has(version: string): Promise<boolean> {
    try {
      await stat(this.fileOf(version));
      return true;
    } catch {
      return false;
    }
  }

  async read(version: string): Promise<ModelFile> {
    let json: string;
    try {
      json = await readFile(this.fileOf(version), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound('model', version);
      throw e;
    }
    return parseModelFile(json);
  }

  async load(version: string): Promise<TextClassifier> {
    return new TextClassifier(await this.read(version));
  }

  /** The model files' names (not the pointer's); none when the folder does not exist yet. */
  private async modelFileNames(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => name.endsWith('.json') && name !== pointerFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  async list(): Promise<ModelSummary[]> {
    const names = await this.modelFileNames();
    const pointer = await this.readPointer();
    const out: ModelSummary[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      let model: ModelFile;
      let bytes: number;
      try {
        // Read once: a retraining may prune the file between a read and a stat (it gave a 500).
        const text = await readFile(file);
        bytes = text.byteLength;
        model = parseModelFile(text.toString('utf8'));
      } catch {
        // A foreign, half-written or just-pruned file is not a model; listing must not fail because of it.
        continue;
      }
      const cv = model.scores.cv;
      out.push({
        version: model.version,
        createdAt: model.createdAt,
        labels: model.labels.length,
        trainingSize: model.trainingSize,
        dataHash: model.dataHash,
        accuracy: cv?.accuracy ?? null,
        macroF1: cv?.macroF1 ?? null,
        ece: cv?.ece ?? null,
        bytes,
        active: model.version === pointer.active,
      });
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.version.localeCompare(b.version));
  }

  /**
   * Deletes stored models that are neither active nor a rollback target (in the pointer's history),
   * except the `keep` most recently written of them: each retraining stores its candidate (a few MB),
   * and a candidate that lost to the active model is rarely wanted again. A model imported by hand to
   * be activated later is recent, so it is kept unless `keep` newer candidates followed it. Returns
   * the versions deleted.
   */
  prune(keep: number): Promise<string[]> {
    return this.serialised(async () => {
      const names = await this.modelFileNames();
      const pointer = await this.readPointer();
      const protectedVersions = new Set([...pointer.history, ...(pointer.active ? [pointer.active] : [])]);
      const candidates: { version: string; file: string; mtimeMs: number }[] = [];
      for (const name of names) {
        const version = name.slice(0, -'.json'.length);
        if (!versionPattern.test(version) || protectedVersions.has(version)) continue;
        const file = path.join(this.dir, name);
        candidates.push({ version, file, mtimeMs: (await stat(file)).mtimeMs });
      }
      candidates.sort((a, b) => b.mtimeMs - a.mtimeMs || b.version.localeCompare(a.version));
      const removed: string[] = [];
      for (const c of candidates.slice(Math.max(0, keep))) {
        await unlink(c.file);
        removed.push(c.version);
      }
      return removed;
    });
  }

  /** Makes `version` the serving model, here and (through the pointer file) for the next start. */
  activate(version: string): Promise<TextClassifier> {
    return this.serialised(async () => {
      const next = await this.load(version);
      const pointer = await this.readPointer();
      if (pointer.active !== version) {
        const history = pointer.active ? [...pointer.history, pointer.active] : pointer.history;
        await this.writePointer(version, history);
      }
      this.active = next;
      return next;
    });
  }

  /** Reactivates the model that was active before the current one. */
  rollback(): Promise<TextClassifier> {
    return this.serialised(async () => {
      const pointer = await this.readPointer();
      const history = [...pointer.history];
      const previous = history.pop();
      if (previous === undefined) {
        throw new AppError('CONFLICT', 'there is no previously active model to roll back to');
      }
      const next = await this.load(previous);
      await this.writePointer(previous, history);
      this.active = next;
      return next;
    });
  }

  /**
   * Follows the pointer file, e.g. after `hutong classifier activate` ran in another process. Returns
   * whether the serving model changed.
   */
  refresh(): Promise<boolean> {
    return this.serialised(async () => {
      const pointer = await this.readPointer();
      if (pointer.active === (this.active?.version ?? null)) return false;
      this.active = pointer.active === null ? null : await this.load(pointer.active);
      return true;
    });
  }

  /** Checks the pointer file every `intervalMs`; returns a function that stops watching. */
  watch(intervalMs: number, onError: (error: unknown) => void = () => {}): () => void {
    const timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
