import type { Kysely } from 'kysely';
import { type Actor, authorise, decide, listScope, recordedUserId } from '../../accounts/authorisation.ts';
import type { Database, ParkingBookingState, ParkingWindow } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import { parkingRepository } from './parking.repository.ts';
import {
  bookingRefusal,
  checkInRefusal,
  DEFAULT_NO_SHOW_POLICY,
  type NoShowPolicy,
  nextOpenings,
  noShowAfter,
  windowIssues,
} from './parking.rules.ts';

export interface ParkingDeps {
  areaName(code: string): Promise<string | null>;
  noShow?: NoShowPolicy;
}

const DAY = 24 * 3600_000;

/** The exclusion constraint refused an overlapping booking (PostgreSQL's and PGlite's SQLSTATE 23P01). */
function isExclusionViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23P01';
}

type SpaceRow = Awaited<ReturnType<ReturnType<typeof parkingRepository>['findSpace']>> & {};
type BookingRow = Awaited<ReturnType<ReturnType<typeof parkingRepository>['findBooking']>> & {};

/**
 * Shared parking (错时停车, SPEC §8, docs/participation.md): units offer spaces in weekly windows, the
 * community's or street's staff keep them, residents book. No two active bookings of a space overlap:
 * the database refuses the second (an exclusion constraint), so a race has one winner. A booking not
 * checked in within the grace minutes of its start is a no-show; enough of them suspend booking.
 */
