/** Shapes of the joint-action API, from the generated contract (server: `whistle/whistle.schema.ts`). */
import type { BodyOf, QueryOf, Schemas } from '../api/contract';

export type JointAction = Schemas['JointAction'];

export type SummonedUnit = JointAction['units'][number];

export type ReportInStanding = SummonedUnit['standing'];

/** What the street desk wrote down for a unit: who wrote it, on whose word, with what evidence. */
export type RecordedForUnit = NonNullable<SummonedUnit['reportInRecorded']>;

export type UnitRefusal = JointAction['refusals'][number];

/** What the server says the signed-in user may do on a joint action now. */
export type WhistleAction = JointAction['allowedActions'][number];

export type RecordForUnitBody = Schemas['RecordForUnitInput'];

export type JointMeeting = JointAction['meeting'];

export type JointTask = JointAction['tasks'][number];

export type AcceptanceBlock = NonNullable<JointAction['acceptance']['blockedBy']>;

export type MinutesBody = BodyOf<'/api/cases/{id}/joint-action/minutes', 'put'>;

export type TaskBody = BodyOf<'/api/cases/{id}/joint-action/tasks', 'post'>;

/** The list filter of `GET /api/joint-actions`: under way (not yet accepted), ended, or both. */
export type JointActionStatus = NonNullable<QueryOf<'/api/joint-actions', 'get'>['status']>;

/** One row of `GET /api/joint-actions`. */
export type JointActionListItem = Schemas['JointActionListItem'];
