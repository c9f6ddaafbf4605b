/**
 * The server's field issues (`details.fields` of VALIDATION_FAILED: `{field, code, params, message}`)
 * in the reader's language. The server's `message` is English for developers; what a person reads is
 * worded here from the stable `code` and its `params`. Both the console (i18next) and the resident
 * page (its own small translator) pass their `t`; the `validation.*` keys exist in both tables.
 */

export interface FieldIssue {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

export const VALIDATION_KEYS = [
  'validation.required',
  'validation.tooShort',
  'validation.tooLong',
  'validation.tooFew',
  'validation.tooMany',
  'validation.tooSmall',
  'validation.tooSmallExclusive',
  'validation.tooBig',
  'validation.tooBigExclusive',
  'validation.tooEarly',
  'validation.tooLate',
  'validation.notNumber',
  'validation.notInteger',
  'validation.formatEmail',
  'validation.formatUrl',
  'validation.formatDate',
  'validation.format',
  'validation.option',
  'validation.multipleOf',
  'validation.unknownKeys',
  'validation.duplicate',
  'validation.custom',
] as const;

export type ValidationKey = (typeof VALIDATION_KEYS)[number];
export type ValidationTranslate = (key: ValidationKey, vars?: Record<string, string | number>) => string;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function tooSmall(params: Record<string, unknown>): [ValidationKey, Record<string, number>?] {
  const min = num(params.minimum);
  const inclusive = params.inclusive !== false;
  if (min === null) return ['validation.custom'];
  switch (params.origin) {
    case 'string':
      // An empty text box: "至少 1 个字" says less than "请填写此项".
      if (min <= 1 && inclusive) return ['validation.required'];
      return ['validation.tooShort', { min: inclusive ? min : min + 1 }];
    case 'array':
    case 'set':
      if (min <= 1 && inclusive) return ['validation.required'];
      return ['validation.tooFew', { min: inclusive ? min : min + 1 }];
    case 'date':
      return ['validation.tooEarly'];
    default:
      return [inclusive ? 'validation.tooSmall' : 'validation.tooSmallExclusive', { min }];
  }
}

function tooBig(params: Record<string, unknown>): [ValidationKey, Record<string, number>?] {
  const max = num(params.maximum);
  const inclusive = params.inclusive !== false;
  if (max === null) return ['validation.custom'];
  switch (params.origin) {
    case 'string':
      return ['validation.tooLong', { max: inclusive ? max : max - 1 }];
    case 'array':
    case 'set':
      return ['validation.tooMany', { max: inclusive ? max : max - 1 }];
    case 'date':
      return ['validation.tooLate'];
    default:
      return [inclusive ? 'validation.tooBig' : 'validation.tooBigExclusive', { max }];
  }
}

const FORMAT_KEYS: Record<string, ValidationKey> = {
  email: 'validation.formatEmail',
  url: 'validation.formatUrl',
  datetime: 'validation.formatDate',
  date: 'validation.formatDate',
  time: 'validation.formatDate',
};

/** The message key and its values for one issue; `validation.custom` for anything without a rule. */
export function fieldIssueKey(issue: FieldIssue): [ValidationKey, Record<string, string | number>] {
  const params = issue.params ?? {};
  switch (issue.code) {
    case 'too_small': {
      const [key, vars] = tooSmall(params);
      return [key, { ...vars }];
    }
    case 'too_big': {
      const [key, vars] = tooBig(params);
      return [key, { ...vars }];
    }
    case 'invalid_type':
      if (params.expected === 'number' || params.expected === 'nan') return ['validation.notNumber', {}];
      if (params.expected === 'int') return ['validation.notInteger', {}];
      return ['validation.required', {}];
    case 'invalid_format':
      return [FORMAT_KEYS[String(params.format)] ?? 'validation.format', {}];
    case 'invalid_value':
    case 'invalid_union':
      return ['validation.option', {}];
    case 'not_multiple_of':
      return num(params.divisor) === null
        ? ['validation.custom', {}]
        : ['validation.multipleOf', { divisor: num(params.divisor)! }];
    case 'unrecognized_keys':
      return ['validation.unknownKeys', { keys: Array.isArray(params.keys) ? params.keys.join(', ') : '' }];
    case 'duplicate':
      // Hutong's own code: a list entry repeats an earlier one (`params.value`).
      return ['validation.duplicate', { value: String(params.value ?? '') }];
    default:
      return ['validation.custom', {}];
  }
}

/**
 * What to show under a field for one server issue, in the reader's language. The server's English
 * never shows: a rule the client cannot word (`custom`, a service's own check) reads as a generic
 * sentence, and a page with its own sentence for that field may use it instead.
 */
export function fieldIssueText(t: ValidationTranslate, issue: FieldIssue): string {
  const [key, vars] = fieldIssueKey(issue);
  return t(key, vars);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    isRecord(value) &&
    typeof value.field === 'string' &&
    typeof value.message === 'string' &&
    (value.code === undefined || typeof value.code === 'string') &&
    (value.params === undefined || isRecord(value.params))
  );
}
