import type { Actor } from '../accounts/authorisation.ts';
import type { Role } from '../accounts/roles.ts';
import type { AppContext } from '../http/context.ts';
import type { ManualClock } from '../shared/clock.ts';

/**
 * Test helpers for the SLA, notification and webhook tests: cases are driven through the case service
 * rather than HTTP, because the clock jumps by days and sign-in sessions would expire on the way.
 */

export const STREET = '110102001';
/** The demo department_handler's unit (城管执法 of 西长安街). */
export const DEPT = `org-cg-${STREET}`;

export async function demoActor(ctx: AppContext, role: Role): Promise<Actor> {
  const u = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'scope_code', 'organisation_id'])
    .where('username', '=', `demo-${role}`)
    .executeTakeFirstOrThrow();
  return {
    userId: u.id,
    username: u.username,
    role: u.role as Role,
    scopeCode: u.scope_code,
    organisationId: u.organisation_id,
  };
}

export async function streetCentre(ctx: AppContext, code = STREET): Promise<[number, number]> {
  const street = (await ctx.territory.listStreets()).find((s) => s.code === code);
  if (!street) throw new Error(`no street ${code}`);
  return street.center;
}

/**
 * A resident's report at `receivedAt`, filed by the street dispatcher at that moment (with `deadline`,
 * or the taxonomy's limit) and dispatched to the demo department. Leaves the clock at `receivedAt`.
 */
export async function dispatchedCase(
  ctx: AppContext,
  clock: ManualClock,
  o: { receivedAt: Date; deadline?: Date; description?: string; categoryKey?: string; sign?: boolean },
): Promise<{ id: string; caseNumber: string }> {
  clock.set(o.receivedAt);
  const [lng, lat] = await streetCentre(ctx);
  const { result } = await ctx.cases.intake(null, {
    channel: 'resident',
    description: o.description ?? '胡同口墙上贴满小广告',
    lng,
    lat,
    crs: 'wgs84',
  });
  const dispatcher = await demoActor(ctx, 'street_dispatcher');
  await ctx.cases.act(dispatcher, result.id, 'accept', {
    categoryKey: o.categoryKey ?? 'event:07001',
    ...(o.deadline && { deadline: o.deadline.toISOString() }),
  });
  await ctx.cases.act(dispatcher, result.id, 'dispatch', { tier: 2, unitId: DEPT });
  if (o.sign) await ctx.cases.act(await demoActor(ctx, 'department_handler'), result.id, 'sign', {});
  return { id: result.id, caseNumber: result.caseNumber };
}

/** What the server does every minute: the scheduler enqueues the sweep, the runner works the queue. */
export async function sweepAt(ctx: AppContext, clock: ManualClock, at: Date) {
  clock.set(at);
  await ctx.scheduler.tick();
  return ctx.jobs.drain();
}

export async function slaState(ctx: AppContext, caseId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('case_record')
    .select('sla_state')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return row.sla_state;
}

/** The case's trail as `action/actorRole`, from the first event after `afterSeq`. */
export async function trailOf(ctx: AppContext, caseId: string, afterSeq = 0): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('case_event')
    .select(['action', 'actor_role'])
    .where('case_id', '=', caseId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action}/${r.actor_role}`);
}
