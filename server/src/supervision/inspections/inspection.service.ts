import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../../accounts/authorisation.ts';
import { computeDeadline } from '../../calendar/deadline.ts';
import type { WorkingCalendar } from '../../calendar/working-calendar.ts';
import type { CaseService } from '../../cases/case.service.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import { alleyCodes, type TerritoryService } from '../../territory/territory.service.ts';
import { type IndicatorInput, inspectionScore } from '../indicators/indicator.rules.ts';
import type { IndicatorService } from '../indicators/indicator.service.ts';
import { inspectionRepository } from './inspection.repository.ts';

export interface FindingInput {
  indicatorCode: string;
  lng: number;
  lat: number;
  note: string;
  photoIds?: string[];
  /** The registered shop a 门前三包 finding names (frontage). */
  shopId?: string;
}

/**
 * 门前三包 (frontage responsibility, participation/frontage): which shops findings may name, and the
 * findings naming shops recorded as those shops' checks in the inspection's transaction.
 */
export interface FrontageFindings {
  checkInspectionShops(
    alleyId: string,
    findings: readonly { shopId?: string; frontage: boolean }[],
  ): Promise<FieldIssue[]>;
  recordFromInspection(
    trx: Kysely<Database>,
    i: {
      districtCode: string;
      inspectionId: string;
      at: Date;
      recordedBy: string | null;
      findings: readonly { shopId?: string; indicatorName: string; note: string }[];
    },
  ): Promise<void>;
}

/** What an inspection tells others in its own transaction (the tier plan grants tiers from scores). */
export interface InspectionListener {
  onInspection(
    trx: Kysely<Database>,
    i: { districtCode: string; alleyId: string; score: number; inspectionId: string; at: Date },
  ): Promise<void>;
}

/**
 * Weekly checks and third-party inspections (周查, SPEC §5): one alley scored on the active indicator
 * system. Each finding becomes a case (channel `inspection`, the indicator's category, filed by the
 * system with the configured working days, verified before closing like every case); the score is 100
 * minus the capped deductions, kept with the version it used; a re-inspection links to the one before.
 * A request with any wrong indicator, position or an alley out of scope is refused whole.
 */
