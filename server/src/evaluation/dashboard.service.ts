import { cellToBoundary } from 'h3-js';
import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/authorisation.ts';
import { beijingTime } from '../calendar/working-calendar.ts';
import type { Database } from '../db/schema.ts';
import { evaluationRepository } from './evaluation.repository.ts';
import type { MeasureService } from './measures.service.ts';
import { COUNT_MEASURES, type Counts, emptyCounts, figures } from './measures.ts';

export type CategoryName = (key: string, districtCode: string) => Promise<string | null>;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The leaders' and district staff's dashboard (SPEC §7.3), and the street-level one for street roles:
 * the scope's measures and their monthly trend, open and overdue cases per street (or per community
 * of a street), the top categories and where cases cluster (H3 cells and grids). Every number is a
 * measure of a unit that `GET /api/measures/{measure}/cases` explains, or a cell whose cases
 * `hotspotCases` lists.
 */
export class DashboardService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly measures: MeasureService,
    private readonly categoryName: CategoryName,
  ) {}

  async dashboard(actor: Actor, q: { from: string; to: string; scope?: string }) {
    const { districtCode, prefix } = await this.measures.scopeOf(actor, q.scope);
    const streetCode = prefix && prefix.length >= 9 ? prefix.slice(0, 9) : null;
    const level = streetCode ? ('street' as const) : ('district' as const);
    const unit = (await this.measures.units(districtCode, level, null)).find(
      (u) => u.code === (streetCode ?? districtCode),
    );
    if (!unit) throw new Error(`no ${level} ${streetCode ?? districtCode}`);
    const repo = evaluationRepository(this.db);

    const counts = (await this.measures.counts(districtCode, level, [unit], q.from, q.to)).get(unit.code);

    // Twelve months up to the period's end, from the same rollups.
    const end = q.to < this.measures.today() ? q.to : this.measures.today();
    const start = `${addDays(`${end.slice(0, 7)}-01`, -335).slice(0, 7)}-01`;
    const daily = await repo.series({
      districtCode,
      level,
      unit: unit.code,
      from: start,
      to: end,
      measures: COUNT_MEASURES,
      by: 'day',
    });
    const months = new Map<string, Counts>();
    for (let m = start.slice(0, 7); m <= end.slice(0, 7); m = addDays(`${m}-28`, 5).slice(0, 7)) {
      months.set(m, emptyCounts());
    }
    for (const r of daily) {
      const c = months.get(r.key.slice(0, 7));
      if (c) c[r.measure] += r.n;
    }
    const trend = [...months].map(([month, c]) => ({ month, ...figures(c) }));

    const areas: 'community' | 'street' = streetCode ? 'community' : 'street';
    const areaUnits = await this.measures.units(districtCode, areas, streetCode ?? null);
    const areaCounts = await this.measures.counts(districtCode, areas, areaUnits, q.from, q.to);
    const open = new Map((await repo.openByArea({ districtCode, streetCode })).map((r) => [r.code ?? '', r]));
    const byArea = areaUnits.map((u) => {
      const f = figures(areaCounts.get(u.code) ?? emptyCounts());
      return {
        unit: u,
        open: open.get(u.code)?.open ?? 0,
        overdueOpen: open.get(u.code)?.overdue ?? 0,
        filed: f.filed,
        overdue: f.overdue,
        onTimeRate: f.onTimeRate,
      };
    });

    const byCategory = await repo.series({
      districtCode,
      level,
      unit: unit.code,
      from: q.from,
      to: end,
      measures: ['filed'],
      by: 'category_key',
    });
    const top = byCategory
      .filter((r) => r.key !== '' && r.n > 0)
      .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1))
      .slice(0, 10);
    const topCategories = [];
    for (const r of top) {
      topCategories.push({
        key: r.key,
        name: (await this.categoryName(r.key, districtCode)) ?? r.key,
        filed: r.n,
      });
    }

    const range = { from: beijingTime(q.from), to: beijingTime(addDays(q.to, 1)) };
    const cells = await repo.hotCells({ districtCode, prefix, ...range, limit: 300 });
    const hotspots = cells.map((c) => ({
      cell: c.cell,
      count: c.count,
      // [lng, lat] rings, closed, for GeoJSON.
      boundary: [...cellToBoundary(c.cell, true)],
    }));
    const gridUnits = await this.measures.units(districtCode, 'grid', streetCode ?? null);
    const gridCounts = await this.measures.counts(districtCode, 'grid', gridUnits, q.from, q.to);
    const grids = gridUnits
      .map((u) => ({ code: u.code, filed: gridCounts.get(u.code)?.filed ?? 0 }))
      .filter((g) => g.filed > 0)
      .sort((a, b) => b.filed - a.filed || (a.code < b.code ? -1 : 1))
      .slice(0, 20);

    return {
      scope: unit,
      from: q.from,
      to: q.to,
      figures: figures(counts ?? emptyCounts()),
      trend,
      areaLevel: areas,
      byArea,
      topCategories,
      hotspots,
      grids,
    };
  }

  /** The cases reported in one H3 cell in the period, inside the caller's jurisdiction. */
  async hotspotCases(actor: Actor, q: { cell: string; from: string; to: string; scope?: string }) {
    const { districtCode, prefix } = await this.measures.scopeOf(actor, q.scope);
    const rows = await evaluationRepository(this.db).cellCases({
      districtCode,
      prefix,
      cell: q.cell,
      from: beijingTime(q.from),
      to: beijingTime(addDays(q.to, 1)),
    });
    return { count: rows.length, caseNumbers: rows.map((r) => r.case_number) };
  }
}
