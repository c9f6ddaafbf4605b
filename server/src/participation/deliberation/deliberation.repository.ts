import type { Insertable, Kysely } from 'kysely';
import type {
  AlleyPlanItemTable,
  Database,
  ProposalCommentTable,
  ProposalDecisionKind,
  ProposalOutcome,
  ProposalTable,
  VoteChoice,
} from '../../db/schema.ts';

/** All SQL of deliberation: proposals, comments, ballots, plan items. The service opens the transactions. */
export function deliberationRepository(db: Kysely<Database>) {
  return {
    async insertProposal(p: Insertable<ProposalTable>): Promise<void> {
      await db.insertInto('proposal').values(p).execute();
    },

    /** A proposal; locked FOR UPDATE (close, decide) or FOR SHARE (a ballot) when asked. */
    findProposal(id: string, lock: 'update' | 'share' | null = null) {
      let q = db.selectFrom('proposal').selectAll().where('id', '=', id);
      if (lock === 'update') q = q.forUpdate();
      if (lock === 'share') q = q.forShare();
      return q.executeTakeFirst();
    },

    proposals(q: { communityPrefix?: string; alleyId?: string; state?: string; limit: number }) {
      let query = db
        .selectFrom('proposal as p')
        .selectAll('p')
        .select((eb) =>
          eb
            .selectFrom('proposal_comment as c')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('c.district_code', '=', 'p.district_code')
            .whereRef('c.proposal_id', '=', 'p.id')
            .as('comments'),
        );
      if (q.communityPrefix) query = query.where('p.community_code', 'like', `${q.communityPrefix}%`);
      if (q.alleyId) query = query.where('p.alley_id', '=', q.alleyId);
      if (q.state) query = query.where('p.state', '=', q.state as ProposalTable['state']);
      return query.orderBy('p.created_at', 'desc').orderBy('p.id').limit(q.limit).execute();
    },

    /** Residents and volunteers whose account's scope is the community or a grid inside it. */
    async countEligible(communityCode: string): Promise<number> {
      const r = await db
        .selectFrom('app_user')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', 'in', ['resident', 'volunteer'])
        .where('active', '=', true)
        .where('scope_code', 'like', `${communityCode}%`)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async openVoting(
      districtCode: string,
      id: string,
      v: { at: Date; by: string | null; closesAt: Date; eligible: number; quorum: number },
    ): Promise<boolean> {
      const r = await db
        .updateTable('proposal')
        .set({
          state: 'voting',
          voting_opened_at: v.at,
          voting_opened_by: v.by,
          closes_at: v.closesAt,
          eligible_count: v.eligible,
          quorum: v.quorum,
        })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'discussion')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** A ballot; false when this person has voted on this proposal already (the primary key decides). */
    async insertVote(v: {
      district_code: string;
      proposal_id: string;
      user_id: string;
      choice: VoteChoice;
      cast_at: Date;
    }): Promise<boolean> {
      const r = await db
        .insertInto('proposal_vote')
        .values(v)
        .onConflict((oc) => oc.columns(['district_code', 'proposal_id', 'user_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    findVote(districtCode: string, proposalId: string, userId: string) {
      return db
        .selectFrom('proposal_vote')
        .select(['choice', 'cast_at'])
        .where('district_code', '=', districtCode)
        .where('proposal_id', '=', proposalId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** The ballots per choice (read only when a vote closes, or to know whether all have voted). */
    async tally(districtCode: string, proposalId: string) {
      const rows = await db
        .selectFrom('proposal_vote')
        .select(['choice', (eb) => eb.fn.countAll<number>().as('n')])
        .where('district_code', '=', districtCode)
        .where('proposal_id', '=', proposalId)
        .groupBy('choice')
        .execute();
      const t = { yes: 0, no: 0, abstain: 0 };
      for (const r of rows) t[r.choice] = Number(r.n);
      return t;
    },

    /** Votes still open whose deadline has passed, oldest deadline first. */
    async votesPastDeadline(now: Date, limit: number) {
      return db
        .selectFrom('proposal')
        .select(['district_code', 'id'])
        .where('state', '=', 'voting')
        .where('closes_at', '<=', now)
        .orderBy('closes_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    async close(
      districtCode: string,
      id: string,
      c: { at: Date; by: string | null; yes: number; no: number; abstain: number; outcome: ProposalOutcome },
    ): Promise<boolean> {
      const r = await db
        .updateTable('proposal')
        .set({
          state: 'closed',
          closed_at: c.at,
          closed_by: c.by,
          yes_count: c.yes,
          no_count: c.no,
          abstain_count: c.abstain,
          outcome: c.outcome,
        })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'voting')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async withdraw(districtCode: string, id: string): Promise<boolean> {
      const r = await db
        .updateTable('proposal')
        .set({ state: 'withdrawn' })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'discussion')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async setMinutes(districtCode: string, id: string, text: string, at: Date, by: string | null) {
      await db
        .updateTable('proposal')
        .set({ minutes: text, minutes_at: at, minutes_by: by })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    /** Claims the decision: only one claim wins, on a closed proposal without one. */
    async claimDecision(
      districtCode: string,
      id: string,
      d: { kind: ProposalDecisionKind; note: string; at: Date; by: string | null },
    ): Promise<boolean> {
      const r = await db
        .updateTable('proposal')
        .set({ decision_kind: d.kind, decision_note: d.note, decided_at: d.at, decided_by: d.by })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'closed')
        .where('decision_kind', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Gives a claim back when what it was to open could not be opened. */
    async releaseDecision(districtCode: string, id: string): Promise<void> {
      await db
        .updateTable('proposal')
        .set({ decision_kind: null, decision_note: null, decided_at: null, decided_by: null })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('decision_ref', 'is', null)
        .execute();
    },

    async linkDecision(districtCode: string, id: string, ref: string): Promise<void> {
      await db
        .updateTable('proposal')
        .set({ decision_ref: ref })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    async insertComment(c: Insertable<ProposalCommentTable>): Promise<void> {
      await db.insertInto('proposal_comment').values(c).execute();
    },

    comments(districtCode: string, proposalId: string) {
      return db
        .selectFrom('proposal_comment')
        .select(['id', 'author_kind', 'body', 'created_at'])
        .where('district_code', '=', districtCode)
        .where('proposal_id', '=', proposalId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1000)
        .execute();
    },

    async insertPlanItem(p: Insertable<AlleyPlanItemTable>): Promise<void> {
      await db.insertInto('alley_plan_item').values(p).execute();
    },

    planItems(q: { alleyId?: string; districtCode?: string }) {
      let query = db
        .selectFrom('alley_plan_item')
        .select(['id', 'alley_id', 'proposal_id', 'title', 'description', 'created_at']);
      if (q.alleyId) query = query.where('alley_id', '=', q.alleyId);
      if (q.districtCode) query = query.where('district_code', '=', q.districtCode);
      return query.orderBy('created_at', 'desc').limit(500).execute();
    },
  };
}