export class InspectionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly deps: {
      territory: TerritoryService;
      cases: CaseService;
      indicators: IndicatorService;
      listener: InspectionListener;
      findingWorkingDays: number;
      frontage?: FrontageFindings;
    },
  ) {}

  private get repo() {
    return inspectionRepository(this.db);
  }

  private async alleyFor(actor: Actor, alleyId: string, action: 'inspection.write' | 'inspection.read') {
    const alley = await territoryRepository(this.db).findAlley(alleyId);
    if (!alley) throw AppError.validation([{ field: 'alleyId', message: `no alley ${alleyId}` }]);
    authorise(actor, action, { territoryCodes: alleyCodes(alley) });
    return alley;
  }

  /** The form for an alley: the third-level indicators that apply to it, and its last inspection. */
  async form(actor: Actor, alleyId: string) {
    const alley = await this.alleyFor(actor, alleyId, 'inspection.write');
    const system = await this.deps.indicators.system(alley.district_code);
    const previous = await this.repo.latestForAlley(alley.district_code, alley.id);
    return {
      alley: { id: alley.id, name: alley.name, streetCode: alley.street_code, alleyType: alley.alley_type },
      versionId: system.version.id,
      items: system.items.filter((it) => applies(it, alley.alley_type)),
      previous: previous
        ? { id: previous.id, score: previous.score, at: previous.created_at.toISOString() }
        : null,
    };
  }

  async create(actor: Actor, body: { alleyId: string; versionId?: string; findings: FindingInput[] }) {
    const alley = await this.alleyFor(actor, body.alleyId, 'inspection.write');
    const system = await this.deps.indicators.system(alley.district_code);
    const problems: FieldIssue[] = [];
    if (body.versionId && body.versionId !== system.version.id)
      problems.push({ field: 'versionId', message: 'not the active version of the indicator system' });
    const byCode = new Map(system.items.filter((i) => i.level === 3).map((i) => [i.code, i]));
    const locator = await this.deps.territory.getLocator();
    for (const [i, f] of body.findings.entries()) {
      const ind = byCode.get(f.indicatorCode);
      if (!ind)
        problems.push({
          field: `findings[${i}].indicatorCode`,
          message: `${f.indicatorCode} is no third-level indicator of version ${system.version.number}`,
        });
      else if (!applies(ind, alley.alley_type))
        problems.push({ field: `findings[${i}].indicatorCode`, message: 'does not apply to this alley' });
      if (!locator.locate(f.lng, f.lat))
        problems.push({ field: `findings[${i}].lng`, message: 'the position lies outside the territory' });
    }
    if (this.deps.frontage)
      problems.push(
        ...(await this.deps.frontage.checkInspectionShops(
          alley.id,
          body.findings.map((f) => ({
            shopId: f.shopId,
            frontage: byCode.get(f.indicatorCode)?.frontage ?? false,
          })),
        )),
      );
    else if (body.findings.some((f) => f.shopId))
      problems.push({ field: 'findings', message: 'shops are not registered here' });
    if (problems.length) throw AppError.validation(problems, 'The inspection is not valid');

    const now = this.clock.now();
    const id = newId('insp');
    const { score, deductions } = inspectionScore(body.findings, byCode);
    const previous = await this.repo.latestForAlley(alley.district_code, alley.id);
    const deadline = computeDeadline(
      now,
      { amount: this.deps.findingWorkingDays, unit: 'working_days' },
      this.calendar,
    );
    const created = await this.deps.cases.fileFindings(
      actor,
      body.findings.map((f) => {
        const ind = byCode.get(f.indicatorCode)!;
        return {
          input: {
            channel: 'inspection' as const,
            description: `${alley.name}：${ind.name}${f.note.trim() ? `，${f.note.trim()}` : ''}`,
            lng: f.lng,
            lat: f.lat,
            crs: 'wgs84' as const,
            categoryKey: ind.categoryKey!,
            photoIds: f.photoIds ?? [],
          },
          filing: {
            kind: 'accept' as const,
            deadline,
            evidence: { inspectionId: id, indicatorCode: ind.code, versionId: system.version.id },
          },
        };
      }),
      async (trx, cases) => {
        await inspectionRepository(trx).insert(
          {
            district_code: alley.district_code,
            id,
            alley_id: alley.id,
            street_code: alley.street_code,
            version_id: system.version.id,
            inspector_user_id: actor.userId,
            inspector_role: actor.role,
            score,
            previous_id: previous?.id ?? null,
            created_at: now,
          },
          body.findings.map((f, i) => ({
            seq: i + 1,
            indicator_code: f.indicatorCode,
            case_id: cases[i]!.id,
            deduction: deductions[i]!,
            lng: f.lng,
            lat: f.lat,
            note: f.note,
            shop_id: f.shopId ?? null,
          })),
        );
        await this.deps.frontage?.recordFromInspection(trx, {
          districtCode: alley.district_code,
          inspectionId: id,
          at: now,
          recordedBy: actor.userId,
          findings: body.findings.map((f) => ({
            shopId: f.shopId,
            indicatorName: byCode.get(f.indicatorCode)!.name,
            note: f.note,
          })),
        });
        await this.deps.listener.onInspection(trx, {
          districtCode: alley.district_code,
          alleyId: alley.id,
          score,
          inspectionId: id,
          at: now,
        });
      },
    );
    return {
      id,
      score,
      caseNumbers: created.map((c) => c.caseNumber),
      previousId: previous?.id ?? null,
      versionId: system.version.id,
    };
  }

  async get(actor: Actor, id: string) {
    const i = await this.repo.find(id);
    if (!i) throw AppError.notFound('inspection', id);
    authorise(actor, 'inspection.read', { territoryCodes: [i.street_code] });
    const system = await this.deps.indicators.system(i.district_code, i.version_id);
    const names = new Map(system.items.map((it) => [it.code, it.name]));
    const findings = await this.repo.findings(i.district_code, i.id);
    return {
      ...summary(i),
      findings: findings.map((f) => ({
        indicatorCode: f.indicator_code,
        indicatorName: names.get(f.indicator_code) ?? f.indicator_code,
        deduction: f.deduction,
        lng: f.lng,
        lat: f.lat,
        note: f.note,
        caseId: f.case_id,
        caseNumber: f.case_number,
        caseState: f.state,
        shopId: f.shop_id ?? null,
      })),
    };
  }

  async list(actor: Actor, q: { alleyId?: string; scope?: string; limit: number; offset: number }) {
    const own = listScope(actor, 'inspection.read');
    if (q.scope) authorise(actor, 'inspection.read', { territoryCodes: [q.scope] });
    const rows = await this.repo.list({
      scopePrefix: q.scope ?? own,
      alleyId: q.alleyId,
      limit: q.limit,
      offset: q.offset,
    });
    return rows.map((r) => ({ ...summary(r), findingCount: Number(r.finding_count ?? 0) }));
  }
}

/**
 * Whether an indicator applies to an alley: 门前三包 (frontage) items concern shopfronts, which line
 * the streets (大街, 主街) rather than the lanes; everything else applies everywhere.
 */
export function applies(it: Pick<IndicatorInput, 'frontage' | 'level'>, alleyType: string): boolean {
  return !(it.frontage && alleyType === 'lane');
}

function summary(i: {
  id: string;
  alley_id: string;
  alley_name: string;
  street_code: string;
  version_id: string;
  inspector_user_id: string;
  inspector_name: string;
  inspector_role: string;
  score: number;
  previous_id: string | null;
  created_at: Date;
}) {
  return {
    id: i.id,
    alleyId: i.alley_id,
    alleyName: i.alley_name,
    streetCode: i.street_code,
    versionId: i.version_id,
    inspector: { userId: i.inspector_user_id, name: i.inspector_name, role: i.inspector_role },
    score: i.score,
    previousId: i.previous_id,
    createdAt: i.created_at.toISOString(),
  };
}
