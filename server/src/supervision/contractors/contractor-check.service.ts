import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../../accounts/authorisation.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import { alleyCodes } from '../../territory/territory.service.ts';
import { contractorCheckRepository } from './contractor-check.repository.ts';
import { type ContractorItem, checkScore, repeatDeduction } from './contractor-check.rules.ts';

const BEIJING_MS = 8 * 3_600_000;

/**
 * Contractor assessment: a street's checker (or an inspector, or the district) checks a contractor's
 * work in an alley or street against the district's item list; each check is scored, each month
 * averaged; a repeated finding on an item in the same month deducts more (contractor-check.rules.ts).
 * A contractor reads its own checks only.
 */
export class ContractorCheckService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return contractorCheckRepository(this.db);
  }

  async seedItems(districtCode: string, items: readonly ContractorItem[]): Promise<void> {
    await this.repo.seedItems(districtCode, items);
  }

  async items(actor: Actor, district?: string) {
    authorise(actor, 'contractor_check.read');
    const code = district ?? actor.scopeCode?.slice(0, 6);
    if (!code) throw AppError.validation([{ field: 'district', message: 'name the district' }]);
    return (await this.repo.items(code)).map((i) => ({ ...i, points: Number(i.points) }));
  }

  async create(
    actor: Actor,
    body: {
      organisationId: string;
      alleyId?: string;
      streetCode?: string;
      findings: { itemCode: string; note?: string }[];
    },
  ) {
    const territory = territoryRepository(this.db);
    const alley = body.alleyId ? await territory.findAlley(body.alleyId) : undefined;
    if (body.alleyId && !alley)
      throw AppError.validation([{ field: 'alleyId', message: `no alley ${body.alleyId}` }]);
    const street = alley?.street_code ?? body.streetCode;
    if (!street)
      throw AppError.validation([{ field: 'streetCode', message: 'name the alley or the street checked' }]);
    authorise(actor, 'contractor_check.write', { territoryCodes: alley ? alleyCodes(alley) : [street] });
    const org = await territory.findOrganisation(body.organisationId);
    if (org?.kind !== 'contractor')
      throw AppError.validation([{ field: 'organisationId', message: 'no contractor has this id' }]);
    const district = street.slice(0, 6);
    const items = new Map((await this.repo.items(district)).map((i) => [i.code, Number(i.points)]));
    const problems: FieldIssue[] = body.findings.flatMap((f, i) =>
      items.has(f.itemCode) ? [] : [{ field: `findings[${i}].itemCode`, message: `no item ${f.itemCode}` }],
    );
    if (problems.length) throw AppError.validation(problems, 'The check is not valid');
    const now = this.clock.now();
    const month = new Date(now.getTime() + BEIJING_MS).toISOString().slice(0, 7);
    const id = newId('ccheck');
    return this.db.transaction().execute(async (trx) => {
      const repo = contractorCheckRepository(trx);
      await repo.lockOrganisation(org.id);
      const counts = await repo.monthCounts(district, org.id, month);
      const findings = body.findings.map((f, i) => {
        const occurrence = (counts.get(f.itemCode) ?? 0) + 1;
        counts.set(f.itemCode, occurrence);
        return {
          seq: i + 1,
          item_code: f.itemCode,
          occurrence,
          deduction: repeatDeduction(items.get(f.itemCode)!, occurrence),
          note: f.note ?? '',
        };
      });
      const score = checkScore(findings.map((f) => f.deduction));
      await repo.insert(
        {
          district_code: district,
          id,
          organisation_id: org.id,
          street_code: street,
          alley_id: alley?.id ?? null,
          checker_user_id: actor.userId,
          month,
          score,
          created_at: now,
        },
        findings,
      );
      return {
        id,
        organisationId: org.id,
        month,
        score,
        findings: findings.map((f) => ({
          itemCode: f.item_code,
          occurrence: f.occurrence,
          deduction: f.deduction,
        })),
      };
    });
  }

  /** The checks the caller may read: its jurisdiction's, or a contractor's own. */
  private async visible(actor: Actor, q: { month?: string; organisationId?: string }) {
    const scope = listScope(actor, 'contractor_check.read');
    const own = actor.role === 'contractor';
    if (own && q.organisationId && q.organisationId !== actor.organisationId)
      throw new AppError('OUT_OF_SCOPE', 'A contractor reads its own checks only', {
        field: 'organisationId',
      });
    const district = actor.scopeCode?.slice(0, 6);
    if (!district) return [];
    return this.repo.list({
      districtCode: district,
      month: q.month,
      organisationId: own ? (actor.organisationId ?? '\u0000') : q.organisationId,
      streetPrefix: own ? null : scope,
    });
  }

  async list(actor: Actor, q: { month?: string; organisationId?: string }) {
    const rows = await this.visible(actor, q);
    const district = rows[0]?.district_code;
    const findings = district
      ? await this.repo.findings(
          district,
          rows.map((r) => r.id),
        )
      : [];
    return rows.map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      streetCode: r.street_code,
      alleyId: r.alley_id,
      month: r.month,
      score: r.score,
      createdAt: r.created_at.toISOString(),
      findings: findings
        .filter((f) => f.check_id === r.id)
        .map((f) => ({
          itemCode: f.item_code,
          occurrence: f.occurrence,
          deduction: f.deduction,
          note: f.note,
        })),
    }));
  }

  /** Per contractor and month: number of checks, average score, total deduction and repeats. */
  async monthly(actor: Actor, q: { month: string }) {
    const checks = await this.list(actor, { month: q.month });
    const by = new Map<
      string,
      {
        organisationId: string;
        name: string;
        checks: number;
        total: number;
        deductions: number;
        repeats: number;
      }
    >();
    for (const c of checks) {
      const e = by.get(c.organisationId) ?? {
        organisationId: c.organisationId,
        name: c.organisationName,
        checks: 0,
        total: 0,
        deductions: 0,
        repeats: 0,
      };
      e.checks++;
      e.total += c.score;
      for (const f of c.findings) {
        e.deductions += f.deduction;
        if (f.occurrence > 1) e.repeats++;
      }
      by.set(c.organisationId, e);
    }
    return [...by.values()]
      .map(({ total, ...e }) => ({
        ...e,
        month: q.month,
        averageScore: Math.round((total / e.checks) * 100) / 100,
      }))
      .sort((a, b) => b.averageScore - a.averageScore);
  }
}
