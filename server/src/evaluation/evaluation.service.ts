import { type Kysely, sql } from 'kysely';
import { type Actor, authorise, listScope } from '../accounts/authorisation.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import {
  DEFAULT_SCHEME,
  type EvaluatedUnit,
  type EvaluationScheme,
  type Period,
  parsePeriod,
  previousPeriod,
  rank,
  schemeProblems,
  score,
  type UnitType,
} from './evaluation.ts';
import type { MeasureService, Unit } from './measures.service.ts';
import { emptyCounts, figures } from './measures.ts';

/** Inspection scores (0–100) per unit for a period, when the supervision capability provides them. */
export type InspectionScores = (
  districtCode: string,
  level: UnitType,
  from: string,
  to: string,
) => Promise<ReadonlyMap<string, number>>;

export interface BulletinUnit {
  rank: number | null;
  unit: Unit;
  score: number | null;
  overdue: string[];
  reworked: string[];
}

/**
 * Monthly evaluation (月评), rankings and the quarterly bulletin (季通报), SPEC §5. A district's scheme
 * is data, versioned; a month is evaluated (a run stores every unit's figures and score), reviewed,
 * then frozen — a frozen run is what the month's ranking shows from then on, whatever later happens to
 * its cases. Another run may still be made, and each run shows its difference from the one before.
 */
