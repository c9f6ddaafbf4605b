import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope, recordedUserId } from '../../accounts/authorisation.ts';
import type { Database, PointsTransactionKind } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { pointsRepository } from './points.repository.ts';
import {
  awardEntries,
  covers,
  type Entry,
  type PointsRules,
  type PointsSource,
  pointsFor,
  redemptionEntries,
  redemptionRefusal,
  ruleIssues,
  unbalanced,
} from './points.rules.ts';

/** Roles that hold a points account of their own (the people the scheme rewards). */
export const EARNING_ROLES: ReadonlySet<string> = new Set(['resident', 'volunteer']);

export interface PointsDeps {
  /** The name of a territory code, or null when there is no such area (validates community codes). */
  areaName(code: string): Promise<string | null>;
}

/** An award to post, from any source: a verified case, an activity attended, a sorting check, staff. */
export interface AwardInput {
  districtCode: string;
  /** The pool that issues it: a community's, a street's or the district's code. */
  poolScope: string;
  userId: string;
  points: number;
  sourceKind: string;
  sourceRef: string;
  reason: string;
  ruleVersionId: string | null;
  actorUserId: string | null;
}

export interface AwardResult {
  transactionId: string;
  points: number;
  /** False when the source had been posted before: the first award is answered, nothing is added. */
  created: boolean;
}

const SOURCE_REF_MAX = 200;

/**
 * The civic points ledger (文明微积分, SPEC §8, docs/participation.md): awards and redemptions as
 * double-entry transactions, balances as sums of entries, one posting per source, and a balance that
 * never goes negative nor a stock below zero, however many requests race.
 */
