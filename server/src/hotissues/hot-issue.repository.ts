import { type Kysely, sql } from 'kysely';
import { caseTerritoryColumn } from '../cases/case.scope.ts';
import type { Database } from '../db/schema.ts';

export interface HotIssueCaseRow {
  id: string;
  case_number: string;
  description: string;
  address: string | null;
  alley_name: string | null;
  category_key: string | null;
  reporter_user_id: string | null;
  reporter_contact: string | null;
  supporters: number;
  created_at: Date;
  lng: number;
  lat: number;
  assigned_org_id: string | null;
  state: string;
  street_code: string;
}

/** Characters of a description read: the miner looks at the opening (see MiningOptions.bodyChars). */
const DESCRIPTION_CHARS = 400;

/**
 * The cases inside a territory prefix (null: everywhere). A prefix that is no territory code (a role
 * without a jurisdiction) matches nothing.
 */
function inTerritory(prefix: string | null) {
  if (prefix === null) return sql<boolean>`true`;
  return /^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(prefix)
    ? sql<boolean>`${sql.ref(caseTerritoryColumn(prefix))} = ${prefix}`
    : sql<boolean>`false`;
}

export function hotIssueRepository(db: Kysely<Database>) {
  return {
    /**
     * What changes when the period's hot issues can change: how many cases came in, the newest of them,
     * and the supporters that merges added. Cheap beside mining, so a cached result is kept only while
     * it still matches.
     */
    async fingerprint(prefix: string | null, from: Date, to: Date): Promise<string> {
      const q = db
        .selectFrom('case_record as c')
        .select([
          sql<string>`count(*)::text`.as('n'),
          sql<string | null>`max(c.created_at)::text`.as('newest'),
          sql<string | null>`sum(c.supporters)::text`.as('supporters'),
          sql<string>`count(*) filter (where c.state = 'merged')::text`.as('merged'),
        ])
        .where('c.created_at', '>=', from)
        .where('c.created_at', '<', to);
      const r = await q.where(inTerritory(prefix)).executeTakeFirstOrThrow();
      return `${r.n}|${r.newest}|${r.supporters}|${r.merged}`;
    },

    /**
     * The cases that came in during [from, to) inside the territory prefix (null: everywhere), without
     * the duplicates merged into another case: their reporters count as the original's supporters.
     */
    cases(prefix: string | null, from: Date, to: Date, limit: number): Promise<HotIssueCaseRow[]> {
      let q = db
        .selectFrom('case_record as c')
        .leftJoin('alley as a', 'a.id', 'c.alley_id')
        .select([
          'c.id',
          'c.case_number',
          sql<string>`left(c.description, ${DESCRIPTION_CHARS})`.as('description'),
          'c.address',
          'a.name as alley_name',
          sql<string | null>`coalesce(c.category_key, c.suggested_key)`.as('category_key'),
          'c.reporter_user_id',
          'c.reporter_contact',
          'c.supporters',
          'c.created_at',
          'c.lng',
          'c.lat',
          'c.assigned_org_id',
          'c.state',
          'c.street_code',
        ])
        .where('c.created_at', '>=', from)
        .where('c.created_at', '<', to)
        .where('c.state', '<>', 'merged');
      q = q.where(inTerritory(prefix));
      return q.orderBy('c.created_at').limit(limit).execute() as Promise<HotIssueCaseRow[]>;
    },
  };
}
