import { type Kysely, sql } from 'kysely';
import type {
  Database,
  NewRoutingRule,
  NewTaxonomyEntry,
  RoutingRuleUpdate,
  TaxonomyEntryRow,
  TaxonomyVersionRow,
} from '../db/schema.ts';
import type { Kind } from './taxonomy.schema.ts';

export interface EntryFilter {
  kind?: Kind;
  q?: string;
}

export interface RuleFilter {
  keyPattern?: string;
  territoryPrefix?: string;
  organisationId?: string;
  origin?: 'default' | 'manual';
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function taxonomyRepository(db: Kysely<Database>) {
  return {
    /**
     * Serialises taxonomy and rule writes of one district until the transaction ends, so that two
     * editors cannot both copy the same active version and have one edit silently replace the other.
     */
    async lockDistrict(districtCode: string): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${`taxonomy:${districtCode}`}))`.execute(db);
    },

    // ---- versions -------------------------------------------------------------------------------

    listVersions(districtCode: string) {
      return db
        .selectFrom('taxonomy_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .orderBy('number', 'desc')
        .execute();
    },

    findVersion(id: string): Promise<TaxonomyVersionRow | undefined> {
      return db.selectFrom('taxonomy_version').selectAll().where('id', '=', id).executeTakeFirst();
    },

    activeVersion(districtCode: string): Promise<TaxonomyVersionRow | undefined> {
      return db
        .selectFrom('taxonomy_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .executeTakeFirst();
    },

    async districtsWithActiveVersion(): Promise<string[]> {
      const rows = await db
        .selectFrom('taxonomy_version')
        .select('district_code')
        .where('active', '=', true)
        .orderBy('district_code')
        .execute();
      return rows.map((r) => r.district_code);
    },

    async nextVersionNumber(districtCode: string): Promise<number> {
      const row = await db
        .selectFrom('taxonomy_version')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('district_code', '=', districtCode)
        .executeTakeFirst();
      return Number(row?.n ?? 0) + 1;
    },

    async insertVersion(v: {
      id: string;
      districtCode: string;
      number: number;
      label: string;
      basedOn: string | null;
      createdAt: Date;
      createdBy: string | null;
    }): Promise<void> {
      await db
        .insertInto('taxonomy_version')
        .values({
          id: v.id,
          district_code: v.districtCode,
          number: v.number,
          label: v.label,
          based_on: v.basedOn,
          created_at: v.createdAt,
          created_by: v.createdBy,
          active: false,
        })
        .execute();
    },

    /** Makes one version the district's only active one (the partial unique index enforces "only"). */
    async activate(districtCode: string, id: string): Promise<void> {
      await db
        .updateTable('taxonomy_version')
        .set({ active: false })
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .execute();
      await db.updateTable('taxonomy_version').set({ active: true }).where('id', '=', id).execute();
    },

    // ---- entries --------------------------------------------------------------------------------

    async insertEntries(rows: NewTaxonomyEntry[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 200) {
        await db
          .insertInto('taxonomy_entry')
          .values(rows.slice(i, i + 200))
          .execute();
      }
    },

    async copyEntries(fromVersionId: string, toVersionId: string): Promise<void> {
      await db
        .insertInto('taxonomy_entry')
        .columns([
          'version_id',
          'district_code',
          'key',
          'kind',
          'code',
          'major_class',
          'name',
          'keywords',
          'default_department_type',
          'response_limit_amount',
          'response_limit_unit',
          'handling_limit_amount',
          'handling_limit_unit',
          'severity',
          'public',
          'related_keys',
        ])
        .expression((eb) =>
          eb
            .selectFrom('taxonomy_entry')
            .select([
              sql.val(toVersionId).as('version_id'),
              'district_code',
              'key',
              'kind',
              'code',
              'major_class',
              'name',
              'keywords',
              'default_department_type',
              'response_limit_amount',
              'response_limit_unit',
              'handling_limit_amount',
              'handling_limit_unit',
              'severity',
              'public',
              'related_keys',
            ])
            .where('version_id', '=', fromVersionId),
        )
        .execute();
    },

    async updateEntry(
      versionId: string,
      key: string,
      set: Partial<Omit<NewTaxonomyEntry, 'version_id' | 'key' | 'district_code'>>,
    ): Promise<void> {
      await db
        .updateTable('taxonomy_entry')
        .set(set)
        .where('version_id', '=', versionId)
        .where('key', '=', key)
        .execute();
    },

    listEntries(versionId: string, filter: EntryFilter = {}): Promise<TaxonomyEntryRow[]> {
      let q = db.selectFrom('taxonomy_entry').selectAll().where('version_id', '=', versionId);
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      if (filter.q) {
        const like = `%${escapeLike(filter.q)}%`;
        q = q.where((eb) =>
          eb.or([
            eb('name', 'like', like),
            eb('code', 'like', `${escapeLike(filter.q!)}%`),
            eb('key', '=', filter.q!),
            eb(sql<string>`array_to_string(keywords, '|')`, 'like', like),
          ]),
        );
      }
      return q.orderBy('kind').orderBy('code').execute();
    },

    findEntry(versionId: string, key: string): Promise<TaxonomyEntryRow | undefined> {
      return db
        .selectFrom('taxonomy_entry')
        .selectAll()
        .where('version_id', '=', versionId)
        .where('key', '=', key)
        .executeTakeFirst();
    },

    async entryCounts(versionIds: string[]): Promise<Map<string, number>> {
      if (!versionIds.length) return new Map();
      const rows = await db
        .selectFrom('taxonomy_entry')
        .select(['version_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('version_id', 'in', versionIds)
        .groupBy('version_id')
        .execute();
      return new Map(rows.map((r) => [r.version_id, Number(r.n)]));
    },

    // ---- routing rules --------------------------------------------------------------------------

    listRules(districtCode: string, filter: RuleFilter = {}) {
      let q = db
        .selectFrom('routing_rule as r')
        .leftJoin('organisation as o', 'o.id', 'r.organisation_id')
        .selectAll('r')
        .select(['o.name as organisation_name', 'o.active as organisation_active'])
        .where('r.district_code', '=', districtCode);
      if (filter.keyPattern) q = q.where('r.key_pattern', '=', filter.keyPattern);
      if (filter.territoryPrefix) q = q.where('r.territory_prefix', '=', filter.territoryPrefix);
      if (filter.organisationId) q = q.where('r.organisation_id', '=', filter.organisationId);
      if (filter.origin) q = q.where('r.origin', '=', filter.origin);
      return q.orderBy('r.key_pattern').orderBy('r.territory_prefix').orderBy('r.id').execute();
    },

    findRule(id: string) {
      return db
        .selectFrom('routing_rule as r')
        .leftJoin('organisation as o', 'o.id', 'r.organisation_id')
        .selectAll('r')
        .select(['o.name as organisation_name', 'o.active as organisation_active'])
        .where('r.id', '=', id)
        .executeTakeFirst();
    },

    /** Inserts rules, leaving alone any whose id already exists (a default rule someone has edited). */
    async insertRules(rows: NewRoutingRule[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 200) {
        await db
          .insertInto('routing_rule')
          .values(rows.slice(i, i + 200))
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    },

    /** Optimistic concurrency: the update applies only to the version the editor saw. */
    async updateRule(id: string, expectedVersion: number, set: RoutingRuleUpdate): Promise<boolean> {
      const r = await db
        .updateTable('routing_rule')
        .set({ ...set, version: sql<number>`version + 1` })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async deleteRule(id: string): Promise<boolean> {
      const r = await db.deleteFrom('routing_rule').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },

    async deleteDefaultRulesExcept(districtCode: string, keep: string[]): Promise<number> {
      let q = db
        .deleteFrom('routing_rule')
        .where('district_code', '=', districtCode)
        .where('origin', '=', 'default');
      if (keep.length) q = q.where('id', 'not in', keep);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type TaxonomyRepository = ReturnType<typeof taxonomyRepository>;
