import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { caseRepository, type NewReport } from './case.repository.ts';

interface Waiting {
  report: NewReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ReportWriterLimits {
  /** Statements in flight at once; reports arriving meanwhile wait and go together in the next one. */
  statements: number;
  /** Reports in one statement at most. */
  reports: number;
}

/**
 * Writes new reports (the common intake without photos: one statement, no transaction), grouping those
 * that arrive while earlier statements are in flight into one multi-row statement: group commit. A
 * report arriving at a quiet moment is written at once, alone, so nothing waits for company; under
 * load, the per-statement costs (a round trip, planning, a commit and its flush) are shared.
 *
 * Each report stays atomic with its first event and its key. When a grouped statement fails it wrote
 * nothing, and each of its reports is written again on its own, so one bad report (a twin that lost
 * the race on its Idempotency-Key) fails alone and the others are stored.
 */
export class ReportWriter {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: ReportWriterLimits = DEFAULT_REPORT_WRITER_LIMITS,
  ) {}

  write(report: NewReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ report, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.inFlight < this.limits.statements) {
      const group = this.waiting.splice(0, this.limits.reports);
      this.inFlight++;
      void this.flush(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(group: Waiting[]): Promise<void> {
    const repo = caseRepository(this.db);
    try {
      await repo.insertReports(group.map((w) => w.report));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(
        group.map((w) =>
          repo.insertReports([w.report]).then(
            () => w.resolve(),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
      return;
    }
    for (const w of group) w.resolve();
  }
}

/**
 * Measured with the intake benchmark (docs/benchmarks.md): 32 clients on PostgreSQL with the default
 * pool of 10 connections.
 */
export const DEFAULT_REPORT_WRITER_LIMITS: ReportWriterLimits = { statements: 4, reports: 32 };
