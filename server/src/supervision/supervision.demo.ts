import type { AppContext } from '../http/context.ts';
import { DEMO_INDICATOR_LABEL, demoIndicators } from './indicators/indicator.demo.ts';

/**
 * The illustrative supervision data of the demo district: its indicator system. Idempotent, so that
 * demo databases made before supervision existed get it on their next start.
 */
export async function seedSupervisionDemo(ctx: AppContext, districtCode: string): Promise<void> {
  await ctx.supervision.indicators.seedDemo(districtCode, demoIndicators(), DEMO_INDICATOR_LABEL);
}
