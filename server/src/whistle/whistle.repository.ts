import type { Insertable, Kysely } from 'kysely';
import type { Database, JointActionTable, JointTaskTable } from '../db/schema.ts';

export function whistleRepository(db: Kysely<Database>) {
  return {
    async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await db
        .selectFrom('organisation')
        .select(['id', 'name'])
        .where('id', 'in', unique)
        .execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    findJointAction(caseId: string) {
      return db.selectFrom('joint_action').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    },

    /**
     * Creates the record, or moves it to a new whistle when the case was summoned afresh; the minutes of
     * an earlier whistle stay (the trail keeps every version anyway).
     */
    async ensureJointAction(r: Insertable<JointActionTable>) {
      await db
        .insertInto('joint_action')
        .values(r)
        .onConflict((oc) =>
          oc.column('case_id').doUpdateSet((eb) => ({
            whistle_at: eb.ref('excluded.whistle_at'),
            report_in_deadline: eb.ref('excluded.report_in_deadline'),
            report_in_hours: eb.ref('excluded.report_in_hours'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },

    async saveMinutes(
      caseId: string,
      m: { meetingAt: Date | null; minutes: string; decisions: readonly string[]; by: string; at: Date },
    ) {
      await db
        .updateTable('joint_action')
        .set({
          meeting_at: m.meetingAt,
          minutes: m.minutes,
          decisions: JSON.stringify(m.decisions),
          minutes_by: m.by,
          minutes_at: m.at,
          updated_at: m.at,
        })
        .where('case_id', '=', caseId)
        .execute();
    },

    tasks(caseId: string) {
      return db
        .selectFrom('joint_task as t')
        .leftJoin('organisation as o', 'o.id', 't.organisation_id')
        .selectAll('t')
        .select('o.name as organisation_name')
        .where('t.case_id', '=', caseId)
        .orderBy('t.seq')
        .execute();
    },

    openTasks(caseId: string) {
      return db
        .selectFrom('joint_task')
        .select(['id', 'organisation_id', 'description', 'deadline'])
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .orderBy('seq')
        .execute();
    },

    findTask(caseId: string, taskId: string) {
      return db
        .selectFrom('joint_task')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('id', '=', taskId)
        .executeTakeFirst();
    },

    /** Inserts a task as the case's next one; call with the case row locked, which serialises the numbering. */
    async insertTask(t: Omit<Insertable<JointTaskTable>, 'seq'>): Promise<number> {
      const last = await db
        .selectFrom('joint_task')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('case_id', '=', t.case_id)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      await db
        .insertInto('joint_task')
        .values({ ...t, seq })
        .execute();
      return seq;
    },

    /** Marks an open task done; false when it was done already. */
    async completeTask(taskId: string, at: Date, by: string, note: string | null): Promise<boolean> {
      const r = await db
        .updateTable('joint_task')
        .set({ status: 'done', done_at: at, done_by: by, note })
        .where('id', '=', taskId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type WhistleRepository = ReturnType<typeof whistleRepository>;
