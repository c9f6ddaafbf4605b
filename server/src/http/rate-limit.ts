import type { FastifyInstance, FastifyRequest } from 'fastify';
import { policyFor } from '../accounts/route-access.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';

/**
 * Limits the writes anyone can make without an account (reports, Open311 requests, classification)
 * and residents' own writes (ratings, reopening), per client address and per device key, in windows of
 * one minute. One client once filed 7,072 reports a minute; a resident files a handful a day.
 *
 * Counts live in this process: behind several server processes each keeps its own, which still bounds
 * a client to N × the limit (docs/security.md).
 */

type Bucket = 'reports' | 'writes';

/** Public writes that file something: reports and Open311 requests. */
const REPORT_ROUTES = new Set(['POST /api/public/reports', 'POST /open311/v2/{file}']);
/** Public routes that are not anonymous writes to limit here (sign-in has its own back-off). */
const UNLIMITED = new Set(['POST /api/auth/login', 'POST /api/auth/logout']);
const RESIDENT_ROLES = new Set(['resident', 'volunteer']);

export class FixedWindowCounter {
  private readonly counts = new Map<string, { windowStart: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one hit; answers the seconds to wait when `limit` is exceeded, else null. */
  hit(key: string, limit: number): number | null {
    const now = this.clock.now().getTime();
    const start = now - (now % this.windowMs);
    const entry = this.counts.get(key);
    if (!entry || entry.windowStart !== start) {
      if (this.counts.size > 100_000) this.sweep(start);
      this.counts.set(key, { windowStart: start, count: 1 });
      return null;
    }
    entry.count += 1;
    if (entry.count <= limit) return null;
    return Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
  }

  private sweep(currentStart: number): void {
    for (const [k, v] of this.counts) if (v.windowStart !== currentStart) this.counts.delete(k);
  }
}

function bucketOf(request: FastifyRequest): Bucket | null {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return null;
  const url = request.routeOptions.url;
  if (!url) return null;
  const key = `${request.method} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
  if (UNLIMITED.has(key)) return null;
  if (REPORT_ROUTES.has(key)) return 'reports';
  if (request.actor && RESIDENT_ROLES.has(request.actor.role)) return 'writes';
  if (!request.actor && policyFor(request.method, url)?.access === 'public') return 'writes';
  return null;
}

/** The device key a client may send (the resident page keeps one per browser), bounded in length. */
function deviceKey(request: FastifyRequest): string | null {
  const v = request.headers['x-device-key'];
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 100) : null;
}

export function installRateLimit(app: FastifyInstance, config: Config, clock: Clock): void {
  const settings = config.security.rateLimit;
  if (!settings.enabled) return;
  const counter = new FixedWindowCounter(60_000, clock);
  const limits: Record<Bucket, number> = {
    reports: settings.reportsPerMinute,
    writes: settings.writesPerMinute,
  };
  app.addHook('onRequest', async (request, reply) => {
    const bucket = bucketOf(request);
    if (!bucket) return;
    const keys = [`${bucket}|ip|${request.ip}`];
    const device = deviceKey(request);
    if (device) keys.push(`${bucket}|device|${device}`);
    let wait: number | null = null;
    for (const k of keys) wait = Math.max(wait ?? 0, counter.hit(k, limits[bucket]) ?? 0) || wait;
    if (wait) {
      reply.header('retry-after', String(wait));
      throw new AppError('TOO_MANY_ATTEMPTS', 'Too many requests from this client; try again shortly', {
        retryAfterSeconds: wait,
        limitPerMinute: limits[bucket],
      });
    }
  });
}
