import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEntry, repoPath, repoRoot, runsBundled } from './paths.ts';

/** Every source under server/src but the tests. */
function sources(dir = repoPath('server/src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('paths', () => {
  it('finds the repository root from the sources', () => {
    expect(runsBundled).toBe(false);
    expect(repoRoot).toBe(path.resolve(import.meta.dirname, '../../..'));
    expect(existsSync(repoPath('server/src/shared/paths.ts'))).toBe(true);
  });

  it('starts a child module from its source through tsx', () => {
    const entry = childEntry('classification/taxonomy-model.child.ts');
    expect(existsSync(entry.module)).toBe(true);
    expect(entry.execArgv).toEqual(['--import', 'tsx']);
  });

  // In the bundle every module's import.meta is the bundle's: a file found beside its module would be
  // looked for in server/dist. Such lookups go through repoPath instead.
  it('leaves import.meta to this module alone among the sources', () => {
    const users = sources()
      .filter((file) => readFileSync(file, 'utf8').includes('import.meta'))
      .map((file) => path.relative(repoRoot, file));
    expect(users).toEqual(['server/src/shared/paths.ts']);
  });

  it('has the bundle build every module the server starts as a child process', () => {
    const build = readFileSync(repoPath('scripts/build-server.mjs'), 'utf8');
    const started = sources().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/childEntry\('([^']+)'\)/g)].map((m) => m[1]!),
    );
    expect(started).toContain('classification/taxonomy-model.child.ts');
    for (const source of started) expect(build).toContain(`'${source}'`);
  });
});
