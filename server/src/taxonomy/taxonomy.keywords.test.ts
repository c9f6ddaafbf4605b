import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';

/** A district administrator edits a category's synonyms and keywords from the console. */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

async function search(q: string) {
  const res = await env.app.inject({
    method: 'GET',
    url: `/api/taxonomy?kind=event&q=${encodeURIComponent(q)}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { key: string; keywords: string[] }[] }).items.map((i) => i.key);
}

describe('editing the keywords of a category', () => {
  it('lets the district administrator replace them, and search finds the category by a new one', async () => {
    expect(await search('门前乱堆杂物')).not.toContain('event:06010');
    const admin = await login(env.app, 'demo-district_admin');
    const before = (
      await env.app.inject({ method: 'GET', url: '/api/taxonomy/event:06010', headers: admin.headers })
    ).json() as { version: { id: string }; entry: { keywords: string[] } };
    const keywords = [...before.entry.keywords, '门前乱堆杂物'];
    const res = await env.app.inject({
      method: 'PATCH',
      url: '/api/taxonomy/event:06010',
      headers: admin.headers,
      payload: { keywords, basedOnVersionId: before.version.id, reason: '补充同义词' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().entry.keywords).toEqual(keywords);
    expect(res.json().version.id).not.toBe(before.version.id);
    expect(await search('门前乱堆杂物')).toContain('event:06010');

    // An edit based on the version just replaced is refused rather than lost.
    const stale = await env.app.inject({
      method: 'PATCH',
      url: '/api/taxonomy/event:06010',
      headers: admin.headers,
      payload: { keywords: ['旧版本上的编辑'], basedOnVersionId: before.version.id },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('refuses everyone else, and keeps the keywords as they were', async () => {
    for (const username of ['demo-street_dispatcher', 'demo-grid_worker', 'demo-leader']) {
      const session = await login(env.app, username);
      const res = await env.app.inject({
        method: 'PATCH',
        url: '/api/taxonomy/event:06010',
        headers: session.headers,
        payload: { keywords: ['不该加上的词'] },
      });
      expect(res.statusCode, `${username}: ${res.body}`).toBe(403);
    }
    const anonymous = await env.app.inject({
      method: 'PATCH',
      url: '/api/taxonomy/event:06010',
      payload: { keywords: ['不该加上的词'] },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await search('不该加上的词')).toEqual([]);
  });
});
