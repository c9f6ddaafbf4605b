/**
 * Every kind of background job and the payload it carries. One list, so that a runner can refuse to
 * start when a kind has no handler (a job enqueued for nobody would wait forever, silently), and so
 * that a handler's payload is typed by its kind.
 */
export interface JobPayloads {
  /** One slice of the SLA sweep: the open cases after `afterId`, in id order. */
  'sla.sweep': { bucket: string; afterId?: string };
  /** Re-check one case's colour under its row lock, and apply the change. */
  'sla.case': { caseId: string };
  /** One attempt at posting one webhook delivery. */
  'webhook.deliver': { deliveryId: string };
  /** Delete finished jobs past their retention. */
  'jobs.prune': Record<string, never>;
  /** Remove uploads no record claimed and temporary files left by a crash. */
  'media.sweep': Record<string, never>;
  /** Close the deliberation votes whose deadline has passed. */
  'proposals.close': Record<string, never>;
}

export type JobKind = keyof JobPayloads;

const KINDS: Record<JobKind, true> = {
  'sla.sweep': true,
  'sla.case': true,
  'webhook.deliver': true,
  'jobs.prune': true,
  'media.sweep': true,
  'proposals.close': true,
};

export const JOB_KINDS = Object.keys(KINDS) as readonly JobKind[];

export function isJobKind(value: string): value is JobKind {
  return Object.hasOwn(KINDS, value);
}

/** A job to enqueue, its payload typed by its kind. */
export type NewJob = {
  [K in JobKind]: {
    /** Deterministic when the caller can name the run, so that a twin insert collides and does nothing. */
    id?: string;
    kind: K;
    payload: JobPayloads[K];
    districtCode?: string | null;
    runAt: Date;
    maxAttempts?: number;
  };
}[JobKind];

/** What a handler learns about the run it is doing. */
export interface JobContext {
  id: string;
  kind: JobKind;
  districtCode: string | null;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** When the runner will try again if this attempt throws; null when this is the last attempt. */
  retryAt: Date | null;
}

export type JobHandler<K extends JobKind> = (payload: JobPayloads[K], job: JobContext) => Promise<void>;

export type JobHandlers = { [K in JobKind]: JobHandler<K> };
