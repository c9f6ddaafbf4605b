import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../../accounts/authorisation.ts';
import type { CaseService, IntakeResult } from '../../cases/case.service.ts';
import type { AlleyRow, Database, PatrolRow } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Crs } from '../../territory/geometry.ts';
import type { Locator } from '../../territory/locator.ts';
import { alleyCodes, type TerritoryService } from '../../territory/territory.service.ts';
import {
  AlleyIndex,
  type CoverageOptions,
  cleanTrack,
  coveredAlleys,
  type ExcludedPoint,
  type TrackPoint,
} from './patrol.coverage.ts';
import { patrolRepository } from './patrol.repository.ts';

export interface PatrolOptions {
  coverage: CoverageOptions;
  liveStaleMinutes: number;
}

type AlleyInfo = Pick<
  AlleyRow,
  'id' | 'name' | 'street_code' | 'community_code' | 'grid_codes' | 'geometry' | 'length_m' | 'chief_user_id'
>;

interface AlleyData {
  index: AlleyIndex;
  alleys: AlleyInfo[];
  byId: Map<string, AlleyInfo>;
}

export interface FinishAnswer {
  id: string;
  lengthM: number;
  coveredAlleys: string[];
  points: { received: number; kept: number };
  excluded: (ExcludedPoint & { t: string; lng: number; lat: number })[];
}

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/**
 * Daily patrol (日巡, SPEC §5): a walker starts a patrol, the phone sends its track in batches (a batch
 * sent twice adds nothing), findings are filed on the way, and the finish answers which alleys were
 * walked. While a patrol runs its latest position is on the live map of the desks over it (M28).
 */
