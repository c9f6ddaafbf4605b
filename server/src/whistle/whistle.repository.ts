import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  sql,
} from 'kysely';
import { caseTerritoryColumn, summonedUnitsInclude } from '../cases/case.scope.ts';
import type { Database, JointActionTable, JointTaskTable } from '../db/schema.ts';

/** States in which a joint action is over: accepted and closed (merging and rejection end a case too). */
const CLOSED_STATES = ['closed', 'merged', 'rejected'];

export interface JointActionListQuery {
  /** Territory prefix (district, street, community or grid code); null means no territorial filter. */
  territoryPrefix: string | null;
  /** Departments and contractors see the joint actions they were summoned to, wherever they lie. */
  organisationId: string | null;
  status: 'open' | 'closed' | 'all';
  limit: number;
  offset: number;
}

type ListScope = Database & { c: Database['case_record'] };

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

    /** Display names of the users who recorded something, for "recorded by" lines. */
    async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
      const unique = [...new Set(ids.filter((x): x is string => !!x))];
      if (unique.length === 0) return new Map();
      const rows = await db
        .selectFrom('app_user')
        .select(['id', 'display_name'])
        .where('id', 'in', unique)
        .execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    /**
     * Tier-3 cases, newest first, with their joint action's record where the meeting has written one: a
     * joint action exists from the whistle on, the record only once minutes or tasks are written.
     */
    async listJointActions(q: JointActionListQuery) {
      const scoped = (eb: ExpressionBuilder<ListScope, 'c'>) => {
        const conditions: Expression<SqlBool>[] = [eb('c.tier', '=', 3)];
        const prefix = q.territoryPrefix;
        // The authorisation module hands a role without a jurisdiction a value that is no code, meaning
        // "nothing"; it must not reach PostgreSQL, which refuses NUL characters in text.
        if (prefix !== null) {
          conditions.push(
            /^\d{6,15}$/.test(prefix) ? eb(caseTerritoryColumn(prefix), '=', prefix) : sql<boolean>`false`,
          );
        }
        const org = q.organisationId;
        if (org !== null) {
          // Every summoned unit is in the assignment (`assigned_org_id` holds only the first); the
          // containment is written so that the expression GIN index on it serves it.
          conditions.push(!org.includes('\u0000') ? summonedUnitsInclude(org) : sql<boolean>`false`);
        }
        if (q.status === 'open') conditions.push(eb('c.state', 'not in', CLOSED_STATES));
        if (q.status === 'closed') conditions.push(eb('c.state', 'in', CLOSED_STATES));
        return eb.and(conditions);
      };
      const base = db.selectFrom('case_record as c').where(scoped);
      const [items, counted] = await Promise.all([
        base
          .leftJoin('joint_action as j', 'j.case_id', 'c.id')
          .leftJoin('street as s', 's.code', 'c.street_code')
          .select([
            'c.id',
            'c.case_number',
            'c.category_key',
            'c.street_code',
            's.name as street_name',
            'c.state',
            'c.snapshot',
            'c.handling_deadline',
            'c.closed_at',
            'j.case_id as record_case_id',
            'j.whistle_at',
            'j.report_in_hours',
          ])
          .select((eb) =>
            eb
              .selectFrom('joint_task as t')
              .select((t) => t.fn.countAll<string>().as('n'))
              .whereRef('t.case_id', '=', 'c.id')
              .where('t.status', '=', 'open')
              .as('open_tasks'),
          )
          .orderBy('c.created_at', 'desc')
          .orderBy('c.id', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: Number(counted.n) };
    },

    /** The events of these cases that convene, change or end a joint action, in order, for the whistle time. */
    async whistleTrails(caseIds: readonly string[]) {
      if (caseIds.length === 0) return [];
      return db
        .selectFrom('case_event')
        .select(['case_id', 'at', 'action', 'payload'])
        .where('case_id', 'in', caseIds)
        .where('action', 'in', ['dispatch', 'redispatch', 'send_back'])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
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
          oc.columns(['district_code', 'case_id']).doUpdateSet((eb) => ({
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
    async completeTask(
      taskId: string,
      at: Date,
      by: string,
      note: string | null,
      onWordOf: string | null = null,
    ): Promise<boolean> {
      const r = await db
        .updateTable('joint_task')
        .set({ status: 'done', done_at: at, done_by: by, note, done_on_word_of: onWordOf })
        .where('id', '=', taskId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type WhistleRepository = ReturnType<typeof whistleRepository>;
