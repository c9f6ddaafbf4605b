import { type Kysely, sql } from 'kysely';
import type { CaseEventRow, CaseRow, Database } from '../db/schema.ts';
import { eventHash, GENESIS_HASH, type StoredEvent, type TrailEvent } from './case.trail.ts';

export type NewCase = Omit<CaseRow, 'supporters' | 'version' | 'sla_state' | 'snapshot'> & {
  snapshot: Record<string, unknown>;
};

export interface QueueQuery {
  states?: string[];
  /** Territory prefix from the authorisation module; null means unrestricted. */
  scopePrefix: string | null;
  organisationId?: string | null;
  limit: number;
  offset: number;
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

export function caseRepository(db: Kysely<Database>) {
  return {
    /** Next case number of the day in a district; the row lock serialises concurrent intakes. */
    async nextCaseNumber(districtCode: string, day: string): Promise<number> {
      const row = await db
        .insertInto('case_number_counter')
        .values({ district_code: districtCode, day, last: 1 })
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'day'])
            .doUpdateSet({ last: sql<number>`case_number_counter.last + 1` }),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      return row.last;
    },

    async setCaseNumber(id: string, caseNumber: string): Promise<void> {
      await db.updateTable('case_record').set({ case_number: caseNumber }).where('id', '=', id).execute();
    },

    async insertCase(c: NewCase): Promise<void> {
      await db
        .insertInto('case_record')
        .values({ ...c, snapshot: JSON.stringify(c.snapshot) })
        .execute();
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

    async updateCase(
      id: string,
      patch: Partial<Omit<CaseRow, 'snapshot'>> & { snapshot?: Record<string, unknown> },
    ) {
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
        .values({
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
        })
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

    /** Open cases near a point, for duplicate candidates: a bounding box first, the exact distance after. */
    openCasesNear(p: {
      lng: number;
      lat: number;
      dLng: number;
      dLat: number;
      since: Date;
      districtCode: string;
    }) {
      return db
        .selectFrom('case_record')
        .selectAll()
        .where('district_code', '=', p.districtCode)
        .where('state', 'not in', ['closed', 'rejected', 'merged'])
        .where('created_at', '>=', p.since)
        .where('lng', '>=', p.lng - p.dLng)
        .where('lng', '<=', p.lng + p.dLng)
        .where('lat', '>=', p.lat - p.dLat)
        .where('lat', '<=', p.lat + p.dLat)
        .limit(200)
        .execute();
    },

    async queue(q: QueueQuery): Promise<{ items: CaseRow[]; total: number }> {
      let base = db.selectFrom('case_record');
      if (q.states?.length) base = base.where('state', 'in', q.states);
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
      if (q.organisationId) base = base.where('assigned_org_id', '=', q.organisationId);
      const { total } = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const items = await base
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      return { items, total };
    },

    async getIdempotent(scope: string, key: string) {
      return db
        .selectFrom('idempotency_key')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
    },

    async putIdempotent(r: {
      scope: string;
      key: string;
      requestHash: string;
      statusCode: number;
      response: unknown;
      now: Date;
    }) {
      await db
        .insertInto('idempotency_key')
        .values({
          scope: r.scope,
          key: r.key,
          request_hash: r.requestHash,
          status_code: r.statusCode,
          response: JSON.stringify(r.response),
          created_at: r.now,
        })
        .execute();
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
