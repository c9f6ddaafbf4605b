import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import {
  buildWorld,
  type Category,
  COUNTER_COLUMNS,
  copyPg,
  copyPglite,
  counterRows,
  generateCases,
  loadBatchPg,
  loadBatchPglite,
} from '../../bench/cases-data.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Engine } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { rebuildMeasures } from '../evaluation/rollup.ts';
import { parseCatalogue } from '../taxonomy/taxonomy.catalogue.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import { DEMO_DISTRICT, generateDemoCity } from '../territory/demo-city.ts';

/**
 * A past for the demo (issue: "a demo with a past"): deterministic cases with their trails for the
 * demo district, from the benchmark's generator (the real state machine, hash-chained trails, a few
 * hot alleys), then the measures rebuilt from that trail. Loaded in the background after the server
 * listens, so the first answer stays fast; `GET /api/health` says how far it is. Only into a district
 * that has no cases yet, once (`app_meta.demo_history_loaded`).
 */

export type DemoHistoryState = 'off' | 'pending' | 'loading' | 'complete' | 'skipped' | 'failed';

export interface DemoHistoryStatus {
  state: DemoHistoryState;
  /** Cases meant and cases written so far. */
  cases: number;
  loaded: number;
  error?: string;
}

const SEED = 20_261_207;
const META_KEY = 'demo_history_loaded';

export class DemoHistory {
  status: DemoHistoryStatus = { state: 'off', cases: 0, loaded: 0 };

  constructor(
    private readonly ctx: {
      db: Kysely<Database>;
      engine: Engine;
      databaseUrl?: string;
      taxonomy: TaxonomyService;
      calendar: WorkingCalendar;
    },
    private readonly options: { enabled: boolean; cases: number; pglite?: PGlite },
  ) {
    if (options.enabled && options.cases > 0)
      this.status = { state: 'pending', cases: options.cases, loaded: 0 };
  }

  /** Loads the history if it is wanted and not there yet; never throws (the status says what failed). */
  async load(
    log: (msg: string, data?: Record<string, unknown>) => void = () => {},
  ): Promise<DemoHistoryStatus> {
    if (this.status.state !== 'pending') return this.status;
    const { ctx } = this;
    const district = DEMO_DISTRICT.code;
    try {
      const done = await ctx.db
        .selectFrom('app_meta')
        .select('key')
        .where('key', '=', META_KEY)
        .executeTakeFirst();
      if (done) {
        this.status = { ...this.status, state: 'complete', loaded: this.status.cases };
        return this.status;
      }
      const any = await ctx.db
        .selectFrom('case_record')
        .select('id')
        .where('district_code', '=', district)
        .limit(1)
        .executeTakeFirst();
      if (any) {
        this.status = { ...this.status, state: 'skipped' };
        return this.status;
      }
      this.status = { ...this.status, state: 'loading' };
      const started = Date.now();
      const { text } = await ctx.taxonomy.exportCatalogue(district);
      const categories: Category[] = parseCatalogue(text).rows.map((r) => ({
        key: r.key,
        name: r.name,
        handlingLimit: r.settings.handlingLimit ?? { amount: 3, unit: 'working_days' },
        severity: r.settings.severity ?? 'normal',
        public: r.settings.public ?? true,
      }));
      const batches = generateCases({
        scale: this.options.cases,
        seed: SEED,
        batchSize: 2_000,
        world: buildWorld(generateDemoCity(), SEED),
        categories,
        rules: await ctx.taxonomy.rulesInForce(district),
        calendar: ctx.calendar,
      });
      const pool =
        ctx.engine === 'postgres' && ctx.databaseUrl
          ? new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 })
          : null;
      try {
        for (;;) {
          const next = await batches.next();
          if (next.done) {
            const counters = counterRows(next.value.counters);
            if (pool) {
              const client = await pool.connect();
              try {
                await copyPg(client, 'case_number_counter', COUNTER_COLUMNS, counters);
              } finally {
                client.release();
              }
            } else if (this.options.pglite)
              await copyPglite(this.options.pglite, 'case_number_counter', COUNTER_COLUMNS, counters);
            break;
          }
          if (pool) {
            const client = await pool.connect();
            try {
              await loadBatchPg(client, next.value);
            } finally {
              client.release();
            }
          } else if (this.options.pglite) await loadBatchPglite(this.options.pglite, next.value);
          else throw new Error('no way to bulk-load into this database');
          this.status = { ...this.status, loaded: this.status.loaded + next.value.cases };
        }
      } finally {
        await pool?.end();
      }
      const rebuilt = await rebuildMeasures(ctx.db, district, ctx.calendar);
      await ctx.db
        .insertInto('app_meta')
        .values({ key: META_KEY, value: JSON.stringify({ cases: this.status.loaded, seed: SEED }) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      this.status = { ...this.status, state: 'complete' };
      log('demo history loaded', {
        cases: this.status.loaded,
        filed: rebuilt.filed,
        ms: Date.now() - started,
      });
    } catch (err) {
      this.status = {
        ...this.status,
        state: 'failed',
        error: err instanceof Error ? err.message : String(err),
      };
      log('demo history failed', { error: this.status.error });
    }
    return this.status;
  }
}
