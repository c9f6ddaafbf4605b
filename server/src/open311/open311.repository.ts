import { type Kysely, sql } from 'kysely';
import type {
  Database,
  LineStringGeometry,
  Open311ClientRow,
  Open311Datatype,
  Open311RequestRow,
  Open311RequestUpdateRow,
  Open311ServiceAttributeRow,
} from '../db/schema.ts';

/**
 * The SQL of the Open311 interface. It owns the four open311_* tables and reads, never writes, the
 * cases, their trail, the territory and the photos it publishes: a GeoReport listing of a thousand
 * requests is one query with its joins, not a thousand calls through other services.
 */

export interface RequestFilter {
  districtCode: string;
  /** Taxonomy keys of private categories: their cases never leave through Open311. */
  privateKeys: readonly string[];
  caseNumbers?: readonly string[];
  categoryKeys?: readonly string[];
  /** With `categoryKeys`: also the cases filed without a category (the catch-all service). */
  uncategorised?: boolean;
  from?: Date;
  to?: Date;
  /** 'open' or 'closed' or both; states are grouped by `closedStates`. */
  statuses?: readonly ('open' | 'closed')[];
  closedStates: readonly string[];
  limit: number;
  offset: number;
}

export interface UpdateFilter {
  districtCode: string;
  privateKeys: readonly string[];
  from: Date;
  to: Date;
  caseNumber?: string;
  limit: number;
  offset: number;
}

export interface NewAttribute {
  id: string;
  districtCode: string;
  serviceKey: string;
  code: string;
  variable: boolean;
  datatype: Open311Datatype;
  required: boolean;
  datatypeDescription: string | null;
  description: string;
  order: number;
  values: { key: string; name: string }[];
  now: Date;
  createdBy: string | null;
}

export type NewOpen311Request = Omit<Open311RequestRow, 'attributes'> & {
  attributes: Record<string, string | string[]>;
};

export type NewRequestUpdate = Open311RequestUpdateRow;

const CHANGESET_KEY = (district: string) => `open311.changeset.${district}`;

