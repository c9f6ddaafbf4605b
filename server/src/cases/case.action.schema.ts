import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.ts';
import { fieldIssuesFromZod } from '../shared/zodIssues.ts';
import { ACTION_TYPES, type ActionType, RATINGS, REJECT_REASONS } from './case.state.ts';

/**
 * The body of every case action, one schema per action, joined as a union discriminated by `type`, so
 * that the OpenAPI document describes each action's fields. Zod checks the shape (types, enums, sizes);
 * the state machine (`case.state.ts`) still judges the content against the case (a blank reason, a
 * deadline before the current one, a unit that was not summoned) and answers 409 when the state does
 * not allow the action at all.
 */

const text = (what: string) => z.string().max(2000).describe(what);
const optionalText = (what: string) => text(what).optional();
const instant = (what: string) =>
  z
    .string()
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO-8601 date-time')
    .describe(`${what} (ISO-8601 date-time)`);
const id = (what: string) => z.string().min(1).max(100).describe(what);

/** Where a dispatch sends the case (三级过滤): tier 1 a handler, 2 one unit, 3 the units of a whistle. */
const dispatchFields = {
  tier: z
    .union([z.literal(1), z.literal(2), z.literal(3)])
    .describe('1 on the spot, 2 one unit, 3 the whistle'),
  handlerUserId: id('tier 1: the grid worker or alley chief who handles it').optional(),
  unitId: id('tier 2: the unit; without it the routing rules choose').optional(),
  unitIds: z
    .array(id('a unit'))
    .max(30)
    .optional()
    .describe('tier 3: the units summoned by the whistle, at least two'),
};

export const CASE_ACTION_BODIES = {
  accept: z.object({
    categoryKey: z.string().max(40).optional().describe('the category filed under; default the reported one'),
    deadline: instant('handling deadline; default from the category limit').optional(),
  }),
  reject: z.object({ reason: z.enum(REJECT_REASONS), note: optionalText('note') }),
  merge: z.object({ targetCaseId: id('the open case (id or case number) this report duplicates') }),
  dispatch: z.object(dispatchFields),
  redispatch: z.object({ ...dispatchFields, note: optionalText('why the dispatch changes') }),
  sign: z.object({}),
  send_back: z.object({ reason: text('why the unit sends it back (退单)') }),
  report_in: z.object({ unitId: id('the summoned unit reporting in (报到)') }),
  feedback: z.object({
    note: text('what was done'),
    afterPhotoIds: z.array(id('an uploaded after-photo')).max(9).default([]),
    noPhotoReason: optionalText('required without an after-photo'),
  }),
  verify_pass: z.object({ note: optionalText('note') }),
  verify_fail: z.object({ reason: text('what is still wrong (返工)') }),
  accept_joint_action: z.object({ note: optionalText('note') }),
  refuse_joint_action: z.object({ reason: text('why the result is refused') }),
  reopen: z.object({
    reason: text('why the problem is not solved'),
    deadline: instant('a new handling deadline').optional(),
  }),
  rate: z.object({
    rating: z.enum(RATINGS),
    comment: optionalText('comment'),
    via: z
      .enum(['reporter', 'follow_up_call'])
      .optional()
      .describe('follow_up_call: recorded by the desk (回访)'),
  }),
  extension_request: z.object({
    requestedDeadline: instant('the deadline asked for'),
    reason: text('why more time is needed'),
  }),
  extension_approve: z.object({
    deadline: instant('the deadline granted; default the one asked for').optional(),
    note: optionalText('note'),
  }),
  extension_refuse: z.object({ reason: text('why the extension is refused') }),
  suspend: z.object({ reason: text('why the clock stops (挂起)') }),
  resume: z.object({ note: optionalText('note') }),
  supervise: z.object({ note: optionalText('the supervision notice (督办)') }),
  // Filed by the patrol service for the person who fixed it on the spot (日巡): the finder is the handler.
  handle_on_spot: z.object({
    categoryKey: z.string().max(40).describe('the category filed under'),
    deadline: instant('the handling deadline it was closed within'),
    handlerUserId: id('the walker who fixed it'),
    note: text('what was done on the spot'),
    afterPhotoIds: z.array(id('an uploaded after-photo')).max(9).default([]),
    noPhotoReason: optionalText('required without an after-photo'),
  }),
} satisfies Record<ActionType, z.ZodObject>;

/** Every action with its `type`, for `POST /api/cases/{id}/actions` and for the OpenAPI document. */
export const caseActionSchema = z
  .discriminatedUnion(
    'type',
    ACTION_TYPES.map((type) =>
      CASE_ACTION_BODIES[type].extend({ type: z.literal(type) }).meta({ id: `CaseAction_${type}` }),
    ) as unknown as [
      z.ZodObject<{ type: z.ZodLiteral<ActionType> }>,
      ...z.ZodObject<{ type: z.ZodLiteral<ActionType> }>[],
    ],
  )
  .meta({ id: 'CaseAction' });

/**
 * Parses one action's body (the `type` comes from the path or the body): the fields at fault are named,
 * as any validation error is.
 */
export function parseActionBody(
  type: ActionType,
  body: unknown,
): { ok: true; fields: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  const parsed = CASE_ACTION_BODIES[type].safeParse(body ?? {});
  if (parsed.success) return { ok: true, fields: parsed.data as Record<string, unknown> };
  return {
    ok: false,
    issues: fieldIssuesFromZod(parsed.error.issues),
  };
}