export class PatrolService {
  private alleyCache = new WeakMap<Locator, Promise<AlleyData>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly territory: TerritoryService,
    private readonly cases: CaseService,
    private readonly options: PatrolOptions,
  ) {}

  private get repo() {
    return patrolRepository(this.db);
  }

  /** The alleys on the coverage plane, rebuilt when the territory changes (the locator does too). */
  private async alleyData(): Promise<AlleyData> {
    const locator = await this.territory.getLocator();
    let data = this.alleyCache.get(locator);
    if (!data) {
      data = this.repo.alleys().then((alleys) => ({
        alleys,
        byId: new Map(alleys.map((a) => [a.id, a])),
        index: new AlleyIndex(alleys.map((a) => ({ id: a.id, coordinates: a.geometry.coordinates }))),
      }));
      this.alleyCache.set(locator, data);
    }
    return data;
  }

  async start(actor: Actor, input: { streetCode?: string }): Promise<{ id: string }> {
    const scope = input.streetCode ?? actor.scopeCode;
    authorise(actor, 'patrol.walk', { territoryCodes: scope ? [scope] : [] });
    if (!scope)
      throw new AppError('OUT_OF_SCOPE', 'A patrol needs a jurisdiction to walk in', { field: 'streetCode' });
    const id = newId('patrol');
    await this.repo.insert({
      district_code: scope.slice(0, 6),
      id,
      user_id: actor.userId,
      user_role: actor.role,
      scope_code: scope,
      started_at: this.clock.now(),
    });
    return { id };
  }

  /** The walker's own running patrol, or why not. */
  private async ownRunning(actor: Actor, id: string): Promise<PatrolRow> {
    const p = await this.repo.find(id);
    if (!p) throw AppError.notFound('patrol', id);
    if (p.user_id !== actor.userId)
      throw new AppError('FORBIDDEN', 'Only its walker adds to a patrol', { id });
    if (p.finished_at) throw new AppError('CONFLICT', 'This patrol has finished', { id });
    return p;
  }

  async addPoints(actor: Actor, id: string, points: readonly { lng: number; lat: number; t: string }[]) {
    const p = await this.ownRunning(actor, id);
    const parsed = points.map((q) => ({ lng: q.lng, lat: q.lat, t: new Date(q.t) }));
    const added = await this.db.transaction().execute(async (trx) => {
      const repo = patrolRepository(trx);
      await repo.lock(p.district_code, id);
      const n = await repo.addPoints(p.district_code, id, parsed);
      const latest = parsed.reduce<(typeof parsed)[number] | null>((a, b) => (!a || b.t > a.t ? b : a), null);
      if (latest) await repo.setLast(p.district_code, id, latest);
      return n;
    });
    return { id, added, duplicates: points.length - added };
  }

  async finish(actor: Actor, id: string): Promise<FinishAnswer> {
    const p = await this.ownRunning(actor, id);
    const answer = await this.computeCoverage(p);
    await this.repo.finish(p.district_code, id, {
      finishedAt: this.clock.now(),
      lengthM: answer.lengthM,
      covered: answer.coveredAlleys,
      excluded: answer.excluded,
    });
    return answer;
  }

  private async computeCoverage(p: PatrolRow): Promise<FinishAnswer> {
    const rows = await this.repo.points(p.district_code, p.id);
    const track: TrackPoint[] = rows.map((r) => ({ lng: r.lng, lat: r.lat, t: r.t.getTime() }));
    const locator = await this.territory.getLocator();
    const { kept, excluded, lengthM } = cleanTrack(
      track,
      (lng, lat) => locator.locate(lng, lat) !== null,
      this.options.coverage.maxSpeedKmh,
    );
    const data = await this.alleyData();
    // Only alleys of the walker's own jurisdiction are credited to the patrol.
    const covered = coveredAlleys(data.index, kept, this.options.coverage)
      .map((c) => c.id)
      .filter((a) => {
        const alley = data.byId.get(a);
        return alley ? alleyCodes(alley).some((c) => c.startsWith(p.scope_code)) : false;
      });
    return {
      id: p.id,
      lengthM: Math.round(lengthM * 10) / 10,
      coveredAlleys: covered,
      points: { received: track.length, kept: kept.length },
      excluded: excluded.map((e) => {
        const q = track[e.index]!;
        return { ...e, t: new Date(q.t).toISOString(), lng: q.lng, lat: q.lat };
      }),
    };
  }

  async get(actor: Actor, id: string) {
    const p = await this.repo.find(id);
    if (!p) throw AppError.notFound('patrol', id);
    if (p.user_id !== actor.userId) authorise(actor, 'patrol.read', { territoryCodes: [p.scope_code] });
    const rows = await this.repo.points(p.district_code, p.id);
    const summary = p.finished_at
      ? {
          lengthM: p.length_m ?? 0,
          coveredAlleys: p.covered_alley_ids,
          excluded: (p.excluded as FinishAnswer['excluded']) ?? [],
          points: { received: rows.length, kept: rows.length - ((p.excluded as unknown[]) ?? []).length },
        }
      : await this.computeCoverage(p);
    const findings = await this.repo.findings(p.district_code, p.id);
    return {
      id: p.id,
      userId: p.user_id,
      scopeCode: p.scope_code,
      startedAt: p.started_at.toISOString(),
      finishedAt: p.finished_at?.toISOString() ?? null,
      lengthM: summary.lengthM,
      coveredAlleys: summary.coveredAlleys,
      points: summary.points,
      excluded: summary.excluded,
      track: rows.map((r) => ({ lng: r.lng, lat: r.lat, t: r.t.toISOString() })),
      findings: findings.map((f) => ({
        caseId: f.id,
        caseNumber: f.case_number,
        state: f.state,
        onSpot: f.on_spot,
      })),
    };
  }

  /**
   * A problem found on the way becomes a case (channel `patrol`) at its own position; one fixed on the
   * spot is closed at tier 1 by the finder with its after-photos (`handle_on_spot`), counted apart.
   */
  async fileFinding(
    actor: Actor,
    id: string,
    f: {
      lng: number;
      lat: number;
      crs: Crs;
      description: string;
      categoryKey: string;
      photoIds?: string[];
      onSpot?: { note: string; afterPhotoIds: string[]; noPhotoReason?: string };
    },
  ): Promise<IntakeResult & { onSpot: boolean }> {
    const p = await this.ownRunning(actor, id);
    const now = this.clock.now();
    const [created] = await this.cases.fileFindings(
      actor,
      [
        {
          input: {
            channel: 'patrol',
            description: f.description,
            lng: f.lng,
            lat: f.lat,
            crs: f.crs,
            categoryKey: f.categoryKey,
            photoIds: f.photoIds ?? [],
          },
          filing: f.onSpot ? { kind: 'on_spot', ...f.onSpot } : { kind: 'report' },
        },
      ],
      async (trx, results) => {
        await patrolRepository(trx).addFinding({
          district_code: p.district_code,
          patrol_id: p.id,
          case_id: results[0]!.id,
          on_spot: !!f.onSpot,
          created_at: now,
        });
      },
    );
    return { ...created!, onSpot: !!f.onSpot };
  }

  /** Latest positions of running patrols inside the caller's jurisdiction (M28). */
  async live(actor: Actor, scope?: string) {
    const own = listScope(actor, 'patrol.live');
    if (scope) authorise(actor, 'patrol.live', { territoryCodes: [scope] });
    const now = this.clock.now().getTime();
    const staleMs = this.options.liveStaleMinutes * 60_000;
    const rows = await this.repo.running(scope ?? own);
    return rows.map((r) => ({
      patrolId: r.id,
      userId: r.user_id,
      displayName: r.display_name,
      role: r.user_role,
      scopeCode: r.scope_code,
      startedAt: r.started_at.toISOString(),
      lng: r.last_lng!,
      lat: r.last_lat!,
      at: r.last_at!.toISOString(),
      stale: now - r.last_at!.getTime() > staleMs,
    }));
  }

  /**
   * Which alleys of a jurisdiction were walked in a day or a week (Beijing time), by anyone or by one
   * person, with the counts per street and per grid and per walker.
   */
  async coverage(
    actor: Actor,
    q: { scope?: string; period: 'day' | 'week'; date?: string; person?: string; geometry?: boolean },
  ) {
    const scope = q.scope ?? actor.scopeCode;
    authorise(actor, 'coverage.read', { territoryCodes: scope ? [scope] : [] });
    if (!scope) throw new AppError('OUT_OF_SCOPE', 'Name a jurisdiction', { field: 'scope' });
    const { from, to } = periodOf(q.period, q.date, this.clock.now());
    const person = q.person === 'me' ? actor.userId : q.person;
    const patrols = (await this.repo.finishedBetween(scope, from, to)).filter(
      (p) => !person || p.user_id === person,
    );
    const data = await this.alleyData();
    const inScope = data.alleys.filter((a) => alleyCodes(a).some((c) => c.startsWith(scope)));
    const walkedBy = new Map<string, Set<string>>();
    for (const p of patrols)
      for (const a of p.covered_alley_ids) {
        const set = walkedBy.get(a) ?? new Set<string>();
        set.add(p.user_id);
        walkedBy.set(a, set);
      }
    const alleys = inScope.map((a) => ({
      id: a.id,
      name: a.name,
      streetCode: a.street_code,
      communityCode: a.community_code,
      gridCodes: a.grid_codes,
      lengthM: a.length_m,
      covered: walkedBy.has(a.id),
      walkedBy: [...(walkedBy.get(a.id) ?? [])],
      ...(q.geometry && { geometry: a.geometry }),
    }));
    const groups = (key: (a: AlleyInfo) => string[]) => {
      const m = new Map<string, { code: string; alleyCount: number; coveredCount: number }>();
      for (const a of inScope)
        for (const code of key(a)) {
          if (!code.startsWith(scope) && !scope.startsWith(code)) continue;
          const g = m.get(code) ?? { code, alleyCount: 0, coveredCount: 0 };
          g.alleyCount++;
          if (walkedBy.has(a.id)) g.coveredCount++;
          m.set(code, g);
        }
      return [...m.values()].sort((x, y) => (x.code < y.code ? -1 : 1));
    };
    const people = new Map<
      string,
      {
        userId: string;
        displayName: string;
        role: string;
        patrols: number;
        lengthM: number;
        coveredAlleys: Set<string>;
      }
    >();
    for (const p of patrols) {
      const e = people.get(p.user_id) ?? {
        userId: p.user_id,
        displayName: p.display_name,
        role: p.user_role,
        patrols: 0,
        lengthM: 0,
        coveredAlleys: new Set<string>(),
      };
      e.patrols++;
      e.lengthM += p.length_m ?? 0;
      for (const a of p.covered_alley_ids) e.coveredAlleys.add(a);
      people.set(p.user_id, e);
    }
    return {
      scopeCode: scope,
      period: q.period,
      from: from.toISOString(),
      to: to.toISOString(),
      alleyCount: alleys.length,
      coveredCount: alleys.filter((a) => a.covered).length,
      alleys,
      streets: groups((a) => [a.street_code]),
      grids: groups((a) => a.grid_codes),
      people: [...people.values()].map((e) => ({
        ...e,
        lengthM: Math.round(e.lengthM),
        coveredAlleys: e.coveredAlleys.size,
      })),
    };
  }
}

/** A Beijing day (or the Monday-to-Sunday week holding it) as an instant range. */
export function periodOf(
  period: 'day' | 'week',
  date: string | undefined,
  now: Date,
): { from: Date; to: Date } {
  const day = date ?? new Date(now.getTime() + BEIJING_MS).toISOString().slice(0, 10);
  const start = Date.parse(`${day}T00:00:00+08:00`);
  if (Number.isNaN(start)) throw AppError.validation([{ field: 'date', message: 'a date as yyyy-mm-dd' }]);
  if (period === 'day') return { from: new Date(start), to: new Date(start + DAY_MS) };
  const weekday = (new Date(start + BEIJING_MS).getUTCDay() + 6) % 7;
  const monday = start - weekday * DAY_MS;
  return { from: new Date(monday), to: new Date(monday + 7 * DAY_MS) };
}
