import type { Kysely } from 'kysely';
import type { Database, IndicatorRow, IndicatorVersionRow } from '../../db/schema.ts';
import type { IndicatorInput } from './indicator.rules.ts';

export function indicatorRepository(db: Kysely<Database>) {
  return {
    activeVersion(districtCode: string): Promise<IndicatorVersionRow | undefined> {
      return db
        .selectFrom('indicator_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .executeTakeFirst();
    },

    version(districtCode: string, id: string): Promise<IndicatorVersionRow | undefined> {
      return db
        .selectFrom('indicator_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    versions(districtCode: string): Promise<IndicatorVersionRow[]> {
      return db
        .selectFrom('indicator_version')
        .selectAll()
        .where('district_code', '=', districtCode)
        .orderBy('number', 'desc')
        .execute();
    },

    items(districtCode: string, versionId: string): Promise<IndicatorRow[]> {
      return db
        .selectFrom('indicator')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('version_id', '=', versionId)
        .orderBy('position')
        .execute();
    },

    async nextNumber(districtCode: string): Promise<number> {
      const r = await db
        .selectFrom('indicator_version')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('district_code', '=', districtCode)
        .executeTakeFirst();
      return Number(r?.n ?? 0) + 1;
    },

    async insertVersion(
      v: Omit<IndicatorVersionRow, 'active'>,
      items: readonly IndicatorInput[],
    ): Promise<void> {
      await db
        .insertInto('indicator_version')
        .values({ ...v, active: false })
        .execute();
      if (items.length === 0) return;
      await db
        .insertInto('indicator')
        .values(
          items.map((it, position) => ({
            district_code: v.district_code,
            version_id: v.id,
            code: it.code,
            level: it.level,
            parent_code: it.parentCode,
            name: it.name,
            standard: it.standard,
            deduction_points: it.deductionPoints,
            deduction_cap: it.deductionCap,
            category_key: it.categoryKey,
            department_type: it.departmentType,
            checklist_key: it.checklistKey,
            frontage: it.frontage,
            position,
          })),
        )
        .execute();
    },

    /** Makes `id` the district's only active version (run inside a transaction). */
    async activate(districtCode: string, id: string): Promise<void> {
      await db
        .updateTable('indicator_version')
        .set({ active: false })
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .execute();
      await db
        .updateTable('indicator_version')
        .set({ active: true })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },
  };
}

export function toInput(r: IndicatorRow): IndicatorInput {
  return {
    code: r.code,
    level: r.level as 1 | 2 | 3,
    parentCode: r.parent_code,
    name: r.name,
    standard: r.standard,
    deductionPoints: Number(r.deduction_points),
    deductionCap: Number(r.deduction_cap),
    categoryKey: r.category_key,
    departmentType: r.department_type,
    checklistKey: r.checklist_key,
    frontage: r.frontage,
  };
}
