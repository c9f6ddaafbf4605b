import { type Insertable, type Kysely, sql } from 'kysely';
import type { CampaignItemTable, CampaignTable, Database } from '../db/schema.ts';

/** Case states that strike a ledger entry, as SQL sees them (see `isOpen` in cases/case.state.ts). */
const NOT_OPEN = ['closed', 'rejected', 'merged'] as const;

/** Keeps `in (…)` lists to a size every engine plans well. */
const CHUNK = 1000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

export function campaignRepository(db: Kysely<Database>) {
  return {
    async insertCampaign(c: Insertable<CampaignTable>) {
      await db.insertInto('campaign').values(c).execute();
    },

    findCampaign(id: string) {
      return db.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * Campaigns whose scope lies inside the prefix (null: all), newest first, with their item counts as
     * of now: a case item is open while its case is, a point until it is cleared.
     */
    listCampaigns(scopePrefix: string | null) {
      let q = db
        .selectFrom('campaign as c')
        .leftJoin('campaign_item as i', 'i.campaign_id', 'c.id')
        .leftJoin('case_record as r', 'r.id', 'i.case_id')
        .selectAll('c')
        .select((eb) => [
          eb.fn.count<number>('i.id').as('item_count'),
          eb.fn
            .count<number>('i.id')
            .filterWhere((w) =>
              w.or([
                w.and([w('i.case_id', 'is', null), w('i.cleared_at', 'is', null)]),
                w.and([w('i.case_id', 'is not', null), w('r.state', 'not in', [...NOT_OPEN])]),
              ]),
            )
            .as('open_count'),
        ])
        .groupBy(['c.id', 'c.district_code'])
        .orderBy('c.starts_at', 'desc')
        .orderBy('c.id');
      if (scopePrefix !== null) {
        // A prefix that is no territory code (a role without a jurisdiction) matches nothing.
        q = /^\d+$/.test(scopePrefix)
          ? q.where('c.scope_code', 'like', `${scopePrefix}%`)
          : q.where(sql<boolean>`false`);
      }
      return q.execute();
    },

    async insertItems(items: Insertable<CampaignItemTable>[]) {
      for (const part of chunks(items)) {
        // A case added by two people at once goes in once.
        await db
          .insertInto('campaign_item')
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(['district_code', 'campaign_id', 'case_id'])
              .where('case_id', 'is not', null)
              .doNothing(),
          )
          .execute();
      }
    },

    /** Items with what the campaign ledger shows of their case, oldest first. */
    items(campaignId: string) {
      return (
        db
          .selectFrom('campaign_item as i')
          .leftJoin('case_record as r', 'r.id', 'i.case_id')
          .leftJoin('alley as a', 'a.id', 'i.alley_id')
          .selectAll('i')
          .select(['r.case_number', 'r.state as case_state', 'a.name as point_alley_name'])
          .where('i.campaign_id', '=', campaignId)
          // Items added together keep the order of their cases, points after them.
          .orderBy('i.added_at')
          .orderBy(sql`r.case_number asc nulls last`)
          .orderBy('i.label')
          .orderBy('i.id')
          .execute()
      );
    },

    findItem(campaignId: string, itemId: string) {
      return db
        .selectFrom('campaign_item')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('id', '=', itemId)
        .executeTakeFirst();
    },

    /** Clears a point once; returns false when it was cleared already (or is a case, which clears itself). */
    async clearPoint(itemId: string, at: Date, by: string | null, note: string | null): Promise<boolean> {
      const r = await db
        .updateTable('campaign_item')
        .set({ cleared_at: at, cleared_by: by, clear_note: note })
        .where('id', '=', itemId)
        .where('case_id', 'is', null)
        .where('cleared_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async caseIdsIn(campaignId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('campaign_item')
        .select('case_id')
        .where('campaign_id', '=', campaignId)
        .where('case_id', 'is not', null)
        .execute();
      return new Set(rows.map((r) => r.case_id!));
    },

    /** Cases by id or case number. */
    async casesByRef(refs: readonly string[]) {
      if (refs.length === 0) return [];
      const out = [];
      for (const part of chunks(refs)) {
        out.push(
          ...(await db
            .selectFrom('case_record')
            .select([
              'id',
              'case_number',
              'district_code',
              'state',
              'category_key',
              'street_code',
              'community_code',
              'grid_code',
            ])
            .where((eb) => eb.or([eb('id', 'in', part), eb('case_number', 'in', part)]))
            .execute()),
        );
      }
      return out;
    },

    /** Whole case rows by id, for deciding which of a campaign's cases a reader may see. */
    async caseRowsById(ids: readonly string[]) {
      const out = [];
      for (const part of chunks(ids)) {
        if (part.length)
          out.push(...(await db.selectFrom('case_record').selectAll().where('id', 'in', part).execute()));
      }
      return out;
    },

    /** Open cases inside a territory prefix, of the given categories (none: any), for sweeping them in. */
    openCasesIn(districtCode: string, scopePrefix: string, categoryKeys: readonly string[]) {
      const column =
        scopePrefix.length === 6
          ? 'district_code'
          : scopePrefix.length === 9
            ? 'street_code'
            : scopePrefix.length === 12
              ? 'community_code'
              : 'grid_code';
      let q = db
        .selectFrom('case_record')
        .select(['id', 'case_number', 'district_code', 'state', 'category_key', 'street_code'])
        .where('district_code', '=', districtCode)
        .where(column, '=', scopePrefix)
        .where('state', 'not in', [...NOT_OPEN]);
      if (categoryKeys.length) q = q.where('category_key', 'in', [...categoryKeys]);
      return q.orderBy('created_at').limit(20_000).execute();
    },

    /** Every event of these cases, in trail order: the history their items are read from. */
    async caseEvents(caseIds: readonly string[]) {
      const out = [];
      for (const part of chunks(caseIds)) {
        out.push(
          ...(await db
            .selectFrom('case_event')
            .select(['case_id', 'seq', 'at', 'action', 'to_state'])
            .where('case_id', 'in', part)
            .orderBy('case_id')
            .orderBy('seq')
            .execute()),
        );
      }
      return out;
    },
  };
}

export type CampaignRepository = ReturnType<typeof campaignRepository>;
export type CampaignItemView = Awaited<ReturnType<CampaignRepository['items']>>[number];
