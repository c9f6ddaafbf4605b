import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestEnv } from '../../test/harness.ts';
import { DEMO_API_KEY } from './open311.registry.ts';
import { childrenNamed, parseXml, type XmlElement } from './open311.xmlcheck.ts';

/**
 * What the Open311 conformance tests share: requests in either format, and the checks every GeoReport
 * response must pass whatever it carries (content type with charset, well-formed XML with the UTF-8
 * declaration, the specification's error array).
 */

export const API = '/open311/v2';
export const FORMATS = ['xml', 'json'] as const;
export type Fmt = (typeof FORMATS)[number];
export { DEMO_API_KEY };

/** W3C date-time with seconds and an explicit zone, as every date the server sends must be. */
export const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function get(env: TestEnv, path: string) {
  return env.app.inject({ method: 'GET', url: `${API}/${path}` });
}

/** A form body exactly as the specification's example sends it, repeated names kept. */
export function formBody(fields: [string, string][]): string {
  const p = new URLSearchParams();
  for (const [k, v] of fields) p.append(k, v);
  return p.toString();
}

export function postForm(
  env: TestEnv,
  path: string,
  fields: [string, string][],
  headers: Record<string, string> = {},
) {
  return env.app.inject({
    method: 'POST',
    url: `${API}/${path}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    payload: formBody(fields),
  });
}

/** A multipart/form-data body by hand; `files` go in the given field. */
export function multipart(
  fields: [string, string][],
  files: { field: string; name: string; type: string; bytes: Buffer }[],
) {
  const boundary = '----open311-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Checks the content type and well-formedness, and returns the XML root. */
export function xmlOf(res: LightMyRequestResponse): XmlElement {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const doc = parseXml(res.body);
  expect(doc.declaration.encoding?.toUpperCase()).toBe('UTF-8');
  return doc.root;
}

export function jsonOf<T = unknown>(res: LightMyRequestResponse): T {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(res.body) as T;
}

export interface ErrorItem {
  code: number;
  description: string;
}

/**
 * The specification's error response in either format: the HTTP status, and a list of {code,
 * description} whose codes match it; returns the descriptions.
 */
export function errorsOf(res: LightMyRequestResponse, fmt: Fmt, status: 400 | 403 | 404): string[] {
  expect(res.statusCode, res.body).toBe(status);
  if (fmt === 'json') {
    const items = jsonOf<ErrorItem[]>(res);
    expect(Array.isArray(items)).toBe(true);
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.code).toBe(status);
      expect(typeof i.description).toBe('string');
      expect(i.description.length).toBeGreaterThan(0);
    }
    return items.map((i) => i.description);
  }
  const root = xmlOf(res);
  expect(root.name).toBe('errors');
  const items = childrenNamed(root, 'error');
  expect(items.length).toBeGreaterThan(0);
  expect(root.children.every((c) => c.name === 'error')).toBe(true);
  return items.map((e) => {
    expect(e.children.map((c) => c.name)).toEqual(['code', 'description']);
    expect(e.children[0]!.text).toBe(String(status));
    return e.children[1]!.text;
  });
}

/** The fields of every `request` (or other item) element of an XML list, as name → text. */
export function xmlItems(root: XmlElement, item: string): Record<string, string>[] {
  return childrenNamed(root, item).map((e) => Object.fromEntries(e.children.map((c) => [c.name, c.text])));
}

/** A point inside a demo street (its centre), from the territory API. */
export async function streetCentre(env: TestEnv, code = '110102001'): Promise<[number, number]> {
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  return streets.find((s) => s.code === code)!.center;
}
