import type { Kysely } from 'kysely';
import {
  type Actor,
  authorise,
  decide,
  listScope,
  recordedUserId,
  rolesOf,
} from '../../accounts/authorisation.ts';
import type { Role } from '../../accounts/roles.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { visitRepository } from './visit.repository.ts';
import {
  DEFAULT_GRACE_DAYS,
  dueState,
  intervalOf,
  tallyByOfficial,
  unknownKinds,
  VISIT_KINDS,
  type VisitKind,
} from './visit.rules.ts';

export interface VisitDeps {
  areaName(code: string): Promise<string | null>;
  /** The kinds and their intervals (visit.rules.ts VISIT_KINDS when absent). */
  kinds?: readonly VisitKind[];
  graceDays?: number;
}

/**
 * How an issue raised on a visit becomes a case: the case service's staff intake (bound in context.ts).
 * `within` writes the visit in the case's own transaction (the intake's `afterInsert`): both are stored
 * or neither is.
 */
export type OpenCase = (
  actor: Actor,
  input: { description: string; lng: number; lat: number; categoryKey?: string },
  within: (trx: Kysely<Database>, created: { id: string; caseNumber: string }) => Promise<void>,
) => Promise<{ id: string; caseNumber: string }>;

export interface HouseholdInput {
  communityCode: string;
  gridCode?: string;
  label: string;
  address: string;
  kinds: string[];
  contactName?: string;
  contactPhone?: string;
  officialUserId?: string;
}

export interface VisitInput {
  householdId: string;
  visitedAt?: Date;
  notes?: string;
  issue?: { description: string; lng: number; lat: number; categoryCode?: string };
}

type HouseholdRow = Awaited<ReturnType<ReturnType<typeof visitRepository>['households']>>[number];

/**
 * Household visits (十必访, SPEC §8, docs/participation.md): the households of a community that its
 * officials must visit, by kind; the visit log; and what is due and overdue, per household and per
 * official, against each kind's interval. Households' contacts are for the staff of their scope only.
 */
