import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { CaseEventRow, CaseRow, Database } from '../db/schema.ts';
import { eventHash, GENESIS_HASH, type StoredEvent, type TrailEvent } from './case.trail.ts';

export type NewCase = Omit<CaseRow, 'supporters' | 'version' | 'sla_state'>;

/** A new case's row as the database holds it once written, its defaults filled in. */
export function newCaseRow(c: NewCase): CaseRow {
  return { ...c, supporters: 0, sla_state: 'green', version: 1 };
}

export interface QueueQuery {
  states?: string[];
  /** Only cases filed under this taxonomy key. */
  categoryKey?: string;
  /** Territory prefix from the authorisation module; null means unrestricted. */
  scopePrefix: string | null;
  organisationId?: string | null;
  limit: number;
  offset: number;
  /** Count matching cases up to this many (QUEUE_COUNT_CAP by default). */
  countCap?: number;
}

/** A queue counts its matching cases up to this many and then says "more than this" (10,000+). */
export const QUEUE_COUNT_CAP = 10_000;

/** The states a case can be in while its assignment is a joint action (tier 3, 吹哨). */
const JOINT_STATES = ['joint_action', 'awaiting_acceptance', 'suspended', 'closed'];

/**
 * Cases an organisation is responsible for, matched as the ledgers match them: assigned to it, or
 * summoned to their joint action (`assigned_org_id` holds only the first summoned unit). A queue of
 * states no joint action is in keeps the plain match and its plan on `case_org_state_idx`. The
 * containment is written on `snapshot->'assignment'->'unitIds'` so that an expression GIN index on
 * it can serve the branch.
 */
function heldBy(org: string, states: readonly string[] | undefined) {
  const joint = !states?.length || JOINT_STATES.some((s) => states.includes(s));
  return (eb: ExpressionBuilder<Database, 'case_record'>) =>
    joint
      ? eb.or([
          eb('assigned_org_id', '=', org),
          sql<boolean>`snapshot->'assignment'->'unitIds' @> jsonb_build_array(${org}::text)`,
        ])
      : eb('assigned_org_id', '=', org);
}

