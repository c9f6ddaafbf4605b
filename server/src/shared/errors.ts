/**
 * One error type for the whole server. Services throw codes; only the HTTP layer maps them to statuses.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_GEOJSON: 400,
  TOO_MANY_FILES: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  OUTSIDE_TERRITORY: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  TRANSITION_NOT_ALLOWED: 409,
  ALREADY_EXISTS: 409,
  /** A joint action (吹哨) cannot be accepted while a task its meeting gave out is open. */
  JOINT_TASKS_OPEN: 409,
  /** Civic points (SPEC §8): the balance does not cover a redemption. */
  INSUFFICIENT_POINTS: 409,
  /** Civic points: the reward has no stock left. */
  OUT_OF_STOCK: 409,
  /** Volunteers: the activity is full. */
  ACTIVITY_FULL: 409,
  /** Deliberation: this person has already voted on this proposal (one person, one vote). */
  ALREADY_VOTED: 409,
  /** Shared parking: the space is already booked for part of this time. */
  BOOKING_OVERLAP: 409,
  /** Shared parking: too many no-shows lately; booking is suspended for a while. */
  BOOKING_SUSPENDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * One refused field. `code` is stable and meant for machines: the zod issue code (`too_small`,
 * `too_big`, `invalid_type`, `invalid_format`, `invalid_value`, `unrecognized_keys`, …) or `custom`
 * for a rule a service checks itself; `params` are the rule's parameters (`minimum`, `maximum`,
 * `origin`, `expected`, `format`, `options`, …) so a client can word the message in its own language.
 * `message` stays English, for developers and logs.
 */
export interface FieldIssue {
  field: string;
  message: string;
  code?: string;
  params?: FieldIssueParams;
}

export type FieldIssueParams = Record<string, string | number | boolean | string[]>;

/** What leaves in `details.fields`: every issue with a code and its parameters. */
export type SentFieldIssue = Required<FieldIssue>;

export function sentFieldIssue(issue: FieldIssue): SentFieldIssue {
  return {
    field: issue.field,
    message: issue.message,
    code: issue.code ?? 'custom',
    params: issue.params ?? {},
  };
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }

  static validation(issues: FieldIssue[], message = 'The request is not valid'): AppError {
    return new AppError('VALIDATION_FAILED', message, { fields: issues.map(sentFieldIssue) });
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${what} ${id} does not exist`, { resource: what, id });
  }
}
