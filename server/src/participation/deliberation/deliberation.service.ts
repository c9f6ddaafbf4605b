import type { Kysely } from 'kysely';
import { type Actor, authorise, recordedUserId } from '../../accounts/authorisation.ts';
import type { Database, ProposalAuthorKind, ProposalRow } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import { deliberationRepository } from './deliberation.repository.ts';
import {
  closeRefusal,
  type DecisionKind,
  decisionRefusal,
  isEligibleMember,
  MEMBER_ROLES,
  openRefusal,
  outcomeOf,
  quorumFor,
  type VoteChoice,
  visibleTally,
  voteRefusal,
} from './deliberation.rules.ts';

export interface DeliberationDeps {
  areaName(code: string): Promise<string | null>;
}

/**
 * What a decision opens, outside participation: a case through the case service's staff intake, a
 * campaign through the campaign service. Bound once both exist (context.ts), since participation is
 * wired before the case loop.
 */
export interface DecisionTargets {
  openCase(
    actor: Actor,
    input: { description: string; lng: number; lat: number; categoryKey?: string },
  ): Promise<{ id: string; caseNumber: string }>;
  openCampaign(
    actor: Actor,
    input: { name: string; description: string; scopeCode: string; categoryKeys?: string[]; endsAt?: string },
  ): Promise<{ id: string }>;
}

export interface DecisionInput {
  kind: DecisionKind;
  note?: string;
  case?: { description?: string; lng?: number; lat?: number; alleyId?: string; categoryKey?: string };
  campaign?: { name?: string; categoryKeys?: string[]; endsAt?: string };
  planItem?: { alleyId?: string; title?: string; description?: string };
}

/**
 * Deliberation (议事协商, SPEC §8, docs/participation.md): proposals of a community or one of its
 * alleys, discussion, a vote (one ballot per eligible member, a quorum, a deadline, a tally kept secret
 * until the close), minutes, and a decision that may open a case, a campaign or an alley plan item,
 * linked back from the proposal.
 */
