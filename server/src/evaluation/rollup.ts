import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseEventSubscriber } from '../cases/case.apply.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { evaluationRepository } from './evaluation.repository.ts';
import {
  type CasePlace,
  contributions,
  daySpan,
  FACT_ACTIONS,
  rollupDelta,
  stepFacts,
  unitsOf,
} from './measures.ts';

export function placeOf(
  c: Pick<CaseRow, 'district_code' | 'street_code' | 'community_code' | 'grid_code' | 'alley_id'>,
): CasePlace {
  return {
    districtCode: c.district_code,
    streetCode: c.street_code,
    communityCode: c.community_code,
    gridCode: c.grid_code,
    alleyId: c.alley_id,
  };
}

/**
 * Keeps the measure rollups (SPEC §6) in the transaction that appends each case event: the case's
 * facts are folded one event further, and the rollup cells get the difference between the case's old
 * and new contributions. So the rollups are always exactly the sum of every case's contributions —
 * what a recomputation from the whole trail gives (the property test checks it) — and a rolled-back
 * event leaves them untouched.
 */
export function measureRollupSubscriber(calendar: WorkingCalendar): CaseEventSubscriber {
  // Street offices hardly ever change; a tier-1 dispatch asks for one.
  const offices = new Map<string, string | null>();
  const streetOffice = async (trx: Kysely<Database>, c: CaseRow) => {
    const key = `${c.district_code}|${c.street_code}`;
    if (!offices.has(key)) {
      offices.set(
        key,
        (await evaluationRepository(trx).streetOffice(c.district_code, c.street_code))?.id ?? null,
      );
    }
    return offices.get(key) ?? null;
  };
  return {
    name: 'measure-rollups',
    actions: FACT_ACTIONS,
    async onEvent(trx, event, _before, after) {
      const repo = evaluationRepository(trx);
      const previous = await repo.facts(after.district_code, after.id);
      if (previous === null && event.action !== 'accept') return;
      const tier1 =
        (event.action === 'dispatch' || event.action === 'redispatch') && readTier(event.payload) === 1;
      const next = stepFacts(
        previous,
        { action: event.action, at: event.at, payload: event.payload },
        { calendar, streetOfficeId: tier1 ? await streetOffice(trx, after) : null },
      );
      if (next === previous || next === null) return;
      const place = placeOf(after);
      const now = contributions(next);
      const delta = rollupDelta(contributions(previous), now, place);
      await repo.addToRollup(after.district_code, after.category_key ?? '', [...delta.values()]);
      const span = daySpan(now);
      await repo.saveFacts({
        districtCode: after.district_code,
        caseId: after.id,
        caseNumber: after.case_number,
        categoryKey: after.category_key,
        units: unitsOf(next, place),
        firstDay: span.first,
        lastDay: span.last,
        facts: next,
        at: event.at,
      });
    },
  };
}

function readTier(payload: unknown): unknown {
  return payload && typeof payload === 'object' ? Reflect.get(payload, 'tier') : undefined;
}
