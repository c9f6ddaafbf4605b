import { z } from 'zod';
import { caseStateSchema } from '../cases/case.schema.ts';

export const minutesBodySchema = z.object({
  minutes: z.string().trim().max(20_000).describe('the joint meeting minutes (联席会议纪要)'),
  decisions: z.array(z.string().trim().min(1).max(1000)).max(100).default([]),
  meetingAt: z.iso.datetime({ offset: true }).optional().describe('when the joint meeting sat'),
});

export const taskBodySchema = z
  .object({
    organisationId: z.string().min(1).max(100).describe('one of the summoned units'),
    description: z.string().trim().min(2).max(2000),
    deadline: z.iso.datetime({ offset: true }).optional(),
    workingDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe('instead of deadline: working days from now'),
  })
  .refine((b) => b.deadline === undefined || b.workingDays === undefined, {
    message: 'give deadline or workingDays, not both',
    path: ['workingDays'],
  })
  .describe("a task for one summoned unit; without a deadline it takes the case's handling deadline");

export const doneBodySchema = z.object({ note: z.string().trim().max(2000).optional() }).default({});

const onWordOf = z
  .string()
  .trim()
  .min(2)
  .max(200)
  .describe('on whose word the desk records it: a name and how (电话, 书面回执…)');
const attachmentIds = z
  .array(z.string().min(1).max(100))
  .max(9)
  .default([])
  .describe('evidence uploaded with POST /api/cases/{id}/photos?role=evidence');

/** What the street desk may record on behalf of a summoned unit (one schema per kind). */
export const recordForUnitBodySchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('report_in'),
        onWordOf,
        note: z.string().trim().max(2000).optional(),
        attachmentIds,
      })
      .describe('the unit reported in (报到), e.g. by phone'),
    z
      .object({
        kind: z.literal('task_done'),
        taskId: z.string().min(1).max(100),
        onWordOf,
        note: z.string().trim().max(2000).optional(),
        attachmentIds,
      })
      .describe('the unit reported its task done'),
    z
      .object({
        kind: z.literal('refusal'),
        reason: z.string().trim().min(2).max(2000),
        onWordOf,
        attachmentIds,
      })
      .describe(
        'the unit declined the summons (not its matter): it leaves the joint action, which must keep at least two units',
      ),
  ])
  .meta({ id: 'RecordForUnit' });

const recordedSchema = z
  .object({
    recordedBy: z.string().nullable(),
    recordedByName: z.string().nullable(),
    onWordOf: z.string(),
    attachmentIds: z.array(z.string()),
  })
  .describe('recorded by the street desk on behalf of the unit');

export const jointActionSchema = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    state: caseStateSchema,
    active: z.boolean().describe('the joint action is at work or awaiting acceptance'),
    recorded: z.boolean().describe('the meeting has written minutes or tasks'),
    whistleAt: z.string().nullable(),
    reportInWorkingHours: z.number(),
    reportInDeadline: z.string().nullable().describe('for the units summoned with the whistle'),
    units: z.array(
      z.object({
        organisationId: z.string(),
        name: z.string().nullable(),
        summonedAt: z.string(),
        reportInDeadline: z.string(),
        reportedIn: z.boolean(),
        reportedInAt: z.string().nullable(),
        onTime: z.boolean().nullable(),
        standing: z.enum(['on_time', 'late', 'awaiting', 'overdue']),
        reportInRecorded: recordedSchema.nullable(),
      }),
    ),
    refusals: z.array(
      recordedSchema.extend({
        organisationId: z.string(),
        name: z.string().nullable(),
        at: z.string(),
        reason: z.string(),
      }),
    ),
    meeting: z.object({
      meetingAt: z.string().nullable(),
      minutes: z.string(),
      decisions: z.array(z.string()),
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
    }),
    tasks: z.array(
      z.object({
        id: z.string(),
        seq: z.number().describe('1, 2, 3… in the order the meeting gave them out'),
        organisationId: z.string(),
        organisationName: z.string().nullable(),
        description: z.string(),
        deadline: z.string(),
        status: z.enum(['open', 'done']),
        overdue: z.boolean(),
        createdAt: z.string(),
        createdBy: z.string().nullable(),
        doneAt: z.string().nullable(),
        doneBy: z.string().nullable(),
        note: z.string().nullable(),
        doneOnWordOf: z.string().nullable().describe('set when the street desk recorded it for the unit'),
        canComplete: z.boolean().describe('the signed-in user may report this task done now'),
      }),
    ),
    allowedActions: z
      .array(
        z.enum([
          'report_in',
          'record_minutes',
          'assign_task',
          'complete_task',
          'record_for_unit',
          'feedback',
          'accept',
          'refuse',
          'resummon',
        ]),
      )
      .describe('what the signed-in user may do on this joint action now, decided by the server'),
    openTasks: z.number(),
    acceptance: z.object({
      awaiting: z.boolean(),
      blockedBy: z.enum(['NOT_AWAITING_ACCEPTANCE', 'JOINT_TASKS_OPEN']).nullable(),
    }),
  })
  .meta({ id: 'JointAction' });

export const jointActionListQuerySchema = z.object({
  status: z
    .enum(['open', 'closed', 'all'])
    .default('open')
    .describe(
      'open: not yet accepted (at work, awaiting acceptance, suspended); closed: accepted and closed',
    ),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const jointActionListItemSchema = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    categoryKey: z.string().nullable(),
    streetCode: z.string(),
    streetName: z.string().nullable(),
    state: caseStateSchema,
    status: z.enum(['open', 'closed']),
    units: z.array(
      z.object({ organisationId: z.string(), name: z.string().nullable(), reportedIn: z.boolean() }),
    ),
    whistleAt: z.string().nullable().describe('when the current joint action was convened'),
    reportInDeadline: z.string().nullable().describe('for the units summoned with the whistle'),
    handlingDeadline: z.string().nullable(),
    openTasks: z.number().describe('joint tasks not yet reported done; the street cannot accept while > 0'),
    recorded: z.boolean().describe('the meeting has written minutes or tasks'),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'JointActionListItem' });

export const jointActionListSchema = z.object({
  items: z.array(jointActionListItemSchema),
  total: z.number(),
});
