import { ApiError, api, apiRequest, NETWORK_ERROR, setCsrfToken } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { type Draft, reportBody, type SendOutcome } from './draft';
import type {
  AlleyCases,
  AlleyShops,
  CategoryOption,
  Located,
  PublicAlley,
  PublicReport,
  ReportCreated,
  SessionBody,
  SignedIn,
} from './types';

/**
 * Until the server reads multipart reports it refuses them as a whole (415, or a body it cannot
 * parse); a refusal that names a photo is a real answer about that photo and is passed on.
 */
export function multipartRefused(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 415) return true;
  return error.code === 'VALIDATION_FAILED' && error.fieldIssues.some((issue) => issue.field === 'body');
}

/** Worth trying again later with the same idempotency key: nothing was decided about the report. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.code === NETWORK_ERROR || error.status >= 500 || error.status === 408 || error.status === 429;
}

function post(draft: Draft, withPhotos: boolean): Promise<ReportCreated> {
  return apiRequest<ReportCreated>('/api/public/reports', {
    method: 'POST',
    body: reportBody(draft, withPhotos),
    headers: { 'Idempotency-Key': draft.idempotencyKey },
  });
}

export async function sendDraft(draft: Draft): Promise<SendOutcome> {
  if (draft.photos.length > 0) {
    try {
      return { ...(await post(draft, true)), photosDropped: false };
    } catch (error) {
      if (!multipartRefused(error)) throw error;
    }
  }
  return { ...(await post(draft, false)), photosDropped: draft.photos.length > 0 };
}

export function fetchReport(code: string, signal?: AbortSignal): Promise<PublicReport> {
  return api.get<PublicReport>(`/api/public/reports/${encodeURIComponent(code)}`, undefined, signal);
}

export function locate(lng: number, lat: number, signal?: AbortSignal): Promise<Located> {
  return api.get<Located>('/api/territory/locate', { lng, lat, crs: 'wgs84' }, signal);
}

export async function searchCategories(q: string, signal?: AbortSignal): Promise<CategoryOption[]> {
  // Events only: each component has its event (垃圾箱 → 垃圾箱异常), and a resident reports a problem.
  const page = await api.get<ResponseOf<'/api/taxonomy', 'get'>>(
    '/api/taxonomy',
    { q, kind: 'event' },
    signal,
  );
  return page.items;
}

const categoryNames = new Map<string, Promise<string>>();

/**
 * A category's name by its key; public views carry only the key. Remembered for the visit, since a
 * notice board lists many cases of the same few categories.
 */
export function fetchCategoryName(key: string): Promise<string> {
  let name = categoryNames.get(key);
  if (!name) {
    name = api
      .get<ResponseOf<'/api/taxonomy/{key}', 'get'>>(`/api/taxonomy/${encodeURIComponent(key)}`)
      .then((found) => found.entry.name);
    // A failed lookup is forgotten, so the next render may try again.
    name.catch(() => categoryNames.delete(key));
    categoryNames.set(key, name);
  }
  return name;
}

export function fetchAlleyCases(id: string, signal?: AbortSignal): Promise<AlleyCases> {
  return api.get<AlleyCases>(`/api/public/alleys/${encodeURIComponent(id)}/cases`, undefined, signal);
}

/** The alley's shops under 门前三包 with their stars (this month or the last rated); no personal data. */
export function fetchAlleyShops(id: string, signal?: AbortSignal): Promise<AlleyShops> {
  return api.get<AlleyShops>(`/api/public/alleys/${encodeURIComponent(id)}/shops`, undefined, signal);
}

/** The site's public base URL (HUTONG_PUBLIC_URL), or null when the server has none configured. */
export async function fetchPublicUrl(signal?: AbortSignal): Promise<string | null> {
  const site = await api.get<ResponseOf<'/api/config/site', 'get'>>('/api/config/site', undefined, signal);
  return site.publicUrl;
}

export function fetchAlley(id: string, signal?: AbortSignal): Promise<PublicAlley> {
  return api.get<PublicAlley>(`/api/territory/alleys/${encodeURIComponent(id)}`, undefined, signal);
}

export function caseAction(caseNumber: string, action: 'rate' | 'reopen', body: Record<string, string>) {
  return api.post<unknown>(`/api/cases/${encodeURIComponent(caseNumber)}/actions/${action}`, body);
}

/** Keeps the CSRF token for the client and hands the page the account and its capabilities. */
function signedIn({ csrfToken, ...session }: SessionBody): SignedIn {
  setCsrfToken(csrfToken);
  return session;
}

/** The signed-in account and its capabilities, or null; 401 is an answer here, not an error. */
export async function fetchSession(): Promise<SignedIn | null> {
  try {
    return signedIn(await api.get<SessionBody>('/api/auth/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function login(username: string, password: string): Promise<SignedIn> {
  return signedIn(await api.post<SessionBody>('/api/auth/login', { username, password }));
}

export async function logout(): Promise<void> {
  try {
    await api.post<unknown>('/api/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}
