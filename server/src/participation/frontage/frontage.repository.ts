import type { Kysely } from 'kysely';
import type { Database, FrontageShopKind } from '../../db/schema.ts';

export interface ShopRow {
  district_code: string;
  id: string;
  alley_id: string;
  alley_name: string;
  street_code: string;
  community_code: string | null;
  name: string;
  kind: FrontageShopKind;
  address: string;
  responsible_name: string;
  responsible_phone: string;
  active: boolean;
  created_at: Date;
}

/** All SQL of frontage responsibility (门前三包). */
export function frontageRepository(db: Kysely<Database>) {
  const shops = () =>
    db
      .selectFrom('frontage_shop as s')
      .innerJoin('alley as a', 'a.id', 's.alley_id')
      .select([
        's.district_code',
        's.id',
        's.alley_id',
        'a.name as alley_name',
        's.street_code',
        's.community_code',
        's.name',
        's.kind',
        's.address',
        's.responsible_name',
        's.responsible_phone',
        's.active',
        's.created_at',
      ]);

  return {
    async insertShop(s: {
      district_code: string;
      id: string;
      alley_id: string;
      street_code: string;
      community_code: string | null;
      name: string;
      kind: FrontageShopKind;
      address: string;
      responsible_name: string;
      responsible_phone: string;
      created_at: Date;
      created_by: string | null;
    }): Promise<void> {
      await db.insertInto('frontage_shop').values(s).execute();
    },

    findShop(id: string): Promise<ShopRow | undefined> {
      return shops().where('s.id', '=', id).executeTakeFirst();
    },

    /** Shops under a territory prefix (street or community code; null: all), or of one alley. */
    listShops(q: { prefix: string | null; alleyId?: string; activeOnly?: boolean }): Promise<ShopRow[]> {
      let query = shops();
      const prefix = q.prefix;
      if (prefix !== null)
        query = query.where((eb) =>
          eb.or([eb('s.street_code', 'like', `${prefix}%`), eb('s.community_code', 'like', `${prefix}%`)]),
        );
      if (q.alleyId) query = query.where('s.alley_id', '=', q.alleyId);
      if (q.activeOnly) query = query.where('s.active', '=', true);
      return query.orderBy('a.name').orderBy('s.address').orderBy('s.name').execute();
    },

    /** Locks a shop's row so that its agreement versions are written one after the other. */
    async lockShop(districtCode: string, id: string): Promise<void> {
      await db
        .selectFrom('frontage_shop')
        .select('id')
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .forUpdate()
        .execute();
    },

    currentAgreement(districtCode: string, shopId: string) {
      return db
        .selectFrom('frontage_agreement')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('shop_id', '=', shopId)
        .where('superseded_at', 'is', null)
        .orderBy('version', 'desc')
        .executeTakeFirst();
    },

    async maxVersion(districtCode: string, shopId: string): Promise<number> {
      const r = await db
        .selectFrom('frontage_agreement')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('district_code', '=', districtCode)
        .where('shop_id', '=', shopId)
        .executeTakeFirst();
      return Number(r?.v ?? 0);
    },

    async supersede(districtCode: string, id: string, at: Date, by: string): Promise<void> {
      await db
        .updateTable('frontage_agreement')
        .set({ superseded_at: at, superseded_by: by })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('superseded_at', 'is', null)
        .execute();
    },

    async insertAgreement(a: {
      district_code: string;
      id: string;
      shop_id: string;
      version: number;
      duties: string;
      stretch: string;
      length_m: number | null;
      signed_on: string;
      valid_until: string;
      signatory: string;
      recorded_by: string | null;
      created_at: Date;
    }): Promise<void> {
      await db.insertInto('frontage_agreement').values(a).execute();
    },

    /** Every agreement of a shop, newest version first. */
    agreements(districtCode: string, shopId: string) {
      return db
        .selectFrom('frontage_agreement')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('shop_id', '=', shopId)
        .orderBy('version', 'desc')
        .execute();
    },

    /** The current (not superseded) agreements of many shops. */
    currentAgreements(shopIds: string[]) {
      if (shopIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('frontage_agreement')
        .selectAll()
        .where('shop_id', 'in', shopIds)
        .where('superseded_at', 'is', null)
        .execute();
    },

    async insertCheck(c: {
      district_code: string;
      id: string;
      shop_id: string;
      checked_on: string;
      appearance_ok: boolean;
      sanitation_ok: boolean;
      order_ok: boolean;
      note: string;
      source: 'staff' | 'inspection';
      inspection_id: string | null;
      recorded_by: string | null;
      created_at: Date;
    }): Promise<void> {
      await db
        .insertInto('frontage_check')
        .values(c)
        .onConflict((oc) => oc.columns(['district_code', 'inspection_id', 'shop_id']).doNothing())
        .execute();
    },

    /** The checks of many shops on days from `from` to `to` (inclusive, 'YYYY-MM-DD'). */
    checks(shopIds: string[], from: string, to: string) {
      if (shopIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('frontage_check as c')
        .leftJoin('app_user as u', 'u.id', 'c.recorded_by')
        .select([
          'c.id',
          'c.shop_id',
          'c.checked_on',
          'c.appearance_ok',
          'c.sanitation_ok',
          'c.order_ok',
          'c.note',
          'c.source',
          'c.inspection_id',
          'u.display_name as recorder_name',
          'c.created_at',
        ])
        .where('c.shop_id', 'in', shopIds)
        .where('c.checked_on', '>=', from)
        .where('c.checked_on', '<=', to)
        .orderBy('c.checked_on', 'desc')
        .orderBy('c.created_at', 'desc')
        .execute();
    },
  };
}
