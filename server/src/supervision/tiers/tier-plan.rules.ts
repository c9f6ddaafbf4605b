import type { AlleyTier } from '../../db/schema.ts';

/** Tiers from the highest: 精品 exemplary, 优美 fine, 达标 compliant (SPEC §2). */
export const TIERS: readonly AlleyTier[] = ['exemplary', 'fine', 'compliant'];

/** Inspection scores from which each tier is granted; a district's plan may set its own. */
export const DEFAULT_THRESHOLDS: Record<AlleyTier, number> = { exemplary: 95, fine: 90, compliant: 80 };

/** The highest tier a score meets, or null. */
export function tierForScore(score: number, thresholds: Record<AlleyTier, number>): AlleyTier | null {
  for (const t of TIERS) if (score >= thresholds[t]) return t;
  return null;
}

/** Whether an achieved tier reaches a target (an exemplary alley also meets a fine target). */
export function meets(achieved: AlleyTier | null, target: AlleyTier): boolean {
  return achieved !== null && TIERS.indexOf(achieved) <= TIERS.indexOf(target);
}

/**
 * Targets for `alleys` in the proportions of a published plan, by the largest remainder so that they sum
 * to the number of alleys (Xicheng 2023–2025: 182 / 943 / 100 of 1,225). Alleys are taken in the given
 * order: the caller puts the ones that deserve the highest tier first.
 */
export function scaleTargets(plan: Record<AlleyTier, number>, alleys: number): Record<AlleyTier, number> {
  const total = TIERS.reduce((a, t) => a + plan[t], 0);
  const raw = TIERS.map((t) => (plan[t] * alleys) / total);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((p, q) => q[0] - p[0]);
  for (let k = 0; out.reduce((a, b) => a + b, 0) < alleys; k++) out[order[k % order.length]![1]]!++;
  return { exemplary: out[0]!, fine: out[1]!, compliant: out[2]! };
}
