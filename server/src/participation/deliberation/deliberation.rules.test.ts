import { describe, expect, it } from 'vitest';
import {
  closeRefusal,
  decisionRefusal,
  isEligibleMember,
  openRefusal,
  outcomeOf,
  quorumFor,
  quorumReached,
  visibleTally,
  voteRefusal,
} from './deliberation.rules.ts';

const COMMUNITY = '110102001001';
const T = new Date('2026-11-20T10:00:00+08:00');
const later = (ms: number) => new Date(T.getTime() + ms);

describe('eligibility', () => {
  it('admits residents and volunteers scoped to the community or a grid inside it', () => {
    expect(isEligibleMember({ role: 'resident', scopeCode: COMMUNITY }, COMMUNITY)).toBe(true);
    expect(isEligibleMember({ role: 'volunteer', scopeCode: `${COMMUNITY}003` }, COMMUNITY)).toBe(true);
  });
  it('refuses accounts without a scope, of another community, of a whole street, and staff', () => {
    expect(isEligibleMember({ role: 'resident', scopeCode: null }, COMMUNITY)).toBe(false);
    expect(isEligibleMember({ role: 'resident', scopeCode: '110102001002' }, COMMUNITY)).toBe(false);
    expect(isEligibleMember({ role: 'resident', scopeCode: '110102001' }, COMMUNITY)).toBe(false);
    expect(isEligibleMember({ role: 'alley_chief', scopeCode: COMMUNITY }, COMMUNITY)).toBe(false);
  });
});

describe('quorum and outcome', () => {
  it('takes a share of the eligible members, rounded up, at least one', () => {
    expect(quorumFor(10)).toBe(5);
    expect(quorumFor(11)).toBe(6);
    expect(quorumFor(7, { percent: 30 })).toBe(3);
    expect(quorumFor(0)).toBe(1);
    expect(quorumFor(100, { count: 12 })).toBe(12);
    expect(quorumFor(100, { count: 0 })).toBe(1);
  });
  it('counts abstentions as present but not for or against', () => {
    expect(quorumReached({ yes: 1, no: 0, abstain: 2 }, 3)).toBe(true);
    expect(quorumReached({ yes: 1, no: 0, abstain: 1 }, 3)).toBe(false);
    expect(outcomeOf({ yes: 1, no: 0, abstain: 1 }, 3)).toBe('no_quorum');
    expect(outcomeOf({ yes: 2, no: 1, abstain: 5 }, 3)).toBe('adopted');
    expect(outcomeOf({ yes: 2, no: 2, abstain: 0 }, 3)).toBe('rejected');
    expect(outcomeOf({ yes: 0, no: 3, abstain: 0 }, 3)).toBe('rejected');
  });
});

describe('the vote window', () => {
  const voting = { state: 'voting', closesAt: later(3_600_000), eligibleCount: 4 };
  it('accepts ballots only while voting and before the deadline', () => {
    expect(voteRefusal(voting, T)).toBeNull();
    expect(voteRefusal(voting, later(3_600_000))).toMatch(/deadline/);
    expect(voteRefusal({ state: 'discussion', closesAt: null }, T)).toMatch(/not open/);
    expect(voteRefusal({ ...voting, state: 'closed' }, T)).toMatch(/not open/);
  });
  it('closes at the deadline, or early once every eligible member has voted', () => {
    expect(closeRefusal(voting, 3, T)).toMatch(/deadline/);
    expect(closeRefusal(voting, 4, T)).toBeNull();
    expect(closeRefusal(voting, 0, later(3_600_000))).toBeNull();
    expect(closeRefusal({ ...voting, eligibleCount: 0 }, 0, T)).not.toBeNull();
    expect(closeRefusal({ ...voting, state: 'closed' }, 4, later(3_600_000))).toMatch(/not open/);
  });
  it('opens a vote on a proposal under discussion with a deadline ahead', () => {
    expect(openRefusal({ state: 'discussion' }, later(1), T)).toBeNull();
    expect(openRefusal({ state: 'discussion' }, T, T)).toMatch(/future/);
    expect(openRefusal({ state: 'voting' }, later(1), T)).toMatch(/discussion/);
  });
});

describe('secrecy and decisions', () => {
  it('shows no counts before the close', () => {
    expect(visibleTally({ state: 'voting' }, { yes: 3, no: 1, abstain: 0 })).toBeNull();
    expect(visibleTally({ state: 'closed' }, { yes: 3, no: 1, abstain: 0 })).toEqual({
      yes: 3,
      no: 1,
      abstain: 0,
    });
  });
  it('lets only an adopted proposal open something, once', () => {
    const closed = { state: 'closed', outcome: 'adopted' as const, decided: false };
    expect(decisionRefusal(closed, 'case')).toBeNull();
    expect(decisionRefusal({ ...closed, decided: true }, 'none')).toMatch(/already/);
    expect(decisionRefusal({ ...closed, outcome: 'rejected' }, 'campaign')).toMatch(/rejected/);
    expect(decisionRefusal({ ...closed, outcome: 'no_quorum' }, 'none')).toBeNull();
    expect(decisionRefusal({ state: 'voting', outcome: null, decided: false }, 'none')).toMatch(/closed/);
  });
});
