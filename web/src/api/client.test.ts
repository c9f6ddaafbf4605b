import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import {
  ApiError,
  api,
  apiRequest,
  buildUrl,
  NETWORK_ERROR,
  parseErrorBody,
  setCsrfToken,
  toFieldPath,
  toFormFieldErrors,
  UNEXPECTED_RESPONSE,
} from './client';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function headersOf(call: Parameters<typeof fetch> | undefined): Headers {
  return new Headers(call?.[1]?.headers);
}

describe('parseErrorBody', () => {
  it('reads code, message and details from the API error format', () => {
    const error = parseErrorBody(429, 'Too Many Requests', {
      error: { code: 'TOO_MANY_ATTEMPTS', message: 'Wait', details: { retryAfterSeconds: 42 } },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(error.message).toBe('Wait');
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('falls back to a generic code when the body is not in the API format', () => {
    const error = parseErrorBody(502, 'Bad Gateway', '<html>proxy error</html>');
    expect(error.code).toBe(UNEXPECTED_RESPONSE);
    expect(error.status).toBe(502);
    expect(error.message).toBe('Bad Gateway');
    expect(error.details).toEqual({});
  });

  it('ignores malformed field issues', () => {
    const error = parseErrorBody(400, '', {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid',
        details: { fields: [{ field: 'username', message: 'taken' }, { field: 3 }, 'x'] },
      },
    });
    expect(error.fieldIssues).toEqual([{ field: 'username', message: 'taken' }]);
  });
});

describe('form field errors', () => {
  it('turns dotted and indexed paths into antd name paths', () => {
    expect(toFieldPath('chief.phone')).toEqual(['chief', 'phone']);
    expect(toFieldPath('checklist.haves.council')).toEqual(['checklist', 'haves', 'council']);
    expect(toFieldPath('items[2].name')).toEqual(['items', 2, 'name']);
  });

  it('groups several issues for one field, worded in the reader language, never the server English in Chinese', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Invalid', {
      fields: [
        {
          field: 'password',
          code: 'too_small',
          params: { origin: 'string', minimum: 8, inclusive: true },
          message: 'Too small: expected string to have >=8 characters',
        },
        { field: 'password', code: 'custom', params: {}, message: 'too common' },
        {
          field: 'chief.phone',
          code: 'invalid_format',
          params: { format: 'regex' },
          message: 'Invalid string',
        },
      ],
    });
    expect(toFormFieldErrors(error, i18n.getFixedT('zh-CN'))).toEqual([
      { name: ['password'], errors: ['至少填写 8 个字', '此项填写不正确，请检查后重试'] },
      { name: ['chief', 'phone'], errors: ['格式不正确'] },
    ]);
    expect(toFormFieldErrors(error, i18n.getFixedT('en'))).toEqual([
      {
        name: ['password'],
        errors: ['At least 8 characters', 'This value is not accepted; check it and try again'],
      },
      { name: ['chief', 'phone'], errors: ['Not in the expected format'] },
    ]);
    expect(toFormFieldErrors(new Error('plain'), i18n.getFixedT('zh-CN'))).toEqual([]);
  });
});

describe('buildUrl', () => {
  it('omits empty values', () => {
    expect(
      buildUrl('/api/territory/alleys', { street: '110102001', q: '', limit: 50, offset: 0, x: undefined }),
    ).toBe('/api/territory/alleys?street=110102001&limit=50&offset=0');
  });
});

describe('requests', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('token-1');
  });

  afterEach(() => setCsrfToken(null));

  it('sends the CSRF token on every non-GET request, with the session cookie', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { ok: true }));
    await api.post('/api/x', { a: 1 });
    await api.patch('/api/x/1', { b: 2 });
    await api.delete('/api/x/1');
    for (const call of fetchMock.mock.calls) {
      expect(headersOf(call).get('X-CSRF-Token')).toBe('token-1');
      expect(call[1]?.credentials).toBe('same-origin');
    }
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe('{"a":1}');
    expect(headersOf(fetchMock.mock.calls[0]).get('Content-Type')).toBe('application/json');
  });

  it('sends a FormData as multipart with the caller’s headers, leaving the boundary to the browser', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { trackingCode: 'A' }));
    const form = new FormData();
    form.append('description', 'x');
    await apiRequest('/api/public/reports', {
      method: 'POST',
      body: form,
      headers: { 'Idempotency-Key': 'k1' },
    });
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.body).toBe(form);
    expect(headersOf(fetchMock.mock.calls[0]).has('Content-Type')).toBe(false);
    expect(headersOf(fetchMock.mock.calls[0]).get('Idempotency-Key')).toBe('k1');
    expect(headersOf(fetchMock.mock.calls[0]).get('X-CSRF-Token')).toBe('token-1');
  });

  it('does not send the CSRF token on GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, []));
    await api.get('/api/territory/streets');
    expect(headersOf(fetchMock.mock.calls[0]).has('X-CSRF-Token')).toBe(false);
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('same-origin');
  });

  it('throws ApiError with the parsed code for error responses', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(409, { error: { code: 'CONFLICT', message: 'Changed', details: { version: 8 } } }),
    );
    const failure = await api
      .patch('/api/territory/alleys/1', { version: 7 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('CONFLICT');
    expect((failure as ApiError).status).toBe(409);
    expect((failure as ApiError).details).toEqual({ version: 8 });
  });

  it('reports a network failure as NETWORK_ERROR', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const failure = await api.get('/api/health').catch((error: unknown) => error);
    expect((failure as ApiError).code).toBe(NETWORK_ERROR);
    expect((failure as ApiError).status).toBe(0);
  });

  it('accepts an empty success body', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.post('/api/auth/logout')).resolves.toBeUndefined();
  });

  it('refreshes a stale CSRF token from /api/auth/me and retries once', async () => {
    fetchMock
      .mockResolvedValueOnce(jsonResponse(403, { error: { code: 'CSRF_TOKEN_INVALID', message: 'Stale' } }))
      .mockResolvedValueOnce(jsonResponse(200, { user: {}, csrfToken: 'token-2' }))
      .mockResolvedValueOnce(jsonResponse(200, { saved: true }));
    await expect(api.post('/api/x', {})).resolves.toEqual({ saved: true });
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/auth/me');
    expect(headersOf(fetchMock.mock.calls[2]).get('X-CSRF-Token')).toBe('token-2');
  });

  it('does not retry other 403 errors', async () => {
    fetchMock.mockResolvedValue(jsonResponse(403, { error: { code: 'OUT_OF_SCOPE', message: 'No' } }));
    const failure = await api.patch('/api/x', {}).catch((error: unknown) => error);
    expect((failure as ApiError).code).toBe('OUT_OF_SCOPE');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
