import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

describe('the hashed body', () => {
  // The hashing as it was first written: canonical JSON of the whole event, keys sorted by `<`.
  // Chains written then must still verify, so the faster body must give exactly these bytes.
  function referenceJson(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (value instanceof Date) return JSON.stringify(value.toISOString());
    if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceJson(v)}`).join(',')}}`;
  }
  const referenceHash = (e: Parameters<typeof eventHash>[0], prev: string) =>
    createHash('sha256')
      .update(prev)
      .update('\n')
      .update(
        referenceJson({
          caseId: e.caseId,
          seq: e.seq,
          districtCode: e.districtCode,
          at: e.at.toISOString(),
          actorUserId: e.actorUserId,
          actorRole: e.actorRole,
          action: e.action,
          fromState: e.fromState,
          toState: e.toState,
          reason: e.reason,
          payload: e.payload ?? {},
        }),
      )
      .digest('hex');

  it('gives the same hash as canonical JSON of the whole event, for any event', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const nullable = fc.option(text, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          caseId: text,
          seq: fc.integer({ min: 1, max: 10_000 }),
          districtCode: text,
          at: fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }),
          actorUserId: nullable,
          actorRole: text,
          action: text,
          fromState: nullable,
          toState: text,
          reason: nullable,
          payload: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
        }),
        (e) => {
          expect(eventHash(e, GENESIS_HASH)).toBe(referenceHash(e, GENESIS_HASH));
          expect(canonicalJson(e.payload)).toBe(referenceJson(e.payload));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the general path for an event with a field missing, and still matches', () => {
    const e = chain(1)[0]!;
    const { reason: _dropped, ...rest } = e;
    const partial = rest as unknown as Parameters<typeof eventHash>[0];
    expect(eventHash(partial, GENESIS_HASH)).toBe(referenceHash(partial, GENESIS_HASH));
    expect(eventHash(partial, GENESIS_HASH)).not.toBe(eventHash(e, GENESIS_HASH));
  });
});
