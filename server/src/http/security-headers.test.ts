import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { contentSecurityPolicy, cspOrigin } from './security-headers.ts';

const noMap = { tilesUrl: undefined, tilesCrs: 'wgs84' as const, styleUrl: undefined };

describe('the content security policy', () => {
  it('loads scripts from this origin only and lets no other site frame the pages', () => {
    const csp = contentSecurityPolicy(noMap);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https:)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
  });

  it('adds a configured tile server to images and connections, a subdomain placeholder as a wildcard', () => {
    const csp = contentSecurityPolicy({ ...noMap, tilesUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' });
    expect(csp).toMatch(/img-src [^;]*https:\/\/\*\.tile\.example\.org/);
    expect(csp).toMatch(/connect-src [^;]*https:\/\/\*\.tile\.example\.org/);
    expect(cspOrigin('http://tiles.local:8081/{z}/{x}/{y}.png')).toBe('http://tiles.local:8081');
    expect(cspOrigin("https://a.example'; script-src *")).toBeNull();
    expect(cspOrigin('not a url')).toBeNull();
  });
});

describe('the headers on every answer', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ demo: false });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('are sent on API answers and errors alike, without HSTS on plain HTTP', async () => {
    for (const url of ['/api/health', '/api/nothing-here', '/api/cases']) {
      const res = await env.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('add HSTS when the session cookie is marked Secure', async () => {
    const secure = await createTestEnv({ demo: false, configure: (c) => ({ ...c, cookieSecure: true }) });
    try {
      const res = await secure.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    } finally {
      await secure.close();
    }
  });
});
