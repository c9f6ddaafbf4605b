import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { policyFor } from '../src/accounts/route-access.ts';
import type { Database } from '../src/db/schema.ts';

/**
 * Requests generated from the OpenAPI document: every route, with parameters and bodies drawn from
 * each operation's schema and bent out of shape (wrong types, missing fields, NUL characters, huge
 * strings, injection-looking text). Used by fuzz.test.ts (a few hundred requests in every test run)
 * and by `npm run fuzz` (as many as asked).
 */

export interface Caller {
  name: string;
  role: string | null;
  headers: Record<string, string>;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface FuzzRoute {
  method: string;
  path: string;
  operation: Operation;
}

export function routesOf(app: FastifyInstance): FuzzRoute[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([m, operation]) => ({ method: m.toUpperCase(), path, operation })),
  );
}

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const STRINGS = [
  '',
  'a',
  '110102001',
  '110102',
  '2026-11-01',
  '2026-11-01T10:00:00Z',
  'event:06010',
  "x' or '1'='1",
  '<img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '垃圾\u0000堆放',
  '\u0000',
  '=HYPERLINK("http://x")',
  '😀'.repeat(50),
  'x'.repeat(5000),
  '  ',
  'null',
  '%00',
  '\u2028',
];
const NUMBERS = [0, -1, 1, 3.5, 116.39, 39.9, 1e308, -1e308, 2 ** 53, 99999999];

function valueFor(schema: JsonSchema | undefined, rng: Rng, depth = 0): unknown {
  if (!schema || depth > 4) return rng.pick(STRINGS);
  // Sometimes a value of the wrong kind altogether.
  if (rng.chance(0.1)) return rng.pick<unknown>([null, 42, 'text', [], {}, true, rng.pick(STRINGS)]);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return valueFor(rng.pick(variants), rng, depth + 1);
  if (schema.enum?.length) return rng.chance(0.85) ? rng.pick(schema.enum) : rng.pick(STRINGS);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      return rng.pick(STRINGS);
    case 'integer':
      return rng.chance(0.8) ? rng.int(100) - 5 : rng.pick(NUMBERS);
    case 'number':
      return rng.pick(NUMBERS);
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: rng.int(4) }, () => valueFor(schema.items, rng, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(k);
        if (rng.chance(required ? 0.9 : 0.5)) out[k] = valueFor(s, rng, depth + 1);
      }
      if (rng.chance(0.1)) out[rng.pick(['__proto__', 'constructor', 'extra', '\u0000'])] = rng.pick(STRINGS);
      return out;
    }
    default:
      return rng.pick<unknown>([rng.pick(STRINGS), rng.pick(NUMBERS), {}]);
  }
}

function asParam(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export interface FuzzRequest {
  method: string;
  url: string;
  route: string;
  payload?: unknown;
}

/** One request to a route, its path and query parameters and its body drawn from the schemas. */
export function requestFor(route: FuzzRoute, rng: Rng, ids: Record<string, string[]>): FuzzRequest {
  let url = route.path;
  const query = new URLSearchParams();
  for (const p of route.operation.parameters ?? []) {
    if (p.in === 'path') {
      const known = ids[p.name];
      const v = known?.length && rng.chance(0.6) ? rng.pick(known) : asParam(valueFor(p.schema, rng));
      url = url.replace(`{${p.name}}`, encodeURIComponent(v || 'x'));
    } else if (p.in === 'query' && rng.chance(p.required ? 0.9 : 0.5)) {
      query.set(p.name, asParam(valueFor(p.schema, rng)));
    }
  }
  url = url.replace(/\{[^}]+\}/g, 'x');
  const qs = query.toString();
  const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
  const payload =
    route.method === 'GET' || route.method === 'DELETE'
      ? undefined
      : bodySchema
        ? valueFor(bodySchema, rng)
        : rng.chance(0.5)
          ? {}
          : undefined;
  return {
    method: route.method,
    url: qs ? `${url}?${qs}` : url,
    route: `${route.method} ${route.path}`,
    payload,
  };
}

