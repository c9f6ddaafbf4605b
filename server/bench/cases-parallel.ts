import os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadOfficialCalendar } from '../src/calendar/holiday-data.ts';
import type { RuleLike } from '../src/taxonomy/taxonomy.routing.ts';
import { generateDemoCity } from '../src/territory/demo-city.ts';
import {
  addTally,
  type Batch,
  buildWorld,
  type Category,
  dayCounters,
  emptyTally,
  type GenerationSummary,
  generateIndexedBatch,
  generationContext,
  reportTimes,
  summaryOf,
  type Tally,
} from './cases-data.ts';

/**
 * The benchmark's history generated on worker threads (one per core by default): every batch has its
 * own random stream, derived from the seed and the batch's index, so the rows are the same whatever the
 * number of threads — but not the rows of `generateCases`, which draws every batch from one stream.
 * Batches come back in order, as UTF-8 moved (not copied) from the worker, while the next ones are
 * already being made.
 */

export interface ParallelOptions {
  scale: number;
  seed: number;
  batchSize: number;
  /** The seed `buildWorld` gets for the demo city's alleys (each thread builds its own world). */
  worldSeed: number;
  categories: readonly Category[];
  rules: readonly RuleLike[];
  threads?: number;
}

interface Setup {
  kind: 'hutong-cases';
  seed: number;
  batchSize: number;
  worldSeed: number;
  categories: readonly Category[];
  rules: readonly RuleLike[];
  times: SharedArrayBuffer;
}

interface Done {
  index: number;
  batch: Batch;
  tally: Tally;
}

const encoder = new TextEncoder();

export async function* generateCasesInParallel(o: ParallelOptions): AsyncGenerator<Batch, GenerationSummary> {
  const shared = new SharedArrayBuffer(o.scale * Float64Array.BYTES_PER_ELEMENT);
  const times = new Float64Array(shared);
  times.set(reportTimes(o.scale, o.seed));
  const batches = Math.ceil(o.scale / o.batchSize);
  const threads = Math.max(1, Math.min(o.threads ?? os.availableParallelism(), batches));
  const setup: Setup = {
    kind: 'hutong-cases',
    seed: o.seed,
    batchSize: o.batchSize,
    worldSeed: o.worldSeed,
    categories: o.categories,
    rules: o.rules,
    times: shared,
  };
  const ready = new Map<number, Done>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  let nextToAsk = 0;
  // Two batches asked of each thread: one being made while the other waits to be taken.
  const ask = (w: Worker) => {
    if (nextToAsk < batches) w.postMessage(nextToAsk++);
  };
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(
      // Node 20 does not hand the parent's TypeScript loader to a worker's entry: register it first.
      `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`,
      { eval: true, workerData: setup },
    );
    w.on('message', (m: Done) => {
      ready.set(m.index, m);
      notify();
    });
    w.on('error', (e) => {
      failure ??= e;
      notify();
    });
    w.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`case generator thread exited with ${code}`);
      notify();
    });
    return w;
  });
  const byWorker = new Map<number, Worker>();
  try {
    for (const w of workers)
      for (let k = 0; k < 2; k++) {
        byWorker.set(nextToAsk, w);
        ask(w);
      }
    const total = emptyTally();
    for (let index = 0; index < batches; index++) {
      while (!ready.has(index)) {
        if (failure) throw failure;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      const done = ready.get(index)!;
      ready.delete(index);
      // The thread that made this batch gets the next one to make.
      const w = byWorker.get(index)!;
      byWorker.delete(index);
      if (nextToAsk < batches) byWorker.set(nextToAsk, w);
      ask(w);
      addTally(total, done.tally);
      yield done.batch;
    }
    return summaryOf(total, dayCounters(times), o.scale);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A generator thread: builds its own world and calendar once, then makes the batches it is asked for. */
async function serve(setup: Setup): Promise<void> {
  const times = new Float64Array(setup.times);
  const o = {
    seed: setup.seed,
    batchSize: setup.batchSize,
    world: buildWorld(generateDemoCity(), setup.worldSeed),
    categories: setup.categories,
    rules: setup.rules,
    calendar: loadOfficialCalendar(),
    times,
  };
  const g = generationContext({ ...o, scale: times.length });
  parentPort!.on('message', (index: number) => {
    void generateIndexedBatch(o, index, g).then(({ batch, tally }) => {
      const encoded = {
        ...batch,
        caseCopy: encoder.encode(batch.caseCopy as string),
        eventCopy: encoder.encode(batch.eventCopy as string),
        followerCopy: encoder.encode(batch.followerCopy as string),
      };
      const done: Done = { index, batch: encoded, tally };
      parentPort!.postMessage(done, [
        encoded.caseCopy.buffer,
        encoded.eventCopy.buffer,
        encoded.followerCopy.buffer,
      ] as ArrayBuffer[]);
    });
  });
}

if (!isMainThread && (workerData as Setup | undefined)?.kind === 'hutong-cases')
  void serve(workerData as Setup);
