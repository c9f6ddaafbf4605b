import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { LedgerFilter } from '../accounts/authorisation.ts';
import { caseTerritoryColumn, summonedUnitsInclude } from '../cases/case.scope.ts';
import type { Database } from '../db/schema.ts';

/** States that are not ledger entries at all: a rejected report was never filed, a merged one lives on in its original. */
export const NOT_ENTRIES = ['rejected', 'merged'] as const;
/** Struck entries (销账). */
export const STRUCK = ['closed'] as const;

export type LedgerStateFilter = 'open' | 'closed' | 'all';

export interface LedgerQuery {
  filter: LedgerFilter;
  state: LedgerStateFilter;
  /** Found (created) at or after this instant. */
  from?: Date;
  /** Found before this instant. */
  before?: Date;
  categoryKey?: string;
  /**
   * The responsible unit the caller asked for. Applied on top of `filter`, so for a department or
   * contractor, already bound to its own organisation, naming another unit yields nothing.
   */
  unitId?: string;
}

/** What the trail says about handling and re-checking; the ledger shows the latest of each. */
export const TRAIL_FACT_ACTIONS = [
  'feedback',
  'verify_pass',
  'verify_fail',
  'accept_joint_action',
  'refuse_joint_action',
] as const;

/** Cases an organisation is responsible for. */
function heldBy(org: string) {
  return (eb: ExpressionBuilder<CaseScope, 'c'>) =>
    eb.or([
      eb('c.assigned_org_id', '=', org),
      // A tier-3 case is assigned to every summoned unit; the column holds only the first of them.
      summonedUnitsInclude(org),
    ]);
}

type CaseScope = Database & { c: Database['case_record'] };

export function ledgerRepository(db: Kysely<Database>) {
  const base = () =>
    db
      .selectFrom('case_record as c')
      .leftJoin('street as s', 's.code', 'c.street_code')
      .leftJoin('community as m', 'm.code', 'c.community_code')
      .leftJoin('alley as a', 'a.id', 'c.alley_id');

  const filtered = (q: LedgerQuery) => {
    let qb = base().where('c.state', 'not in', [...NOT_ENTRIES]);
    if (q.state === 'open') qb = qb.where('c.state', 'not in', [...STRUCK]);
    if (q.state === 'closed') qb = qb.where('c.state', 'in', [...STRUCK]);
    const prefix = q.filter.territoryPrefix;
    // The authorisation module hands a role without a jurisdiction or organisation a value that is no
    // code, meaning "nothing"; it must not reach PostgreSQL, which refuses NUL characters in text.
    if (prefix !== null) {
      qb = /^\d{6,15}$/.test(prefix)
        ? qb.where(caseTerritoryColumn(prefix), '=', prefix)
        : qb.where(sql<boolean>`false`);
    }
    const org = q.filter.organisationId;
    if (org?.includes('\u0000')) qb = qb.where(sql<boolean>`false`);
    else if (org !== null) qb = qb.where(heldBy(org));
    if (q.unitId !== undefined) qb = qb.where(heldBy(q.unitId));
    if (q.from) qb = qb.where('c.created_at', '>=', q.from);
    if (q.before) qb = qb.where('c.created_at', '<', q.before);
    if (q.categoryKey) qb = qb.where('c.category_key', '=', q.categoryKey);
    return qb;
  };

  const entryColumns = (qb: ReturnType<typeof base>) =>
    qb.select([
      'c.id',
      'c.case_number',
      'c.district_code',
      'c.category_key',
      'c.description',
      'c.address',
      'c.lng',
      'c.lat',
      'c.street_code',
      'c.community_code',
      'c.alley_id',
      'c.state',
      'c.tier',
      'c.snapshot',
      'c.assigned_org_id',
      'c.created_at',
      'c.handling_deadline',
      'c.closed_at',
      's.name as street_name',
      'm.name as community_name',
      'a.name as alley_name',
    ]);

  return {
    async count(q: LedgerQuery): Promise<{ total: number; open: number }> {
      const row = await filtered(q)
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn
            .count<number>('c.id')
            .filterWhere('c.state', 'not in', [...STRUCK])
            .as('open'),
        ])
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), open: Number(row.open) };
    },

    /** One page, newest first, as a person browses. */
    page(q: LedgerQuery, limit: number, offset: number) {
      return entryColumns(filtered(q))
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
    },

    /** Batches in the order a ledger is kept (oldest first), by keyset so a long export stays linear. */
    async *batches(q: LedgerQuery, size = 1000) {
      let after: { at: Date; id: string } | null = null;
      for (;;) {
        let qb = entryColumns(filtered(q));
        if (after) {
          const { at, id } = after;
          qb = qb.where((eb) =>
            eb.or([eb('c.created_at', '>', at), eb.and([eb('c.created_at', '=', at), eb('c.id', '>', id)])]),
          );
        }
        const rows = await qb.orderBy('c.created_at').orderBy('c.id').limit(size).execute();
        if (rows.length === 0) return;
        yield rows;
        const last = rows.at(-1)!;
        after = { at: last.created_at, id: last.id };
        if (rows.length < size) return;
      }
    },

    /** Cases by id with the same columns as a ledger row (campaign ledgers list their cases this way). */
    byIds(ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return entryColumns(base())
        .where('c.id', 'in', [...ids])
        .execute();
    },

    /** The handling and re-checking events of these cases, in trail order. */
    trailFacts(caseIds: readonly string[]) {
      if (caseIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('case_event')
        .select(['case_id', 'seq', 'at', 'action', 'reason', 'payload'])
        .where('case_id', 'in', [...caseIds])
        .where('action', 'in', [...TRAIL_FACT_ACTIONS])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
    },

    async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('organisation')
        .select(['id', 'name'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async users(ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, { name: string; organisationId: string | null }>();
      const rows = await db
        .selectFrom('app_user')
        .select(['id', 'display_name', 'organisation_id'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, { name: r.display_name, organisationId: r.organisation_id }]));
    },

    /**
     * The name of each category key in a district: from the active taxonomy version when it has the key,
     * else from the newest version that had it (a case keeps the category it was filed under).
     */
    async categoryNames(districtCode: string, keys: readonly string[]): Promise<Map<string, string>> {
      if (keys.length === 0) return new Map();
      const rows = await db
        .selectFrom('taxonomy_entry as e')
        .innerJoin('taxonomy_version as v', 'v.id', 'e.version_id')
        .select(['e.key', 'e.name', 'v.active', 'v.number'])
        .where('e.district_code', '=', districtCode)
        .where('e.key', 'in', [...keys])
        .orderBy('v.active', 'desc')
        .orderBy('v.number', 'desc')
        .execute();
      const names = new Map<string, string>();
      for (const r of rows) if (!names.has(r.key)) names.set(r.key, r.name);
      return names;
    },
  };
}

export type LedgerRepository = ReturnType<typeof ledgerRepository>;
export type LedgerCaseRow = Awaited<ReturnType<LedgerRepository['page']>>[number];