/** Whether the route's declared policy refuses this caller before any handler runs. */
export function refusedByPolicy(route: FuzzRoute, caller: Caller): boolean {
  const policy = policyFor(route.method, route.path);
  if (!policy || policy.access === 'public') return false;
  if (!caller.role) return true;
  return policy.access === 'roles' && !policy.roles.includes(caller.role as never);
}

/** Calls that would end the caller's session or start minutes of training are left out of the run. */
export const SKIPPED_WHEN_ADMITTED = new Set(['POST /api/auth/logout', 'POST /api/classifier/retrain']);

/**
 * A fingerprint of every table's content, to prove that refused requests wrote nothing. Sessions are
 * left out: signing in writes them by design.
 */
export async function databaseFingerprint(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    if (table_name === 'user_session' || table_name.startsWith('kysely_')) continue;
    const r = await sql<{ h: string | null; n: number }>`
      select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h, count(*)::int as n
      from ${sql.table(table_name)} t`.execute(db);
    out[table_name] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
  }
  return out;
}

export interface FuzzOutcome {
  requests: number;
  serverErrors: string[];
  refusedButAdmitted: string[];
}

/** A 5xx that is a crash, not a deliberate answer (503 while no classifier model is active). */
function isCrash(res: { statusCode: number; body: string }): boolean {
  if (res.statusCode < 500) return false;
  return !(res.statusCode === 503 && res.body.includes('"CLASSIFIER_UNAVAILABLE"'));
}

async function call(app: FastifyInstance, caller: Caller, r: FuzzRequest) {
  return app.inject({
    method: r.method as 'GET',
    url: r.url,
    headers: {
      ...caller.headers,
      ...(r.payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    payload: r.payload === undefined ? undefined : JSON.stringify(r.payload),
  });
}

/**
 * Phase 1: for every route, requests from callers its policy refuses; each must be refused (401/403)
 * and together they must change no table. Phase 2: `count` requests from any caller to any route;
 * none may answer 5xx.
 */
export async function fuzz(
  app: FastifyInstance,
  db: Kysely<Database>,
  callers: Caller[],
  options: { seed: number; count: number; refusedPerRoute: number; ids: Record<string, string[]> },
): Promise<FuzzOutcome & { wroteWhileRefused: string[] }> {
  const rng = prng(options.seed);
  const routes = routesOf(app);
  const outcome: FuzzOutcome = { requests: 0, serverErrors: [], refusedButAdmitted: [] };
  const before = await databaseFingerprint(db);
  for (const route of routes) {
    const refused = callers.filter((c) => refusedByPolicy(route, c));
    for (let i = 0; i < options.refusedPerRoute && refused.length; i++) {
      const caller = rng.pick(refused);
      const r = requestFor(route, rng, options.ids);
      const res = await call(app, caller, r);
      outcome.requests++;
      if (res.statusCode >= 500)
        outcome.serverErrors.push(`${caller.name} ${r.method} ${r.url.slice(0, 200)} → ${res.statusCode}`);
      // 414: a path parameter longer than Fastify accepts is refused before any hook.
      else if (![401, 403, 414, 429].includes(res.statusCode))
        outcome.refusedButAdmitted.push(
          `${caller.name} ${r.method} ${r.url.slice(0, 200)} → ${res.statusCode}`,
        );
    }
  }
  const after = await databaseFingerprint(db);
  const wroteWhileRefused = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
  for (let i = 0; i < options.count; i++) {
    const route = rng.pick(routes);
    const caller = rng.pick(callers);
    if (!refusedByPolicy(route, caller) && SKIPPED_WHEN_ADMITTED.has(`${route.method} ${route.path}`))
      continue;
    const r = requestFor(route, rng, options.ids);
    const res = await call(app, caller, r);
    outcome.requests++;
    if (isCrash(res)) {
      outcome.serverErrors.push(
        `${caller.name} ${r.method} ${r.url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
      );
    }
  }
  return { ...outcome, wroteWhileRefused };
}
