import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import type { CliContext } from '../cli/context.ts';
import { loadConfig } from '../config/config.ts';
import { registerClassifierCommands } from './classifier.cli.ts';
import { syntheticReports, toTsv } from './test-fixtures.ts';

let dir: string;
let trainFile: string;
let testFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hutong-cli-'));
  trainFile = path.join(dir, 'train.tsv');
  testFile = path.join(dir, 'test.tsv');
  await writeFile(trainFile, toTsv(syntheticReports(20, 1)));
  await writeFile(testFile, toTsv([...syntheticReports(5, 99), { label: 'unknown', text: '今天天气很好' }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = {
    config: loadConfig({ HUTONG_DATA_DIR: path.join(dir, 'data') }),
    openDatabase: () => Promise.reject(new Error('the classifier commands need no database')),
    print: (line) => lines.push(line),
  };
  const program = new Command('hutong').exitOverride();
  registerClassifierCommands(program, ctx);
  await program.parseAsync(['node', 'hutong', ...args]);
  return lines;
}

describe('hutong classifier', () => {
  it('trains with a cross-validation report, evaluates as JSON, lists, activates and rolls back', async () => {
    const modelA = path.join(dir, 'a.json');
    const train = await run(
      'classifier',
      'train',
      '--data',
      trainFile,
      '--folds',
      '3',
      '--inner-folds',
      '2',
      '--out',
      modelA,
    );
    expect(train.join('\n')).toMatch(/3-fold nested cross-validation/);
    expect(train.join('\n')).toMatch(/macro-F1/);
    expect(train.join('\n')).toMatch(/expected calibration error/);

    const json = JSON.parse(
      (await run('classifier', 'eval', '--model', modelA, '--data', testFile, '--json')).join('\n'),
    );
    expect(json.accuracy).toBeGreaterThan(0.8);
    expect(json.macroF1).toBeGreaterThan(0.5);
    expect(json.labels).toEqual(['garbage', 'noise', 'parking', 'unknown']);
    expect(json.unknownLabels).toEqual(['unknown']);
    expect(json.confusion).toHaveLength(4);
    expect(json.perClass[0]).toMatchObject({ label: 'garbage' });
    expect(typeof json.ece).toBe('number');

    const text = await run('classifier', 'eval', '--model', modelA, '--data', testFile);
    expect(text.join('\n')).toMatch(/confusion matrix/);

    const modelB = path.join(dir, 'b.json');
    await run(
      'classifier',
      'train',
      '--data',
      trainFile,
      '--folds',
      '0',
      '--seed',
      '7',
      '--c',
      '2',
      '--out',
      modelB,
    );
    const versions = JSON.parse((await run('classifier', 'list', '--json')).join('\n')).map(
      (m: { version: string }) => m.version,
    );
    expect(versions).toHaveLength(2);

    await run('classifier', 'activate', versions[0]);
    await run('classifier', 'activate', versions[1]);
    const listed = await run('classifier', 'list');
    expect(listed.find((l) => l.startsWith('*'))).toContain(versions[1]);
    expect((await run('classifier', 'rollback')).join('\n')).toContain(versions[0]);

    // eval also takes a registry version instead of a file.
    const byVersion = JSON.parse(
      (await run('classifier', 'eval', '--model', versions[1], '--data', testFile, '--json')).join('\n'),
    );
    expect(byVersion.modelVersion).toBe(versions[1]);
  });

  it('names the missing column when the file does not have it', async () => {
    await expect(
      run(
        'classifier',
        'train',
        '--data',
        trainFile,
        '--text-column',
        'body',
        '--out',
        path.join(dir, 'x.json'),
      ),
    ).rejects.toThrow(/column body not found; the header has: label, text/);
  });
});

describe('hutong classifier retrain', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  async function retrain(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    const ctx: CliContext = {
      config: loadConfig({ HUTONG_DATA_DIR: path.join(dir, 'retrain-data') }),
      openDatabase: async () => ({ ...env.handle, close: async () => {} }),
      print: (line) => lines.push(line),
    };
    const program = new Command('hutong').exitOverride();
    registerClassifierCommands(program, ctx);
    await program.parseAsync(['node', 'hutong', 'classifier', 'retrain', ...args]);
    return lines;
  }

  it('trains the first model from the taxonomy and the labels, says that it activated it, and lists it', async () => {
    const out = (await retrain()).join('\n');
    expect(out).toMatch(/candidate \S+: 403 taxonomy entries, 0 confirmed labels \(0 more held out/);
    expect(out).toMatch(/activated \S+: no model was active/);
    const version = /activated (\S+):/.exec(out)![1]!;
    const lines: string[] = [];
    const program = new Command('hutong').exitOverride();
    registerClassifierCommands(program, {
      config: loadConfig({ HUTONG_DATA_DIR: path.join(dir, 'retrain-data') }),
      openDatabase: () => Promise.reject(new Error('list needs no database')),
      print: (line) => lines.push(line),
    });
    await program.parseAsync(['node', 'hutong', 'classifier', 'list']);
    expect(lines.find((l) => l.startsWith('*'))).toContain(version);
  }, 120_000);
});
