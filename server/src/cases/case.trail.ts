import { createHash } from 'node:crypto';

/**
 * The tamper-evident trail (SPEC §4.9): each event's hash covers its own fields and the hash of the
 * event before it in the same case, so editing, deleting or reordering any event breaks the chain
 * from that point on. Pure functions: the repository stores, `verifyTrail` checks.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface TrailEvent {
  caseId: string;
  seq: number;
  districtCode: string;
  at: Date;
  actorUserId: string | null;
  actorRole: string;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string | null;
  payload: unknown;
}

/** JSON with object keys sorted, so that the same event always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(event: TrailEvent, prevHash: string): string {
  const body = canonicalJson({
    caseId: event.caseId,
    seq: event.seq,
    districtCode: event.districtCode,
    // Millisecond precision: both engines store timestamptz to the microsecond, JS dates to the ms.
    at: event.at.toISOString(),
    actorUserId: event.actorUserId,
    actorRole: event.actorRole,
    action: event.action,
    fromState: event.fromState,
    toState: event.toState,
    reason: event.reason,
    payload: event.payload ?? {},
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredEvent extends TrailEvent {
  prevHash: string;
  hash: string;
}

export interface TrailProblem {
  caseId: string;
  seq: number;
  problem: 'edited' | 'missing' | 'reordered' | 'broken_link';
  detail: string;
}

/** Checks one case's events, given in the order of their sequence numbers. */
export function verifyTrail(caseId: string, events: StoredEvent[]): TrailProblem[] {
  const problems: TrailProblem[] = [];
  let prev = GENESIS_HASH;
  events.forEach((e, i) => {
    const expectedSeq = i + 1;
    if (e.seq !== expectedSeq) {
      problems.push({
        caseId,
        seq: e.seq,
        problem: e.seq > expectedSeq ? 'missing' : 'reordered',
        detail: `expected event ${expectedSeq}, found ${e.seq}`,
      });
    }
    if (e.prevHash !== prev) {
      problems.push({
        caseId,
        seq: e.seq,
        problem: 'broken_link',
        detail: 'does not point at the event before it',
      });
    }
    if (eventHash(e, e.prevHash) !== e.hash) {
      problems.push({
        caseId,
        seq: e.seq,
        problem: 'edited',
        detail: 'its content no longer matches its hash',
      });
    }
    prev = e.hash;
  });
  return problems;
}
