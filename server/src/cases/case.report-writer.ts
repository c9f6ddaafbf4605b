import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { Grouper, type GroupLimits, KeyedGrouper } from '../shared/grouper.ts';
import { CaseEventSubscribers } from './case.apply.ts';
import { caseRepository, type NewReport, type NumberOrReplay, newCaseRow } from './case.repository.ts';
import type { StoredEvent } from './case.trail.ts';

/**
 * Writes new reports (the common intake without photos) with group commit (shared/grouper.ts): reports
 * arriving while earlier writes are in flight share one multi-row statement. Each report stays atomic
 * with its first event and its key; when a shared statement fails it wrote nothing, and each of its
 * reports is written again on its own, so one bad report (a twin that lost the race on its
 * Idempotency-Key) fails alone.
 *
 * A group none of whose reports the case-event subscribers listen for is that one statement, with no
 * transaction. Otherwise the statement and the subscribers' writes for the reports they listen for
 * (in one call per subscriber: `CaseEventSubscriber.onReports`) share one transaction, so the group
 * still costs one insert, plus BEGIN, COMMIT and what the subscribers write.
 */
export class ReportWriter {
  private readonly grouper: Grouper<{ report: NewReport; told: boolean }, StoredEvent>;

  constructor(
    db: Kysely<Database>,
    limits: GroupLimits = DEFAULT_INTAKE_GROUPS.reports,
    subscribers: CaseEventSubscribers = new CaseEventSubscribers(),
  ) {
    this.grouper = new Grouper(async (items) => {
      const reports = items.map((i) => i.report);
      if (!items.some((i) => i.told)) return caseRepository(db).insertReports(reports);
      return db.transaction().execute(async (trx) => {
        const events = await caseRepository(trx).insertReports(reports);
        await subscribers.publishReports(
          trx,
          items.flatMap((item, i) =>
            item.told ? [{ event: events[i]!, after: newCaseRow(item.report.case) }] : [],
          ),
        );
        return events;
      });
    }, limits);
  }

  /** Writes one report, in a group; `told`: the subscribers listen for it. */
  async write(report: NewReport, told = false): Promise<void> {
    await this.grouper.submit({ report, told });
  }
}

/**
 * Takes case numbers (each with its Idempotency-Key's replay check) for intakes of one district and
 * day together: one statement moves the day's counter by the number of new reports in the group and
 * hands them out in arrival order. The counter row is locked once per group instead of once per report.
 */
export class CaseNumberTaker {
  private readonly grouper: KeyedGrouper<{ scope: string; key: string } | null, NumberOrReplay>;

  constructor(db: Kysely<Database>, limits: GroupLimits = DEFAULT_INTAKE_GROUPS.numbers) {
    this.grouper = new KeyedGrouper((districtDay, asks) => {
      const [district, day] = districtDay.split(':') as [string, string];
      return caseRepository(db).nextCaseNumbers(district, day, asks);
    }, limits);
  }

  /** The next number of the district's day, or, for a key already answered, that answer instead. */
  take(districtCode: string, day: string, replayOf: { scope: string; key: string } | null) {
    return this.grouper.submit(`${districtCode}:${day}`, replayOf);
  }
}

/**
 * Chosen with the intake benchmark (docs/benchmarks.md, item 10): with 32 clients on PostgreSQL and the
 * default pool of 10 connections, 2 and 1 in flight did at least as well as 4 and 2. A pool must keep
 * room for the other statements, and on 2 cores more statements at once add no parallel work.
 */
export const DEFAULT_INTAKE_GROUPS: { reports: GroupLimits; numbers: GroupLimits } = {
  reports: { inFlight: 2, size: 32 },
  numbers: { inFlight: 1, size: 32 },
};
