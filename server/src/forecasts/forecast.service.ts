import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope, SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { Database, ProactiveTaskKind, ProactiveTaskRow, ProactiveTaskState } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import {
  type BacktestResult,
  backtest,
  defaultBacktestOptions,
  type ModelName,
  outlook,
} from './forecast.models.ts';
import { forecastRepository } from './forecast.repository.ts';
import { weekIndex, weekStart } from './forecast.series.ts';

/** What forecasts need from the taxonomy and the territory. */
export interface ForecastLookups {
  /** A category's kind (部件 component or 事件 event) and name in a district, or null if unknown. */
  category(key: string, districtCode: string): Promise<{ kind: 'component' | 'event'; name: string } | null>;
  areaName(code: string): Promise<string | null>;
}

export interface ForecastOptions {
  /** Weeks of history read at most. */
  maxHistoryWeeks: number;
  /** A forecast is "well above normal" when its 80 % interval's low end exceeds normal by this many cases… */
  minRise: number;
  /** …and the forecast itself is at least this many cases. */
  minCount: number;
  /** This many places of one street above normal in one category make a campaign proposal for the street. */
  campaignPlaces: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = {
  maxHistoryWeeks: 156,
  minRise: 1,
  minCount: 3,
  campaignPlaces: 3,
};

interface History {
  keys: { place: string; category: string }[];
  counts: Float64Array[];
  firstWeek: number;
  lastWeek: number;
  cases: number;
}

export interface SeriesOutlook {
  place: string;
  categoryKey: string;
  forecast: number;
  low: number;
  high: number;
  normal: number;
  lastWeek: number;
  aboveNormal: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Weekly forecasts per grid × category (grids, or the street for cases without one), the backtest that
 * chooses the model, and proactive tasks (未诉先办) where next week looks well above normal.
 */
export class ForecastService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly lookups: ForecastLookups,
    private readonly options: ForecastOptions = DEFAULT_FORECAST_OPTIONS,
  ) {}

  private get repo() {
    return forecastRepository(this.db);
  }

  /** The territory prefix to read: the one asked for, inside the actor's jurisdiction, or the jurisdiction. */
  private scopeFor(
    actor: Actor,
    action: 'forecast.read' | 'proactive_task.decide',
    scopeCode?: string | null,
  ) {
    if (scopeCode) {
      if (!/^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(scopeCode)) {
        throw AppError.validation([
          { field: 'scope', message: 'a district, street, community or grid code' },
        ]);
      }
      authorise(actor, action, { territoryCodes: [scopeCode] });
      return scopeCode;
    }
    return listScope(actor, action);
  }

  /** Weekly counts of every series in the scope, from its first case to the last complete week. */
  private async history(prefix: string | null): Promise<History> {
    const lastWeek = weekIndex(this.clock.now().getTime()) - 1;
    const first = await this.repo.firstWeek(prefix);
    const firstWeek = Math.max(first ?? lastWeek, lastWeek - this.options.maxHistoryWeeks + 1);
    if (first === null || firstWeek > lastWeek)
      return { keys: [], counts: [], firstWeek: lastWeek, lastWeek, cases: 0 };
    const rows = await this.repo.weeklyCounts(prefix, firstWeek, lastWeek);
    const weeks = lastWeek - firstWeek + 1;
    const index = new Map<string, number>();
    const keys: History['keys'] = [];
    const counts: Float64Array[] = [];
    let cases = 0;
    for (const r of rows) {
      const key = `${r.place}\t${r.category}`;
      let i = index.get(key);
      if (i === undefined) {
        i = keys.length;
        index.set(key, i);
        keys.push({ place: r.place, category: r.category });
        counts.push(new Float64Array(weeks));
      }
      counts[i]![r.week - firstWeek] = r.n;
      cases += r.n;
    }
    return { keys, counts, firstWeek, lastWeek, cases };
  }

