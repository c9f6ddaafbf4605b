import { type Kysely, sql } from 'kysely';
import type { Database, PointsAccountKind, PointsTransactionKind, RedemptionState } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import type { Entry, PointsRules, RuleKind } from './points.rules.ts';

/** All SQL of the civic points ledger. The service opens the transactions. */
export function pointsRepository(db: Kysely<Database>) {
  return {
    async activeRules(
      districtCode: string,
    ): Promise<{ versionId: string; number: number; label: string; rules: PointsRules } | null> {
      const version = await db
        .selectFrom('points_rule_version')
        .select(['id', 'number', 'label'])
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!version) return null;
      const rows = await db
        .selectFrom('points_rule')
        .select(['kind', 'points'])
        .where('district_code', '=', districtCode)
        .where('version_id', '=', version.id)
        .execute();
      const rules: PointsRules = {};
      for (const r of rows) rules[r.kind as RuleKind] = r.points;
      return { versionId: version.id, number: version.number, label: version.label, rules };
    },

    versions(districtCode: string) {
      return db
        .selectFrom('points_rule_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .orderBy('number', 'desc')
        .execute();
    },

    /** A new version, active at once; the one before it stays as the record of what earned what. */
    async addVersion(v: {
      districtCode: string;
      label: string;
      rules: PointsRules;
      illustrative: boolean;
      at: Date;
      by: string | null;
    }): Promise<{ id: string; number: number }> {
      // Serialise versions of one district: the number is the next after the highest.
      await sql`select pg_advisory_xact_lock(hashtext(${`points_rules:${v.districtCode}`}))`.execute(db);
      const last = await db
        .selectFrom('points_rule_version')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('district_code', '=', v.districtCode)
        .executeTakeFirst();
      const number = Number(last?.n ?? 0) + 1;
      const id = newId('prv');
      await db
        .updateTable('points_rule_version')
        .set({ active: false })
        .where('district_code', '=', v.districtCode)
        .where('active', '=', true)
        .execute();
      await db
        .insertInto('points_rule_version')
        .values({
          district_code: v.districtCode,
          id,
          number,
          label: v.label,
          illustrative: v.illustrative,
          active: true,
          created_at: v.at,
          created_by: v.by,
        })
        .execute();
      const rows = Object.entries(v.rules).map(([kind, points]) => ({
        district_code: v.districtCode,
        version_id: id,
        kind,
        points: points as number,
      }));
      if (rows.length) await db.insertInto('points_rule').values(rows).execute();
      return { id, number };
    },

    /** The resident's account in a district, created on first use; locked FOR UPDATE when asked. */
    async residentAccount(districtCode: string, userId: string, at: Date, lock: boolean): Promise<string> {
      await db
        .insertInto('points_account')
        .values({
          district_code: districtCode,
          id: newId('pac'),
          kind: 'resident',
          user_id: userId,
          scope_code: null,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['district_code', 'user_id']).where('kind', '=', 'resident').doNothing(),
        )
        .execute();
      let q = db
        .selectFrom('points_account')
        .select('id')
        .where('district_code', '=', districtCode)
        .where('kind', '=', 'resident')
        .where('user_id', '=', userId);
      if (lock) q = q.forUpdate();
      return (await q.executeTakeFirstOrThrow()).id;
    },

    findResidentAccount(districtCode: string, userId: string) {
      return db
        .selectFrom('points_account')
        .select('id')
        .where('district_code', '=', districtCode)
        .where('kind', '=', 'resident')
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** A community's (or street's) account of a kind, created on first use. */
    async scopeAccount(
      districtCode: string,
      kind: Exclude<PointsAccountKind, 'resident'>,
      scopeCode: string,
      at: Date,
    ): Promise<string> {
      await db
        .insertInto('points_account')
        .values({
          district_code: districtCode,
          id: newId('pac'),
          kind,
          user_id: null,
          scope_code: scopeCode,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['district_code', 'kind', 'scope_code']).where('kind', '<>', 'resident').doNothing(),
        )
        .execute();
      return (
        await db
          .selectFrom('points_account')
          .select('id')
          .where('district_code', '=', districtCode)
          .where('kind', '=', kind)
          .where('scope_code', '=', scopeCode)
          .executeTakeFirstOrThrow()
      ).id;
    },

    async balance(districtCode: string, accountId: string): Promise<number> {
      const row = await db
        .selectFrom('points_entry')
        .select((eb) => eb.fn.sum<string | number | null>('amount').as('s'))
        .where('district_code', '=', districtCode)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(row?.s ?? 0);
    },

    /** A user's resident accounts and their balances, district by district. */
    async balancesOfUser(userId: string) {
      const rows = await db
        .selectFrom('points_account as a')
        .leftJoin('points_entry as e', (j) =>
          j.onRef('e.district_code', '=', 'a.district_code').onRef('e.account_id', '=', 'a.id'),
        )
        .select(['a.district_code', 'a.id', (eb) => eb.fn.sum<string | number | null>('e.amount').as('s')])
        .where('a.kind', '=', 'resident')
        .where('a.user_id', '=', userId)
        .groupBy(['a.district_code', 'a.id'])
        .orderBy('a.district_code')
        .execute();
      return rows.map((r) => ({ districtCode: r.district_code, accountId: r.id, balance: Number(r.s ?? 0) }));
    },

    findTransaction(districtCode: string, sourceKind: string, sourceRef: string) {
      return db
        .selectFrom('points_transaction')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('source_kind', '=', sourceKind)
        .where('source_ref', '=', sourceRef)
        .executeTakeFirst();
    },

    /** The points a transaction gave: the sum of its credit entries. */
    async creditedBy(districtCode: string, transactionId: string): Promise<number> {
      const entries = await db
        .selectFrom('points_entry')
        .select('amount')
        .where('district_code', '=', districtCode)
        .where('transaction_id', '=', transactionId)
        .execute();
      return entries.filter((e) => e.amount > 0).reduce((s, e) => s + e.amount, 0);
    },

    /**
     * Writes a transaction and its entries, unless one from the same source exists: answers the id
     * written, or null when the source was posted before (nothing is written then).
     */
    async post(t: {
      districtCode: string;
      kind: PointsTransactionKind;
      sourceKind: string;
      sourceRef: string;
      ruleVersionId: string | null;
      reason: string;
      actorUserId: string | null;
      at: Date;
      entries: readonly Entry[];
    }): Promise<string | null> {
      const id = newId('ptx');
      const inserted = await db
        .insertInto('points_transaction')
        .values({
          district_code: t.districtCode,
          id,
          kind: t.kind,
          source_kind: t.sourceKind,
          source_ref: t.sourceRef,
          rule_version_id: t.ruleVersionId,
          reason: t.reason,
          actor_user_id: t.actorUserId,
          created_at: t.at,
        })
        .onConflict((oc) => oc.columns(['district_code', 'source_kind', 'source_ref']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      await db
        .insertInto('points_entry')
        .values(
          t.entries.map((e, i) => ({
            district_code: t.districtCode,
            transaction_id: id,
            seq: i + 1,
            account_id: e.accountId,
            amount: e.amount,
          })),
        )
        .execute();
      return id;
    },

    /** The entries of one account, newest first, with their transactions. */
    entriesOf(districtCode: string, accountId: string, limit: number) {
      return db
        .selectFrom('points_entry as e')
        .innerJoin('points_transaction as t', (j) =>
          j.onRef('t.district_code', '=', 'e.district_code').onRef('t.id', '=', 'e.transaction_id'),
        )
        .select(['t.id', 't.kind', 't.source_kind', 't.source_ref', 't.reason', 't.created_at', 'e.amount'])
        .where('e.district_code', '=', districtCode)
        .where('e.account_id', '=', accountId)
        .orderBy('t.created_at', 'desc')
        .orderBy('t.id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Sum of every entry of a district, and the transactions whose entries do not sum to zero. */
    async ledgerCheck(districtCode: string) {
      const total = await db
        .selectFrom('points_entry')
        .select((eb) => eb.fn.sum<string | number | null>('amount').as('s'))
        .where('district_code', '=', districtCode)
        .executeTakeFirst();
      const unbalanced = await db
        .selectFrom('points_entry')
        .select('transaction_id')
        .where('district_code', '=', districtCode)
        .groupBy('transaction_id')
        .having((eb) => eb.fn.sum('amount'), '<>', 0)
        .execute();
      const negative = await db
        .selectFrom('points_account as a')
        .innerJoin('points_entry as e', (j) =>
          j.onRef('e.district_code', '=', 'a.district_code').onRef('e.account_id', '=', 'a.id'),
        )
        .select('a.id')
        .where('a.district_code', '=', districtCode)
        .where('a.kind', 'in', ['resident', 'redemption_hold', 'redeemed'])
        .groupBy('a.id')
        .having((eb) => eb.fn.sum('e.amount'), '<', 0)
        .execute();
      return {
        total: Number(total?.s ?? 0),
        unbalancedTransactions: unbalanced.map((r) => r.transaction_id),
        negativeAccounts: negative.map((r) => r.id),
      };
    },

    // Rewards and redemptions.

    rewards(q: { districtCode?: string; communityCode?: string; activeOnly: boolean }) {
      let query = db.selectFrom('reward').selectAll();
      if (q.districtCode) query = query.where('district_code', '=', q.districtCode);
      if (q.communityCode) query = query.where('community_code', '=', q.communityCode);
      if (q.activeOnly) query = query.where('active', '=', true);
      return query.orderBy('community_code').orderBy('cost').orderBy('id').execute();
    },

    findReward(id: string) {
      return db.selectFrom('reward').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertReward(r: {
      district_code: string;
      id: string;
      community_code: string;
      name: string;
      description: string;
      cost: number;
      stock: number;
      created_at: Date;
    }): Promise<void> {
      await db
        .insertInto('reward')
        .values({ ...r, active: true })
        .execute();
    },

    async updateReward(
      districtCode: string,
      id: string,
      set: { name?: string; description?: string; cost?: number; active?: boolean; stockDelta?: number },
    ): Promise<boolean> {
      const r = await db
        .updateTable('reward')
        .set((eb) => ({
          ...(set.name !== undefined ? { name: set.name } : {}),
          ...(set.description !== undefined ? { description: set.description } : {}),
          ...(set.cost !== undefined ? { cost: set.cost } : {}),
          ...(set.active !== undefined ? { active: set.active } : {}),
          ...(set.stockDelta ? { stock: eb('stock', '+', set.stockDelta) } : {}),
        }))
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        // Taking stock away never takes it below zero.
        .where((eb) =>
          set.stockDelta && set.stockDelta < 0 ? eb('stock', '>=', -set.stockDelta) : eb.lit(true),
        )
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Takes one item of stock if any is left (the conditional update is the guard): true when taken. */
    async takeStock(districtCode: string, rewardId: string): Promise<boolean> {
      const r = await db
        .updateTable('reward')
        .set((eb) => ({ stock: eb('stock', '-', 1) }))
        .where('district_code', '=', districtCode)
        .where('id', '=', rewardId)
        .where('active', '=', true)
        .where('stock', '>', 0)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async returnStock(districtCode: string, rewardId: string): Promise<void> {
      await db
        .updateTable('reward')
        .set((eb) => ({ stock: eb('stock', '+', 1) }))
        .where('district_code', '=', districtCode)
        .where('id', '=', rewardId)
        .execute();
    },

    async insertRedemption(r: {
      district_code: string;
      id: string;
      reward_id: string;
      user_id: string;
      account_id: string;
      cost: number;
      created_at: Date;
    }): Promise<void> {
      await db
        .insertInto('redemption')
        .values({ ...r, state: 'reserved', decided_at: null, decided_by: null })
        .execute();
    },

    findRedemption(id: string, lock = false) {
      let q = db
        .selectFrom('redemption as r')
        .innerJoin('reward as w', (j) =>
          j.onRef('w.district_code', '=', 'r.district_code').onRef('w.id', '=', 'r.reward_id'),
        )
        .select([
          'r.district_code',
          'r.id',
          'r.reward_id',
          'r.user_id',
          'r.account_id',
          'r.cost',
          'r.state',
          'r.created_at',
          'r.decided_at',
          'w.name as reward_name',
          'w.community_code',
        ])
        .where('r.id', '=', id);
      if (lock) q = q.forUpdate(['r']);
      return q.executeTakeFirst();
    },

    async decideRedemption(
      districtCode: string,
      id: string,
      state: Exclude<RedemptionState, 'reserved'>,
      at: Date,
      by: string | null,
    ): Promise<void> {
      await db
        .updateTable('redemption')
        .set({ state, decided_at: at, decided_by: by })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'reserved')
        .execute();
    },

    redemptions(q: {
      userId?: string;
      communityPrefix?: string | null;
      state?: RedemptionState;
      limit: number;
    }) {
      let query = db
        .selectFrom('redemption as r')
        .innerJoin('reward as w', (j) =>
          j.onRef('w.district_code', '=', 'r.district_code').onRef('w.id', '=', 'r.reward_id'),
        )
        .select([
          'r.district_code',
          'r.id',
          'r.reward_id',
          'r.user_id',
          'r.cost',
          'r.state',
          'r.created_at',
          'r.decided_at',
          'w.name as reward_name',
          'w.community_code',
        ]);
      if (q.userId) query = query.where('r.user_id', '=', q.userId);
      if (q.communityPrefix) query = query.where('w.community_code', 'like', `${q.communityPrefix}%`);
      if (q.state) query = query.where('r.state', '=', q.state);
      return query.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(q.limit).execute();
    },

    // Garbage-sorting checks (垃圾不落地).

    async insertSortingCheck(c: {
      district_code: string;
      id: string;
      community_code: string;
      user_id: string;
      passed: boolean;
      note: string;
      checked_by: string | null;
      checked_at: Date;
    }): Promise<void> {
      await db.insertInto('sorting_check').values(c).execute();
    },

    /** The role of a user (the case reporter's, say), read in the caller's transaction. */
    async userRole(userId: string): Promise<string | null> {
      return (
        (await db.selectFrom('app_user').select('role').where('id', '=', userId).executeTakeFirst())?.role ??
        null
      );
    },
  };
}

export type PointsRepository = ReturnType<typeof pointsRepository>;