export class PointsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: PointsDeps,
  ) {}

  // Rules.

  async activeRules(districtCode: string, db: Kysely<Database> = this.db) {
    return pointsRepository(db).activeRules(districtCode);
  }

  /** The rules in force and the versions before them; public, so that residents see what earns what. */
  async rules(actor: Actor | null, districtCode: string) {
    authorise(actor, 'points.read_catalogue');
    const repo = pointsRepository(this.db);
    const active = await repo.activeRules(districtCode);
    const versions = await repo.versions(districtCode);
    return {
      districtCode,
      active: active
        ? { versionId: active.versionId, number: active.number, label: active.label, rules: active.rules }
        : null,
      versions: versions.map((v) => ({
        id: v.id,
        number: v.number,
        label: v.label,
        active: v.active,
        illustrative: v.illustrative,
        createdAt: v.created_at.toISOString(),
      })),
    };
  }

  /** A new rules version for a district, active at once (the district administrator's). */
  async setRules(
    actor: Actor,
    body: { districtCode: string; label: string; rules: Record<string, number>; illustrative?: boolean },
  ) {
    authorise(actor, 'points.rules_write', { territoryCodes: [body.districtCode] });
    if (body.districtCode.length !== 6 || !(await this.deps.areaName(body.districtCode)))
      throw AppError.validation([{ field: 'districtCode', message: `no district ${body.districtCode}` }]);
    const issues = ruleIssues(body.rules);
    if (issues.length) throw AppError.validation(issues, 'The rules are not valid');
    const version = await this.db.transaction().execute((trx) =>
      pointsRepository(trx).addVersion({
        districtCode: body.districtCode,
        label: body.label,
        rules: body.rules as PointsRules,
        illustrative: body.illustrative ?? false,
        at: this.clock.now(),
        by: recordedUserId(actor),
      }),
    );
    return { ...version, districtCode: body.districtCode, label: body.label, rules: body.rules };
  }

  /** Seeds an illustrative rules version for a district that has none (the demo). Idempotent. */
  async seedRules(districtCode: string, rules: PointsRules, label: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const repo = pointsRepository(trx);
      if ((await repo.versions(districtCode)).length > 0) return;
      await repo.addVersion({
        districtCode,
        label,
        rules,
        illustrative: true,
        at: this.clock.now(),
        by: null,
      });
    });
  }

  /** The points a source earns under the district's active rules (0 without rules). */
  async earn(db: Kysely<Database>, districtCode: string, source: PointsSource) {
    const active = await pointsRepository(db).activeRules(districtCode);
    return { points: active ? pointsFor(active.rules, source) : 0, ruleVersionId: active?.versionId ?? null };
  }

  // Postings.

  /**
   * Posts an award inside `db` (a transaction of the caller's, e.g. a case event's): once per source.
   * A source posted before answers its first transaction and adds nothing.
   */
  async postAward(db: Kysely<Database>, a: AwardInput): Promise<AwardResult> {
    if (!Number.isSafeInteger(a.points) || a.points <= 0)
      throw AppError.validation([{ field: 'points', message: 'a whole number of points above zero' }]);
    const repo = pointsRepository(db);
    const existing = await repo.findTransaction(a.districtCode, a.sourceKind, a.sourceRef);
    if (existing) return this.answerExisting(db, existing.district_code, existing.id);
    const now = this.clock.now();
    const resident = await repo.residentAccount(a.districtCode, a.userId, now, false);
    const pool = await repo.scopeAccount(a.districtCode, 'reward_pool', a.poolScope, now);
    const id = await this.post(db, {
      districtCode: a.districtCode,
      kind: 'award',
      sourceKind: a.sourceKind,
      sourceRef: a.sourceRef,
      ruleVersionId: a.ruleVersionId,
      reason: a.reason,
      actorUserId: a.actorUserId,
      entries: awardEntries(pool, resident, a.points),
    });
    // A racing award of the same source committed first: its transaction is the answer.
    if (id === null) {
      const first = await repo.findTransaction(a.districtCode, a.sourceKind, a.sourceRef);
      return this.answerExisting(db, a.districtCode, first!.id);
    }
    return { transactionId: id, points: a.points, created: true };
  }

  private async answerExisting(db: Kysely<Database>, districtCode: string, transactionId: string) {
    const points = await pointsRepository(db).creditedBy(districtCode, transactionId);
    return { transactionId, points, created: false };
  }

  private async post(
    db: Kysely<Database>,
    t: {
      districtCode: string;
      kind: PointsTransactionKind;
      sourceKind: string;
      sourceRef: string;
      ruleVersionId: string | null;
      reason: string;
      actorUserId: string | null;
      entries: Entry[];
    },
  ): Promise<string | null> {
    const why = unbalanced(t.entries);
    if (why) throw new AppError('INTERNAL', `an unbalanced points transaction was refused: ${why}`);
    return pointsRepository(db).post({ ...t, at: this.clock.now() });
  }

  /**
   * A staff award (`POST /api/points/awards`): from the pool of the community named (or the actor's
   * own scope) to a resident or volunteer; the same `sourceRef` again answers the first award.
   */
  async award(
    actor: Actor,
    body: { userId: string; points: number; reason: string; sourceRef: string; communityCode?: string },
  ): Promise<AwardResult> {
    const scope = body.communityCode ?? actor.scopeCode;
    if (!scope)
      throw AppError.validation([
        { field: 'communityCode', message: 'name the community whose pool awards' },
      ]);
    authorise(actor, 'points.award', { territoryCodes: [scope] });
    if (
      body.communityCode &&
      (body.communityCode.length !== 12 || !(await this.deps.areaName(body.communityCode)))
    )
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    if (body.sourceRef.length > SOURCE_REF_MAX)
      throw AppError.validation([{ field: 'sourceRef', message: `at most ${SOURCE_REF_MAX} characters` }]);
    return this.db.transaction().execute(async (trx) => {
      const role = await pointsRepository(trx).userRole(body.userId);
      if (!role || !EARNING_ROLES.has(role))
        throw AppError.validation([{ field: 'userId', message: 'no resident or volunteer has this id' }]);
      return this.postAward(trx, {
        districtCode: scope.slice(0, 6),
        poolScope: scope,
        userId: body.userId,
        points: body.points,
        sourceKind: 'staff',
        sourceRef: body.sourceRef,
        reason: body.reason,
        ruleVersionId: null,
        actorUserId: recordedUserId(actor),
      });
    });
  }

  // What a resident sees of their own.

  async balance(actor: Actor) {
    authorise(actor, 'points.own');
    const accounts = await pointsRepository(this.db).balancesOfUser(actor.userId);
    return {
      balance: accounts.reduce((s, a) => s + a.balance, 0),
      districts: accounts.map((a) => ({ districtCode: a.districtCode, balance: a.balance })),
    };
  }

  /** The actor's own postings (newest first), one line per transaction that moved their points. */
  async postings(actor: Actor, q: { limit?: number } = {}) {
    authorise(actor, 'points.own');
    const repo = pointsRepository(this.db);
    const accounts = await repo.balancesOfUser(actor.userId);
    const limit = Math.min(q.limit ?? 100, 500);
    const rows = (
      await Promise.all(
        accounts.map(async (a) =>
          (
            await repo.entriesOf(a.districtCode, a.accountId, limit)
          ).map((r) => ({ ...r, districtCode: a.districtCode })),
        ),
      )
    )
      .flat()
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, limit);
    return rows.map((r) => ({
      transactionId: r.id,
      districtCode: r.districtCode,
      kind: r.kind,
      sourceKind: r.source_kind,
      // A staff award's reference is theirs to read; a redemption's is the redemption.
      sourceRef: r.source_ref,
      reason: r.reason,
      amount: r.amount,
      at: r.created_at.toISOString(),
    }));
  }

  // The rewards catalogue.

  async rewards(actor: Actor | null, q: { communityCode?: string; districtCode?: string }) {
    authorise(actor, 'points.read_catalogue');
    const rows = await pointsRepository(this.db).rewards({ ...q, activeOnly: true });
    return rows.map(rewardView);
  }

  async createReward(
    actor: Actor,
    body: { communityCode: string; name: string; description?: string; cost: number; stock: number },
  ) {
    authorise(actor, 'reward.write', { territoryCodes: [body.communityCode] });
    if (body.communityCode.length !== 12 || !(await this.deps.areaName(body.communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    const row = {
      district_code: body.communityCode.slice(0, 6),
      id: newId('rwd'),
      community_code: body.communityCode,
      name: body.name,
      description: body.description ?? '',
      cost: body.cost,
      stock: body.stock,
      created_at: this.clock.now(),
    };
    await pointsRepository(this.db).insertReward(row);
    return rewardView({ ...row, active: true });
  }

  /** Edits a reward; `stockDelta` adds (or takes away, never below zero) stock. */
  async updateReward(
    actor: Actor,
    id: string,
    body: { name?: string; description?: string; cost?: number; active?: boolean; stockDelta?: number },
  ) {
    const repo = pointsRepository(this.db);
    const reward = await repo.findReward(id);
    if (!reward) throw AppError.notFound('reward', id);
    authorise(actor, 'reward.write', { territoryCodes: [reward.community_code] });
    if (!(await repo.updateReward(reward.district_code, id, body)))
      throw new AppError('OUT_OF_STOCK', 'The stock cannot go below zero', {
        field: 'stockDelta',
        stock: reward.stock,
      });
    return rewardView((await repo.findReward(id))!);
  }

  // Redemptions: reserve → confirm | release.

  /**
   * Reserves a reward for the actor: locks their account, checks that the balance covers the cost,
   * takes one item of stock by a conditional update, and moves the cost to the community's hold.
   * 409 INSUFFICIENT_POINTS or OUT_OF_STOCK otherwise, with nothing written.
   */
  async redeem(actor: Actor, body: { rewardId: string }) {
    authorise(actor, 'points.own');
    const reward = await pointsRepository(this.db).findReward(body.rewardId);
    if (!reward?.active) throw AppError.notFound('reward', body.rewardId);
    return this.db.transaction().execute(async (trx) => {
      const repo = pointsRepository(trx);
      const now = this.clock.now();
      const district = reward.district_code;
      // The account row is the lock: one spender at a time per person and district.
      const account = await repo.residentAccount(district, actor.userId, now, true);
      const balance = await repo.balance(district, account);
      if (!covers(balance, reward.cost))
        throw new AppError(
          'INSUFFICIENT_POINTS',
          `The balance (${balance}) does not cover ${reward.cost} points`,
          {
            balance,
            cost: reward.cost,
          },
        );
      if (!(await repo.takeStock(district, reward.id)))
        throw new AppError('OUT_OF_STOCK', `${reward.name} is out of stock`, { rewardId: reward.id });
      const hold = await repo.scopeAccount(district, 'redemption_hold', reward.community_code, now);
      const id = newId('rdm');
      await repo.insertRedemption({
        district_code: district,
        id,
        reward_id: reward.id,
        user_id: actor.userId,
        account_id: account,
        cost: reward.cost,
        created_at: now,
      });
      await this.post(trx, {
        districtCode: district,
        kind: 'reserve',
        sourceKind: 'redemption',
        sourceRef: `${id}:reserve`,
        ruleVersionId: null,
        reason: reward.name,
        actorUserId: actor.userId,
        entries: redemptionEntries('reserve', { hold, redeemed: hold }, account, reward.cost),
      });
      return {
        id,
        rewardId: reward.id,
        rewardName: reward.name,
        cost: reward.cost,
        state: 'reserved' as const,
        balance: balance - reward.cost,
      };
    });
  }

  /** The community hands the reward over: the held points are spent (staff of the community). */
  async confirmRedemption(actor: Actor, id: string) {
    return this.decide(actor, id, 'confirm');
  }

  /** Cancels a reservation (the resident, or staff of the community): points and stock come back. */
  async cancelRedemption(actor: Actor, id: string) {
    return this.decide(actor, id, 'release');
  }

  private async decide(actor: Actor, id: string, step: 'confirm' | 'release') {
    return this.db.transaction().execute(async (trx) => {
      const repo = pointsRepository(trx);
      const r = await repo.findRedemption(id, true);
      if (!r) throw AppError.notFound('redemption', id);
      const own = r.user_id === actor.userId && step === 'release';
      if (own) authorise(actor, 'points.own');
      else authorise(actor, 'reward.write', { territoryCodes: [r.community_code] });
      const refusal = redemptionRefusal(r.state, step);
      if (refusal) throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { state: r.state });
      const now = this.clock.now();
      const hold = await repo.scopeAccount(r.district_code, 'redemption_hold', r.community_code, now);
      const redeemed =
        step === 'confirm'
          ? await repo.scopeAccount(r.district_code, 'redeemed', r.community_code, now)
          : hold;
      await repo.decideRedemption(
        r.district_code,
        id,
        step === 'confirm' ? 'confirmed' : 'released',
        now,
        recordedUserId(actor),
      );
      if (step === 'release') await repo.returnStock(r.district_code, r.reward_id);
      await this.post(trx, {
        districtCode: r.district_code,
        kind: step,
        sourceKind: 'redemption',
        sourceRef: `${id}:${step}`,
        ruleVersionId: null,
        reason: r.reward_name,
        actorUserId: recordedUserId(actor),
        entries: redemptionEntries(step, { hold, redeemed }, r.account_id, r.cost),
      });
      return {
        id,
        rewardId: r.reward_id,
        cost: r.cost,
        state: step === 'confirm' ? ('confirmed' as const) : ('released' as const),
      };
    });
  }

  /** The actor's own redemptions, or (staff) the redemptions of the communities in their scope. */
  async redemptions(actor: Actor, q: { mine?: boolean; state?: 'reserved' | 'confirmed' | 'released' }) {
    const repo = pointsRepository(this.db);
    let rows: Awaited<ReturnType<typeof repo.redemptions>>;
    if (q.mine || EARNING_ROLES.has(actor.role)) {
      authorise(actor, 'points.own');
      rows = await repo.redemptions({ userId: actor.userId, state: q.state, limit: 200 });
    } else {
      rows = await repo.redemptions({
        communityPrefix: listScope(actor, 'reward.write'),
        state: q.state,
        limit: 500,
      });
    }
    return rows.map((r) => ({
      id: r.id,
      rewardId: r.reward_id,
      rewardName: r.reward_name,
      communityCode: r.community_code,
      userId: r.user_id,
      cost: r.cost,
      state: r.state,
      createdAt: r.created_at.toISOString(),
      decidedAt: r.decided_at?.toISOString() ?? null,
    }));
  }

  // Garbage-sorting checks (垃圾不落地): a passed check earns the rule's points, once per check.

  async recordSortingCheck(
    actor: Actor,
    body: { communityCode: string; userId: string; passed: boolean; note?: string },
  ) {
    authorise(actor, 'points.award', { territoryCodes: [body.communityCode] });
    if (body.communityCode.length !== 12 || !(await this.deps.areaName(body.communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    const district = body.communityCode.slice(0, 6);
    return this.db.transaction().execute(async (trx) => {
      const repo = pointsRepository(trx);
      const role = await repo.userRole(body.userId);
      if (!role || !EARNING_ROLES.has(role))
        throw AppError.validation([{ field: 'userId', message: 'no resident or volunteer has this id' }]);
      const id = newId('sck');
      await repo.insertSortingCheck({
        district_code: district,
        id,
        community_code: body.communityCode,
        user_id: body.userId,
        passed: body.passed,
        note: body.note ?? '',
        checked_by: recordedUserId(actor),
        checked_at: this.clock.now(),
      });
      const earned = await this.earn(trx, district, { kind: 'sorting_check', passed: body.passed });
      const award =
        earned.points > 0
          ? await this.postAward(trx, {
              districtCode: district,
              poolScope: body.communityCode,
              userId: body.userId,
              points: earned.points,
              sourceKind: 'sorting_check',
              sourceRef: id,
              reason: '垃圾分类检查合格',
              ruleVersionId: earned.ruleVersionId,
              actorUserId: recordedUserId(actor),
            })
          : null;
      return { id, passed: body.passed, points: award?.points ?? 0 };
    });
  }

  /** The ledger's invariants over a district (tests and operations): entries sum to zero, no negatives. */
  async check(districtCode: string) {
    return pointsRepository(this.db).ledgerCheck(districtCode);
  }
}

function rewardView(r: {
  id: string;
  community_code: string;
  name: string;
  description: string;
  cost: number;
  stock: number;
  active: boolean;
}) {
  return {
    id: r.id,
    communityCode: r.community_code,
    name: r.name,
    description: r.description,
    cost: r.cost,
    stock: r.stock,
    active: r.active,
  };
}