  /** Rolls the forecast origin over the scope's history; the model with the lowest MASE wins. */
  async backtestHistory(
    actor: Actor,
    input: { scopeCode?: string | null; horizon?: number },
  ): Promise<{ result: BacktestResult; cases: number; seriesTotal: number; weeks: number }> {
    const prefix = this.scopeFor(actor, 'forecast.read', input.scopeCode);
    const h = await this.history(prefix);
    const result = backtest(h.counts, { ...defaultBacktestOptions, horizon: input.horizon ?? 1 });
    return { result, cases: h.cases, seriesTotal: h.keys.length, weeks: h.lastWeek - h.firstWeek + 1 };
  }

  /** Next week's forecast of every series of the scope that had a case in its history. */
  async nextWeek(actor: Actor, input: { scopeCode?: string | null }) {
    const prefix = this.scopeFor(actor, 'forecast.read', input.scopeCode);
    const h = await this.history(prefix);
    const bt = backtest(h.counts, defaultBacktestOptions);
    const series: SeriesOutlook[] = h.keys.map((k, i) => {
      const y = h.counts[i]!;
      const o = outlook(bt.best, y, bt.residualQuantiles, {
        minRise: this.options.minRise,
        minCount: this.options.minCount,
      });
      return {
        place: k.place,
        categoryKey: k.category,
        forecast: round2(o.forecast),
        low: round2(o.low),
        high: round2(o.high),
        normal: round2(o.normal),
        lastWeek: y[y.length - 1] ?? 0,
        aboveNormal: o.aboveNormal,
      };
    });
    series.sort(
      (a, b) =>
        b.forecast - a.forecast ||
        a.place.localeCompare(b.place) ||
        a.categoryKey.localeCompare(b.categoryKey),
    );
    return {
      weekStart: weekStart(h.lastWeek + 1),
      model: bt.best as ModelName,
      mase: round2(bt.mase),
      coverage80: round2(bt.coverage80),
      historyWeeks: h.lastWeek - h.firstWeek + 1,
      series,
    };
  }

  /**
   * Proposes proactive tasks for next week: a patrol focus on a grid where an event category looks
   * well above normal, a notice to the department where a component (部件) category does, and a
   * campaign for a street where several of its places rise in the same category. Idempotent per
   * week, place and category.
   */
  async propose(actor: Actor, input: { scopeCode?: string | null }) {
    const prefix = this.scopeFor(actor, 'proactive_task.decide', input.scopeCode);
    const next = await this.nextWeek(SYSTEM_ACTOR, { scopeCode: prefix });
    const now = this.clock.now();
    const above = next.series.filter((s) => s.aboveNormal);
    const tasks: Parameters<ReturnType<typeof forecastRepository>['insertTasks']>[0] = [];
    const byStreet = new Map<string, SeriesOutlook[]>();
    for (const s of above) {
      const district = s.place.slice(0, 6);
      const category = await this.lookups.category(s.categoryKey, district);
      const kind: ProactiveTaskKind = category?.kind === 'component' ? 'notice' : 'patrol';
      tasks.push(this.task(s, s.place, kind, next.model, next.weekStart, now));
      const streetKey = `${s.place.slice(0, 9)}\t${s.categoryKey}`;
      byStreet.set(streetKey, [...(byStreet.get(streetKey) ?? []), s]);
    }
    for (const [key, list] of byStreet) {
      if (list.length < this.options.campaignPlaces) continue;
      const street = key.split('\t')[0]!;
      const sum = (f: (s: SeriesOutlook) => number) => round2(list.reduce((a, s) => a + f(s), 0));
      tasks.push(
        this.task(
          {
            place: street,
            categoryKey: list[0]!.categoryKey,
            forecast: sum((s) => s.forecast),
            low: sum((s) => s.low),
            high: sum((s) => s.high),
            normal: sum((s) => s.normal),
            lastWeek: sum((s) => s.lastWeek),
            aboveNormal: true,
          },
          street,
          'campaign',
          next.model,
          next.weekStart,
          now,
        ),
      );
    }
    const created = await this.repo.insertTasks(tasks);
    return {
      weekStart: next.weekStart,
      model: next.model,
      proposed: created.length,
      considered: next.series.length,
    };
  }