export function open311Repository(db: Kysely<Database>) {
  /** Public cases of a district whose category is not private. */
  function publicCases(districtCode: string, privateKeys: readonly string[]) {
    let q = db
      .selectFrom('case_record as c')
      .where('c.district_code', '=', districtCode)
      .where('c.public', '=', true);
    if (privateKeys.length) {
      q = q.where((eb) =>
        eb.or([eb('c.category_key', 'is', null), eb('c.category_key', 'not in', [...privateKeys])]),
      );
    }
    return q;
  }

  return {
    // ---- jurisdictions -------------------------------------------------------------------------

    listDistricts() {
      return db.selectFrom('district').select(['code', 'name']).orderBy('code').execute();
    },

    // ---- clients -------------------------------------------------------------------------------

    async insertClient(c: Omit<Open311ClientRow, 'active'>): Promise<void> {
      await db.insertInto('open311_client').values(c).execute();
    },

    /** Inserts a client unless one with this id exists (the demo client, seeded once). */
    async ensureClient(c: Omit<Open311ClientRow, 'active'>): Promise<void> {
      await db
        .insertInto('open311_client')
        .values(c)
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    findClient(id: string) {
      return db.selectFrom('open311_client').selectAll().where('id', '=', id).executeTakeFirst();
    },

    findClientByKeyHash(hash: string) {
      return db.selectFrom('open311_client').selectAll().where('api_key_hash', '=', hash).executeTakeFirst();
    },

    listClients(districtPrefix: string | null) {
      let q = db.selectFrom('open311_client').selectAll().orderBy('created_at').orderBy('id');
      if (districtPrefix !== null) q = q.where('district_code', 'like', `${districtPrefix.slice(0, 6)}%`);
      return q.execute();
    },

    async deactivateClient(id: string): Promise<void> {
      await db.updateTable('open311_client').set({ active: false }).where('id', '=', id).execute();
    },

    // ---- service attributes --------------------------------------------------------------------

    listAttributes(districtCode: string, serviceKey?: string): Promise<Open311ServiceAttributeRow[]> {
      let q = db
        .selectFrom('open311_service_attribute')
        .selectAll()
        .where('district_code', '=', districtCode)
        .orderBy('service_key')
        .orderBy('position');
      if (serviceKey) q = q.where('service_key', '=', serviceKey);
      return q.execute();
    },

    /** Taxonomy keys that have at least one attribute: their services carry metadata. */
    async keysWithAttributes(districtCode: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('open311_service_attribute')
        .select('service_key')
        .distinct()
        .where('district_code', '=', districtCode)
        .execute();
      return new Set(rows.map((r) => r.service_key));
    },

    findAttribute(id: string) {
      return db.selectFrom('open311_service_attribute').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertAttribute(a: NewAttribute): Promise<void> {
      await db
        .insertInto('open311_service_attribute')
        .values({
          id: a.id,
          district_code: a.districtCode,
          service_key: a.serviceKey,
          code: a.code,
          variable: a.variable,
          datatype: a.datatype,
          required: a.required,
          datatype_description: a.datatypeDescription,
          description: a.description,
          position: a.order,
          value_list: JSON.stringify(a.values),
          created_at: a.now,
          updated_at: a.now,
          created_by: a.createdBy,
        })
        .execute();
    },

    async updateAttribute(
      id: string,
      a: Omit<NewAttribute, 'id' | 'createdBy' | 'districtCode' | 'serviceKey'>,
    ) {
      await db
        .updateTable('open311_service_attribute')
        .set({
          code: a.code,
          variable: a.variable,
          datatype: a.datatype,
          required: a.required,
          datatype_description: a.datatypeDescription,
          description: a.description,
          position: a.order,
          value_list: JSON.stringify(a.values),
          updated_at: a.now,
        })
        .where('id', '=', id)
        .execute();
    },

    async deleteAttribute(id: string): Promise<void> {
      await db.deleteFrom('open311_service_attribute').where('id', '=', id).execute();
    },

    /**
     * Remembers that a district's service definitions changed, for discovery's changeset. Kept apart
     * from the attribute rows because a deletion leaves no row to date it.
     */
    async touchChangeset(districtCode: string, now: Date): Promise<void> {
      await db
        .insertInto('app_meta')
        .values({
          key: CHANGESET_KEY(districtCode),
          value: JSON.stringify(now.toISOString()),
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(now.toISOString()), updated_at: now }),
        )
        .execute();
    },

    /** The latest change of any district's services: taxonomy activations and attribute edits. */
    async changeset(): Promise<Date | null> {
      const taxonomy = await db
        .selectFrom('taxonomy_version')
        .select((eb) => eb.fn.max('created_at').as('at'))
        .where('active', '=', true)
        .executeTakeFirst();
      const attributes = await db
        .selectFrom('app_meta')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .where('key', 'like', 'open311.changeset.%')
        .executeTakeFirst();
      const dates: Date[] = [];
      for (const at of [taxonomy?.at, attributes?.at]) if (at != null) dates.push(new Date(at));
      return dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
    },

    // ---- requests ------------------------------------------------------------------------------

    async insertRequest(r: NewOpen311Request): Promise<void> {
      await db
        .insertInto('open311_request')
        .values({ ...r, attributes: JSON.stringify(r.attributes) })
        .execute();
    },

    findRequestRow(caseId: string) {
      return db.selectFrom('open311_request').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    },

    /** Public requests with what a GeoReport request shows, newest first. */
    async listRequests(f: RequestFilter) {
      let q = publicCases(f.districtCode, f.privateKeys)
        .innerJoin('street as s', 's.code', 'c.street_code')
        .leftJoin('district as d', 'd.code', 'c.district_code')
        .leftJoin('alley as a', 'a.id', 'c.alley_id')
        .leftJoin('organisation as o', 'o.id', 'c.assigned_org_id')
        .leftJoin('case_record as m', 'm.id', 'c.merged_into')
        .select([
          'c.id',
          'c.case_number',
          'c.state',
          'c.snapshot',
          'c.category_key',
          'c.description',
          'c.lng',
          'c.lat',
          'c.alley_id',
          'c.created_at',
          'c.updated_at',
          'c.closed_at',
          'c.handling_deadline',
          's.name as street_name',
          'd.name as district_name',
          'a.name as alley_name',
          'o.name as organisation_name',
          'm.case_number as merged_into_number',
        ]);
      if (f.caseNumbers) {
        q = q.where('c.case_number', 'in', f.caseNumbers.length ? [...f.caseNumbers] : ['']);
      } else {
        if (f.categoryKeys) {
          const keys = f.categoryKeys.length ? [...f.categoryKeys] : [''];
          q = f.uncategorised
            ? q.where((eb) => eb.or([eb('c.category_key', 'in', keys), eb('c.category_key', 'is', null)]))
            : q.where('c.category_key', 'in', keys);
        }
        if (f.from) q = q.where('c.created_at', '>=', f.from);
        if (f.to) q = q.where('c.created_at', '<=', f.to);
        if (f.statuses && f.statuses.length === 1) {
          q = q.where('c.state', f.statuses[0] === 'closed' ? 'in' : 'not in', [...f.closedStates]);
        }
      }
      return q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(f.limit).offset(f.offset).execute();
    },

    findPublicCaseByTrackingCode(districtCode: string, privateKeys: readonly string[], code: string) {
      return publicCases(districtCode, privateKeys)
        .select(['c.id', 'c.case_number', 'c.tracking_code'])
        .where('c.tracking_code', '=', code)
        .executeTakeFirst();
    },

    findPublicCaseByNumber(districtCode: string, privateKeys: readonly string[], caseNumber: string) {
      return publicCases(districtCode, privateKeys)
        .select(['c.id', 'c.case_number', 'c.state'])
        .where('c.case_number', '=', caseNumber)
        .executeTakeFirst();
    },

    /** The first photo of each case (report photos before after-photos), for media_url. */
    async firstPhotos(caseIds: readonly string[]): Promise<Map<string, string>> {
      if (caseIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('media')
        .select(['id', 'owner_id', 'role'])
        .where('owner_kind', '=', 'case')
        .where('owner_id', 'in', [...caseIds])
        .where('role', 'in', ['report', 'after'])
        .orderBy('owner_id')
        .orderBy(sql`case when role = 'report' then 0 else 1 end`)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const first = new Map<string, string>();
      for (const r of rows) if (r.owner_id && !first.has(r.owner_id)) first.set(r.owner_id, r.id);
      return first;
    },

    // ---- updates -------------------------------------------------------------------------------

    /** Inserts a client's update; null when the client already sent one with this update id. */
    async insertUpdate(u: NewRequestUpdate): Promise<string | null> {
      const row = await db
        .insertInto('open311_request_update')
        .values(u)
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'client_id', 'client_update_id'])
            .where('client_update_id', 'is not', null)
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      return row?.id ?? null;
    },

    findUpdateByClientRef(clientId: string, clientUpdateId: string) {
      return db
        .selectFrom('open311_request_update')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('client_update_id', '=', clientUpdateId)
        .executeTakeFirst();
    },

    updatesOfCase(caseId: string) {
      return db
        .selectFrom('open311_request_update as u')
        .innerJoin('open311_client as k', 'k.id', 'u.client_id')
        .selectAll('u')
        .select('k.name as client_name')
        .where('u.case_id', '=', caseId)
        .orderBy('u.created_at')
        .execute();
    },

    /**
     * The feed of servicerequestupdates: every change of state on a public case's trail, and every
     * comment clients posted, oldest first, so that a client can poll with the last time it saw.
     */
    async listUpdates(f: UpdateFilter) {
      let events = publicCases(f.districtCode, f.privateKeys)
        .innerJoin('case_event as e', 'e.case_id', 'c.id')
        .select([
          sql<'event' | 'comment'>`'event'`.as('kind'),
          'c.case_number',
          'c.id as case_id',
          sql<number | null>`e.seq`.as('seq'),
          sql<string | null>`cast(null as text)`.as('update_id'),
          'e.at',
          sql<string | null>`e.action`.as('action'),
          'e.to_state',
          'e.reason',
          sql<unknown>`e.payload`.as('payload'),
          sql<string | null>`cast(null as text)`.as('description'),
        ])
        .where('e.at', '>=', f.from)
        .where('e.at', '<=', f.to)
        .where((eb) =>
          eb.or([eb('e.from_state', 'is', null), eb('e.from_state', '<>', eb.ref('e.to_state'))]),
        );
      let comments = publicCases(f.districtCode, f.privateKeys)
        .innerJoin('open311_request_update as u', 'u.case_id', 'c.id')
        .select([
          sql<'event' | 'comment'>`'comment'`.as('kind'),
          'c.case_number',
          'c.id as case_id',
          sql<number | null>`cast(null as integer)`.as('seq'),
          sql<string | null>`u.id`.as('update_id'),
          'u.created_at as at',
          sql<string | null>`cast(null as text)`.as('action'),
          'u.case_state as to_state',
          sql<string | null>`cast(null as text)`.as('reason'),
          sql<unknown>`cast(null as jsonb)`.as('payload'),
          sql<string | null>`u.description`.as('description'),
        ])
        .where('u.created_at', '>=', f.from)
        .where('u.created_at', '<=', f.to);
      if (f.caseNumber) {
        events = events.where('c.case_number', '=', f.caseNumber);
        comments = comments.where('c.case_number', '=', f.caseNumber);
      }
      return events
        .unionAll(comments)
        .orderBy('at')
        .orderBy('case_number')
        .orderBy('seq')
        .orderBy('update_id')
        .limit(f.limit)
        .offset(f.offset)
        .execute();
    },

    // ---- addresses -----------------------------------------------------------------------------

    /** The alley whose name the text contains (the longest such name, so 东斜街 loses to 东斜街北巷). */
    findAlleyInText(districtCode: string, text: string) {
      return db
        .selectFrom('alley')
        .select(['id', 'name', 'street_code', 'geometry'])
        .where('district_code', '=', districtCode)
        .where(sql<boolean>`position(name in ${text}) > 0`)
        .orderBy(sql`char_length(name)`, 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst() as Promise<
        { id: string; name: string; street_code: string; geometry: LineStringGeometry } | undefined
      >;
    },

    /** The street (街道) the text names, with or without its 街道 suffix. */
    findStreetInText(districtCode: string, text: string) {
      return db
        .selectFrom('street')
        .select(['code', 'name', 'center_lng', 'center_lat'])
        .where('district_code', '=', districtCode)
        .where((eb) =>
          eb.or([
            sql<boolean>`position(name in ${text}) > 0`,
            sql<boolean>`char_length(regexp_replace(name, '(街道|地区|乡|镇)$', '')) >= 2
              and position(regexp_replace(name, '(街道|地区|乡|镇)$', '') in ${text}) > 0`,
          ]),
        )
        .orderBy(sql`char_length(name)`, 'desc')
        .orderBy('code')
        .limit(1)
        .executeTakeFirst();
    },

    findAlley(districtCode: string, id: string) {
      return db
        .selectFrom('alley')
        .select(['id', 'name', 'street_code', 'geometry'])
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .executeTakeFirst() as Promise<
        { id: string; name: string; street_code: string; geometry: LineStringGeometry } | undefined
      >;
    },
  };
}

export type Open311Repository = ReturnType<typeof open311Repository>;
