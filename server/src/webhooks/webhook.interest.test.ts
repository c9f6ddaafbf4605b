import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { webhookRepository } from './webhook.repository.ts';
import { WebhookInterest } from './webhook.service.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

async function subscribe(id: string, eventTypes: string[], districtCode = '110102') {
  await webhookRepository(env.ctx.db).insertSubscription({
    id,
    districtCode,
    url: 'http://127.0.0.1:9/hook',
    secret: 'a-shared-secret-of-32-characters',
    eventTypes,
    description: null,
    createdBy: null,
    now: new Date(),
  });
}

describe("intake's cached view of webhook subscriptions", () => {
  it('follows another process within its lifetime and this process at once', async () => {
    let now = 0;
    const interest = new WebhookInterest(env.ctx.db, 5_000, () => now);
    expect(await interest.wants('110102', 'report')).toBe(false);

    // A subscription written behind the cache's back (as by another server process) is not seen yet…
    await subscribe('whk_interest_1', ['case.report']);
    now = 4_999;
    expect(await interest.wants('110102', 'report')).toBe(false);
    // …and is once the cached answer has lived its time.
    now = 5_000;
    expect(await interest.wants('110102', 'report')).toBe(true);
    expect(await interest.wants('110102', 'accept')).toBe(false);
    expect(await interest.wants('110101', 'report')).toBe(false);

    // This process's own changes drop the cache at once.
    await subscribe('whk_interest_2', ['*']);
    interest.invalidate();
    expect(await interest.wants('110102', 'accept')).toBe(true);

    await webhookRepository(env.ctx.db).deactivate('whk_interest_1', new Date());
    await webhookRepository(env.ctx.db).deactivate('whk_interest_2', new Date());
    interest.invalidate();
    expect(await interest.wants('110102', 'report')).toBe(false);
  });
});