  private task(
    s: SeriesOutlook,
    scopeCode: string,
    kind: ProactiveTaskKind,
    model: string,
    week: Date,
    now: Date,
  ) {
    return {
      district_code: scopeCode.slice(0, 6),
      id: newId('pt'),
      week_start: week,
      scope_code: scopeCode,
      category_key: s.categoryKey,
      kind,
      model,
      forecast: s.forecast,
      low: s.low,
      high: s.high,
      normal: s.normal,
      created_at: now,
    };
  }

  async listTasks(actor: Actor, input: { state?: ProactiveTaskState; weekStart?: string }) {
    const prefix = listScope(actor, 'forecast.read');
    const week = input.weekStart ? new Date(input.weekStart) : undefined;
    if (week && Number.isNaN(week.getTime())) {
      throw AppError.validation([{ field: 'week', message: 'a date-time' }]);
    }
    const rows = await this.repo.listTasks({ prefix, state: input.state, weekStart: week, limit: 500 });
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** A dispatcher accepts or dismisses a proposal inside their jurisdiction, once. */
  async decide(actor: Actor, id: string, decision: 'accept' | 'dismiss', reason?: string) {
    const task = await this.repo.findTask(id);
    if (!task) throw AppError.notFound('proactive task', id);
    authorise(actor, 'proactive_task.decide', { territoryCodes: [task.scope_code] });
    const updated = await this.repo.decide(
      task.district_code,
      id,
      decision === 'accept' ? 'accepted' : 'dismissed',
      actor.userId,
      this.clock.now(),
      reason?.trim() || null,
    );
    if (!updated) {
      throw new AppError('TRANSITION_NOT_ALLOWED', `This task was already ${task.state}`, {
        state: task.state,
      });
    }
    return this.view(updated);
  }

  /**
   * Once a task's week is over, counts the cases that came in it: the complaints "came" when the
   * week ended above the normal the proposal was measured against.
   */
  async evaluateDue(limit = 2000): Promise<number> {
    const now = this.clock.now();
    const due = await this.repo.unevaluated(now, limit);
    for (const t of due) {
      const from = new Date(t.week_start);
      const to = new Date(from.getTime() + 7 * 86_400_000);
      const actual = await this.repo.countIn(t.scope_code, t.category_key, from, to);
      await this.repo.evaluate(t.district_code, t.id, actual, actual > t.normal, now);
    }
    return due.length;
  }

  async stats(actor: Actor, input: { from: string; to: string }) {
    const prefix = listScope(actor, 'forecast.read');
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (Number.isNaN(from.getTime())) throw AppError.validation([{ field: 'from', message: 'a date-time' }]);
    if (Number.isNaN(to.getTime())) throw AppError.validation([{ field: 'to', message: 'a date-time' }]);
    await this.evaluateDue();
    return this.repo.stats(prefix, from, to);
  }

  private async view(r: ProactiveTaskRow) {
    const category = await this.lookups.category(r.category_key, r.district_code);
    return {
      id: r.id,
      weekStart: new Date(r.week_start).toISOString(),
      scopeCode: r.scope_code,
      scopeName: (await this.lookups.areaName(r.scope_code)) ?? r.scope_code,
      categoryKey: r.category_key,
      categoryName: category?.name ?? r.category_key,
      kind: r.kind,
      model: r.model,
      forecast: r.forecast,
      low: r.low,
      high: r.high,
      normal: r.normal,
      state: r.state,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      reason: r.reason,
      actual: r.actual,
      came: r.came,
    };
  }
}
