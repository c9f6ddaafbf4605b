/**
 * Deliberation's pure rules (议事协商, SPEC §8): who is an eligible member of a community, the quorum,
 * the vote window, when a vote may close, the outcome of a tally, and which decisions an outcome
 * admits. No I/O.
 */

export const VOTE_CHOICES = ['yes', 'no', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export const DECISION_KINDS = ['case', 'campaign', 'plan_item', 'none'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export type Outcome = 'adopted' | 'rejected' | 'no_quorum';

/** The roles that take part as members of a community (propose, comment, vote). */
export const MEMBER_ROLES: ReadonlySet<string> = new Set(['resident', 'volunteer']);

/** The default quorum: half of the eligible members (rounded up). */
export const DEFAULT_QUORUM_PERCENT = 50;

/**
 * Whether an account is an eligible member of a community: a resident or volunteer whose account's
 * scope is that community (12 digits) or a grid inside it (15 digits). An account without a scope, or
 * scoped to a whole street or district, belongs to no single community and votes nowhere.
 */
export function isEligibleMember(
  account: { role: string; scopeCode: string | null },
  communityCode: string,
): boolean {
  if (!MEMBER_ROLES.has(account.role)) return false;
  const s = account.scopeCode;
  return s !== null && s.length >= 12 && s.startsWith(communityCode);
}

/**
 * The number of ballots a vote needs: a percentage of the members eligible when the vote opened,
 * rounded up, never less than one; or a number given outright (at least one).
 */
export function quorumFor(eligible: number, q: { percent?: number; count?: number } = {}): number {
  if (q.count !== undefined) return Math.max(1, Math.floor(q.count));
  const percent = q.percent ?? DEFAULT_QUORUM_PERCENT;
  return Math.max(1, Math.ceil((Math.max(0, eligible) * percent) / 100));
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
}

export function ballotsCast(t: Tally): number {
  return t.yes + t.no + t.abstain;
}

/** Quorum is reached when enough ballots were cast; abstentions count as present. */
export function quorumReached(t: Tally, quorum: number): boolean {
  return ballotsCast(t) >= quorum;
}

/**
 * The outcome of a closed vote: without quorum nothing is decided; with it, a proposal is adopted
 * when more ballots are for it than against it (abstentions do not count either way; a tie rejects).
 */
export function outcomeOf(t: Tally, quorum: number): Outcome {
  if (!quorumReached(t, quorum)) return 'no_quorum';
  return t.yes > t.no ? 'adopted' : 'rejected';
}

/** Why a ballot may not be cast now, or null: only while the vote is open and before its deadline. */
export function voteRefusal(p: { state: string; closesAt: Date | null }, now: Date): string | null {
  if (p.state !== 'voting' || !p.closesAt) return 'the proposal is not open for voting';
  if (now.getTime() >= p.closesAt.getTime()) return 'the vote has passed its deadline';
  return null;
}

/**
 * Why a vote may not be closed now, or null: a vote closes at its deadline, or earlier once every
 * member eligible when it opened has voted.
 */
export function closeRefusal(
  p: { state: string; closesAt: Date | null; eligibleCount: number | null },
  cast: number,
  now: Date,
): string | null {
  if (p.state !== 'voting' || !p.closesAt) return 'the proposal is not open for voting';
  if (now.getTime() >= p.closesAt.getTime()) return null;
  if (p.eligibleCount !== null && p.eligibleCount > 0 && cast >= p.eligibleCount) return null;
  return 'the vote closes at its deadline, or once every eligible member has voted';
}

/** Why a vote may not be opened with this deadline, or null. */
export function openRefusal(p: { state: string }, closesAt: Date, now: Date): string | null {
  if (p.state !== 'discussion') return 'a vote opens on a proposal under discussion';
  if (closesAt.getTime() <= now.getTime()) return 'the deadline must lie in the future';
  return null;
}

/**
 * Why this decision may not be recorded, or null: a decision follows a closed vote, once; only an
 * adopted proposal opens a case, a campaign or a plan item; any outcome may be recorded as `none`.
 */
export function decisionRefusal(
  p: { state: string; outcome: Outcome | null; decided: boolean },
  kind: DecisionKind,
): string | null {
  if (p.state !== 'closed' || !p.outcome) return 'a decision follows a closed vote';
  if (p.decided) return 'the decision is already recorded';
  if (kind !== 'none' && p.outcome !== 'adopted')
    return `a proposal ${p.outcome === 'no_quorum' ? 'without quorum' : 'rejected'} opens nothing`;
  return null;
}

/** The tally a reader may see: none before the vote closes (secret until then). */
export function visibleTally(
  p: { state: string },
  counts: { yes: number | null; no: number | null; abstain: number | null },
): Tally | null {
  if (p.state !== 'closed' || counts.yes === null || counts.no === null || counts.abstain === null)
    return null;
  return { yes: counts.yes, no: counts.no, abstain: counts.abstain };
}
