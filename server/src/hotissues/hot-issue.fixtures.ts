import type { TestEnv } from '../../test/harness.ts';

/**
 * Cases filed straight through the intake at a chosen time, for the hot-issue, forecast and theme
 * tests that need weeks of history: the HTTP path would cost a sign-in per simulated day.
 */
export async function fileCase(
  env: TestEnv,
  at: Date,
  description: string,
  where: { lng: number; lat: number },
  options: { categoryKey?: string; contact?: string; address?: string } = {},
): Promise<{ id: string; caseNumber: string }> {
  env.clock.set(at);
  const { result } = await env.ctx.cases.intake(null, {
    channel: 'resident',
    description,
    lng: where.lng,
    lat: where.lat,
    crs: 'wgs84',
    categoryKey: options.categoryKey ?? null,
    reporterContact: options.contact ?? null,
    address: options.address ?? null,
  });
  return { id: result.id, caseNumber: result.caseNumber };
}

/** A point a little off `centre`, so that cases of one place are not all on one spot. */
export function near(centre: [number, number], i: number): { lng: number; lat: number } {
  return { lng: centre[0] + ((i % 5) - 2) * 0.00005, lat: centre[1] + ((i % 3) - 1) * 0.00005 };
}
