/**
 * The one way the console talks to the API: JSON in and out, the session cookie, and the CSRF token
 * that the server hands out with the session (login and `/api/auth/me`).
 */

import { type FieldIssue, fieldIssueText, isFieldIssue, type ValidationTranslate } from './fieldIssues';

export type { FieldIssue } from './fieldIssues';

export type ApiErrorDetails = Record<string, unknown>;

/** Error codes the client itself produces when the server never answered in the API's error format. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** `details.fields` as sent by the server for VALIDATION_FAILED; malformed entries are dropped. */
  get fieldIssues(): FieldIssue[] {
    const fields = this.details.fields;
    if (!Array.isArray(fields)) return [];
    return fields.filter(isFieldIssue);
  }

  get retryAfterSeconds(): number | undefined {
    const value = this.details.retryAfterSeconds;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

/** Reads `{error:{code,message,details}}`; anything else still becomes an ApiError with the status. */
export function parseErrorBody(status: number, statusText: string, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const { code, message, details } = body.error;
    return new ApiError(
      status,
      code,
      typeof message === 'string' ? message : code,
      isRecord(details) ? details : {},
    );
  }
  return new ApiError(status, UNEXPECTED_RESPONSE, statusText || `HTTP ${status}`);
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON, except a FormData, which goes as multipart with the boundary the browser picks. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // Empty strings are omitted so an empty search box does not send `q=`.
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A stale CSRF token (the server restarted, or the session was renewed in another tab) is refreshed
 * from `/api/auth/me` and the request is sent once more, so the user does not lose an edit to it.
 */
async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('/api/auth/me', {});
  if (!response.ok) return false;
  const body = await readBody(response);
  if (isRecord(body) && typeof body.csrfToken === 'string') {
    setCsrfToken(body.csrfToken);
    return true;
  }
  return false;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  if (response.status === 403 && (options.method ?? 'GET') !== 'GET') {
    const body = await readBody(response.clone());
    const error = parseErrorBody(response.status, response.statusText, body);
    if (error.code === 'CSRF_TOKEN_INVALID' && (await refreshCsrfToken())) {
      response = await send(path, options);
    }
  }
  const body = await readBody(response);
  if (!response.ok) throw parseErrorBody(response.status, response.statusText, body);
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

export type FormFieldPath = (string | number)[];

export interface FormFieldError {
  name: FormFieldPath;
  errors: string[];
}

/** `chief.phone` or `items[0].name` → the name path antd's Form uses. */
export function toFieldPath(field: string): FormFieldPath {
  return field
    .split(/[.[\]]+/)
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Turns a VALIDATION_FAILED error into `form.setFields(...)` input, one entry per field, each issue
 * worded in the reader's language by `fieldIssueText` (never the server's English in Chinese).
 */
export function toFormFieldErrors(error: unknown, t: ValidationTranslate): FormFieldError[] {
  if (!(error instanceof ApiError)) return [];
  const byField = new Map<string, FormFieldError>();
  for (const issue of error.fieldIssues) {
    const text = fieldIssueText(t, issue);
    const existing = byField.get(issue.field);
    if (existing) {
      if (!existing.errors.includes(text)) existing.errors.push(text);
    } else byField.set(issue.field, { name: toFieldPath(issue.field), errors: [text] });
  }
  return [...byField.values()];
}
