import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, GENESIS_HASH, type StoredEvent, verifyTrail } from './case.trail.ts';

function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      caseId: 'c1',
      seq,
      districtCode: '110102',
      at: new Date(Date.UTC(2026, 10, 2, 1, seq)),
      actorUserId: `u${seq}`,
      actorRole: 'street_dispatcher',
      action: `a${seq}`,
      fromState: seq === 1 ? null : `s${seq - 1}`,
      toState: `s${seq}`,
      reason: null,
      payload: { n: seq, nested: { b: 1, a: [2, 1] } },
    };
    const hash = eventHash(e, prev);
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('the hash-chained trail', () => {
  it('hashes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [1, { f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[1,{"e":2,"f":1}],"d":2},"b":1}',
    );
  });

  it('verifies an untouched chain', () => {
    expect(verifyTrail('c1', chain(5))).toEqual([]);
  });

  it('detects an edited event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, reason: 'quietly changed' };
    expect(verifyTrail('c1', events)).toEqual([expect.objectContaining({ seq: 3, problem: 'edited' })]);
  });

  it('detects a deleted event', () => {
    const events = chain(5);
    events.splice(1, 1);
    const problems = verifyTrail('c1', events);
    expect(problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['missing', 'broken_link']));
  });

  it('detects reordered events', () => {
    const events = chain(4);
    [events[1], events[2]] = [events[2]!, events[1]!];
    expect(verifyTrail('c1', events).length).toBeGreaterThan(0);
  });

  it('detects an edit that recomputes the event own hash but not its successors', () => {
    const events = chain(4);
    const edited = { ...events[1]!, actorUserId: 'someone-else' };
    edited.hash = eventHash(edited, edited.prevHash);
    events[1] = edited;
    expect(verifyTrail('c1', events)).toEqual([expect.objectContaining({ seq: 3, problem: 'broken_link' })]);
  });
});