export class EvaluationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly measures: MeasureService,
    private readonly inspectionScores?: InspectionScores,
  ) {}

  // ---- scheme ----------------------------------------------------------------------------------

  private async latestScheme(districtCode: string): Promise<{ version: number; scheme: EvaluationScheme }> {
    const row = await this.db
      .selectFrom('evaluation_scheme')
      .select(['version', 'body'])
      .where('district_code', '=', districtCode)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    return row ? { version: row.version, scheme: row.body } : { version: 0, scheme: DEFAULT_SCHEME };
  }

  async scheme(actor: Actor) {
    const { districtCode } = await this.measures.scopeOf(actor);
    return { districtCode, ...(await this.latestScheme(districtCode)) };
  }

  /** Writes a new version; `basedOnVersion` must be the latest, so two editors cannot overwrite each other. */
  async saveScheme(actor: Actor, body: { basedOnVersion: number; scheme: EvaluationScheme }) {
    const { districtCode } = await this.measures.scopeOf(actor);
    authorise(actor, 'evaluation.write', { territoryCodes: [districtCode] });
    const problems = schemeProblems(body.scheme);
    if (problems.length > 0)
      throw AppError.validation(problems.map((p) => ({ ...p, field: `scheme.${p.field}` })));
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`evaluation_scheme:${districtCode}`}))`.execute(trx);
      const latest = await trx
        .selectFrom('evaluation_scheme')
        .select('version')
        .where('district_code', '=', districtCode)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      const current = latest?.version ?? 0;
      if (body.basedOnVersion !== current) {
        throw new AppError('CONFLICT', `The scheme is at version ${current}, not ${body.basedOnVersion}`, {
          current,
        });
      }
      await trx
        .insertInto('evaluation_scheme')
        .values({
          district_code: districtCode,
          version: current + 1,
          body: JSON.stringify(body.scheme),
          created_by: actor.userId,
          created_at: this.clock.now(),
        })
        .execute();
      return { districtCode, version: current + 1, scheme: body.scheme };
    });
  }

  // ---- scoring ---------------------------------------------------------------------------------

  /** Every unit of a type in the district, with its figures and score for a period, ranked. */
  private async scoreUnits(districtCode: string, level: UnitType, period: { from: string; to: string }) {
    const { scheme } = await this.latestScheme(districtCode);
    const units = await this.measures.units(districtCode, level, null);
    const counts = await this.measures.counts(districtCode, level, units, period.from, period.to);
    const inspections = this.inspectionScores
      ? await this.inspectionScores(districtCode, level, period.from, period.to)
      : new Map<string, number>();
    const rows = units.map((unit) => {
      const f = figures(counts.get(unit.code) ?? emptyCounts());
      const inspectionScore = inspections.get(unit.code) ?? null;
      return { unit, figures: f, inspectionScore, score: score(scheme.unitTypes[level], f, inspectionScore) };
    });
    return rank(rows);
  }

  // ---- monthly evaluation ----------------------------------------------------------------------

  private async districtFor(actor: Actor, write: boolean): Promise<string> {
    const { districtCode } = await this.measures.scopeOf(actor);
    authorise(actor, write ? 'evaluation.write' : 'measure.read', { territoryCodes: [districtCode] });
    return districtCode;
  }

  async evaluate(actor: Actor, month: string, level: UnitType) {
    const period = monthPeriod(month);
    const districtCode = await this.districtFor(actor, true);
    const rows = await this.scoreUnits(districtCode, level, period);
    const { version } = await this.latestScheme(districtCode);
    const now = this.clock.now();
    return this.db
      .transaction()
      .execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`evaluation_run:${districtCode}:${month}:${level}`}))`.execute(
          trx,
        );
        const last = await trx
          .selectFrom('evaluation_run')
          .select(['run_no', 'status'])
          .where('district_code', '=', districtCode)
          .where('month', '=', month)
          .where('level', '=', level)
          .orderBy('run_no', 'desc')
          .executeTakeFirst();
        const runNo = (last?.run_no ?? 0) + 1;
        await trx
          .insertInto('evaluation_run')
          .values({
            district_code: districtCode,
            month,
            level,
            run_no: runNo,
            scheme_version: version,
            status: 'evaluated',
            rows: JSON.stringify(rows),
            created_by: actor.userId,
            created_at: now,
          })
          .execute();
        return runNo;
      })
      .then((runNo) => this.run(actor, month, level, runNo));
  }

  /** evaluated → reviewed → frozen; a month has at most one frozen run. */
  async advance(actor: Actor, month: string, level: UnitType, runNo: number, to: 'reviewed' | 'frozen') {
    monthPeriod(month);
    const districtCode = await this.districtFor(actor, true);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`evaluation_run:${districtCode}:${month}:${level}`}))`.execute(
        trx,
      );
      const runs = await trx
        .selectFrom('evaluation_run')
        .select(['run_no', 'status'])
        .where('district_code', '=', districtCode)
        .where('month', '=', month)
        .where('level', '=', level)
        .execute();
      const run = runs.find((r) => r.run_no === runNo);
      if (!run) throw new AppError('NOT_FOUND', `No evaluation run ${runNo} of ${month} for ${level}`);
      const from = to === 'reviewed' ? 'evaluated' : 'reviewed';
      if (run.status !== from) {
        throw new AppError(
          'TRANSITION_NOT_ALLOWED',
          `A ${run.status} run cannot become ${to} (only a ${from} one)`,
          {
            status: run.status,
          },
        );
      }
      if (to === 'frozen' && runs.some((r) => r.status === 'frozen')) {
        throw new AppError('TRANSITION_NOT_ALLOWED', `${month} is already frozen for ${level}`);
      }
      await trx
        .updateTable('evaluation_run')
        .set(
          to === 'reviewed'
            ? { status: 'reviewed', reviewed_by: actor.userId, reviewed_at: now }
            : { status: 'frozen', frozen_by: actor.userId, frozen_at: now },
        )
        .where('district_code', '=', districtCode)
        .where('month', '=', month)
        .where('level', '=', level)
        .where('run_no', '=', runNo)
        .execute();
    });
    return this.run(actor, month, level, runNo);
  }

  private async runRows(districtCode: string, month: string, level: string) {
    return this.db
      .selectFrom('evaluation_run')
      .selectAll()
      .where('district_code', '=', districtCode)
      .where('month', '=', month)
      .where('level', '=', level)
      .orderBy('run_no')
      .execute();
  }

  /** The runs of a month for a unit type, each with the change of every unit's score since the run before. */
  async runs(actor: Actor, month: string, level: UnitType) {
    monthPeriod(month);
    const districtCode = await this.districtFor(actor, false);
    const prefix = listScope(actor, 'measure.read');
    const runs = await this.runRows(districtCode, month, level);
    return runs.map((r, i) => runView(r, runs[i - 1]?.rows ?? null, prefix));
  }

  async run(actor: Actor, month: string, level: UnitType, runNo: number) {
    const all = await this.runs(actor, month, level);
    const found = all.find((r) => r.runNo === runNo);
    if (!found) throw new AppError('NOT_FOUND', `No evaluation run ${runNo} of ${month} for ${level}`);
    return found;
  }

  // ---- rankings and the bulletin ---------------------------------------------------------------

  /** A period's ranked units: a month's frozen run if there is one, otherwise from the rollups now. */
  private async ranked(districtCode: string, level: UnitType, period: Period) {
    if (period.kind === 'month') {
      const frozen = (await this.runRows(districtCode, period.label, level)).find(
        (r) => r.status === 'frozen',
      );
      if (frozen) return { rows: frozen.rows, frozen: true };
    }
    return { rows: await this.scoreUnits(districtCode, level, period), frozen: false };
  }

  async rankings(actor: Actor, q: { level: UnitType; period: string }) {
    const period = parsePeriodOrThrow(q.period);
    const { districtCode } = await this.measures.scopeOf(actor);
    const prefix = listScope(actor, 'measure.read');
    const current = await this.ranked(districtCode, q.level, period);
    const before = await this.ranked(districtCode, q.level, previousPeriod(period));
    const previous = new Map(before.rows.map((r) => [r.unit.code, r.rank]));
    // Ranks are the district's; a street sees its own units' places among them and no one else's figures.
    const units = new Set((await this.measures.units(districtCode, q.level, prefix)).map((u) => u.code));
    return {
      period: period.label,
      from: period.from,
      to: period.to,
      level: q.level,
      frozen: current.frozen,
      rows: current.rows
        .filter((r) => units.has(r.unit.code))
        .map((r) => ({
          rank: r.rank,
          unit: r.unit,
          score: r.score,
          previousRank: previous.get(r.unit.code) ?? null,
          figures: r.figures,
        })),
    };
  }

  /**
   * The quarterly bulletin (季通报/点名): every unit type's ranking for the quarter, and the bottom units
   * of each named with their overdue and reworked cases. The district's document: district-wide roles only.
   */
  async bulletin(actor: Actor, quarter: string) {
    const period = parsePeriodOrThrow(quarter);
    if (period.kind !== 'quarter')
      throw AppError.validation([{ field: 'quarter', message: 'a quarter such as 2026-Q4' }]);
    const { districtCode } = await this.measures.scopeOf(actor);
    authorise(actor, 'measure.read', { territoryCodes: [districtCode] });
    if (listScope(actor, 'measure.read') !== null && listScope(actor, 'measure.read') !== districtCode) {
      throw new AppError('OUT_OF_SCOPE', 'The bulletin is the district’s; it lies outside your jurisdiction');
    }
    const { scheme } = await this.latestScheme(districtCode);
    const district = (await this.measures.units(districtCode, 'district', null))[0];
    const sections = [];
    for (const level of ['street', 'department', 'contractor'] as const) {
      const ranking = await this.rankings(actor, { level, period: quarter });
      const scored = ranking.rows.filter((r) => r.rank !== null);
      const bottom: BulletinUnit[] = [];
      for (const r of scored.slice(-scheme.bottomCount).reverse()) {
        const unit = r.unit as Unit;
        const overdue = await this.measures.casesOf(districtCode, unit, 'overdue', period.from, period.to);
        const reworked = await this.measures.casesOf(districtCode, unit, 'reworked', period.from, period.to);
        bottom.push({
          rank: r.rank,
          unit,
          score: r.score,
          overdue: overdue.caseNumbers,
          reworked: reworked.caseNumbers,
        });
      }
      sections.push({ level, rows: ranking.rows, bottom });
    }
    return {
      quarter,
      from: period.from,
      to: period.to,
      district: { code: districtCode, name: district?.name ?? districtCode },
      generatedAt: this.clock.now().toISOString(),
      sections,
    };
  }
}

function parsePeriodOrThrow(label: string): Period {
  const p = parsePeriod(label);
  if (!p) throw AppError.validation([{ field: 'period', message: 'YYYY-MM, YYYY-Qn or YYYY' }]);
  return p;
}

function monthPeriod(month: string): Period {
  const p = parsePeriod(month);
  if (p?.kind !== 'month') throw AppError.validation([{ field: 'month', message: 'YYYY-MM' }]);
  return p;
}

function runView(
  r: {
    month: string;
    level: string;
    run_no: number;
    scheme_version: number;
    status: string;
    rows: EvaluatedUnit[];
    created_at: Date;
    reviewed_at: Date | null;
    frozen_at: Date | null;
  },
  before: EvaluatedUnit[] | null,
  prefix: string | null,
) {
  const previous = new Map((before ?? []).map((u) => [u.unit.code, u.score]));
  return {
    month: r.month,
    level: r.level,
    runNo: r.run_no,
    schemeVersion: r.scheme_version,
    status: r.status as 'evaluated' | 'reviewed' | 'frozen',
    createdAt: r.created_at.toISOString(),
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    frozenAt: r.frozen_at?.toISOString() ?? null,
    rows: r.rows
      .filter((u) => prefix === null || prefix.length <= 6 || u.unit.code.startsWith(prefix))
      .map((u) => ({
        ...u,
        scoreChange:
          before === null
            ? null
            : u.score === null || previous.get(u.unit.code) == null
              ? null
              : Math.round(((u.score ?? 0) - (previous.get(u.unit.code) ?? 0)) * 100) / 100,
      })),
  };
}
