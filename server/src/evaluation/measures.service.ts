import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../accounts/authorisation.ts';
import { beijingDateOf } from '../calendar/working-calendar.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { evaluationRepository } from './evaluation.repository.ts';
import {
  COUNT_MEASURES,
  type Counts,
  contributions,
  drillCount,
  emptyCounts,
  figures,
  isMeasureName,
  type MeasureFacts,
  type RollupLevel,
} from './measures.ts';

export const MEASURE_LEVELS = [
  'district',
  'street',
  'community',
  'grid',
  'alley',
  'department',
  'contractor',
] as const;
export type MeasureLevel = (typeof MEASURE_LEVELS)[number];

export interface Unit {
  level: MeasureLevel;
  code: string;
  name: string;
}

interface ScopedUnit extends Unit {
  /** The territory code that decides whose jurisdiction the unit lies in. */
  scope: string;
}

const rollupLevel = (l: MeasureLevel): RollupLevel => (l === 'department' || l === 'contractor' ? 'org' : l);

/**
 * The measures of SPEC §6 for any period and unit, read from the maintained rollups, and the cases
 * behind each figure, read from the measure facts with the same contribution rule (measures.ts).
 */
export class MeasureService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Beijing today: figures never count days that have not begun (a future deadline is not due yet). */
  today(): string {
    return beijingDateOf(this.clock.now());
  }

  /** The caller's district and the prefix every unit shown must lie in. */
  async scopeOf(actor: Actor, scope?: string): Promise<{ districtCode: string; prefix: string | null }> {
    const prefix = listScope(actor, 'measure.read');
    if (scope) {
      authorise(actor, 'measure.read', { territoryCodes: [scope] });
      return { districtCode: scope.slice(0, 6), prefix: scope };
    }
    if (prefix) return { districtCode: prefix.slice(0, 6), prefix };
    const first = (await evaluationRepository(this.db).districts())[0];
    if (!first) throw new AppError('NOT_FOUND', 'No district is set up yet');
    return { districtCode: first.code, prefix: null };
  }

  /** Every unit of a level in the district, with the code its jurisdiction is judged by. */
  async allUnits(districtCode: string, level: MeasureLevel): Promise<ScopedUnit[]> {
    const repo = evaluationRepository(this.db);
    const withScope = (rows: { code: string; name: string; scope?: string }[]) =>
      rows.map((r) => ({ level, code: r.code, name: r.name, scope: r.scope ?? r.code }));
    switch (level) {
      case 'district':
        return withScope((await repo.districts()).filter((d) => d.code === districtCode));
      case 'street':
        return withScope(await repo.streets(districtCode));
      case 'community':
        return withScope(await repo.communities(districtCode));
      case 'grid':
        return withScope(await repo.grids(districtCode));
      case 'alley':
        return withScope(await repo.alleys(districtCode));
      case 'department':
        return withScope(await repo.organisations(districtCode, ['department']));
      case 'contractor':
        return withScope(await repo.organisations(districtCode, ['contractor']));
    }
  }

  /** The units of a level that lie inside a prefix (all of the district when there is none). */
  async units(districtCode: string, level: MeasureLevel, prefix: string | null): Promise<Unit[]> {
    const all = await this.allUnits(districtCode, level);
    return all
      .filter((u) => prefix === null || u.scope.startsWith(prefix))
      .map(({ level: l, code, name }) => ({ level: l, code, name }));
  }

  /** Counts per unit from the rollups; units with nothing get zeros. */
  async counts(
    districtCode: string,
    level: MeasureLevel,
    units: readonly Unit[],
    from: string,
    to: string,
  ): Promise<Map<string, Counts>> {
    const out = new Map<string, Counts>(units.map((u) => [u.code, emptyCounts()]));
    const last = to < this.today() ? to : this.today();
    if (from > last || units.length === 0) return out;
    const territorial = rollupLevel(level) !== 'org';
    const sums = await evaluationRepository(this.db).sums({
      districtCode,
      level: rollupLevel(level),
      from,
      to: last,
      // A street's dozens of grids are found by the range; a district's departments by name.
      ...(territorial ? {} : { units: units.map((u) => u.code) }),
    });
    for (const s of sums) {
      const c = out.get(s.unit);
      if (c && (COUNT_MEASURES as readonly string[]).includes(s.measure)) c[s.measure] += s.n;
    }
    return out;
  }

  async measures(actor: Actor, q: { level: MeasureLevel; from: string; to: string; scope?: string }) {
    checkRange(q.from, q.to);
    const { districtCode, prefix } = await this.scopeOf(actor, q.scope);
    const units = await this.units(districtCode, q.level, prefix);
    const counts = await this.counts(districtCode, q.level, units, q.from, q.to);
    return {
      from: q.from,
      to: q.to,
      rows: units.map((unit) => ({ unit, ...figures(counts.get(unit.code) ?? emptyCounts()) })),
    };
  }

  /**
   * The cases behind one unit's figure: for a count the cases it counts, for a rate its numerator's,
   * for the average handling time the closed ones. `count` is the figure itself.
   */
  async cases(
    actor: Actor,
    measure: string,
    q: { level: MeasureLevel; unit: string; from: string; to: string },
  ) {
    if (!isMeasureName(measure) || measure === 'handlingMinutes') {
      throw AppError.validation([{ field: 'measure', message: `no measure ${measure}` }]);
    }
    checkRange(q.from, q.to);
    const { districtCode } = await this.scopeOf(actor);
    const unit = (await this.allUnits(districtCode, q.level)).find((u) => u.code === q.unit);
    if (!unit) throw new AppError('NOT_FOUND', `No ${q.level} ${q.unit} in district ${districtCode}`);
    authorise(actor, 'measure.read', { territoryCodes: [unit.scope] });
    const { count, caseNumbers } = await this.casesOf(districtCode, unit, drillCount(measure), q.from, q.to);
    return {
      measure,
      unit: { level: unit.level, code: unit.code, name: unit.name },
      from: q.from,
      to: q.to,
      count,
      caseNumbers,
    };
  }

  /** The cases one count of one unit is made of, without asking who wants them (callers have). */
  async casesOf(districtCode: string, unit: Unit, count: string, from: string, to: string) {
    const last = to < this.today() ? to : this.today();
    const org = rollupLevel(unit.level) === 'org';
    let n = 0;
    const caseNumbers: string[] = [];
    if (from > last) return { count: 0, caseNumbers };
    const rows = await evaluationRepository(this.db).drillCandidates({
      districtCode,
      unit: unit.code,
      from,
      to: last,
    });
    for (const r of rows) {
      const hits = drillHits(r.facts, count, from, last, org ? unit.code : null);
      if (hits === 0) continue;
      n += hits;
      caseNumbers.push(r.case_number);
    }
    return { count: n, caseNumbers };
  }
}

/** How many times one case counts in a figure (a unit dispatched the case twice owes two responses). */
export function drillHits(
  facts: MeasureFacts,
  measure: string,
  from: string,
  to: string,
  org: string | null,
): number {
  let n = 0;
  for (const c of contributions(facts)) {
    if (c.measure !== measure || c.day < from || c.day > to) continue;
    if (org !== null && !c.orgs.includes(org)) continue;
    n += c.n;
  }
  return n;
}

function checkRange(from: string, to: string) {
  if (from > to) throw AppError.validation([{ field: 'to', message: 'must not be before from' }]);
}
