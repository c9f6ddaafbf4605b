import path from 'node:path';
import { z } from 'zod';
import { repoPath } from '../shared/paths.ts';

/**
 * The only module that reads the environment. Everything else receives a `Config`.
 * A bad value stops the process at start with the variable's name, rather than failing later.
 */

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  HUTONG_DATA_DIR: z.string().min(1).default('./data'),
  HUTONG_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HUTONG_DEMO: booleanFlag.default(true),
  HUTONG_DEMO_HISTORY: booleanFlag.default(true),
  HUTONG_DEMO_HISTORY_CASES: z.coerce.number().int().min(0).max(2_000_000).default(20_000),
  HUTONG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: one short readable line per record on a terminal, JSON lines otherwise.
  HUTONG_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // The no-color.org convention: any non-empty value turns colour off in the readable log.
  NO_COLOR: z.string().optional(),
  HUTONG_COOKIE_SECURE: booleanFlag.default(false),
  HUTONG_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  HUTONG_WEB_DIST: z.string().optional(),
  HUTONG_MAP_TILES_URL: z.string().url().optional(),
  HUTONG_MAP_TILES_CRS: z.enum(['wgs84', 'gcj02']).default('wgs84'),
  HUTONG_MAP_STYLE_URL: z.string().url().optional(),
  HUTONG_TEST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HUTONG_JOBS: booleanFlag.default(true),
  HUTONG_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  HUTONG_SLA_YELLOW_AT: z.coerce.number().gt(0).max(1).default(0.8),
  // Camera events at or above this detection confidence are filed by the auto-rule; below it a
  // dispatcher confirms them (SPEC §4.1, §4.2).
  HUTONG_CAMERA_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.8),
  HUTONG_HOTLINE_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
  HUTONG_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  HUTONG_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
  // Patrol coverage (SPEC §5): an alley is walked when this share of its length lies within this many
  // metres of the track; points reached faster than this are GPS jumps, not walking.
  HUTONG_COVERAGE_BUFFER_M: z.coerce.number().positive().max(500).default(25),
  HUTONG_COVERAGE_MIN_SHARE: z.coerce.number().gt(0).max(1).default(0.6),
  HUTONG_PATROL_MAX_SPEED_KMH: z.coerce.number().positive().max(500).default(50),
  // A live position older than this is shown greyed (M28).
  HUTONG_LIVE_STALE_MINUTES: z.coerce.number().positive().max(1440).default(10),
  // Working days an inspection finding has to be put right (SPEC §4.4).
  HUTONG_FINDING_WORKING_DAYS: z.coerce.number().positive().max(60).default(3),
  // Security (docs/security.md). Anonymous writes are limited per client address and per device key.
  HUTONG_RATE_LIMIT: booleanFlag.default(true),
  HUTONG_RATE_LIMIT_REPORTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  HUTONG_RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  // Failed sign-ins per client address per 15 minutes, whichever accounts they try.
  HUTONG_LOGIN_CLIENT_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  // Proxies to trust for the client address and scheme: off, on (any), a hop count, or addresses/CIDRs.
  HUTONG_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string[] => {
      const t = v.trim().toLowerCase();
      if (['false', '0', 'no', 'off'].includes(t)) return false;
      if (['true', 'yes', 'on'].includes(t)) return true;
      if (/^\d+$/.test(t)) return Number(t);
      return t
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    }),
  HUTONG_PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  // Shared parking: a booking not checked in this many minutes after its start is a no-show; this many
  // no-shows within the days suspend new bookings.
  HUTONG_PARKING_NO_SHOW_GRACE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  HUTONG_PARKING_NO_SHOW_LIMIT: z.coerce.number().int().min(1).max(1000).default(3),
  HUTONG_PARKING_NO_SHOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Webhook targets on loopback or private networks are refused unless this is on.
  HUTONG_WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  // No official Beijing weights are public; 30/35/35 is one county's published weighting (SPEC §6).
  HUTONG_SANLV_WEIGHTS: z
    .string()
    .default('30,35,35')
    .transform((v, ctx) => {
      const parts = v.split(',').map((p) => Number(p.trim()));
      if (
        parts.length !== 3 ||
        parts.some((n) => !Number.isFinite(n) || n < 0) ||
        parts.every((n) => n === 0)
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'three weights ≥ 0, not all 0, as response,resolution,satisfaction (e.g. 30,35,35)',
        });
        return z.NEVER;
      }
      return { response: parts[0]!, resolution: parts[1]!, satisfaction: parts[2]! };
    }),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  /** A past for the demo district (deterministic cases with trails), loaded after the server listens. */
  demoHistory: { enabled: boolean; cases: number };
  logLevel: z.infer<typeof envSchema>['HUTONG_LOG_LEVEL'];
  /** `auto` is decided when the logger is made: readable when stdout is a terminal, JSON otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Colour in the readable log on a terminal (off when NO_COLOR is set). */
  logColor: boolean;
  cookieSecure: boolean;
  sessionTtlHours: number;
  webDist: string;
  /** Map tiles for the web console: an XYZ raster URL template and its coordinate system, or a style URL. */
  map: { tilesUrl: string | undefined; tilesCrs: 'wgs84' | 'gcj02'; styleUrl: string | undefined };
  /** Only the test harness uses this: a PostgreSQL server to run integration tests on. */
  testDatabaseUrl: string | undefined;
  /** Background jobs: whether this process runs them, and how often the SLA sweep is scheduled. */
  jobs: { enabled: boolean; sweepSeconds: number };
  /** Fraction of a case's allowance after which it turns yellow (SPEC §4.4). */
  sla: { yellowAt: number };
  webhooks: { maxAttempts: number; timeoutMs: number };
  /** Video-analytics events: the confidence from which the auto-rule files them without a person. */
  camera: { minConfidence: number };
  /** Security settings (docs/security.md). */
  security: {
    rateLimit: { enabled: boolean; reportsPerMinute: number; writesPerMinute: number };
    loginClientLimit: number;
    trustProxy: boolean | number | string[];
    /** Public links (Open311 answers) are built from this when set, never from request headers. */
    publicUrl: string | undefined;
    webhookAllowPrivate: boolean;
  };
  /**
   * 12345: weights of the response, resolution and satisfaction rates in the composite score, and the
   * classifier confidence from which an imported order takes the suggested category.
   */
  hotline: {
    sanlvWeights: { response: number; resolution: number; satisfaction: number };
    minConfidence: number;
  };
  /** Shared parking: what counts as a no-show and what it costs. */
  parking: { noShow: { graceMinutes: number; limit: number; days: number } };
  /** Supervision in the field: patrol coverage, live positions, inspection findings' deadline. */
  supervision: {
    coverage: { bufferM: number; minShare: number; maxSpeedKmh: number };
    liveStaleMinutes: number;
    findingWorkingDays: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.HUTONG_DATA_DIR),
    databaseUrl: e.HUTONG_DATABASE_URL,
    demo: e.HUTONG_DEMO,
    demoHistory: { enabled: e.HUTONG_DEMO_HISTORY, cases: e.HUTONG_DEMO_HISTORY_CASES },
    logLevel: e.HUTONG_LOG_LEVEL,
    logFormat: e.HUTONG_LOG_FORMAT,
    logColor: !e.NO_COLOR,
    cookieSecure: e.HUTONG_COOKIE_SECURE,
    sessionTtlHours: e.HUTONG_SESSION_TTL_HOURS,
    webDist: path.resolve(e.HUTONG_WEB_DIST ?? repoPath('web/dist')),
    map: {
      tilesUrl: e.HUTONG_MAP_TILES_URL,
      tilesCrs: e.HUTONG_MAP_TILES_CRS,
      styleUrl: e.HUTONG_MAP_STYLE_URL,
    },
    testDatabaseUrl: e.HUTONG_TEST_DATABASE_URL,
    jobs: { enabled: e.HUTONG_JOBS, sweepSeconds: e.HUTONG_SWEEP_SECONDS },
    parking: {
      noShow: {
        graceMinutes: e.HUTONG_PARKING_NO_SHOW_GRACE_MINUTES,
        limit: e.HUTONG_PARKING_NO_SHOW_LIMIT,
        days: e.HUTONG_PARKING_NO_SHOW_DAYS,
      },
    },
    sla: { yellowAt: e.HUTONG_SLA_YELLOW_AT },
    webhooks: {
      maxAttempts: e.HUTONG_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: Math.round(e.HUTONG_WEBHOOK_TIMEOUT_SECONDS * 1000),
    },
    hotline: { sanlvWeights: e.HUTONG_SANLV_WEIGHTS, minConfidence: e.HUTONG_HOTLINE_MIN_CONFIDENCE },
    security: {
      rateLimit: {
        enabled: e.HUTONG_RATE_LIMIT,
        reportsPerMinute: e.HUTONG_RATE_LIMIT_REPORTS_PER_MINUTE,
        writesPerMinute: e.HUTONG_RATE_LIMIT_WRITES_PER_MINUTE,
      },
      loginClientLimit: e.HUTONG_LOGIN_CLIENT_LIMIT,
      trustProxy: e.HUTONG_TRUST_PROXY,
      publicUrl: e.HUTONG_PUBLIC_URL,
      webhookAllowPrivate: e.HUTONG_WEBHOOK_ALLOW_PRIVATE,
    },
    camera: { minConfidence: e.HUTONG_CAMERA_MIN_CONFIDENCE },
    supervision: {
      coverage: {
        bufferM: e.HUTONG_COVERAGE_BUFFER_M,
        minShare: e.HUTONG_COVERAGE_MIN_SHARE,
        maxSpeedKmh: e.HUTONG_PATROL_MAX_SPEED_KMH,
      },
      liveStaleMinutes: e.HUTONG_LIVE_STALE_MINUTES,
      findingWorkingDays: e.HUTONG_FINDING_WORKING_DAYS,
    },
  };
}
