import type { User } from './api/types';
import type { TaxonomyEntry } from './cases/caseTypes';
/**
 * A fake server's responses for the web tests. Free of React and of the console, so that the resident
 * page's tests can use it without loading the console. Only tests import it.
 */

/** A JSON response as the server sends it. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The URL a stubbed `fetch` was called with, whichever of its three forms the caller used. */
export function requestUrl(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * An accessible-name matcher that ignores whitespace: antd puts a space between the two characters of
 * a two-character Chinese button label.
 */
export const plain = (name: string) => (accessible: string) => accessible.replace(/\s/g, '') === name;

/** The fields of a taxonomy entry that a test fixture does not care about, as the server sends them. */
export const TAXONOMY_DEFAULTS = {
  departmentType: '城管',
  responseLimit: { amount: 2, unit: 'working_hours' },
  handlingLimit: { amount: 3, unit: 'working_days' },
  severity: 'normal',
  relatedKeys: [],
  keywords: [],
} satisfies Partial<TaxonomyEntry>;

/** The demo district's administrator, as the session names it: the account of most console page tests. */
export const DISTRICT_ADMIN: User = {
  id: 'usr_a',
  username: 'demo-district_admin',
  displayName: '区城市管理委',
  role: 'district_admin',
  scopeCode: '110102',
  scopeName: '西城区',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};