export class ParkingService {
  readonly policy: NoShowPolicy;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: ParkingDeps,
  ) {
    this.policy = deps.noShow ?? DEFAULT_NO_SHOW_POLICY;
  }

  private get repo() {
    return parkingRepository(this.db);
  }

  private spaceOut(s: SpaceRow) {
    const windows = s.windows as unknown as ParkingWindow[];
    return {
      id: s.id,
      name: s.name,
      unitName: s.unit_name,
      note: s.note,
      communityCode: s.community_code,
      alleyId: s.alley_id,
      state: s.state,
      windows,
      next: nextOpenings(windows, this.clock.now(), 3).map((o) => ({
        from: o.from.toISOString(),
        to: o.to.toISOString(),
      })),
    };
  }

  private async checkPlace(communityCode: string, alleyId: string | null | undefined) {
    if (communityCode.length !== 12 || !(await this.deps.areaName(communityCode)))
      throw AppError.validation([{ field: 'communityCode', message: `no community ${communityCode}` }]);
    if (alleyId) {
      const alley = await territoryRepository(this.db).findAlley(alleyId);
      if (!alley || alley.street_code !== communityCode.slice(0, 9))
        throw AppError.validation([
          { field: 'alleyId', message: `no alley ${alleyId} in this community's street` },
        ]);
    }
  }

  private checkWindows(windows: ParkingWindow[]) {
    const issues = windowIssues(windows);
    if (issues.length > 0) throw AppError.validation(issues);
  }

  // Spaces.

  /** Public: the open spaces of a community, street or district (all of them without a filter). */
  async spaces(
    actor: Actor | null,
    q: { community?: string; street?: string; alleyId?: string; all?: boolean },
  ) {
    authorise(actor, 'parking.read');
    const prefix = q.community ?? q.street;
    // Withdrawn spaces are listed only for the staff who keep them, inside their scope.
    const all = q.all === true && actor !== null && decide(actor, 'parking.manage').allowed;
    let rows = await this.repo.spaces({ prefix, alleyId: q.alleyId, openOnly: !all });
    if (all) {
      const scope = listScope(actor, 'parking.manage');
      if (scope) rows = rows.filter((r) => r.state === 'open' || r.community_code.startsWith(scope));
    }
    return rows.map((s) => this.spaceOut(s));
  }

  async createSpace(
    actor: Actor,
    body: {
      communityCode: string;
      alleyId?: string;
      name: string;
      unitName: string;
      note?: string;
      windows: ParkingWindow[];
    },
  ) {
    authorise(actor, 'parking.manage', { territoryCodes: [body.communityCode] });
    await this.checkPlace(body.communityCode, body.alleyId);
    this.checkWindows(body.windows);
    const id = newId('pks');
    await this.repo.insertSpace({
      district_code: body.communityCode.slice(0, 6),
      id,
      community_code: body.communityCode,
      alley_id: body.alleyId ?? null,
      name: body.name,
      unit_name: body.unitName,
      note: body.note ?? '',
      windows: JSON.stringify(body.windows),
      created_at: this.clock.now(),
      created_by: recordedUserId(actor),
    });
    return this.spaceOut((await this.repo.findSpace(id))!);
  }

  private async space(id: string) {
    const s = await this.repo.findSpace(id);
    if (!s) throw AppError.notFound('parking space', id);
    return s;
  }

  /** Edits a space's name, unit, note or windows; bookings already made stay as they are. */
  async updateSpace(
    actor: Actor,
    id: string,
    body: {
      name?: string;
      unitName?: string;
      note?: string;
      windows?: ParkingWindow[];
      alleyId?: string | null;
    },
  ) {
    const s = await this.space(id);
    authorise(actor, 'parking.manage', { territoryCodes: [s.community_code] });
    if (body.windows) this.checkWindows(body.windows);
    if (body.alleyId) await this.checkPlace(s.community_code, body.alleyId);
    const ok = await this.repo.updateSpace(
      s.district_code,
      s.id,
      {
        name: body.name,
        unit_name: body.unitName,
        note: body.note,
        windows: body.windows ? JSON.stringify(body.windows) : undefined,
        alley_id: body.alleyId,
      },
      this.clock.now(),
    );
    if (!ok) throw new AppError('TRANSITION_NOT_ALLOWED', 'the space is withdrawn', { state: 'withdrawn' });
    return this.spaceOut((await this.repo.findSpace(id))!);
  }

  /** Withdraws a space: it takes no more bookings, and those not started yet are cancelled. */
  async withdrawSpace(actor: Actor, id: string) {
    const s = await this.space(id);
    authorise(actor, 'parking.manage', { territoryCodes: [s.community_code] });
    const cancelled = await this.repo.withdrawSpace(
      s.district_code,
      s.id,
      this.clock.now(),
      recordedUserId(actor),
    );
    if (cancelled === null)
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the space is already withdrawn', { state: 'withdrawn' });
    return { ...this.spaceOut((await this.repo.findSpace(id))!), cancelledBookings: cancelled };
  }

  // Bookings.

  private bookingOut(b: BookingRow & { space_name?: string; unit_name?: string }) {
    return {
      id: b.id,
      spaceId: b.space_id,
      spaceName: b.space_name ?? '',
      unitName: b.unit_name ?? '',
      communityCode: b.community_code,
      from: new Date(b.starts_at).toISOString(),
      to: new Date(b.ends_at).toISOString(),
      state: b.state,
      createdAt: new Date(b.created_at).toISOString(),
      checkedInAt: b.checked_in_at ? new Date(b.checked_in_at).toISOString() : null,
      checkedOutAt: b.checked_out_at ? new Date(b.checked_out_at).toISOString() : null,
      noShowAfter: noShowAfter(new Date(b.starts_at), this.policy).toISOString(),
    };
  }

  private noShowCutoff(): Date {
    return new Date(this.clock.now().getTime() - this.policy.graceMinutes * 60_000);
  }

  private async suspension(userId: string) {
    const now = this.clock.now();
    await this.repo.markNoShows(this.noShowCutoff(), { userId });
    const noShows = await this.repo.countNoShows(userId, new Date(now.getTime() - this.policy.days * DAY));
    return { noShows, suspended: noShows >= this.policy.limit };
  }

  /**
   * A resident books [from, to) of a space: 201, or 409 BOOKING_OVERLAP when an active booking of the
   * space overlaps it (decided by the database, so that of many at once exactly one wins).
   */
  async book(actor: Actor, body: { spaceId: string; from: Date; to: Date }) {
    authorise(actor, 'parking.book');
    const s = await this.space(body.spaceId);
    if (s.state !== 'open')
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the space is withdrawn', { state: s.state });
    const now = this.clock.now();
    const refusal = bookingRefusal(s.windows as unknown as ParkingWindow[], body.from, body.to, now);
    if (refusal) throw AppError.validation([refusal]);
    const { noShows, suspended } = await this.suspension(actor.userId);
    if (suspended)
      throw new AppError(
        'BOOKING_SUSPENDED',
        `${noShows} no-shows in the last ${this.policy.days} days: booking is suspended`,
        { noShows, limit: this.policy.limit, days: this.policy.days },
      );
    // A no-show frees the rest of its time for others.
    await this.repo.markNoShows(this.noShowCutoff(), { district: s.district_code, spaceId: s.id });
    const id = newId('pkb');
    try {
      await this.repo.insertBooking({
        district_code: s.district_code,
        id,
        space_id: s.id,
        community_code: s.community_code,
        user_id: actor.userId,
        starts_at: body.from,
        ends_at: body.to,
        created_at: now,
      });
    } catch (err) {
      if (isExclusionViolation(err))
        throw new AppError('BOOKING_OVERLAP', 'the space is already booked for part of this time', {
          spaceId: s.id,
        });
      throw err;
    }
    const b = (await this.repo.findBooking(id))!;
    return this.bookingOut({ ...b, space_name: s.name, unit_name: s.unit_name });
  }

  /** The actor's own bookings (latest first), their no-shows and whether booking is suspended. */
  async mine(actor: Actor) {
    authorise(actor, 'parking.book');
    const { noShows, suspended } = await this.suspension(actor.userId);
    const rows = await this.repo.userBookings(actor.userId, 100);
    return { items: rows.map((b) => this.bookingOut(b)), noShows, suspended, policy: this.policy };
  }

  /** A booking the actor may act on: their own (resident) or one in their scope (staff). */
  private async ownOrManaged(actor: Actor, id: string) {
    const b = await this.repo.findBooking(id);
    if (!b) throw AppError.notFound('booking', id);
    // Who books acts on their own bookings and learns nothing of others'; staff act on their scope's.
    if (decide(actor, 'parking.book').allowed) {
      if (b.user_id !== actor.userId) throw AppError.notFound('booking', id);
      return b;
    }
    authorise(actor, 'parking.manage', { territoryCodes: [b.community_code] });
    return b;
  }

  private async move(
    b: BookingRow,
    from: ParkingBookingState,
    set: Parameters<ReturnType<typeof parkingRepository>['transition']>[3],
  ) {
    if (!(await this.repo.transition(b.district_code, b.id, from, set))) {
      const now = (await this.repo.findBooking(b.id))!;
      throw new AppError('TRANSITION_NOT_ALLOWED', `the booking is ${now.state}`, { state: now.state });
    }
    const s = (await this.repo.findSpace(b.space_id))!;
    return this.bookingOut({
      ...(await this.repo.findBooking(b.id))!,
      space_name: s.name,
      unit_name: s.unit_name,
    });
  }

  /** Cancels a booking not started yet (staff: any booked one of their scope). */
  async cancel(actor: Actor, id: string) {
    const b = await this.ownOrManaged(actor, id);
    const now = this.clock.now();
    const own = b.user_id === actor.userId;
    if (own && new Date(b.starts_at) <= now && b.state === 'booked')
      throw new AppError('TRANSITION_NOT_ALLOWED', 'the booking has started: check in or let it lapse', {
        state: b.state,
      });
    return this.move(b, 'booked', {
      state: 'cancelled',
      cancelled_at: now,
      cancelled_by: recordedUserId(actor),
    });
  }

  async checkIn(actor: Actor, id: string) {
    const b = await this.ownOrManaged(actor, id);
    const now = this.clock.now();
    await this.repo.markNoShows(this.noShowCutoff(), { district: b.district_code, spaceId: b.space_id });
    const fresh = (await this.repo.findBooking(id))!;
    if (fresh.state === 'booked') {
      const why = checkInRefusal({ startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at) }, now);
      if (why) throw new AppError('TRANSITION_NOT_ALLOWED', why, { state: fresh.state });
    }
    return this.move(fresh, 'booked', { state: 'checked_in', checked_in_at: now });
  }

  /** Checks out: the space is free again from now. */
  async checkOut(actor: Actor, id: string) {
    const b = await this.ownOrManaged(actor, id);
    return this.move(b, 'checked_in', { state: 'checked_out', checked_out_at: this.clock.now() });
  }

  /** Staff: bookings of the spaces of their scope that are not over (or since `since`), with names. */
  async bookings(actor: Actor, q: { spaceId?: string; community?: string; since?: Date }) {
    const scope = listScope(actor, 'parking.manage');
    if (q.community) authorise(actor, 'parking.manage', { territoryCodes: [q.community] });
    await this.repo.markNoShows(this.noShowCutoff(), scope ? { district: scope.slice(0, 6) } : {});
    const rows = await this.repo.bookings({
      prefix: q.community ?? scope,
      spaceId: q.spaceId,
      since: q.since ?? new Date(this.clock.now().getTime() - DAY),
      limit: 500,
    });
    return rows.map((b) => ({ ...this.bookingOut(b), userId: b.user_id, displayName: b.display_name ?? '' }));
  }

  /** Staff: no-shows per person in the spaces of their scope over the policy's days. */
  async noShows(actor: Actor) {
    const scope = listScope(actor, 'parking.manage');
    await this.repo.markNoShows(this.noShowCutoff(), scope ? { district: scope.slice(0, 6) } : {});
    const since = new Date(this.clock.now().getTime() - this.policy.days * DAY);
    const rows = await this.repo.noShowsByPerson({ prefix: scope, since });
    return {
      policy: this.policy,
      items: rows.map((r) => ({
        userId: r.user_id,
        displayName: r.display_name ?? '',
        count: Number(r.n),
        lastAt: new Date(r.last_at).toISOString(),
        suspended: Number(r.n) >= this.policy.limit,
      })),
    };
  }
}
