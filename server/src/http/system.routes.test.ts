import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';

/** The site's public address, for QR codes and printed links: the configured one, or none. */
describe('GET /api/config/site', () => {
  let plain: TestEnv;
  let configured: TestEnv;
  beforeAll(async () => {
    plain = await createTestEnv({ demo: false });
    configured = await createTestEnv({
      demo: false,
      configure: (c) => ({ ...c, security: { ...c.security, publicUrl: 'https://hutong.example.cn' } }),
    });
  });
  afterAll(async () => {
    await plain?.close();
    await configured?.close();
  });

  it('answers null without HUTONG_PUBLIC_URL, so the page uses the address the browser used', async () => {
    const res = await plain.app.inject({ method: 'GET', url: '/api/config/site' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicUrl: null });
  });

  it('answers the configured address to anyone, signed in or not', async () => {
    const res = await configured.app.inject({ method: 'GET', url: '/api/config/site' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicUrl: 'https://hutong.example.cn' });
  });
});
