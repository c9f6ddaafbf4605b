/**
 * The civic points ledger's pure rules (文明微积分, SPEC §8): what a source earns under a rules version,
 * the entries of each kind of transaction, and the double-entry checks. No I/O; points.service.ts
 * does the reading, locking and writing.
 */

/** What earns points. Each kind has one amount per rules version. */
export const RULE_KINDS = ['report_verified', 'volunteer_hour', 'sorting_check'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** The amounts of one rules version, by kind. A kind left out earns nothing. */
export type PointsRules = Partial<Record<RuleKind, number>>;

/** An illustrative rules version for the demo district (no official scale is public). */
export const DEMO_RULES: Readonly<Record<RuleKind, number>> = Object.freeze({
  report_verified: 10,
  volunteer_hour: 5,
  sorting_check: 2,
});
export const DEMO_RULES_LABEL = '文明微积分积分规则（示意）';

/** The most one rule may award at once: a bound that catches a typo of an extra zero or three. */
export const MAX_RULE_POINTS = 1_000;

/** One source of points, as the rules see it. */
export type PointsSource =
  | { readonly kind: 'report_verified' }
  | { readonly kind: 'volunteer_hour'; readonly minutes: number }
  | { readonly kind: 'sorting_check'; readonly passed: boolean };

/**
 * The points a source earns under `rules`. Volunteering earns per full hour's worth of minutes,
 * rounded down (90 minutes at 5 an hour earn 7); a failed sorting check earns nothing.
 */
export function pointsFor(rules: PointsRules, source: PointsSource): number {
  const rate = rules[source.kind] ?? 0;
  switch (source.kind) {
    case 'report_verified':
      return rate;
    case 'volunteer_hour':
      return source.minutes > 0 ? Math.floor((source.minutes * rate) / 60) : 0;
    case 'sorting_check':
      return source.passed ? rate : 0;
  }
}

export interface RuleIssue {
  field: string;
  message: string;
}

/** Problems with a rules version as submitted, each naming its field; empty when it is valid. */
export function ruleIssues(rules: Record<string, unknown>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const [kind, points] of Object.entries(rules)) {
    if (!(RULE_KINDS as readonly string[]).includes(kind)) {
      issues.push({ field: `rules.${kind}`, message: `no rule kind ${kind} (${RULE_KINDS.join(', ')})` });
    } else if (
      typeof points !== 'number' ||
      !Number.isInteger(points) ||
      points < 0 ||
      points > MAX_RULE_POINTS
    ) {
      issues.push({
        field: `rules.${kind}`,
        message: `a whole number of points from 0 to ${MAX_RULE_POINTS}`,
      });
    }
  }
  return issues;
}

/** One line of a transaction: points into (positive) or out of (negative) an account. */
export interface Entry {
  readonly accountId: string;
  readonly amount: number;
}

/**
 * Why a transaction's entries cannot be posted, or null: at least two entries, whole non-zero
 * amounts, no account twice, and a sum of zero (what leaves one account enters another).
 */
export function unbalanced(entries: readonly Entry[]): string | null {
  if (entries.length < 2) return 'a transaction moves points between at least two accounts';
  if (entries.some((e) => !Number.isSafeInteger(e.amount) || e.amount === 0))
    return 'every amount is a whole number of points other than zero';
  if (new Set(entries.map((e) => e.accountId)).size !== entries.length)
    return 'an account appears once in a transaction';
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  return sum === 0 ? null : `the entries sum to ${sum}, not zero`;
}

/** The balance of an account: the sum of its entries. */
export function balanceOf(entries: readonly Entry[], accountId: string): number {
  let sum = 0;
  for (const e of entries) if (e.accountId === accountId) sum += e.amount;
  return sum;
}

/** The accounts a transaction of each kind moves points between. */
export interface CommunityAccounts {
  /** The community's (or street's) pool that issues awards; its balance is minus what it has issued. */
  readonly pool: string;
  /** Points held for redemptions that are reserved and not yet confirmed or released. */
  readonly hold: string;
  /** Points spent on rewards handed over (the clearing account). */
  readonly redeemed: string;
}

/** An award: out of the pool, into the resident's account. */
export function awardEntries(pool: string, resident: string, points: number): Entry[] {
  return [
    { accountId: pool, amount: -points },
    { accountId: resident, amount: points },
  ];
}

/** A redemption's steps: reserve (resident → hold), confirm (hold → redeemed), release (hold → resident). */
export function redemptionEntries(
  step: 'reserve' | 'confirm' | 'release',
  accounts: Pick<CommunityAccounts, 'hold' | 'redeemed'>,
  resident: string,
  cost: number,
): Entry[] {
  switch (step) {
    case 'reserve':
      return [
        { accountId: resident, amount: -cost },
        { accountId: accounts.hold, amount: cost },
      ];
    case 'confirm':
      return [
        { accountId: accounts.hold, amount: -cost },
        { accountId: accounts.redeemed, amount: cost },
      ];
    case 'release':
      return [
        { accountId: accounts.hold, amount: -cost },
        { accountId: resident, amount: cost },
      ];
  }
}

/** Whether a balance covers a spending, so that it never goes negative. */
export function covers(balance: number, cost: number): boolean {
  return cost > 0 && balance >= cost;
}

/** Where a redemption may go from its state: reserved → confirmed | released, nothing after. */
export function redemptionRefusal(
  state: 'reserved' | 'confirmed' | 'released',
  step: 'confirm' | 'release',
): string | null {
  if (state === 'reserved') return null;
  return `the redemption is already ${state}; it cannot be ${step === 'confirm' ? 'confirmed' : 'released'}`;
}