function toStored(r: CaseEventRow): StoredEvent {
  return {
    caseId: r.case_id,
    seq: r.seq,
    districtCode: r.district_code,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    reason: r.reason,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** An Idempotency-Key claimed by a request, stored with the response it got. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
  now: Date;
}

/** A report to write: the case, its first event and, when the request carried one, its key. */
export interface NewReport {
  case: NewCase;
  event: Omit<TrailEvent, 'seq'>;
  idempotency: IdempotencyRecord | null;
}

/** A case number, or the answer already given under the intake's Idempotency-Key. */
export type NumberOrReplay = { number: number; prior: null } | { number: null; prior: StoredIdempotency };

/** An Idempotency-Key's stored answer: what a replay compares and returns. */
export interface StoredIdempotency {
  request_hash: string;
  status_code: number;
  response: unknown;
}

/** The PostgreSQL type of a column, as the rows of a multi-row insert are sent (one array per column). */
type ColumnType = 'text' | 'jsonb' | 'float8' | 'int2' | 'int4' | 'bool' | 'timestamptz';

/**
 * Every column of new reports' rows with its type, in a fixed order, so that the statement's text never
 * changes whatever the number of rows (an object literal: a column the row lacks, or one left out,
 * fails to compile).
 */
const NEW_CASE_COLUMNS: Record<keyof NewCase, ColumnType> = {
  id: 'text',
  district_code: 'text',
  case_number: 'text',
  tracking_code: 'text',
  channel: 'text',
  state: 'text',
  snapshot: 'jsonb',
  category_key: 'text',
  suggested_key: 'text',
  suggested_confidence: 'float8',
  suggested_model: 'text',
  description: 'text',
  address: 'text',
  lng: 'float8',
  lat: 'float8',
  crs_in: 'text',
  h3_r9: 'text',
  street_code: 'text',
  community_code: 'text',
  grid_code: 'text',
  alley_id: 'text',
  public: 'bool',
  severity: 'text',
  tier: 'int2',
  assigned_org_id: 'text',
  reporter_user_id: 'text',
  reporter_name: 'text',
  reporter_contact: 'text',
  external_ref: 'text',
  merged_into: 'text',
  response_deadline: 'timestamptz',
  handling_deadline: 'timestamptz',
  original_handling_deadline: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  closed_at: 'timestamptz',
};

const EVENT_TYPES: Record<keyof ReturnType<typeof eventRow>, ColumnType> = {
  case_id: 'text',
  seq: 'int4',
  district_code: 'text',
  at: 'timestamptz',
  actor_user_id: 'text',
  actor_role: 'text',
  action: 'text',
  from_state: 'text',
  to_state: 'text',
  reason: 'text',
  payload: 'jsonb',
  prev_hash: 'text',
  hash: 'text',
};

/** A trail event's columns, in the order the intake statement and the benchmark's loader write them. */
export const EVENT_COLUMNS = Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[];

const KEY_TYPES: Record<keyof ReturnType<typeof idempotencyRow>, ColumnType> = {
  district_code: 'text',
  scope: 'text',
  key: 'text',
  request_hash: 'text',
  status_code: 'int4',
  response: 'jsonb',
  created_at: 'timestamptz',
};

/**
 * `insert into table (columns) select … from unnest($1::type[], …)`: any number of rows under one
 * statement text, one array parameter per column. JSON travels as text and is cast per row.
 */
function insertRows<Row extends object>(
  table: string,
  types: Record<keyof Row & string, ColumnType>,
  rows: Row[],
) {
  const columns = Object.keys(types) as (keyof Row & string)[];
  const arrays = columns.map((c) => {
    const type = types[c] === 'jsonb' ? 'text' : types[c];
    return sql`${rows.map((r) => r[c])}::${sql.raw(type)}[]`;
  });
  const selected = columns.map((c) => (types[c] === 'jsonb' ? `${c}::jsonb` : c)).join(', ');
  return sql`insert into ${sql.raw(table)} (${sql.raw(columns.join(', '))})
    select ${sql.raw(selected)} from unnest(${sql.join(arrays)}) as r (${sql.raw(columns.join(', '))})`;
}

/** A key's row lives in the district of the case it created (docs/decisions/0004-citus-distribution.md). */
function idempotencyRow(r: IdempotencyRecord, districtCode: string) {
  return {
    district_code: districtCode,
    scope: r.scope,
    key: r.key,
    request_hash: r.requestHash,
    status_code: r.statusCode,
    response: JSON.stringify(r.response),
    created_at: r.now,
  };
}

function eventRow(event: TrailEvent, prevHash: string, hash: string) {
  return {
    case_id: event.caseId,
    seq: event.seq,
    district_code: event.districtCode,
    at: event.at,
    actor_user_id: event.actorUserId,
    actor_role: event.actorRole,
    action: event.action,
    from_state: event.fromState,
    to_state: event.toState,
    reason: event.reason,
    payload: JSON.stringify(event.payload ?? {}),
    prev_hash: prevHash,
    hash,
  };
}

/** A case's first event: always seq 1 after the genesis hash, so nothing needs to be read to chain it. */
function firstEvent(e: Omit<TrailEvent, 'seq'>) {
  const event: TrailEvent = { ...e, seq: 1 };
  const hash = eventHash(event, GENESIS_HASH);
  return {
    event: { ...event, prevHash: GENESIS_HASH, hash } as StoredEvent,
    row: eventRow(event, GENESIS_HASH, hash),
  };
}

export function caseRepository(db: Kysely<Database>) {
  return {
    /**
     * Takes the next case number of the day in a district, as a statement of its own (autocommit) with
     * asynchronous commit. The counter row is then locked for this one statement only, instead of for
     * the whole intake and its durable flush, which serialised every report of a district (see
     * docs/decisions/0002-case-numbers-outside-intake.md). Asynchronous commit is safe here: the case that
     * carries the number commits durably later, and that flush writes out this earlier WAL record too,
     * so a crash can only lose numbers whose cases were lost as well. The price is an occasional gap.
     * Must not be called inside a transaction: the number would stay locked until its end.
     *
     * Takes numbers for several intakes at once (CaseNumberTaker groups them), in the order asked. An
     * ask with an Idempotency-Key first looks for the answer already given under that key, in the same
     * statement, and takes no number when there is one: a keyed intake makes its replay check and takes
     * its number in one round trip.
     */
    async nextCaseNumbers(
      districtCode: string,
      day: string,
      asks: readonly ({ scope: string; key: string } | null)[],
    ): Promise<NumberOrReplay[]> {
      const { rows } = await sql<{
        i: number | null;
        last: number | null;
        request_hash: string | null;
        status_code: number | null;
        response: unknown;
      }>`${prepared('next_case_numbers')}
        with asked as (
          select a.scope, a.key, a.i::int as i
          from unnest(${asks.map((a) => a?.scope ?? null)}::text[], ${asks.map((a) => a?.key ?? null)}::text[])
            with ordinality as a (scope, key, i)
        ), prior as (
          -- A lateral probe per ask (LIMIT keeps it from being flattened into a join): the key's
          -- primary-key index whatever plan is cached. A join here let the prepared statement's
          -- generic plan, made for an unknown number of asks, scan the whole key table instead.
          select asked.i, k.request_hash, k.status_code, k.response
          from asked cross join lateral (
            select request_hash, status_code, response from idempotency_key
            where district_code = ${districtCode} and scope = asked.scope and key = asked.key
            limit 1
          ) as k
        ), taken as (
          insert into case_number_counter (district_code, day, last)
          select ${districtCode}, ${day}, needed.n
          from (select count(*)::int as n from asked where i not in (select i from prior)) as needed,
            (select set_config('synchronous_commit', 'off', true)) as async_commit
          where needed.n > 0
          on conflict (district_code, day) do update set last = case_number_counter.last + excluded.last
          returning last
        )
        select prior.i, taken.last, prior.request_hash, prior.status_code, prior.response
        from (values (1)) as one (x) left join taken on true left join prior on true`.execute(db);
      const priors = new Map<number, StoredIdempotency>();
      let last = 0;
      for (const r of rows) {
        if (r.last !== null) last = r.last;
        if (r.i !== null)
          priors.set(r.i - 1, {
            request_hash: r.request_hash!,
            status_code: r.status_code!,
            response: r.response,
          });
      }
      // The new reports' numbers are the last `needed` ones, handed out in the order they were asked.
      let number = last - (asks.length - priors.size);
      return asks.map((_, i) => {
        const prior = priors.get(i);
        return prior ? { number: null, prior } : { number: ++number, prior: null };
      });
    },

    /**
     * Writes new reports in one statement: the cases, their first events and, for requests that carried
     * an Idempotency-Key, the keys' rows. One statement is atomic by itself, so without a surrounding
     * transaction this costs one round trip instead of BEGIN, three inserts and COMMIT, and a report
     * that cannot be written (a twin request that lost the race on its key, say) leaves nothing of any
     * report behind. The text is the same for any number of reports, so it is prepared once per
     * connection.
     */
    async insertReports(reports: readonly NewReport[]): Promise<StoredEvent[]> {
      const firsts = reports.map((r) => firstEvent(r.event));
      const cases = reports.map((r) => ({ ...r.case, snapshot: JSON.stringify(r.case.snapshot) }));
      const keys = reports.flatMap((r) =>
        r.idempotency ? [idempotencyRow(r.idempotency, r.case.district_code)] : [],
      );
      await sql`${prepared('insert_reports')}
        with new_case as (${insertRows('case_record', NEW_CASE_COLUMNS, cases)} returning id),
        new_event as (${insertRows(
          'case_event',
          EVENT_TYPES,
          firsts.map((f) => f.row),
        )} returning seq)
        ${insertRows('idempotency_key', KEY_TYPES, keys)}`.execute(db);
      return firsts.map((f) => f.event);
    },

    findById(id: string) {
      return db.selectFrom('case_record').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** A case by id, case number or tracking code. */
    findByAnyId(ref: string) {
      return db
        .selectFrom('case_record')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', ref), eb('case_number', '=', ref)]))
        .executeTakeFirst();
    },

    findByTrackingCode(code: string) {
      return db.selectFrom('case_record').selectAll().where('tracking_code', '=', code).executeTakeFirst();
    },

    /** Locks the case row so that events of one case are appended one at a time, in order. */
    lockCase(id: string) {
      return db.selectFrom('case_record').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },

    async updateCase(id: string, patch: Partial<Omit<CaseRow, 'id' | 'version' | 'supporters'>>) {
      const { snapshot, ...rest } = patch;
      await db
        .updateTable('case_record')
        .set({
          ...rest,
          ...(snapshot && { snapshot: JSON.stringify(snapshot) }),
          version: sql<number>`version + 1`,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Appends an event to a case's chain. Call inside the transaction that changed the case, after lockCase. */
    async appendEvent(e: Omit<TrailEvent, 'seq'>): Promise<StoredEvent> {
      const last = await db
        .selectFrom('case_event')
        .select(['seq', 'hash'])
        .where('case_id', '=', e.caseId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const event: TrailEvent = { ...e, seq: (last?.seq ?? 0) + 1 };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = eventHash(event, prevHash);
      await db
        .insertInto('case_event')
        .values(eventRow(event, prevHash, hash))
        .execute();
      return { ...event, prevHash, hash };
    },

    async events(caseId: string): Promise<StoredEvent[]> {
      const rows = await db
        .selectFrom('case_event')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('seq')
        .execute();
      return rows.map(toStored);
    },

    /** Streams every case's events in chain order, district by district, for `hutong audit verify`. */
    async *allEventsByCase(districtCode?: string): AsyncGenerator<{ caseId: string; events: StoredEvent[] }> {
      let after = '';
      for (;;) {
        let q = db.selectFrom('case_record').select('id').where('id', '>', after).orderBy('id').limit(500);
        if (districtCode) q = q.where('district_code', '=', districtCode);
        const ids = (await q.execute()).map((r) => r.id);
        if (!ids.length) return;
        const rows = await db
          .selectFrom('case_event')
          .selectAll()
          .where('case_id', 'in', ids)
          .orderBy('case_id')
          .orderBy('seq')
          .execute();
        const byCase = new Map<string, StoredEvent[]>(ids.map((id) => [id, []]));
        for (const r of rows) byCase.get(r.case_id)?.push(toStored(r));
        for (const [caseId, events] of byCase) yield { caseId, events };
        after = ids.at(-1)!;
      }
    },

    async addFollower(caseId: string, followerCaseId: string, districtCode: string, now: Date) {
      await db
        .insertInto('case_follower')
        .values({
          case_id: caseId,
          follower_case_id: followerCaseId,
          district_code: districtCode,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await db
        .updateTable('case_record')
        .set({ supporters: sql<number>`supporters + 1` })
        .where('id', '=', caseId)
        .execute();
    },

    /**
     * Cases reported since `since` in any of these H3 cells, for duplicate candidates: served by
     * `case_h3_idx (h3_r9, created_at)`, so the cost follows the cases of a few hundred metres and
     * days, not the district's history. Distance, district and state are checked by the caller.
     */
    casesInCells(cells: readonly string[], since: Date, limit: number) {
      return db
        .selectFrom('case_record')
        .selectAll()
        .where('h3_r9', 'in', cells)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },

    /**
     * One page of a queue and how many cases match, counted up to `countCap` + 1: a district's whole
     * history would otherwise be counted on every page (390 ms at 1,000,000 cases, and growing).
     * `totalCapped` says that more than `countCap` match; `total` is then `countCap`.
     */
    async queue(q: QueueQuery): Promise<{ items: CaseRow[]; total: number; totalCapped: boolean }> {
      let base = db.selectFrom('case_record');
      if (q.states?.length) base = base.where('state', 'in', q.states);
      if (q.categoryKey) base = base.where('category_key', '=', q.categoryKey);
      if (q.scopePrefix) {
        const p = q.scopePrefix;
        base =
          p.length <= 6
            ? base.where('district_code', '=', p)
            : p.length <= 9
              ? base.where('street_code', '=', p)
              : p.length <= 12
                ? base.where('community_code', '=', p)
                : base.where('grid_code', '=', p);
      }
      if (q.organisationId) base = base.where(heldBy(q.organisationId, q.states));
      const cap = q.countCap ?? QUEUE_COUNT_CAP;
      const { counted } = await db
        .selectFrom(
          base
            .select(sql<number>`1`.as('one'))
            .limit(cap + 1)
            .as('matching'),
        )
        .select((eb) => eb.fn.countAll<number>().as('counted'))
        .executeTakeFirstOrThrow();
      const n = Number(counted);
      const items = await base
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return { items, total: Math.min(n, cap), totalCapped: n > cap };
    },

    async getIdempotent(scope: string, key: string) {
      return db
        .selectFrom('idempotency_key')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
    },

    /** Public cases of an alley: open and closed counts and the most recent, for its notice board. */
    async alleyBoard(alleyId: string, limit: number) {
      const counts = await db
        .selectFrom('case_record')
        .select((eb) => [
          eb.fn
            .countAll<number>()
            .filterWhere('state', 'not in', ['closed', 'rejected', 'merged'])
            .as('open'),
          eb.fn.countAll<number>().filterWhere('state', '=', 'closed').as('closed'),
        ])
        .where('alley_id', '=', alleyId)
        .where('public', '=', true)
        .executeTakeFirstOrThrow();
      const recent = await db
        .selectFrom('case_record')
        .select(['tracking_code', 'case_number', 'state', 'category_key', 'created_at', 'closed_at'])
        .where('alley_id', '=', alleyId)
        .where('public', '=', true)
        .where('state', 'not in', ['rejected', 'merged'])
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return { open: counts.open, closed: counts.closed, recent };
    },

    organisationName(id: string) {
      return db.selectFrom('organisation').select('name').where('id', '=', id).executeTakeFirst();
    },
  };
}

export type CaseRepository = ReturnType<typeof caseRepository>;