export class VisitService {
  private openCase: OpenCase | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: VisitDeps,
  ) {}

  bindCaseIntake(open: OpenCase): void {
    this.openCase = open;
  }

  private get repo() {
    return visitRepository(this.db);
  }

  private get kindList() {
    return this.deps.kinds ?? VISIT_KINDS;
  }

  kinds(actor: Actor) {
    authorise(actor, 'visit.manage');
    return { illustrative: true, items: this.kindList.map((k) => ({ ...k })) };
  }

  /**
   * Who may answer for the visits of a community's households (a household's official): the active
   * staff who keep visits there, by name and role only, for the staff of that community.
   */
  async officials(actor: Actor, communityCode: string) {
    authorise(actor, 'visit.manage', { territoryCodes: [communityCode] });
    // The roles the authorisation module admits narrow the query; `decide` settles each account's scope.
    const roles = rolesOf('visit.manage').filter((r): r is Role => r !== 'anonymous');
    const candidates = await this.repo.officialCandidates(communityCode, roles);
    return candidates
      .filter((c) => decide(c.actor, 'visit.manage', { territoryCodes: [communityCode] }).allowed)
      .map((c) => ({ userId: c.actor.userId, displayName: c.displayName, role: c.actor.role }));
  }

  async registerHousehold(actor: Actor, body: HouseholdInput) {
    const codes = [body.communityCode, body.gridCode].filter((c): c is string => !!c);
    authorise(actor, 'visit.manage', { territoryCodes: codes });
    if (!(await this.deps.areaName(body.communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${body.communityCode}` }]);
    if (body.gridCode && !body.gridCode.startsWith(body.communityCode))
      throw AppError.validation([{ field: 'gridCode', message: 'the grid lies outside the community' }]);
    const unknown = unknownKinds(body.kinds, this.kindList);
    if (unknown.length)
      throw AppError.validation([{ field: 'kinds', message: `unknown kinds: ${unknown.join(', ')}` }]);
    const official = body.officialUserId ?? recordedUserId(actor);
    if (body.officialUserId) {
      // The official must be someone who keeps visits in this community, not any account.
      const official = await this.repo.findOfficial(body.officialUserId);
      if (!official) throw AppError.validation([{ field: 'officialUserId', message: 'no such user' }]);
      if (!decide(official, 'visit.manage', { territoryCodes: codes }).allowed)
        throw AppError.validation([
          { field: 'officialUserId', message: 'this user does not keep household visits in the community' },
        ]);
    }
    const id = newId('hh');
    await this.repo.insertHousehold({
      district_code: body.communityCode.slice(0, 6),
      id,
      community_code: body.communityCode,
      grid_code: body.gridCode ?? null,
      label: body.label,
      address: body.address,
      kinds: JSON.stringify([...new Set(body.kinds)]),
      contact_name: body.contactName ?? '',
      contact_phone: body.contactPhone ?? '',
      official_user_id: official,
      created_at: this.clock.now(),
      created_by: recordedUserId(actor),
    });
    const [row] = (await this.repo.households({ prefix: body.communityCode })).filter((h) => h.id === id);
    return this.view(row!);
  }

  /** Households of the actor's scope (or of one community inside it) with their due state. */
  async households(actor: Actor, q: { communityCode?: string } = {}) {
    const prefix = listScope(actor, 'visit.manage');
    if (q.communityCode) authorise(actor, 'visit.manage', { territoryCodes: [q.communityCode] });
    const rows = await this.repo.households({ prefix, communityCode: q.communityCode });
    return rows.map((r) => this.view(r));
  }

  private async household(actor: Actor, id: string) {
    const h = await this.repo.findHousehold(id);
    if (!h) throw AppError.notFound('household', id);
    authorise(actor, 'visit.manage', {
      territoryCodes: [h.community_code, h.grid_code].filter((c): c is string => !!c),
    });
    return h;
  }

  /** Records a visit; an issue raised opens a case through staff intake, linked from the visit. */
  async recordVisit(actor: Actor, body: VisitInput) {
    const h = await this.household(actor, body.householdId);
    const now = this.clock.now();
    const visitedAt = body.visitedAt ?? now;
    if (visitedAt.getTime() > now.getTime())
      throw AppError.validation([{ field: 'visitedAt', message: 'a visit is recorded once it happened' }]);
    const id = newId('hv');
    const row = (opened: { id: string; caseNumber: string } | null) => ({
      district_code: h.district_code,
      id,
      household_id: h.id,
      visitor_user_id: recordedUserId(actor),
      visited_at: visitedAt,
      notes: body.notes ?? '',
      case_id: opened?.id ?? null,
      case_number: opened?.caseNumber ?? null,
      created_at: now,
    });
    if (body.issue) {
      if (!this.openCase) throw new Error('visits: the case intake is not bound');
      // The case and the visit that raised it are one transaction: a visit that cannot be written
      // takes its case back with it (the case number taken stays a gap, decision 0002).
      await this.openCase(
        actor,
        {
          description: `【走访】${h.label}：${body.issue.description}`.slice(0, 2000),
          lng: body.issue.lng,
          lat: body.issue.lat,
          categoryKey: body.issue.categoryCode,
        },
        (trx, created) => visitRepository(trx).insertVisit(row(created)),
      );
    } else {
      await this.repo.insertVisit(row(null));
    }
    return (await this.visitViews(h.district_code, h.id)).find((v) => v.id === id)!;
  }

  async visits(actor: Actor, householdId: string) {
    const h = await this.household(actor, householdId);
    return this.visitViews(h.district_code, h.id);
  }

  private async visitViews(districtCode: string, householdId: string) {
    return (await this.repo.visits(districtCode, householdId)).map((v) => ({
      id: v.id,
      householdId: v.household_id,
      visitorUserId: v.visitor_user_id,
      visitorName: v.visitor_name,
      visitedAt: v.visited_at.toISOString(),
      notes: v.notes,
      caseId: v.case_id,
      caseNumber: v.case_number,
    }));
  }

  /** What is due and overdue: a tally per official, and the households not `ok`, most overdue first. */
  async due(actor: Actor, q: { communityCode?: string } = {}) {
    const all = await this.households(actor, q);
    const names = new Map(all.map((h) => [h.officialUserId, h.officialName]));
    const tally = tallyByOfficial(all.map((h) => ({ official: h.officialUserId, state: h.state })));
    return {
      officials: [...tally.entries()]
        .map(([official, t]) => ({
          officialUserId: official,
          officialName: names.get(official) ?? null,
          ...t,
        }))
        .sort((a, b) => b.overdue - a.overdue || b.due - a.due),
      households: all
        .filter((h) => h.state !== 'ok')
        .sort((a, b) => b.daysOverdue - a.daysOverdue || a.label.localeCompare(b.label)),
    };
  }

  private view(r: HouseholdRow) {
    const kinds = r.kinds as unknown as string[];
    const intervalDays = intervalOf(kinds, this.kindList);
    const last = r.last_visit_at ? new Date(r.last_visit_at as unknown as string | Date) : null;
    const d = dueState(
      { registeredAt: r.created_at, lastVisitAt: last, intervalDays },
      this.clock.now(),
      this.deps.graceDays ?? DEFAULT_GRACE_DAYS,
    );
    return {
      id: r.id,
      communityCode: r.community_code,
      gridCode: r.grid_code,
      label: r.label,
      address: r.address,
      kinds,
      contactName: r.contact_name,
      contactPhone: r.contact_phone,
      officialUserId: r.official_user_id,
      officialName: r.official_name ?? null,
      intervalDays,
      lastVisitAt: last?.toISOString() ?? null,
      dueAt: d.dueAt.toISOString(),
      state: d.state,
      daysOverdue: d.daysOverdue,
    };
  }
}
