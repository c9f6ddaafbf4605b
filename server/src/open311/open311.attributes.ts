import type { Open311Datatype } from '../db/schema.ts';
import type { FieldIssue } from '../shared/errors.ts';
import { parseW3cDateTime } from './open311.format.ts';

/**
 * A service's extra questions (GET services/{code}) and the checking of the answers a request brings
 * (`attribute[code]=…`, `attribute[code][]=…` for several values). Pure: the service loads the
 * definitions and stores the answers.
 */

export const DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const satisfies readonly Open311Datatype[];

export const LIST_DATATYPES: ReadonlySet<Open311Datatype> = new Set(['singlevaluelist', 'multivaluelist']);

/** Attribute codes travel inside form field names (`attribute[code]`), so no brackets or spaces. */
export const ATTRIBUTE_CODE_RE = /^[A-Za-z0-9_-]{1,50}$/;

export const MAX_STRING = 1000;
export const MAX_TEXT = 4000;

export interface AttributeValue {
  key: string;
  name: string;
}

export interface AttributeDefinition {
  code: string;
  variable: boolean;
  datatype: Open311Datatype;
  required: boolean;
  datatypeDescription: string | null;
  order: number;
  description: string;
  values: AttributeValue[];
}

/** What a definition must satisfy beyond its field types; each issue names the field at fault. */
export function definitionIssues(d: AttributeDefinition): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!ATTRIBUTE_CODE_RE.test(d.code)) {
    issues.push({ field: 'code', message: 'letters, digits, _ and -, at most 50' });
  }
  if (!Number.isInteger(d.order) || d.order < 1) {
    issues.push({ field: 'order', message: 'a positive whole number' });
  }
  if (!d.variable && d.required) {
    issues.push({ field: 'required', message: 'an attribute that takes no input cannot be required' });
  }
  if (LIST_DATATYPES.has(d.datatype)) {
    if (d.values.length === 0) issues.push({ field: 'values', message: `a ${d.datatype} needs values` });
    const seen = new Set<string>();
    d.values.forEach((v, i) => {
      if (seen.has(v.key))
        issues.push({
          field: `values.${i}.key`,
          code: 'duplicate',
          params: { value: v.key },
          message: `key ${v.key} repeats`,
        });
      seen.add(v.key);
    });
  } else if (d.values.length > 0) {
    issues.push({ field: 'values', message: `only the list datatypes take values, not ${d.datatype}` });
  }
  return issues;
}

/** Answers as stored with the request: one string, or the keys chosen from a multivaluelist. */
export type Answers = Record<string, string | string[]>;

export interface SubmittedAttributes {
  /** Values per code, in the order sent. */
  values: Map<string, string[]>;
  /** Field names that look like attributes but cannot be read. */
  malformed: string[];
}

/**
 * Collects `attribute[code]`, `attribute[code][]` (repeated, as form encoding sends a list) and
 * `attribute[code][n]` (indexed, for multipart forms, whose reader takes each name once) from the
 * request's fields.
 */
export function collectAttributes(fields: ReadonlyMap<string, readonly string[]>): SubmittedAttributes {
  const values = new Map<string, string[]>();
  const malformed: string[] = [];
  for (const [name, list] of fields) {
    if (!name.startsWith('attribute[')) continue;
    const close = name.indexOf(']');
    const code = close > 10 ? name.slice(10, close) : '';
    const rest = close > 0 ? name.slice(close + 1) : '';
    const listSuffix = rest === '' || rest === '[]' || /^\[\d{1,3}\]$/.test(rest);
    if (!code || !listSuffix || code.includes('[')) {
      malformed.push(name);
      continue;
    }
    values.set(code, [...(values.get(code) ?? []), ...list]);
  }
  return { values, malformed };
}

function isNumber(v: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/.test(v) && Number.isFinite(Number(v));
}

function isIsoDate(v: string): boolean {
  if (parseW3cDateTime(v)) return true;
  // A calendar date alone is ISO 8601 too, and what a date picker sends.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Checks the answers against the service definition: every required question answered, each answer of
 * its datatype, list answers among the allowed keys, no answer to a question that does not exist or
 * takes none. Returns the answers to store, or every problem found (the client fixes them at once).
 */
export function checkAnswers(
  definitions: readonly AttributeDefinition[],
  submitted: SubmittedAttributes,
): { answers: Answers; problems: string[] } {
  const problems = submitted.malformed.map(
    (n) => `${n} is not of the form attribute[code] or attribute[code][]`,
  );
  const byCode = new Map(definitions.map((d) => [d.code, d]));
  for (const code of submitted.values.keys()) {
    const d = byCode.get(code);
    if (!d) problems.push(`attribute[${code}] is not a question of this service`);
    else if (!d.variable) problems.push(`attribute[${code}] only informs and takes no answer`);
  }
  const answers: Answers = {};
  for (const d of [...definitions].sort((a, b) => a.order - b.order)) {
    if (!d.variable) continue;
    const given = (submitted.values.get(d.code) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    const field = `attribute[${d.code}]`;
    if (given.length === 0) {
      if (d.required) problems.push(`${field} is required: ${d.description}`);
      continue;
    }
    if (d.datatype !== 'multivaluelist' && given.length > 1) {
      problems.push(`${field} takes one value, not ${given.length}`);
      continue;
    }
    const value = given[0]!;
    switch (d.datatype) {
      case 'string':
        if (/[\r\n]/.test(value)) problems.push(`${field} must be one line`);
        else if (value.length > MAX_STRING) problems.push(`${field} is longer than ${MAX_STRING} characters`);
        else answers[d.code] = value;
        break;
      case 'text':
        if (value.length > MAX_TEXT) problems.push(`${field} is longer than ${MAX_TEXT} characters`);
        else answers[d.code] = value;
        break;
      case 'number':
        if (!isNumber(value)) problems.push(`${field} must be a number`);
        else answers[d.code] = value;
        break;
      case 'datetime':
        if (!isIsoDate(value)) {
          problems.push(
            `${field} must be an ISO 8601 date or date-time with its zone (2026-11-02T09:30:00+08:00)`,
          );
        } else answers[d.code] = value;
        break;
      case 'singlevaluelist': {
        const keys = d.values.map((v) => v.key);
        if (!keys.includes(value)) problems.push(`${field} must be one of ${keys.join(', ')}`);
        else answers[d.code] = value;
        break;
      }
      case 'multivaluelist': {
        const keys = d.values.map((v) => v.key);
        const unknown = given.filter((v) => !keys.includes(v));
        if (unknown.length)
          problems.push(`${field} has values not among ${keys.join(', ')}: ${unknown.join(', ')}`);
        else answers[d.code] = [...new Set(given)];
        break;
      }
    }
  }
  return { answers, problems };
}
