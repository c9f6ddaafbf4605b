import type { Kysely } from 'kysely';
import { type Actor, authorise, SYSTEM_ACTOR } from '../../accounts/authorisation.ts';
import type { Database, IndicatorVersionRow } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { indicatorRepository, toInput } from './indicator.repository.ts';
import { fromTsv, type IndicatorInput, shapeOf, toTsv, validateSystem } from './indicator.rules.ts';

export interface IndicatorVersionView {
  id: string;
  districtCode: string;
  number: number;
  label: string;
  basedOn: string | null;
  illustrative: boolean;
  active: boolean;
  createdAt: string;
}

export interface IndicatorSystem {
  version: IndicatorVersionView;
  items: IndicatorInput[];
}

/** What the indicator system needs from elsewhere: the district a request is about, and the taxonomy. */
export interface IndicatorDeps {
  districtFor(actor: Actor | null, requested?: string): Promise<string>;
  /** Whether a category key exists in the district's active taxonomy. */
  hasCategory(key: string, districtCode: string): Promise<boolean>;
}

/**
 * A district's indicator system, versioned like the taxonomy: an edit or an import writes a complete
 * new version and activates it; activating an older version is the undo; inspections keep the version
 * they were scored on.
 */
export class IndicatorService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: IndicatorDeps,
  ) {}

  private get repo() {
    return indicatorRepository(this.db);
  }

  districtFor(actor: Actor | null, requested?: string): Promise<string> {
    return this.deps.districtFor(actor, requested);
  }

  /** The active system of a district, or a named version of it. */
  async system(districtCode: string, versionId?: string): Promise<IndicatorSystem> {
    const v = versionId
      ? await this.repo.version(districtCode, versionId)
      : await this.repo.activeVersion(districtCode);
    if (!v) throw AppError.notFound('indicator system of district', versionId ?? districtCode);
    const rows = await this.repo.items(districtCode, v.id);
    return { version: versionView(v), items: rows.map(toInput) };
  }

  async read(
    actor: Actor | null,
    query: { district?: string; versionId?: string },
  ): Promise<IndicatorSystem> {
    authorise(actor, 'indicator.read');
    return this.system(await this.districtFor(actor, query.district), query.versionId);
  }

  async versions(actor: Actor | null, district?: string): Promise<IndicatorVersionView[]> {
    authorise(actor, 'indicator.read');
    const code = await this.districtFor(actor, district);
    return (await this.repo.versions(code)).map(versionView);
  }

  /**
   * Writes a whole system as a new version and activates it. `actor` null is the operator at the
   * command line. Refused whole, naming the row and field, when any indicator is wrong.
   */
  async save(
    actor: Actor,
    districtCode: string,
    items: readonly IndicatorInput[],
    options: { label?: string; illustrative?: boolean } = {},
  ): Promise<IndicatorSystem> {
    authorise(actor, 'indicator.write', { territoryCodes: [districtCode] });
    const problems = validateSystem(items);
    for (const [i, it] of items.entries()) {
      if (it.level === 3 && it.categoryKey && !(await this.deps.hasCategory(it.categoryKey, districtCode)))
        problems.push({
          field: `items[${i}].categoryKey`,
          message: `no category ${it.categoryKey} in the taxonomy`,
        });
    }
    if (problems.length) throw AppError.validation(problems, 'The indicator system is not valid');
    const now = this.clock.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const repo = indicatorRepository(trx);
      const before = await repo.activeVersion(districtCode);
      const number = await repo.nextNumber(districtCode);
      const [l1, l2, l3] = shapeOf(items);
      const versionId = newId('ind');
      await repo.insertVersion(
        {
          district_code: districtCode,
          id: versionId,
          number,
          label: options.label?.trim() || `v${number} (${l1}/${l2}/${l3})`,
          based_on: before?.id ?? null,
          illustrative: options.illustrative ?? false,
          created_at: now,
          created_by: actor?.userId ?? null,
        },
        items,
      );
      await repo.activate(districtCode, versionId);
      return versionId;
    });
    return this.system(districtCode, id);
  }

  async activate(actor: Actor, districtCode: string, versionId: string): Promise<IndicatorSystem> {
    authorise(actor, 'indicator.write', { territoryCodes: [districtCode] });
    const v = await this.repo.version(districtCode, versionId);
    if (!v) throw AppError.notFound('indicator version', versionId);
    await this.db.transaction().execute((trx) => indicatorRepository(trx).activate(districtCode, versionId));
    return this.system(districtCode, versionId);
  }

  async exportTsv(
    districtCode: string,
    versionId?: string,
  ): Promise<{ version: IndicatorVersionView; text: string }> {
    const s = await this.system(districtCode, versionId);
    return { version: s.version, text: toTsv(s.items) };
  }

  async importTsv(actor: Actor, districtCode: string, text: string, label?: string) {
    const { items, problems } = fromTsv(text);
    if (problems.length) throw AppError.validation(problems, 'The indicator file is not valid');
    return this.save(actor, districtCode, items, { label });
  }

  /** Loads the illustrative demo system once; a district that already has a system keeps it. */
  async seedDemo(districtCode: string, items: readonly IndicatorInput[], label: string): Promise<boolean> {
    if (await this.repo.activeVersion(districtCode)) return false;
    await this.save(SYSTEM_ACTOR, districtCode, items, { label, illustrative: true });
    return true;
  }
}

function versionView(v: IndicatorVersionRow): IndicatorVersionView {
  return {
    id: v.id,
    districtCode: v.district_code,
    number: v.number,
    label: v.label,
    basedOn: v.based_on,
    illustrative: v.illustrative,
    active: v.active,
    createdAt: v.created_at.toISOString(),
  };
}
