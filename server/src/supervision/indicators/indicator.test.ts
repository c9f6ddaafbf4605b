import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../../test/harness.ts';
import type { CliContext } from '../../cli/context.ts';
import { loadConfig } from '../../config/config.ts';
import { registerIndicatorCommands } from './indicator.cli.ts';
import { demoIndicators } from './indicator.demo.ts';
import { fromTsv, inspectionScore, shapeOf, toTsv, validateSystem } from './indicator.rules.ts';

describe('indicator rules', () => {
  it('the demo system has the published shape 4 / 55 / 134 and is valid', () => {
    const items = demoIndicators();
    expect(shapeOf(items)).toEqual([4, 55, 134]);
    expect(items.filter((i) => i.level === 1).map((i) => i.name)).toEqual([
      '市容环境',
      '生态环境',
      '设施环境',
      '秩序环境',
    ]);
    expect(validateSystem(items)).toEqual([]);
  });

  it('reads back what it writes', () => {
    const items = demoIndicators();
    expect(fromTsv(toTsv(items))).toEqual({ items, problems: [] });
  });

  it('names the row and field of a broken system', () => {
    const items = demoIndicators();
    items[2] = { ...items[2]!, parentCode: 'nope' };
    expect(validateSystem(items)[0]).toMatchObject({ field: 'items[2].parentCode' });
  });

  it('scores 100 minus the deductions, each indicator capped', () => {
    const ind = new Map([
      ['a', { deductionPoints: 2, deductionCap: 5 }],
      ['b', { deductionPoints: 1, deductionCap: 5 }],
    ]);
    const r = inspectionScore(
      [{ indicatorCode: 'a' }, { indicatorCode: 'a' }, { indicatorCode: 'a' }, { indicatorCode: 'b' }],
      ind,
    );
    expect(r).toEqual({ score: 94, deductions: [2, 2, 1, 1] });
  });
});

let env: TestEnv;
let admin: Session;
let chief: Session;
beforeAll(async () => {
  env = await createTestEnv();
  admin = await login(env.app, 'demo-district_admin');
  chief = await login(env.app, 'demo-alley_chief');
});
afterAll(async () => {
  await env?.close();
});

describe('the indicator system over HTTP and the CLI', () => {
  it('GET /api/indicators answers the active version with levels 1–3', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/indicators',
      headers: { cookie: chief.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.versionId).toEqual(expect.any(String));
    expect(body.version.illustrative).toBe(true);
    expect(body.shape).toEqual([4, 55, 134]);
    expect(
      body.items.filter((i: { level: number }) => i.level === 1).map((i: { name: string }) => i.name),
    ).toEqual(['市容环境', '生态环境', '设施环境', '秩序环境']);
    expect(body.items[2]).toMatchObject({
      level: 3,
      parentCode: body.items[1].code,
      deduction: 2,
      categoryKey: 'event:06010',
    });
  });

  it('an edit makes a new version, activating the old one undoes it; only the district may', async () => {
    const before = (
      await env.app.inject({ method: 'GET', url: '/api/indicators', headers: { cookie: admin.cookie } })
    ).json();
    const items = before.items.map((i: { code: string; name: string }) =>
      i.code === '010101' ? { ...i, name: '路面暴露垃圾（改）' } : i,
    );
    const refused = await env.app.inject({
      method: 'PUT',
      url: '/api/indicators',
      headers: chief.headers,
      payload: { items },
    });
    expect(refused.json().error.code).toBe('FORBIDDEN');
    const bad = await env.app.inject({
      method: 'PUT',
      url: '/api/indicators',
      headers: admin.headers,
      payload: {
        items: items.map((i: { code: string }) =>
          i.code === '010102' ? { ...i, categoryKey: 'event:99999' } : i,
        ),
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('items[3].categoryKey');
    const saved = await env.app.inject({
      method: 'PUT',
      url: '/api/indicators',
      headers: admin.headers,
      payload: { items },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version.number).toBe(before.version.number + 1);
    expect(saved.json().version.basedOn).toBe(before.versionId);
    expect(saved.json().items[2].name).toBe('路面暴露垃圾（改）');
    const undo = await env.app.inject({
      method: 'POST',
      url: `/api/indicators/versions/${before.versionId}/activate`,
      headers: admin.headers,
      payload: {},
    });
    expect(undo.statusCode, undo.body).toBe(200);
    const now = (
      await env.app.inject({ method: 'GET', url: '/api/indicators', headers: { cookie: admin.cookie } })
    ).json();
    expect(now.versionId).toBe(before.versionId);
    expect(now.items[2].name).toBe('路面暴露垃圾');
    const versions = (
      await env.app.inject({
        method: 'GET',
        url: '/api/indicators/versions',
        headers: { cookie: admin.cookie },
      })
    ).json();
    expect(versions.map((v: { active: boolean }) => v.active)).toEqual([false, true]);
  });

  it('round-trips through `hutong indicators export` and `import` unchanged, as a new version', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-indicators-'));
    const file = path.join(dir, 'indicators.tsv');
    const printed: string[] = [];
    const cli: CliContext = {
      config: { ...loadConfig(), demo: false },
      openDatabase: async () => ({ ...env.handle, close: async () => {} }),
      print: (line) => printed.push(line),
    };
    const run = (args: string[]) => {
      const program = new Command('hutong').exitOverride();
      registerIndicatorCommands(program, cli);
      return program.parseAsync(args, { from: 'user' });
    };
    await run(['indicators', 'export', '--out', file]);
    const exported = await fs.readFile(file, 'utf8');
    await run(['indicators', 'import', file, '--label', 'round trip']);
    expect(printed.at(-1)).toMatch(/^imported 4 \/ 55 \/ 134 indicators as version 3 /);
    const again = path.join(dir, 'again.tsv');
    await run(['indicators', 'export', '--out', again]);
    expect(await fs.readFile(again, 'utf8')).toBe(exported);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
