import type { z } from 'zod';
import type { FieldIssue, FieldIssueParams } from './errors.ts';

/** The parameters of a zod issue a client needs to word it; everything else (input, inner errors) stays. */
const PARAM_KEYS = [
  'origin',
  'minimum',
  'maximum',
  'inclusive',
  'exact',
  'expected',
  'format',
  'pattern',
  'divisor',
  'keys',
] as const;

function plain(value: unknown): string | number | boolean | string[] | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof RegExp) return value.source;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(String);
  return undefined;
}

/**
 * The parameters of one zod issue (as zod gives it, or as fastify-type-provider-zod passes it on in
 * `params`), reduced to JSON scalars. An enum's or literal's allowed `values` become `options`.
 */
export function zodIssueParams(issue: Record<string, unknown>): FieldIssueParams {
  const params: FieldIssueParams = {};
  for (const key of PARAM_KEYS) {
    const value = plain(issue[key]);
    if (value !== undefined) params[key] = value;
  }
  const values = plain(issue.values);
  if (Array.isArray(values)) params.options = values;
  return params;
}

/** A field path such as `chief.phone` or `findings.0.note`; the whole body when zod names none. */
export function fieldPath(path: readonly PropertyKey[], prefix: readonly string[] = []): string {
  return [...prefix, ...path.map(String)].join('.') || 'body';
}

/** zod's issues as the API's field issues: path, stable code, parameters and zod's English message. */
export function fieldIssuesFromZod(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly string[] = [],
): FieldIssue[] {
  return issues.map((issue) => ({
    field: fieldPath(issue.path, prefix),
    message: issue.message,
    code: issue.code,
    params: zodIssueParams(issue as unknown as Record<string, unknown>),
  }));
}
