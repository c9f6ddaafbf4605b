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
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  // Loops rather than entries/filter/sort/map/join: the same text with far fewer allocations. The
  // default sort orders by UTF-16 code units, as a `<` comparison does.
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${out ? ',' : '{'}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return out ? `${out}}` : '{}';
}

/** The hashed body: the event's fields as `canonicalJson` of them all would give them. */
export function eventBody(event: TrailEvent): string {
  const fields = {
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
  };
  // Written out in the fields' sorted key order rather than through `canonicalJson` of the whole
  // object: the same bytes (a test checks), so existing chains still verify, without sorting and
  // allocating on every event, which made hashing most of the cost of `hutong audit verify`. Only the
  // payload, whose keys vary, needs the general form; an event missing a field takes it too.
  if (
    typeof fields.action !== 'string' ||
    typeof fields.actorRole !== 'string' ||
    fields.actorUserId === undefined ||
    typeof fields.caseId !== 'string' ||
    typeof fields.districtCode !== 'string' ||
    fields.fromState === undefined ||
    fields.reason === undefined ||
    typeof fields.seq !== 'number' ||
    typeof fields.toState !== 'string'
  ) {
    return canonicalJson(fields);
  }
  const text = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  return (
    `{"action":${JSON.stringify(fields.action)},"actorRole":${JSON.stringify(fields.actorRole)},` +
    `"actorUserId":${text(fields.actorUserId)},"at":"${fields.at}",` +
    `"caseId":${JSON.stringify(fields.caseId)},"districtCode":${JSON.stringify(fields.districtCode)},` +
    `"fromState":${text(fields.fromState)},"payload":${canonicalJson(fields.payload)},` +
    `"reason":${text(fields.reason)},"seq":${JSON.stringify(fields.seq)},"toState":${JSON.stringify(fields.toState)}}`
  );
}

export function eventHash(event: TrailEvent, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(eventBody(event)).digest('hex');
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
