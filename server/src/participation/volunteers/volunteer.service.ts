import type { Kysely } from 'kysely';
import { type Actor, authorise, recordedUserId } from '../../accounts/authorisation.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import type { PointsService } from '../points/points.service.ts';
import { volunteerRepository } from './volunteer.repository.ts';
import {
  type ActivityKind,
  attendedMinutes,
  confirmRefusal,
  durationMinutes,
  hoursOf,
  signUpRefusal,
  sumHours,
} from './volunteer.rules.ts';

export interface VolunteerDeps {
  areaName(code: string): Promise<string | null>;
}

/**
 * Volunteers (SPEC §8, docs/participation.md): teams per community or alley, membership on the
 * community's approval, activities with sign-ups, attendance confirmed by the organiser, service hours
 * per person and team; each confirmed attendance earns the district's hourly points through the
 * ledger, once, in the same transaction.
 */
export class VolunteerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly points: PointsService,
    private readonly deps: VolunteerDeps,
  ) {}

  private get repo() {
    return volunteerRepository(this.db);
  }

  // Teams and members.

  async createTeam(actor: Actor, body: { communityCode: string; name: string; alleyId?: string }) {
    authorise(actor, 'volunteer.manage', { territoryCodes: [body.communityCode] });
    if (body.communityCode.length !== 12 || !(await this.deps.areaName(body.communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    if (body.alleyId) await this.checkTeamAlley(body.alleyId, body.communityCode);
    const row = {
      district_code: body.communityCode.slice(0, 6),
      id: newId('vteam'),
      community_code: body.communityCode,
      alley_id: body.alleyId ?? null,
      name: body.name,
      created_at: this.clock.now(),
    };
    await this.repo.insertTeam(row);
    return {
      id: row.id,
      communityCode: row.community_code,
      alleyId: row.alley_id,
      name: row.name,
      members: 0,
      hours: 0,
    };
  }

  /** Renames a team or moves it to another alley of its street (`alleyId: null`: the whole community). */
  async updateTeam(actor: Actor, id: string, body: { name?: string; alleyId?: string | null }) {
    const team = await this.repo.findTeam(id);
    if (!team) throw AppError.notFound('volunteer team', id);
    authorise(actor, 'volunteer.manage', { territoryCodes: [team.community_code] });
    if (body.alleyId) await this.checkTeamAlley(body.alleyId, team.community_code);
    await this.repo.updateTeam(team.district_code, id, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.alleyId === undefined ? {} : { alley_id: body.alleyId }),
    });
    const [view] = (await this.teams(actor, { communityCode: team.community_code })).filter(
      (t) => t.id === id,
    );
    return view!;
  }

  /** A team's alley lies in its community's street. */
  private async checkTeamAlley(alleyId: string, communityCode: string) {
    const alley = await territoryRepository(this.db).findAlley(alleyId);
    if (!alley || alley.street_code !== communityCode.slice(0, 9))
      throw AppError.validation([
        { field: 'alleyId', message: `no alley ${alleyId} in this community's street` },
      ]);
  }

  /** Public: a community's (or street's, or alley's) teams with their size and hours served. */
  async teams(actor: Actor | null, q: { communityCode?: string; streetCode?: string; alleyId?: string }) {
    authorise(actor, 'volunteer.read');
    const rows = await this.repo.teams({
      communityPrefix: q.communityCode ?? q.streetCode,
      alleyId: q.alleyId,
    });
    return rows.map((t) => ({
      id: t.id,
      communityCode: t.community_code,
      alleyId: t.alley_id,
      name: t.name,
      members: Number(t.members ?? 0),
      hours: hoursOf(Number(t.minutes ?? 0)),
    }));
  }

  private async team(id: string) {
    const team = await this.repo.findTeam(id);
    if (!team) throw AppError.notFound('team', id);
    return team;
  }

  /** A resident applies to join a team; a second application while one is pending answers it again. */
  async apply(actor: Actor, teamId: string, body: { note?: string } = {}) {
    authorise(actor, 'volunteer.apply');
    const team = await this.team(teamId);
    await this.repo.apply({
      district_code: team.district_code,
      team_id: team.id,
      user_id: actor.userId,
      note: body.note ?? '',
      applied_at: this.clock.now(),
    });
    const m = await this.repo.findMember(team.district_code, team.id, actor.userId);
    return { teamId: team.id, userId: actor.userId, state: m!.state };
  }

  /** The community approves (or rejects) an application. */
  async decide(actor: Actor, teamId: string, userId: string, approve: boolean) {
    const team = await this.team(teamId);
    authorise(actor, 'volunteer.manage', { territoryCodes: [team.community_code] });
    const state = approve ? ('approved' as const) : ('rejected' as const);
    if (
      !(await this.repo.decideMember(
        team.district_code,
        team.id,
        userId,
        state,
        this.clock.now(),
        recordedUserId(actor),
      ))
    ) {
      const m = await this.repo.findMember(team.district_code, team.id, userId);
      if (!m) throw AppError.notFound('application', userId);
      throw new AppError('TRANSITION_NOT_ALLOWED', `the application is already ${m.state}`, {
        state: m.state,
      });
    }
    return { teamId: team.id, userId, state };
  }

  /** A team's members and applicants (names are for the community's staff only), with hours served. */
  async members(actor: Actor, teamId: string) {
    const team = await this.team(teamId);
    authorise(actor, 'volunteer.manage', { territoryCodes: [team.community_code] });
    const rows = await this.repo.members(team.district_code, team.id);
    const hours = sumHours(
      (await this.repo.attendances({ teamId: team.id })).map((a) => ({
        key: a.user_id,
        minutes: a.minutes,
        attended: a.attended,
      })),
    );
    return rows.map((m) => ({
      userId: m.user_id,
      username: m.username,
      displayName: m.display_name,
      state: m.state,
      note: m.note,
      appliedAt: m.applied_at.toISOString(),
      decidedAt: m.decided_at?.toISOString() ?? null,
      hours: hours.get(m.user_id)?.hours ?? 0,
    }));
  }

  // Activities.

  async createActivity(
    actor: Actor,
    teamId: string,
    body: {
      kind: ActivityKind;
      title: string;
      place: string;
      alleyId?: string;
      startsAt: Date;
      endsAt: Date;
      capacity?: number;
    },
  ) {
    const team = await this.team(teamId);
    authorise(actor, 'volunteer.manage', { territoryCodes: [team.community_code] });
    if (body.endsAt.getTime() <= body.startsAt.getTime())
      throw AppError.validation([{ field: 'endsAt', message: 'an activity ends after it starts' }]);
    const row = {
      district_code: team.district_code,
      id: newId('vact'),
      team_id: team.id,
      kind: body.kind,
      title: body.title,
      place: body.place,
      alley_id: body.alleyId ?? team.alley_id,
      starts_at: body.startsAt,
      ends_at: body.endsAt,
      capacity: body.capacity ?? null,
      organiser_user_id: recordedUserId(actor),
      created_at: this.clock.now(),
    };
    await this.repo.insertActivity(row);
    return activityView({ ...row, team_name: team.name, community_code: team.community_code, signed_up: 0 });
  }

  /** Public: activities of a team or of the communities under a code, those not over yet by default. */
  async activities(actor: Actor | null, q: { teamId?: string; communityCode?: string; all?: boolean }) {
    authorise(actor, 'volunteer.read');
    const rows = await this.repo.activities({
      teamId: q.teamId,
      communityPrefix: q.communityCode,
      from: q.all ? undefined : this.clock.now(),
    });
    return rows.map(activityView);
  }

  /**
   * Signs the actor up: an approved member of the activity's team, before it ends, while places are
   * left. The activity row is locked while sign-ups are counted, so a full activity stays full.
   */
  async signUp(actor: Actor, activityId: string) {
    authorise(actor, 'volunteer.apply');
    return this.db.transaction().execute(async (trx) => {
      const repo = volunteerRepository(trx);
      const a = await repo.findActivity(activityId, true);
      if (!a) throw AppError.notFound('activity', activityId);
      if (await repo.findSignup(a.district_code, a.id, actor.userId))
        return { activityId: a.id, userId: actor.userId, signedUp: true };
      const member = await repo.findMember(a.district_code, a.team_id, actor.userId);
      const refusal = signUpRefusal(
        { startsAt: a.starts_at, endsAt: a.ends_at, capacity: a.capacity },
        await repo.countSignups(a.district_code, a.id),
        member?.state ?? null,
        this.clock.now(),
      );
      if (refusal) throw new AppError(refusal.code, refusal.message, { activityId: a.id });
      await repo.insertSignup({
        district_code: a.district_code,
        activity_id: a.id,
        user_id: actor.userId,
        signed_up_at: this.clock.now(),
      });
      return { activityId: a.id, userId: actor.userId, signedUp: true };
    });
  }

  /** Withdraws the actor's sign-up while its attendance is not confirmed. */
  async withdraw(actor: Actor, activityId: string) {
    authorise(actor, 'volunteer.apply');
    const a = await this.repo.findActivity(activityId);
    if (!a) throw AppError.notFound('activity', activityId);
    if (!(await this.repo.deleteSignup(a.district_code, a.id, actor.userId)))
      throw new AppError('TRANSITION_NOT_ALLOWED', 'no sign-up to withdraw, or its attendance is confirmed', {
        activityId: a.id,
      });
    return { activityId: a.id, userId: actor.userId, signedUp: false };
  }

  async signups(actor: Actor, activityId: string) {
    const a = await this.repo.findActivity(activityId);
    if (!a) throw AppError.notFound('activity', activityId);
    authorise(actor, 'volunteer.manage', { territoryCodes: [a.community_code] });
    return (await this.repo.signups(a.district_code, a.id)).map((s) => ({
      userId: s.user_id,
      displayName: s.display_name,
      signedUpAt: s.signed_up_at.toISOString(),
      attended: s.attended,
      minutes: s.minutes,
      confirmedAt: s.confirmed_at?.toISOString() ?? null,
    }));
  }

  /**
   * The organiser (or the community's staff) confirms who came, once the activity has started. Each
   * attendance is recorded once: its minutes (the whole activity unless fewer are stated) count as
   * service hours and earn the district's `volunteer_hour` points, posted once per activity and person,
   * in the same transaction. An attendance confirmed before is left as it is and reported.
   */
  async confirmAttendance(
    actor: Actor,
    activityId: string,
    body: { attendances: { userId: string; attended: boolean; minutes?: number }[] },
  ) {
    const found = await this.repo.findActivity(activityId);
    if (!found) throw AppError.notFound('activity', activityId);
    authorise(actor, 'volunteer.manage', { territoryCodes: [found.community_code] });
    const now = this.clock.now();
    const refusal = confirmRefusal({ startsAt: found.starts_at }, now);
    if (refusal) throw new AppError('TRANSITION_NOT_ALLOWED', refusal, { activityId });
    return this.db.transaction().execute(async (trx) => {
      const repo = volunteerRepository(trx);
      const a = (await repo.findActivity(activityId, true))!;
      const results: {
        userId: string;
        attended: boolean;
        minutes: number;
        points: number;
        alreadyConfirmed: boolean;
      }[] = [];
      for (const [i, att] of body.attendances.entries()) {
        if (!(await repo.findSignup(a.district_code, a.id, att.userId)))
          throw AppError.validation([
            { field: `attendances[${i}].userId`, message: 'not signed up for this activity' },
          ]);
        const minutes = attendedMinutes({ startsAt: a.starts_at, endsAt: a.ends_at }, att);
        const recorded = await repo.confirm(
          a.district_code,
          a.id,
          att.userId,
          att.attended,
          att.attended ? minutes : null,
          now,
          recordedUserId(actor),
        );
        if (!recorded) {
          const s = (await repo.findSignup(a.district_code, a.id, att.userId))!;
          results.push({
            userId: att.userId,
            attended: s.attended ?? false,
            minutes: s.minutes ?? 0,
            points: 0,
            alreadyConfirmed: true,
          });
          continue;
        }
        let points = 0;
        if (att.attended && minutes > 0) {
          const earned = await this.points.earn(trx, a.district_code, { kind: 'volunteer_hour', minutes });
          if (earned.points > 0) {
            const award = await this.points.postAward(trx, {
              districtCode: a.district_code,
              poolScope: a.community_code,
              userId: att.userId,
              points: earned.points,
              sourceKind: 'activity',
              sourceRef: `${a.id}:${att.userId}`,
              reason: `志愿服务 ${a.title}（${hoursOf(minutes)} 小时）`,
              ruleVersionId: earned.ruleVersionId,
              actorUserId: recordedUserId(actor),
            });
            points = award.points;
          }
        }
        results.push({
          userId: att.userId,
          attended: att.attended,
          minutes,
          points,
          alreadyConfirmed: false,
        });
      }
      return {
        activityId: a.id,
        durationMinutes: durationMinutes({ startsAt: a.starts_at, endsAt: a.ends_at }),
        results,
      };
    });
  }

  // Hours.

  /** The actor's own service record: memberships, hours per team and in all, the activities served. */
  async mine(actor: Actor) {
    authorise(actor, 'volunteer.apply');
    const memberships = await this.repo.membershipsOf(actor.userId);
    const attendances = await this.repo.attendances({ userId: actor.userId });
    const perTeam = sumHours(
      attendances.map((a) => ({ key: a.team_id, minutes: a.minutes, attended: a.attended })),
    );
    const total = sumHours(
      attendances.map((a) => ({ key: 'all' as const, minutes: a.minutes, attended: a.attended })),
    ).get('all');
    return {
      memberships: memberships.map((m) => ({
        teamId: m.team_id,
        teamName: m.name,
        communityCode: m.community_code,
        state: m.state,
        hours: perTeam.get(m.team_id)?.hours ?? 0,
      })),
      hours: total?.hours ?? 0,
      activities: attendances
        .filter((a) => a.attended)
        .map((a) => ({
          activityId: a.activity_id,
          teamName: a.team_name,
          title: a.title,
          kind: a.kind,
          startsAt: a.starts_at.toISOString(),
          hours: hoursOf(a.minutes ?? 0),
        })),
    };
  }
}

function activityView(a: {
  id: string;
  team_id: string;
  team_name: string;
  community_code: string;
  kind: string;
  title: string;
  place: string;
  alley_id: string | null;
  starts_at: Date;
  ends_at: Date;
  capacity: number | null;
  signed_up: number | string | null;
}) {
  return {
    id: a.id,
    teamId: a.team_id,
    teamName: a.team_name,
    communityCode: a.community_code,
    kind: a.kind as ActivityKind,
    title: a.title,
    place: a.place,
    alleyId: a.alley_id,
    startsAt: a.starts_at.toISOString(),
    endsAt: a.ends_at.toISOString(),
    capacity: a.capacity,
    signedUp: Number(a.signed_up ?? 0),
  };
}
