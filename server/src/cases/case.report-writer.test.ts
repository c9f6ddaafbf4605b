import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { CaseEventSubscribers } from './case.apply.ts';
import { CaseNumberTaker, ReportWriter } from './case.report-writer.ts';
import { caseRepository, type NewReport } from './case.repository.ts';
import { initialSnapshot } from './case.state.ts';
import { verifyTrail } from './case.trail.ts';

/** Counts the report-writing statements sent (each may carry many reports). */
class WriteCounter implements KyselyPlugin {
  statements = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    const node = args.node as { kind: string; sqlFragments?: readonly string[] };
    if (node.kind === 'RawNode' && node.sqlFragments?.some((f) => f.includes('with new_case as')))
      this.statements++;
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

let env: TestEnv;
let n = 0;
const at = new Date('2026-11-23T02:00:00Z');

beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});

/** A report as intake builds it; `key` adds an Idempotency-Key row. */
function report(description: string, key?: string): NewReport {
  const id = `case_writer_${process.pid}_${++n}`;
  return {
    case: {
      id,
      district_code: '110102',
      case_number: `110102-20261123-w${n}`,
      tracking_code: `W${process.pid}X${n}`,
      channel: 'resident',
      state: 'reported',
      snapshot: { ...initialSnapshot() },
      category_key: null,
      suggested_key: n % 2 ? 'event:06010' : null,
      suggested_confidence: n % 2 ? 0.73 : null,
      suggested_model: n % 2 ? 'model-x' : null,
      // Characters that need quoting inside an array literal travel intact.
      description,
      address: n % 3 ? null : '西四北三条 {1,2} "东口"',
      lng: 116.3668 + n * 1e-6,
      lat: 39.9242,
      crs_in: 'wgs84',
      h3_r9: '8931aa42a4bffff',
      street_code: '110102001',
      community_code: null,
      grid_code: null,
      alley_id: null,
      public: n % 4 !== 0,
      severity: 'normal',
      tier: null,
      assigned_org_id: null,
      reporter_user_id: null,
      reporter_name: null,
      reporter_contact: n % 2 ? '13800000000' : null,
      external_ref: null,
      merged_into: null,
      response_deadline: null,
      handling_deadline: null,
      original_handling_deadline: null,
      created_at: at,
      updated_at: at,
      closed_at: null,
    },
    event: {
      caseId: id,
      districtCode: '110102',
      at,
      actorUserId: null,
      actorRole: 'resident',
      action: 'report',
      fromState: null,
      toState: 'reported',
      reason: null,
      payload: { channel: 'resident', note: 'a\\b "c" {d}' },
    },
    idempotency: key
      ? {
          scope: 'intake:public',
          key,
          requestHash: 'h'.repeat(64),
          statusCode: 201,
          response: { id },
          now: at,
        }
      : null,
  };
}