export class DeliberationService {
  private targets: DecisionTargets | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: DeliberationDeps,
  ) {}

  bindTargets(t: DecisionTargets): void {
    this.targets = t;
  }

  private get repo() {
    return deliberationRepository(this.db);
  }

  /** The alley when it lies in the community (an alley not assigned to one counts for its street's). */
  private async alleyOf(alleyId: string, communityCode: string) {
    const alley = await territoryRepository(this.db).findAlley(alleyId);
    if (!alley || alley.street_code !== communityCode.slice(0, 9)) return null;
    if (alley.community_code !== null && alley.community_code !== communityCode) return null;
    return alley;
  }

  private async proposal(id: string) {
    const p = await this.repo.findProposal(id);
    if (!p) throw AppError.notFound('proposal', id);
    return p;
  }

  /**
   * Who takes part: an eligible member of the community (resident or volunteer scoped to it), or its
   * staff. Answers the kind of author to record.
   */
  private participant(actor: Actor, communityCode: string, council = false): ProposalAuthorKind {
    if (MEMBER_ROLES.has(actor.role)) {
      authorise(actor, 'proposal.take_part');
      if (!isEligibleMember(actor, communityCode))
        throw new AppError('OUT_OF_SCOPE', 'Only residents of this community take part in its deliberation', {
          communityCode,
        });
      return council ? 'council' : 'resident';
    }
    authorise(actor, 'proposal.manage', { territoryCodes: [communityCode] });
    return actor.role === 'alley_chief' ? 'chief' : 'staff';
  }

  async create(
    actor: Actor,
    body: { communityCode: string; alleyId?: string; title: string; body: string; council?: boolean },
  ) {
    if (body.communityCode.length !== 12 || !(await this.deps.areaName(body.communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    if (body.alleyId) {
      if (!(await this.alleyOf(body.alleyId, body.communityCode)))
        throw AppError.validation([
          { field: 'alleyId', message: `no alley ${body.alleyId} in this community` },
        ]);
    }
    if (body.council && !MEMBER_ROLES.has(actor.role))
      throw AppError.validation([{ field: 'council', message: "the council's members are residents" }]);
    const kind = this.participant(actor, body.communityCode, body.council ?? false);
    const row = {
      district_code: body.communityCode.slice(0, 6),
      id: newId('prop'),
      community_code: body.communityCode,
      alley_id: body.alleyId ?? null,
      title: body.title,
      body: body.body,
      proposer_user_id: recordedUserId(actor),
      proposer_kind: kind,
      state: 'discussion' as const,
      created_at: this.clock.now(),
    };
    await this.repo.insertProposal(row);
    return this.view((await this.repo.findProposal(row.id))!, actor, 0);
  }

  /** Public: the proposals of a community, street or alley, newest first, without names. */
  async list(
    actor: Actor | null,
    q: { communityCode?: string; streetCode?: string; alleyId?: string; state?: string },
  ) {
    authorise(actor, 'proposal.read');
    const rows = await this.repo.proposals({
      communityPrefix: q.communityCode ?? q.streetCode,
      alleyId: q.alleyId,
      state: q.state,
      limit: 200,
    });
    return Promise.all(rows.map((r) => this.view(r, actor, Number(r.comments ?? 0))));
  }

  /** Public: one proposal; a signed-in member also learns whether (and how) they voted themselves. */
  async get(actor: Actor | null, id: string) {
    authorise(actor, 'proposal.read');
    const p = await this.proposal(id);
    const comments = await this.repo.comments(p.district_code, p.id);
    return this.view(p, actor, comments.length);
  }

  async comments(actor: Actor | null, id: string) {
    authorise(actor, 'proposal.read');
    const p = await this.proposal(id);
    return (await this.repo.comments(p.district_code, p.id)).map((c) => ({
      id: c.id,
      authorKind: c.author_kind,
      body: c.body,
      at: c.created_at.toISOString(),
    }));
  }

  /** Discussion: members and staff of the community comment while the proposal is not closed. */
  async comment(actor: Actor, id: string, body: { body: string }) {
    const p = await this.proposal(id);
    const kind = this.participant(actor, p.community_code);
    if (p.state === 'closed' || p.state === 'withdrawn')
      throw new AppError('TRANSITION_NOT_ALLOWED', `the proposal is ${p.state}`, { state: p.state });
    const row = {
      district_code: p.district_code,
      id: newId('pcom'),
      proposal_id: p.id,
      author_user_id: recordedUserId(actor),
      author_kind: kind,
      body: body.body,
      created_at: this.clock.now(),
    };
    await this.repo.insertComment(row);
    return { id: row.id, authorKind: row.author_kind, body: row.body, at: row.created_at.toISOString() };
  }

  /** The proposer, or the community's staff, withdraw a proposal while it is under discussion. */
  async withdraw(actor: Actor, id: string) {
    const p = await this.proposal(id);
    if (MEMBER_ROLES.has(actor.role)) {
      authorise(actor, 'proposal.take_part');
      if (p.proposer_user_id !== actor.userId)
        throw new AppError('FORBIDDEN', 'Only its proposer or the community withdraws a proposal', {
          proposalId: p.id,
        });
    } else authorise(actor, 'proposal.manage', { territoryCodes: [p.community_code] });
    if (!(await this.repo.withdraw(p.district_code, p.id)))
      throw new AppError('TRANSITION_NOT_ALLOWED', 'only a proposal under discussion is withdrawn', {
        state: p.state,
      });
    return this.get(actor, id);
  }

  /**
   * The community's staff open the vote with a deadline and a quorum: a share of the members eligible
   * now (counted and kept), or a number of ballots.
   */
  async openVoting(
    actor: Actor,
    id: string,
    body: { closesAt: Date; quorumPercent?: number; quorum?: number },
  ) {
    const p = await this.proposal(id);
    authorise(actor, 'proposal.manage', { territoryCodes: [p.community_code] });
    const now = this.clock.now();
    const refusal = openRefusal(p, body.closesAt, now);
    if (refusal) {
      if (p.state === 'discussion') throw AppError.validation([{ field: 'closesAt', message: refusal }]);
      throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { state: p.state });
    }
    const eligible = await this.repo.countEligible(p.community_code);
    const quorum = quorumFor(eligible, { percent: body.quorumPercent, count: body.quorum });
    if (
      !(await this.repo.openVoting(p.district_code, p.id, {
        at: now,
        by: recordedUserId(actor),
        closesAt: body.closesAt,
        eligible,
        quorum,
      }))
    )
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the vote is already open', { state: p.state });
    return this.get(actor, id);
  }

  /**
   * One ballot per eligible member: the proposal row is read FOR SHARE (a close waits for ballots being
   * cast, and a ballot cast after a close sees it), and the ballot's primary key (district, proposal,
   * person) refuses a second one, even one sent at the same instant: ALREADY_VOTED.
   */
  async vote(actor: Actor, id: string, choice: VoteChoice) {
    authorise(actor, 'proposal.take_part');
    const found = await this.proposal(id);
    if (!isEligibleMember(actor, found.community_code))
      throw new AppError('OUT_OF_SCOPE', 'Only residents of this community vote on its proposals', {
        communityCode: found.community_code,
      });
    return this.db.transaction().execute(async (trx) => {
      const repo = deliberationRepository(trx);
      const p = (await repo.findProposal(id, 'share'))!;
      const now = this.clock.now();
      const refusal = voteRefusal({ state: p.state, closesAt: p.closes_at }, now);
      if (refusal) throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { state: p.state });
      const cast = await repo.insertVote({
        district_code: p.district_code,
        proposal_id: p.id,
        user_id: actor.userId,
        choice,
        cast_at: now,
      });
      if (!cast)
        throw new AppError('ALREADY_VOTED', 'You have already voted on this proposal', { proposalId: p.id });
      return { proposalId: p.id, choice, castAt: now.toISOString() };
    });
  }

  /**
   * The community's staff close the vote at its deadline (or once all eligible members voted): the
   * ballots are counted under the proposal's lock, the tally and outcome written, and only from then on
   * shown.
   */
  async close(actor: Actor, id: string) {
    const found = await this.proposal(id);
    authorise(actor, 'proposal.manage', { territoryCodes: [found.community_code] });
    await this.closeVote(id, recordedUserId(actor));
    return this.get(actor, id);
  }

  /**
   * Closes every vote whose deadline has passed, as the system (the jobs' scheduler calls this each
   * minute), so a tally never waits for somebody to press 关闭投票. Each close is its own transaction
   * under the proposal's lock, the same as a close by staff; a vote closed meanwhile is skipped.
   * Answers how many were closed.
   */
  async closeVotesPastDeadline(limit = 200): Promise<number> {
    let closed = 0;
    for (;;) {
      const due = await this.repo.votesPastDeadline(this.clock.now(), limit);
      for (const p of due) if (await this.closeVote(p.id, null, true)) closed++;
      if (due.length < limit) return closed;
    }
  }

  /** Counts the ballots under the proposal's lock and writes the tally; false when it was already closed. */
  private async closeVote(id: string, by: string | null, quietIfClosed = false): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const repo = deliberationRepository(trx);
      const p = (await repo.findProposal(id, 'update'))!;
      if (quietIfClosed && p.state !== 'voting') return false;
      const tally = await repo.tally(p.district_code, p.id);
      const now = this.clock.now();
      const refusal = closeRefusal(
        { state: p.state, closesAt: p.closes_at, eligibleCount: p.eligible_count },
        tally.yes + tally.no + tally.abstain,
        now,
      );
      if (refusal) throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { state: p.state });
      return repo.close(p.district_code, p.id, {
        at: now,
        by,
        ...tally,
        outcome: outcomeOf(tally, p.quorum ?? 1),
      });
    });
  }

  /** The meeting's minutes (会议纪要), kept on the proposal; written again replaces them. */
  async setMinutes(actor: Actor, id: string, text: string) {
    const p = await this.proposal(id);
    authorise(actor, 'proposal.manage', { territoryCodes: [p.community_code] });
    if (p.state === 'withdrawn')
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the proposal is withdrawn', { state: p.state });
    await this.repo.setMinutes(p.district_code, p.id, text, this.clock.now(), recordedUserId(actor));
    return this.get(actor, id);
  }

  /**
   * Records the decision after the close, once: the claim is taken first (a second decision, even a
   * concurrent one, is refused), then what it opens is opened and linked back; if opening fails, the
   * claim is given back and the error answered.
   */
  async decide(actor: Actor, id: string, body: DecisionInput) {
    const p = await this.proposal(id);
    authorise(actor, 'proposal.manage', { territoryCodes: [p.community_code] });
    const refusal = decisionRefusal(
      { state: p.state, outcome: p.outcome, decided: p.decision_kind !== null },
      body.kind,
    );
    if (refusal)
      throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { state: p.state, outcome: p.outcome });
    const open = await this.prepareDecision(actor, p, body);
    const note = body.note ?? '';
    if (
      !(await this.repo.claimDecision(p.district_code, p.id, {
        kind: body.kind,
        note,
        at: this.clock.now(),
        by: recordedUserId(actor),
      }))
    )
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the decision is already recorded', { state: p.state });
    if (open) {
      let ref: string;
      try {
        ref = await open();
      } catch (err) {
        await this.repo.releaseDecision(p.district_code, p.id);
        throw err;
      }
      await this.repo.linkDecision(p.district_code, p.id, ref);
    }
    return this.get(actor, id);
  }

  /** Checks a decision's input and answers the function that opens its target (none for `none`). */
  private async prepareDecision(
    actor: Actor,
    p: ProposalRow,
    body: DecisionInput,
  ): Promise<(() => Promise<string>) | null> {
    const text = `居民议事决定：${p.title}${body.note ? `\n${body.note}` : ''}`;
    if (body.kind === 'none') return null;
    const targets = this.targets;
    if (body.kind === 'case') {
      if (!targets) throw new Error('deliberation: decision targets are not bound');
      let lng = body.case?.lng;
      let lat = body.case?.lat;
      if (lng === undefined || lat === undefined) {
        // The alley the decision names (inside the proposal's community), else the proposal's own.
        const chosen = body.case?.alleyId;
        if (chosen && !(await this.alleyOf(chosen, p.community_code)))
          throw AppError.validation([
            { field: 'case.alleyId', message: `no alley ${chosen} in this community` },
          ]);
        const alleyId = chosen ?? p.alley_id;
        const alley = alleyId ? await territoryRepository(this.db).findAlley(alleyId) : undefined;
        const coords = alley?.geometry.coordinates;
        if (!coords?.length)
          throw AppError.validation([
            { field: 'case.lng', message: 'a place is needed for a proposal not tied to an alley' },
          ]);
        [lng, lat] = coords[Math.floor(coords.length / 2)] as [number, number];
      }
      const input = {
        description: (body.case?.description ?? text).slice(0, 2000),
        lng,
        lat,
        categoryKey: body.case?.categoryKey,
      };
      return async () => (await targets.openCase(actor, input)).id;
    }
    if (body.kind === 'campaign') {
      if (!targets) throw new Error('deliberation: decision targets are not bound');
      const input = {
        name: (body.campaign?.name ?? `议事：${p.title}`).slice(0, 100),
        description: text.slice(0, 2000),
        scopeCode: p.community_code,
        categoryKeys: body.campaign?.categoryKeys,
        endsAt: body.campaign?.endsAt,
      };
      return async () => (await targets.openCampaign(actor, input)).id;
    }
    const alleyId = body.planItem?.alleyId ?? p.alley_id;
    if (!alleyId)
      throw AppError.validation([{ field: 'planItem.alleyId', message: 'a plan item belongs to an alley' }]);
    if (!(await this.alleyOf(alleyId, p.community_code)))
      throw AppError.validation([
        { field: 'planItem.alleyId', message: `no alley ${alleyId} in this community` },
      ]);
    const item = {
      district_code: p.district_code,
      id: newId('plan'),
      alley_id: alleyId,
      proposal_id: p.id,
      title: (body.planItem?.title ?? p.title).slice(0, 200),
      description: body.planItem?.description ?? body.note ?? '',
      created_at: this.clock.now(),
      created_by: recordedUserId(actor),
    };
    return async () => {
      await this.repo.insertPlanItem(item);
      return item.id;
    };
  }

  /** Public: the items decisions added to an alley's plan (一街一策). */
  async planItems(actor: Actor | null, q: { alleyId?: string }) {
    authorise(actor, 'proposal.read');
    return (await this.repo.planItems({ alleyId: q.alleyId })).map((i) => ({
      id: i.id,
      alleyId: i.alley_id,
      proposalId: i.proposal_id,
      title: i.title,
      description: i.description,
      createdAt: i.created_at.toISOString(),
    }));
  }

  private async view(p: ProposalRow, actor: Actor | null, comments: number) {
    const mine =
      actor && MEMBER_ROLES.has(actor.role) && p.state !== 'discussion'
        ? await this.repo.findVote(p.district_code, p.id, actor.userId)
        : undefined;
    return {
      id: p.id,
      communityCode: p.community_code,
      alleyId: p.alley_id,
      title: p.title,
      body: p.body,
      proposerKind: p.proposer_kind,
      state: p.state,
      createdAt: p.created_at.toISOString(),
      comments,
      vote:
        p.closes_at === null
          ? null
          : {
              openedAt: p.voting_opened_at?.toISOString() ?? null,
              closesAt: p.closes_at.toISOString(),
              eligible: p.eligible_count ?? 0,
              quorum: p.quorum ?? 1,
              closedAt: p.closed_at?.toISOString() ?? null,
              tally: visibleTally(p, { yes: p.yes_count, no: p.no_count, abstain: p.abstain_count }),
              outcome: p.outcome,
            },
      myVote: mine ? mine.choice : null,
      minutes:
        p.minutes === null ? null : { text: p.minutes, recordedAt: p.minutes_at?.toISOString() ?? null },
      decision:
        p.decision_kind === null
          ? null
          : {
              kind: p.decision_kind,
              ref: p.decision_ref,
              note: p.decision_note ?? '',
              decidedAt: p.decided_at?.toISOString() ?? null,
            },
    };
  }
}
