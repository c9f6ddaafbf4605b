import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import type { Actor } from '../accounts/authorisation.ts';
import { beijingDateOf, beijingTime, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { DEPT, demoActor, STREET, streetCentre } from '../deadlines/sla.fixtures.ts';
import { COLUMN, evaluationRepository } from './evaluation.repository.ts';
import type { MeasureLevel } from './measures.service.ts';
import { COUNT_MEASURES, type CountMeasure, RATE_MEASURES } from './measures.ts';
import { rebuildMeasures } from './rollup.ts';

/**
 * Random case histories, driven through the case service on the configured engine, against the
 * measures: every count of every unit must equal a plain recomputation from the trail (case_event),
 * every rate its counts' quotient, and every drill-down count its figure; the cases filed per category
 * of the district and the street (the dashboard's top categories) must equal the trail's; and a
 * rebuild from the trail (`rebuildMeasures`, for bulk histories) must write the same rollup cells and
 * facts as the subscriber kept event by event.
 */

/** Two categories, so that the cells kept per category are checked per category. */
const CATEGORIES = ['event:06001', 'event:06010'];

const CONTRACTOR = 'org-contractor-a';
const DISTRICT = '110102';

let env: TestEnv;
let people: Record<'admin' | 'handler' | 'contractor' | 'inspector' | 'resident' | 'chief', Actor>;
let centre: [number, number];

beforeAll(async () => {
  env = await createTestEnv();
  people = {
    admin: await demoActor(env.ctx, 'district_admin'),
    handler: await demoActor(env.ctx, 'department_handler'),
    contractor: await demoActor(env.ctx, 'contractor'),
    inspector: await demoActor(env.ctx, 'inspector'),
    resident: await demoActor(env.ctx, 'resident'),
    chief: await demoActor(env.ctx, 'alley_chief'),
  };
  centre = await streetCentre(env.ctx);
}, 60_000);
afterAll(async () => {
  await env?.close();
});

let now = beijingTime('2026-09-01', '09:00').getTime();

/** Moves the clock forward by `hours` (never back: a case's trail is in time order). */
function advance(hours: number) {
  now += Math.round(hours * 3_600_000);
  env.clock.set(new Date(now));
}

type Step = { pick: number; hours: number };

/** Actions applied, to show the histories reached every corner of the loop. */
const applied = new Map<string, number>();

async function play(steps: readonly Step[]): Promise<void> {
  advance(1);
  const [lng, lat] = centre;
  const { result } = await env.ctx.cases.intake(people.resident, {
    channel: 'resident',
    description: '胡同里堆了很多杂物',
    lng: lng + (steps.length % 7) * 0.0001,
    lat,
    crs: 'wgs84',
  });
  const id = result.id;
  const { admin, handler, contractor, inspector, resident, chief } = people;
  for (const { pick, hours } of steps) {
    advance(hours);
    const c = await env.ctx.db
      .selectFrom('case_record')
      .select(['state', 'snapshot'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const s = c.snapshot;
    const unitActor =
      s.assignment?.kind === 'unit' && s.assignment.unitId === CONTRACTOR ? contractor : handler;
    const options: [Actor, string, Record<string, unknown>][] = [];
    switch (c.state) {
      case 'reported':
        options.push(
          [admin, 'accept', { categoryKey: CATEGORIES[pick % CATEGORIES.length] }],
          [admin, 'reject', { reason: 'not_in_remit' }],
        );
        break;
      case 'accepted':
      case 'returned': {
        const verb = c.state === 'accepted' ? 'dispatch' : 'redispatch';
        options.push(
          [admin, verb, { tier: 2, unitId: DEPT }],
          [admin, verb, { tier: 2, unitId: CONTRACTOR }],
          [admin, verb, { tier: 1, handlerUserId: chief.userId }],
          [admin, verb, { tier: 3, unitIds: [DEPT, CONTRACTOR] }],
          [admin, 'suspend', { reason: '等待产权单位确认' }],
        );
        break;
      }
      case 'dispatched':
        options.push(
          [unitActor, 'sign', {}],
          [unitActor, 'send_back', { reason: '不属于本单位职责' }],
          [
            admin,
            'redispatch',
            {
              tier: 2,
              unitId: s.assignment?.kind === 'unit' && s.assignment.unitId === DEPT ? CONTRACTOR : DEPT,
            },
          ],
          [admin, 'suspend', { reason: '等待产权单位确认' }],
        );
        break;
      case 'handling': {
        const doer = s.tier === 1 ? chief : unitActor;
        options.push(
          [doer, 'feedback', { note: '已清理', afterPhotoIds: [], noPhotoReason: '院内' }],
          [doer, 'feedback', { note: '已清理', afterPhotoIds: [], noPhotoReason: '院内' }],
          [doer, 'send_back', { reason: '需要其他部门' }],
          [admin, 'suspend', { reason: '等待产权单位确认' }],
        );
        if (!s.pendingExtension && s.deadline) {
          options.push([
            doer,
            'extension_request',
            {
              requestedDeadline: new Date(Date.parse(s.deadline) + 3 * 86_400_000).toISOString(),
              reason: '需协调',
            },
          ]);
        }
        if (s.pendingExtension) options.push([admin, 'extension_approve', {}]);
        break;
      }
      case 'joint_action': {
        const joint = s.assignment?.kind === 'joint' ? s.assignment : null;
        const waiting = joint?.unitIds.filter((u) => !joint.reportedIn.includes(u)) ?? [];
        if (waiting.length > 0) {
          const u = waiting[pick % waiting.length] as string;
          options.push([u === CONTRACTOR ? contractor : handler, 'report_in', { unitId: u }]);
        } else
          options.push([
            handler,
            'feedback',
            { note: '联合处置完毕', afterPhotoIds: [], noPhotoReason: '院内' },
          ]);
        break;
      }
      case 'awaiting_verification':
        options.push(
          [inspector, 'verify_pass', {}],
          [inspector, 'verify_pass', {}],
          [inspector, 'verify_fail', { reason: '仍有残留' }],
        );
        break;
      case 'awaiting_acceptance':
        options.push(
          [admin, 'accept_joint_action', {}],
          [admin, 'refuse_joint_action', { reason: '未整改到位' }],
        );
        break;
      case 'suspended':
        options.push([admin, 'resume', {}]);
        break;
      case 'closed':
        if (!s.rating) {
          options.push(
            [resident, 'rate', { rating: 'satisfied' }],
            [resident, 'rate', { rating: 'dissatisfied' }],
            [resident, 'rate', { rating: 'basically_satisfied' }],
          );
        }
        options.push([resident, 'reopen', { reason: '又堆上了' }]);
        break;
      default:
        return;
    }
    const [actor, action, body] = options[pick % options.length] as [Actor, string, Record<string, unknown>];
    try {
      await env.ctx.cases.act(actor, id, action, body);
      applied.set(action, (applied.get(action) ?? 0) + 1);
    } catch {
      // A refused action (a reopening past its window, say) is part of a real history too.
    }
  }
}

// ---- the plain recomputation ---------------------------------------------------------------------

interface TrailRow {
  case_id: string;
  case_number: string;
  action: string;
  at: Date;
  payload: unknown;
  street_code: string;
  community_code: string | null;
  grid_code: string | null;
  alley_id: string | null;
  category_key: string | null;
}

const get = (p: unknown, k: string): unknown => (p && typeof p === 'object' ? Reflect.get(p, k) : undefined);

/**
 * Each count of each unit over [from, to], straight from the events: no facts, no rollups. Written
 * apart from measures.ts on purpose, as the rules of docs/measures.md read.
 */
function recompute(
  rows: readonly TrailRow[],
  calendar: WorkingCalendar,
  from: string,
  to: string,
  streetOffice: string,
): Map<string, Record<CountMeasure, number>> {
  const out = new Map<string, Record<CountMeasure, number>>();
  const bump = (unit: string, m: CountMeasure, day: string, n = 1) => {
    if (day < from || day > to) return;
    let r = out.get(unit);
    if (!r) {
      r = Object.fromEntries(COUNT_MEASURES.map((k) => [k, 0])) as Record<CountMeasure, number>;
      out.set(unit, r);
    }
    r[m] += n;
  };
  const byCase = new Map<string, TrailRow[]>();
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  for (const events of byCase.values()) {
    const accept = events.find((e) => e.action === 'accept');
    if (!accept) continue;
    const first = events[0] as TrailRow;
    const street = first.street_code;
    let deadline = new Date(get(accept.payload, 'deadline') as string);
    let suspended = 0;
    let totalSuspended = 0;
    let suspendedAt: Date | null = null;
    let closedAt: Date | null = null;
    let feedbackAt: Date | null = null;
    let reworks = 0;
    let rating: string | null = null;
    let holders: string[] = [];
    let responses: { unit: string; deadline: Date; at: Date | null }[] = [];
    for (const e of events.slice(events.indexOf(accept) + 1)) {
      const p = e.payload;
      if (e.action === 'dispatch' || e.action === 'redispatch') {
        const a = get(p, 'assignment');
        const tier = get(p, 'tier');
        holders =
          tier === 1
            ? [streetOffice]
            : tier === 2
              ? [get(a, 'unitId') as string]
              : [...(get(a, 'unitIds') as string[])];
        responses = responses.filter((r) => r.at !== null || r.deadline <= e.at);
        const rd = get(p, 'responseDeadline');
        if (typeof rd === 'string' && tier !== 1) {
          const inAlready = (get(a, 'reportedIn') as string[] | undefined) ?? [];
          for (const u of holders)
            if (!inAlready.includes(u)) responses.push({ unit: u, deadline: new Date(rd), at: null });
        }
      } else if (e.action === 'sign' || e.action === 'send_back') {
        for (const r of responses) if (r.at === null && holders.includes(r.unit)) r.at = e.at;
        if (e.action === 'send_back') holders = [];
      } else if (e.action === 'report_in') {
        for (const r of responses) if (r.at === null && r.unit === get(p, 'unitId')) r.at = e.at;
      } else if (e.action === 'feedback') feedbackAt ??= e.at;
      else if (e.action === 'verify_pass' || e.action === 'accept_joint_action') closedAt = e.at;
      else if (e.action === 'verify_fail' || e.action === 'refuse_joint_action') {
        reworks++;
        feedbackAt = null;
      } else if (e.action === 'reopen') {
        closedAt = null;
        rating = null;
        feedbackAt = null;
        if (typeof get(p, 'deadline') === 'string') {
          deadline = new Date(get(p, 'deadline') as string);
          suspended = 0;
        }
      } else if (e.action === 'rate') rating = get(p, 'rating') as string;
      else if (e.action === 'extension_approve') deadline = new Date(get(p, 'deadline') as string);
      else if (e.action === 'suspend') suspendedAt ??= e.at;
      else if (e.action === 'resume' && suspendedAt) {
        const ms = Math.max(0, calendar.workingMsBetween(suspendedAt, e.at));
        suspended += ms;
        totalSuspended += ms;
        suspendedAt = null;
      }
    }
    const units = [DISTRICT, street, first.community_code, first.grid_code, first.alley_id].filter(
      (u): u is string => u !== null,
    );
    const each = (m: CountMeasure, day: string, n = 1, orgs = holders) => {
      for (const u of [...units, ...new Set(orgs)]) bump(u, m, day, n);
    };
    each('filed', beijingDateOf(accept.at));
    // Filed per category, for the district and the street (the dashboard's top categories).
    for (const u of [DISTRICT, street])
      bump(`${u}#${first.category_key ?? ''}`, 'filed', beijingDateOf(accept.at));
    if (suspendedAt === null) {
      const effective = suspended > 0 ? calendar.addWorkingMs(deadline, suspended) : deadline;
      const onTime = closedAt !== null && closedAt.getTime() <= effective.getTime();
      const day = beijingDateOf(onTime && closedAt ? closedAt : effective);
      each('due', day);
      if (closedAt) each('closed', day);
      each(onTime ? 'closedOnTime' : 'overdue', day);
      if (feedbackAt && feedbackAt.getTime() <= effective.getTime()) each('handledOnTime', day);
      if (reworks > 0) each('reworked', day);
      if (closedAt && rating !== 'dissatisfied') each('resolved', day);
      if (rating) each('rated', day);
      if (rating === 'satisfied' || rating === 'basically_satisfied') each('satisfied', day);
      if (closedAt) {
        const worked = calendar.workingMsBetween(accept.at, closedAt) - totalSuspended;
        each('handlingMinutes', day, Math.round(Math.max(0, worked) / 60_000));
      }
    }
    for (const r of responses) {
      const onTime = r.at !== null && r.at.getTime() <= r.deadline.getTime();
      const day = beijingDateOf(onTime && r.at ? r.at : r.deadline);
      each('responseDue', day, 1, [r.unit]);
      if (onTime) each('respondedOnTime', day, 1, [r.unit]);
    }
  }
  return out;
}

async function trail(): Promise<TrailRow[]> {
  return env.ctx.db
    .selectFrom('case_event as e')
    .innerJoin('case_record as c', 'c.id', 'e.case_id')
    .select([
      'e.case_id',
      'c.case_number',
      'e.action',
      'e.at',
      'e.payload',
      'c.street_code',
      'c.community_code',
      'c.grid_code',
      'c.alley_id',
      'c.category_key',
    ])
    .where('e.district_code', '=', DISTRICT)
    .orderBy('e.case_id')
    .orderBy('e.seq')
    .execute();
}

async function check(from: string, to: string) {
  const today = beijingDateOf(env.clock.now());
  const rows = await trail();
  const last = to < today ? to : today;
  const expected = recompute(rows, env.ctx.calendar, from, last, `org-street-${STREET}`);
  const zero = Object.fromEntries(COUNT_MEASURES.map((k) => [k, 0])) as Record<CountMeasure, number>;
  const levels: [MeasureLevel, string][] = [
    ['district', DISTRICT],
    ['street', STREET],
    ['street', '110102012'],
    ['department', DEPT],
    ['contractor', CONTRACTOR],
  ];
  for (const [level, unit] of levels) {
    const answer = await env.ctx.measures.measures(people.admin, { level, from, to });
    const row = answer.rows.find((r) => r.unit.code === unit);
    expect(row, `${level} ${unit} has a row`).toBeDefined();
    if (!row) continue;
    const want = expected.get(unit) ?? zero;
    for (const m of COUNT_MEASURES) {
      if (m === 'handlingMinutes') continue;
      expect(row[m], `${level} ${unit} ${m} ${from}..${to}`).toBe(want[m]);
    }
    for (const [rate, r] of Object.entries(RATE_MEASURES)) {
      const d = want[r.denominator];
      const v = row[rate as keyof typeof RATE_MEASURES];
      if (d === 0) expect(v).toBeNull();
      else expect(v).toBeCloseTo(want[r.numerator] / d, 4);
    }
    expect(row.avgHandlingHours === null).toBe(want.closed === 0);
    if (want.closed > 0) expect(row.avgHandlingHours).toBeCloseTo(want.handlingMinutes / 60 / want.closed, 2);
    for (const m of COUNT_MEASURES) {
      if (m === 'handlingMinutes') continue;
      const drill = await env.ctx.measures.cases(people.admin, m, { level, unit, from, to });
      expect(drill.count, `drill-down ${level} ${unit} ${m}`).toBe(row[m]);
      expect(drill.caseNumbers.length).toBeLessThanOrEqual(drill.count);
    }
  }
  // The communities, grids and alleys the cases lie in: their cells hold no category, their figures
  // must not change for it.
  const places = (k: 'community_code' | 'grid_code' | 'alley_id') =>
    new Set(rows.map((r) => r[k]).filter((u): u is string => u !== null));
  for (const [level, units] of [
    ['community', places('community_code')],
    ['grid', places('grid_code')],
    ['alley', places('alley_id')],
  ] as const) {
    const answer = await env.ctx.measures.measures(people.admin, { level, from, to });
    for (const unit of units) {
      const row = answer.rows.find((r) => r.unit.code === unit);
      expect(row, `${level} ${unit} has a row`).toBeDefined();
      const want = expected.get(unit) ?? zero;
      for (const m of COUNT_MEASURES) {
        if (m !== 'handlingMinutes') expect(row?.[m], `${level} ${unit} ${m} ${from}..${to}`).toBe(want[m]);
      }
    }
  }
  // Filed per category of the district and the street, as the dashboard reads them.
  if (from <= last) {
    for (const [level, unit] of [
      ['district', DISTRICT],
      ['street', STREET],
    ] as const) {
      const series = await evaluationRepository(env.ctx.db).series({
        districtCode: DISTRICT,
        level,
        unit,
        from,
        to: last,
        measures: ['filed'],
        by: 'category_key',
      });
      const got = Object.fromEntries(series.filter((r) => r.n !== 0).map((r) => [r.key, r.n]));
      const want = Object.fromEntries(
        [...expected]
          .filter(([k, v]) => k.startsWith(`${unit}#`) && v.filed !== 0)
          .map(([k, v]) => [k.slice(unit.length + 1), v.filed]),
      );
      expect(got, `filed per category, ${level} ${unit} ${from}..${last}`).toEqual(want);
    }
  }
}

/** The rollup cells (those not all zero) and the facts, in key order, without the time they were written. */
async function stored() {
  const cells = await env.ctx.db
    .selectFrom('measure_rollup')
    .selectAll()
    .where('district_code', '=', DISTRICT)
    .orderBy('level')
    .orderBy('day')
    .orderBy('unit_code')
    .orderBy('category_key')
    .execute();
  const facts = await env.ctx.db
    .selectFrom('case_measure_fact')
    .select(['case_id', 'case_number', 'category_key', 'units', 'first_day', 'last_day', 'facts'])
    .where('district_code', '=', DISTRICT)
    .orderBy('case_id')
    .execute();
  return {
    // A cell the subscriber brought back to zero is one the rebuild never writes.
    cells: cells.filter((c) => COUNT_MEASURES.some((m) => c[COLUMN[m]] !== 0)),
    facts: facts.map((f) => ({ ...f, units: [...f.units].sort() })),
  };
}

/**
 * Gives the district's cases their numbers in reverse (in case_record and in the facts kept, so the
 * facts still match), as in a history whose numbers do not follow the days; `restore` undoes it.
 */
async function reverseCaseNumbers(): Promise<{ restore(): Promise<void> }> {
  const rows = await env.ctx.db
    .selectFrom('case_record')
    .select(['id', 'case_number'])
    .where('district_code', '=', DISTRICT)
    .orderBy('case_number')
    .execute();
  const renumber = async (numberOf: (i: number) => string) => {
    // Through a prefix first: the numbers are unique at every row, not only at the end.
    for (const [i, r] of rows.entries()) {
      for (const table of ['case_record', 'case_measure_fact'] as const) {
        const key = table === 'case_record' ? 'id' : 'case_id';
        await env.ctx.db
          .updateTable(table)
          .set({ case_number: `tmp-${numberOf(i)}` })
          .where('district_code', '=', DISTRICT)
          .where(key, '=', r.id)
          .execute();
      }
    }
    for (const table of ['case_record', 'case_measure_fact'] as const) {
      await env.ctx.db
        .updateTable(table)
        .set((eb) => ({ case_number: eb.fn('substr', [eb.ref('case_number'), eb.val(5)]) }))
        .where('district_code', '=', DISTRICT)
        .where('case_number', 'like', 'tmp-%')
        .execute();
    }
  };
  await renumber((i) => rows[rows.length - 1 - i]!.case_number);
  return { restore: () => renumber((i) => rows[i]!.case_number) };
}

/**
 * What the subscriber kept, event by event, against a rebuild of the same district from the trail:
 * in one chunk; in chunks of two, so that cells summed in one chunk meet cells of another and the
 * cells of the days before a chunk are written as it is reached; and with the case numbers reversed,
 * so that later chunks add to days already written.
 */
async function checkRebuild() {
  const kept = await stored();
  for (const sliceSize of [5_000, 2]) {
    await rebuildMeasures(env.ctx.db, DISTRICT, env.ctx.calendar, { sliceSize });
    const rebuilt = await stored();
    expect(rebuilt.facts, `facts, chunks of ${sliceSize}`).toEqual(kept.facts);
    expect(rebuilt.cells, `cells, chunks of ${sliceSize}`).toEqual(kept.cells);
  }
  const reversed = await reverseCaseNumbers();
  try {
    const renumbered = await stored();
    await rebuildMeasures(env.ctx.db, DISTRICT, env.ctx.calendar, { sliceSize: 2 });
    const rebuilt = await stored();
    expect(rebuilt.facts, 'facts, numbers reversed').toEqual(renumbered.facts);
    expect(rebuilt.cells, 'cells, numbers reversed').toEqual(kept.cells);
  } finally {
    await reversed.restore();
  }
}

const history = fc.array(fc.record({ pick: fc.nat({ max: 11 }), hours: fc.integer({ min: 0, max: 40 }) }), {
  minLength: 1,
  maxLength: 12,
});

describe('measures against the trail', () => {
  it('every figure equals a plain recomputation from the trail, and every drill-down its figure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(history, { minLength: 1, maxLength: 6 }), async (cases) => {
        for (const steps of cases) await play(steps);
        const today = beijingDateOf(env.clock.now());
        await check('2026-09-01', today);
        await check(`${today.slice(0, 7)}-01`, today);
        await check('2026-08-01', '2027-12-31');
        await checkRebuild();
      }),
      { numRuns: Number(process.env.HUTONG_PROPERTY_RUNS ?? 6), seed: 20261207 },
    );
  }, 600_000);
});