async function stored(ids: string[]) {
  return env.ctx.db.selectFrom('case_record').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

describe('ReportWriter', () => {
  it('writes a report at a quiet moment at once, alone, with its event and key', async () => {
    const counter = new WriteCounter();
    const writer = new ReportWriter(env.ctx.db.withPlugin(counter));
    const r = report('路口垃圾没人清', `quiet-${process.pid}`);
    await writer.write(r);
    expect(counter.statements).toBe(1);
    const [row] = await stored([r.case.id]);
    expect(row).toMatchObject({ description: '路口垃圾没人清', lng: r.case.lng, public: r.case.public });
    expect(new Date(row!.created_at).getTime()).toBe(at.getTime());
    const events = await caseRepository(env.ctx.db).events(r.case.id);
    expect(events).toHaveLength(1);
    expect(verifyTrail(r.case.id, events)).toEqual([]);
    const key = await env.ctx.db
      .selectFrom('idempotency_key')
      .selectAll()
      .where('key', '=', `quiet-${process.pid}`)
      .execute();
    expect(key[0]!.response).toEqual({ id: r.case.id });
  });

  it('groups reports that arrive together or while a statement is in flight, and keeps every value', async () => {
    const counter = new WriteCounter();
    const writer = new ReportWriter(env.ctx.db.withPlugin(counter), { inFlight: 1, size: 6 });
    const reports = Array.from({ length: 13 }, (_, i) =>
      report(`第${i}条：井盖破损, "引号" \\ {括号}`, i % 3 ? undefined : `group-${process.pid}-${i}`),
    );
    await Promise.all(reports.map((r) => writer.write(r)));
    // They leave at the end of the turn, six at a time with one statement in flight: 6 + 6 + 1.
    expect(counter.statements).toBe(3);
    const rows = await stored(reports.map((r) => r.case.id));
    expect(rows).toHaveLength(13);
    for (const r of reports) {
      const row = rows.find((x) => x.id === r.case.id)!;
      expect(row).toMatchObject({
        description: r.case.description,
        address: r.case.address,
        suggested_confidence: r.case.suggested_confidence,
        reporter_contact: r.case.reporter_contact,
        public: r.case.public,
        snapshot: r.case.snapshot,
      });
    }
    const events = await env.ctx.db
      .selectFrom('case_event')
      .select(['case_id', 'payload'])
      .where(
        'case_id',
        'in',
        reports.map((r) => r.case.id),
      )
      .execute();
    expect(events).toHaveLength(13);
    expect(events[0]!.payload).toEqual({ channel: 'resident', note: 'a\\b "c" {d}' });
    const keys = await env.ctx.db
      .selectFrom('idempotency_key')
      .select('key')
      .where('key', 'like', `group-${process.pid}-%`)
      .execute();
    expect(keys).toHaveLength(5);
  });

  it('fails only the report that cannot be written when its group fails', async () => {
    const writer = new ReportWriter(env.ctx.db, { inFlight: 1, size: 10 });
    await writer.write(report('先到的一条', `twin-${process.pid}`));
    const blocker = writer.write(report('占住写入'));
    const group = [report('同组一'), report('重复的键', `twin-${process.pid}`), report('同组二')];
    const outcomes = await Promise.allSettled([blocker, ...group.map((r) => writer.write(r))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await stored(group.map((r) => r.case.id));
    expect(rows.map((r) => r.description).sort()).toEqual(['同组一', '同组二'].sort());
  });
});

describe('ReportWriter with case-event subscribers', () => {
  it('keeps the group write and tells the subscribers of the reports they listen for, in its transaction', async () => {
    const counter = new WriteCounter();
    const told: { ids: string[]; rows: string[] }[] = [];
    const subscribers = new CaseEventSubscribers([
      {
        name: 'rollups',
        actions: ['report'],
        onEvent: async () => {
          throw new Error('a group goes to onReports');
        },
        onReports: async (trx, reports) => {
          // Inside the group's transaction: the cases are there already.
          const rows = await trx
            .selectFrom('case_record')
            .select('id')
            .where(
              'id',
              'in',
              reports.map((r) => r.event.caseId),
            )
            .execute();
          told.push({ ids: reports.map((r) => r.after.id), rows: rows.map((r) => r.id) });
        },
      },
    ]);
    const writer = new ReportWriter(env.ctx.db.withPlugin(counter), { inFlight: 1, size: 8 }, subscribers);
    const reports = Array.from({ length: 6 }, (_, i) => report(`第${i}条：路灯不亮`));
    // Reports 0, 2 and 4 are listened for (their district's interest, say); 1, 3 and 5 are not.
    await Promise.all(reports.map((r, i) => writer.write(r, i % 2 === 0)));
    expect(counter.statements).toBe(1);
    const listened = [0, 2, 4].map((i) => reports[i]!.case.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.ids).toEqual(listened);
    expect(told[0]!.rows.sort()).toEqual([...listened].sort());
    expect(await stored(reports.map((r) => r.case.id))).toHaveLength(6);
  });

  it('writes nothing of a group whose subscriber fails, then each report alone, failing only those told', async () => {
    const subscribers = new CaseEventSubscribers([
      {
        name: 'broken',
        actions: ['report'],
        onEvent: async () => {
          throw new Error('the rollup table is missing');
        },
      },
    ]);
    const writer = new ReportWriter(env.ctx.db, { inFlight: 1, size: 8 }, subscribers);
    const quiet = report('没人关注的上报');
    const listened = report('有人关注的上报');
    const outcomes = await Promise.allSettled([writer.write(quiet, false), writer.write(listened, true)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect((await stored([quiet.case.id, listened.case.id])).map((r) => r.id)).toEqual([quiet.case.id]);
  });
});

describe('CaseNumberTaker', () => {
  it('hands out one district-day range per group, in arrival order, and no number to a replay', async () => {
    const key = `number-replay-${process.pid}`;
    const answered = report('已答复的上报', key);
    await new ReportWriter(env.ctx.db).write(answered);
    let statements = 0;
    const counted = env.ctx.db.withPlugin({
      transformQuery: (args) => {
        const node = args.node as { kind: string; sqlFragments?: readonly string[] };
        if (node.kind === 'RawNode' && node.sqlFragments?.some((f) => f.includes('case_number_counter')))
          statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const taker = new CaseNumberTaker(counted, { inFlight: 1, size: 10 });
    const day = '20300101';
    const asks = [
      null,
      null,
      { scope: 'intake:public', key },
      { scope: 'intake:public', key: `number-new-${process.pid}` },
      null,
      // Another district's day never shares a statement, nor a counter.
      'other',
    ] as const;
    const outs = await Promise.all(
      asks.map((a) => (a === 'other' ? taker.take('110105', day, null) : taker.take('110102', day, a))),
    );
    expect(outs.map((o) => o.number)).toEqual([1, 2, null, 3, 4, 1]);
    expect(outs[2]!.prior).toMatchObject({
      request_hash: 'h'.repeat(64),
      response: { id: answered.case.id },
    });
    // One statement per district and day: 110102's five asks together, 110105's alone.
    expect(statements).toBe(2);
    const next = await taker.take('110102', day, null);
    expect(next.number).toBe(5);
  });
});
