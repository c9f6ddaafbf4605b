import { fork } from 'node:child_process';
import { childEntry } from '../shared/paths.ts';
import type { LabelledText } from './dataset.ts';
import { type ModelFile, parseModelFile, serialiseModelFile } from './model-file.ts';
import { type TaxonomyEntry, type TaxonomyModelOptions, trainTaxonomyModel } from './taxonomy-model.ts';

/**
 * Trains the taxonomy model in a child process. Training takes several seconds of CPU (docs/
 * classification.md), which in the server's own thread would stall every request meanwhile; a child
 * process keeps the server answering. (A worker thread would be lighter, but on Node 20 workers do not
 * inherit the TypeScript loader the server runs under from its sources, while a child process started
 * with `--import tsx` does; under `npm start` the child is this module's own entry in the bundle.) The
 * child receives the entries and labels as one message and answers with the model file's JSON, which the
 * parent validates like any model file.
 */

interface Request {
  entries: TaxonomyEntry[];
  labelled: LabelledText[];
  options: Omit<TaxonomyModelOptions, 'now' | 'onProgress'>;
  now: string;
}

type Reply = { ok: true; model: string } | { ok: false; message: string };

export function trainTaxonomyModelInChild(
  entries: readonly TaxonomyEntry[],
  labelled: readonly LabelledText[],
  options: Omit<TaxonomyModelOptions, 'onProgress'> = {},
): Promise<ModelFile> {
  // A progress listener is a function, which cannot cross to the child; the child reports none.
  const { now, onProgress: _listener, ...rest } = options as TaxonomyModelOptions;
  const request: Request = {
    entries: [...entries],
    labelled: [...labelled],
    options: rest,
    now: (now ?? new Date()).toISOString(),
  };
  return new Promise((resolve, reject) => {
    const entry = childEntry('classification/taxonomy-model.child.ts');
    const child = fork(entry.module, ['--train-taxonomy-model'], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // A server that exits while training must not leave the child computing for nobody.
    const killChild = () => child.kill();
    process.once('exit', killChild);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      process.off('exit', killChild);
      fn();
      child.kill();
    };
    child.once('message', (reply: Reply) => {
      if (reply.ok) {
        try {
          const model = parseModelFile(reply.model);
          settle(() => resolve(model));
        } catch (e) {
          settle(() => reject(e));
        }
      } else settle(() => reject(new Error(`training failed: ${reply.message}`)));
    });
    child.once('error', (e) => settle(() => reject(e)));
    child.once('exit', (code, signal) =>
      settle(() => reject(new Error(`the training process ended early (${signal ?? code})`))),
    );
    child.send(request);
  });
}

if (process.argv.includes('--train-taxonomy-model') && process.send) {
  process.once('message', (request: Request) => {
    let reply: Reply;
    try {
      const trained = trainTaxonomyModel(request.entries, request.labelled, {
        ...request.options,
        now: new Date(request.now),
      });
      reply = { ok: true, model: serialiseModelFile(trained.model) };
    } catch (e) {
      reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    process.send!(reply, undefined, {}, () => process.disconnect());
  });
}
