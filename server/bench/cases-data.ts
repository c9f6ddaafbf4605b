import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { latLngToCell } from 'h3-js';
import type pg from 'pg';
import { computeDeadline, type DeadlineLimit } from '../src/calendar/deadline.ts';
import type { WorkingCalendar } from '../src/calendar/working-calendar.ts';
import { EVENT_COLUMNS } from '../src/cases/case.repository.ts';
import type { IntakeInput } from '../src/cases/case.service.ts';
import {
  type CaseAction,
  type CaseSnapshot,
  initialSnapshot,
  RATINGS,
  REJECT_REASONS,
  transition,
} from '../src/cases/case.state.ts';
import { eventHash, GENESIS_HASH } from '../src/cases/case.trail.ts';
import type { CaseChannel } from '../src/db/schema.ts';
import { type RuleLike, route } from '../src/taxonomy/taxonomy.routing.ts';
import { DEMO_DISTRICT, DEMO_STREETS, type DemoCity, locatorInput } from '../src/territory/demo-city.ts';
import { Locator } from '../src/territory/locator.ts';

/**
 * Deterministic case data for `cases.bench.ts`: two years of a district's cases with a realistic mix of
 * categories, places, times, channels and outcomes, each with a hash-chained trail that verifies.
 *
 * Everything comes from seeded generators: the same seed and scale give the same rows, byte for byte,
 * on every machine. Snapshots and events are produced by the real state machine (`transition`) and
 * hashed by the real `eventHash`, so they are what the service would have written, action by action.
 */

// ---- seeded randomness -------------------------------------------------------------------------

/** sfc32: small, fast, 128 bits of state; good enough for test data and fully reproducible. */
export class Rng {
  private a = 0x9e3779b9;
  private b = 0x243f6a88;
  private c = 0xb7e15162;
  private d: number;

  /** With a `stream`, the whole state comes from seed and stream, so streams of one seed stay apart. */
  constructor(seed: number, stream?: number) {
    this.d = seed >>> 0;
    if (stream !== undefined) {
      this.a = mix32(seed ^ 0x9e3779b9);
      this.b = mix32(stream ^ 0x243f6a88);
      this.c = mix32(mix32(seed) ^ stream);
      this.d = stream >>> 0;
    }
    for (let i = 0; i < 16; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A duration in ms, log-normal around a median given in minutes, at least a minute. */
  minutes(median: number, sigma = 1): number {
    return Math.max(60_000, Math.round(median * 60_000 * Math.exp(sigma * this.normal())));
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += ((this.next() * 4_294_967_296) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
}

/** Draws items in proportion to their weights (binary search over the cumulative weights). */
export class Weighted<T> {
  private readonly cdf: Float64Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cdf = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cdf[i] = sum;
    });
  }

  weight(i: number): number {
    return this.cdf[i]! - (i > 0 ? this.cdf[i - 1]! : 0);
  }

  sample(rng: Rng): T {
    const x = rng.next() * this.cdf[this.cdf.length - 1]!;
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ---- time: two years with weekly, daily and yearly rhythm ---------------------------------------

const HOUR_MS = 3_600_000;
const RESPONSE_LIMIT: DeadlineLimit = { amount: 2, unit: 'working_hours' };
const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * HOUR_MS;

/** Beijing midnight of 2024-11-22 and of 2026-11-22: the history is the two years before the latter. */
export const HISTORY_FROM = Date.UTC(2024, 10, 21, 16);
export const HISTORY_TO = Date.UTC(2026, 10, 21, 16);
const HISTORY_DAYS = Math.round((HISTORY_TO - HISTORY_FROM) / DAY_MS);

// Reports by hour of the day (Beijing): patrols and the morning commute, a lunch dip, an evening tail.
const HOUR_WEIGHTS = [
  0.25, 0.12, 0.08, 0.06, 0.1, 0.3, 0.9, 1.8, 2.8, 3.2, 3.1, 2.6, 1.7, 2.0, 2.7, 2.9, 2.7, 2.3, 1.8, 1.5, 1.3,
  1.0, 0.7, 0.4,
];
// Sunday … Saturday: grid workers patrol on working days, residents report more at the weekend than
// offices do, so the week is flatter than office hours but still dips on Saturday and Sunday.
const WEEKDAY_WEIGHTS = [0.78, 1.15, 1.08, 1.05, 1.04, 1.0, 0.82];
// Spring Festival weeks (春节): the city empties. 2025-01-29 and 2026-02-17.
const FESTIVALS = [Date.UTC(2025, 0, 28, 16), Date.UTC(2026, 1, 16, 16)];

function dayWeight(day: number): number {
  const start = HISTORY_FROM + day * DAY_MS;
  const local = new Date(start + BEIJING_MS);
  const trend = 1 + (0.35 * day) / HISTORY_DAYS; // adoption grows over the two years
  const yearDay = (local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / DAY_MS;
  const summer = 1 + 0.18 * Math.cos((2 * Math.PI * (yearDay - 196)) / 365); // garbage and barbecues peak in July
  const festival = FESTIVALS.some((f) => start >= f - 2 * DAY_MS && start < f + 7 * DAY_MS) ? 0.55 : 1;
  return trend * summer * festival * WEEKDAY_WEIGHTS[local.getUTCDay()]!;
}

/** `n` report instants (ms), sorted, over the history window. */
export function reportTimes(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const days = new Weighted(
    Array.from({ length: HISTORY_DAYS }, (_, d) => d),
    Array.from({ length: HISTORY_DAYS }, (_, d) => dayWeight(d)),
  );
  const hours = new Weighted(
    HOUR_WEIGHTS.map((_, h) => h),
    HOUR_WEIGHTS,
  );
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = HISTORY_FROM + days.sample(rng) * DAY_MS + hours.sample(rng) * HOUR_MS + rng.int(HOUR_MS);
  }
  return out.sort();
}

/** yyyymmdd of an instant in Beijing, as the service numbers cases. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

// ---- places: points along the demo city's alleys, some alleys much hotter than others ------------

interface AlleyModel {
  id: string;
  name: string;
  streetCode: string;
  contractorId: string;
  coordinates: [number, number][];
  /** Cumulative length in metres at each vertex. */
  cumulative: Float64Array;
}

export interface World {
  locator: Locator;
  alleys: Weighted<AlleyModel>;
  alleyCount: number;
  streetNames: Map<string, string>;
  bbox: [number, number, number, number];
}

const M_PER_DEG = 111_195;
/** Share of reports away from any alley (main roads, squares); the rest lie within ~20 m of one. */
const OFF_ALLEY_SHARE = 0.08;

/** The demo city as a sampling model: a locator, and alleys weighted so that a few are hot spots. */
export function buildWorld(city: DemoCity, seed: number): World {
  const rng = new Rng(seed);
  const input = locatorInput(city.territory);
  const models: AlleyModel[] = [];
  for (const f of city.territory.features) {
    const p = f.properties;
    if (p.layer !== 'alley' || f.geometry.type !== 'LineString') continue;
    const coordinates = f.geometry.coordinates as [number, number][];
    const cumulative = new Float64Array(coordinates.length);
    for (let k = 1; k < coordinates.length; k++) {
      const [x0, y0] = coordinates[k - 1]!;
      const [x1, y1] = coordinates[k]!;
      const dx = (x1 - x0) * M_PER_DEG * Math.cos((y0 * Math.PI) / 180);
      const dy = (y1 - y0) * M_PER_DEG;
      cumulative[k] = cumulative[k - 1]! + Math.hypot(dx, dy);
    }
    models.push({
      id: p.id,
      name: p.name,
      streetCode: p.streetCode,
      contractorId: p.contractorId,
      coordinates,
      cumulative,
    });
  }
  // Hot alleys: a Zipf-like weight over a seeded shuffle, times the square root of the length. With
  // 1,225 alleys the hottest 5 % draw about a third of all reports.
  const order = models.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weights = new Array<number>(models.length);
  order.forEach((m, rank) => {
    weights[m] = Math.sqrt(models[m]!.cumulative.at(-1)! + 1) / (rank + 30);
  });
  const bbox: [number, number, number, number] = [180, 90, -180, -90];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      bbox[0] = Math.min(bbox[0], c[0]);
      bbox[1] = Math.min(bbox[1], c[1] as number);
      bbox[2] = Math.max(bbox[2], c[0]);
      bbox[3] = Math.max(bbox[3], c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const s of input.streets) visit(s.boundary.coordinates);
  return {
    locator: Locator.build(input),
    alleys: new Weighted(models, weights),
    alleyCount: models.length,
    streetNames: new Map(DEMO_STREETS.map((s) => [s.code, s.name])),
    bbox,
  };
}

/** A point where someone would report a problem: near a (probably hot) alley, or anywhere in a street. */
function samplePoint(world: World, rng: Rng) {
  for (;;) {
    let lng: number;
    let lat: number;
    let alley: AlleyModel | null = null;
    if (rng.chance(OFF_ALLEY_SHARE)) {
      const [x0, y0, x1, y1] = world.bbox;
      lng = x0 + rng.next() * (x1 - x0);
      lat = y0 + rng.next() * (y1 - y0);
    } else {
      alley = world.alleys.sample(rng);
      const c = alley.coordinates;
      const cum = alley.cumulative;
      const s = rng.next() * cum[cum.length - 1]!;
      let k = 1;
      while (k < cum.length - 1 && cum[k]! < s) k++;
      const [ax, ay] = c[k - 1]!;
      const [bx, by] = c[k]!;
      const segment = cum[k]! - cum[k - 1]! || 1;
      const t = (s - cum[k - 1]!) / segment;
      const cos = Math.cos((ay * Math.PI) / 180);
      const dx = (bx - ax) * M_PER_DEG * cos;
      const dy = (by - ay) * M_PER_DEG;
      const len = Math.hypot(dx, dy) || 1;
      // Off the centre line by a few metres: a doorway, a wall, a parked car.
      const off = Math.max(-20, Math.min(20, rng.normal() * 6));
      lng = ax + t * (bx - ax) + ((-dy / len) * off) / (M_PER_DEG * cos);
      lat = ay + t * (by - ay) + ((dx / len) * off) / M_PER_DEG;
    }
    const location = world.locator.locate(lng, lat);
    if (location) return { lng, lat, location, alley };
  }
}

// ---- categories: a handful of street-scene events dominate ---------------------------------------

export interface Category {
  key: string;
  name: string;
  handlingLimit: DeadlineLimit;
  severity: string;
  public: boolean;
}

/**
 * Shares in per cent of the categories that make up most reports in a Beijing street (exposed garbage,
 * piled materials, parking, small adverts, street vending…). The catalogue names 堆物堆料 乱堆杂物 and
 * 乱停车 机动车/非机动车乱停放.
 */
export const HOT_CATEGORIES: readonly (readonly [string, number])[] = [
  ['event:06010', 16], // 暴露垃圾
  ['event:06036', 12], // 乱堆杂物 (堆物堆料)
  ['event:09009', 11], // 机动车乱停放
  ['event:07001', 9], // 非法小广告
  ['event:09010', 6], // 非机动车乱停放
  ['event:09006', 5], // 占道经营
  ['event:06011', 3], // 积存垃圾渣土
  ['event:06012', 3], // 道路不洁
  ['event:09011', 3], // 共享单车乱象
  ['event:06001', 2], // 私搭乱建
  ['event:06042', 2], // 垃圾站（箱）满溢
  ['event:06027', 1], // 油烟污染
];
const OTHER_EVENTS_SHARE = 22;
const COMPONENTS_SHARE = 5;

export function categorySampler(categories: readonly Category[], seed: number): Weighted<Category> {
  const rng = new Rng(seed);
  const hot = new Map(HOT_CATEGORIES);
  const tail = (kind: string) => {
    const xs = categories.filter((c) => c.key.startsWith(kind) && !hot.has(c.key));
    for (let i = xs.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const events = tail('event:');
  const components = tail('component:');
  const zipf = (xs: Category[], share: number) => {
    const raw = xs.map((_, rank) => 1 / (rank + 3));
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((w) => (w / sum) * share);
  };
  const hotItems = categories.filter((c) => hot.has(c.key));
  return new Weighted(
    [...hotItems, ...events, ...components],
    [
      ...hotItems.map((c) => hot.get(c.key)!),
      ...zipf(events, OTHER_EVENTS_SHARE),
      ...zipf(components, COMPONENTS_SHARE),
    ],
  );
}

// ---- who does what -------------------------------------------------------------------------------

const CHANNELS = new Weighted<CaseChannel>(
  ['resident', 'hotline', 'patrol', 'inspection', 'camera'],
  [45, 25, 20, 5, 5],
);
const STAFF_ROLE: Record<string, string> = {
  hotline: 'street_dispatcher',
  patrol: 'grid_worker',
  inspection: 'inspector',
  camera: 'street_dispatcher',
};

/** A stable user id per role and place, shaped like `newId('user')`; the same on every run. */
const staffIds = new Map<string, string>();
function staff(role: string, scope: string): string {
  const k = `${role}:${scope}`;
  let id = staffIds.get(k);
  if (!id) {
    id = `user_${createHash('sha256').update(k).digest('hex').slice(0, 32)}`;
    staffIds.set(k, id);
  }
  return id;
}

const PLACE_WORDS = ['', '', '东口', '西口', '南口', '北口', '中段', '路边', '拐角处', '院门口'];
const COMPLAINTS = [
  '，请尽快处理',
  '，已经好几天了',
  '，影响通行',
  '，居民反映强烈',
  '，存在安全隐患',
  '，气味很大',
  '，多次反映未解决',
  '',
];
const FEEDBACK_NOTES = [
  '已清理完毕',
  '已现场处置',
  '已责令整改，现场已恢复',
  '已联系产权单位修复',
  '已劝离并清理',
];
const SEND_BACK_REASONS = ['非本单位职责', '点位不在辖区', '需产权单位处置'];
const FAIL_REASONS = ['现场仍有残留', '整改不彻底', '照片与点位不符'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '胡', '郭'];
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function phone(rng: Rng): string {
  return `1${rng.pick(['3', '5', '8', '9'])}${String(rng.int(1_000_000_000)).padStart(9, '0')}`;
}

function description(rng: Rng, alleyName: string | null, streetName: string, category: Category): string {
  const place = alleyName ? `${alleyName}${rng.pick(PLACE_WORDS)}` : `${streetName}辖区`;
  return `${place}${category.name}${rng.pick(COMPLAINTS)}。`;
}

// ---- COPY text -----------------------------------------------------------------------------------

type Cell = string | number | boolean | null | undefined;
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One line of PostgreSQL's COPY text format. */
function copyLine(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (i > 0) out += '\t';
    if (v === null || v === undefined) out += '\\N';
    else if (typeof v === 'string')
      out += NEEDS_ESCAPE.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : v;
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += String(v);
  }
  return `${out}\n`;
}

export const CASE_COLUMNS = [
  'id',
  'district_code',
  'case_number',
  'tracking_code',
  'channel',
  'state',
  'snapshot',
  'category_key',
  'description',
  'address',
  'lng',
  'lat',
  'crs_in',
  'h3_r9',
  'street_code',
  'community_code',
  'grid_code',
  'alley_id',
  'public',
  'severity',
  'tier',
  'assigned_org_id',
  'reporter_user_id',
  'reporter_name',
  'reporter_contact',
  'external_ref',
  'supporters',
  'merged_into',
  'handling_deadline',
  'original_handling_deadline',
  'created_at',
  'updated_at',
  'closed_at',
  'version',
] as const;

export const FOLLOWER_COLUMNS = ['case_id', 'follower_case_id', 'district_code', 'created_at'] as const;

// ---- the generator -------------------------------------------------------------------------------

export interface GenerateOptions {
  scale: number;
  seed: number;
  batchSize: number;
  world: World;
  categories: readonly Category[];
  /** The district's routing rules in force (taxonomy), to send tier-2 cases where the dispatcher would. */
  rules: readonly RuleLike[];
  calendar: WorkingCalendar;
}

/** COPY text, or the same already encoded as UTF-8 (what a worker thread hands over without a copy). */
export type CopyText = string | Uint8Array;

export interface Batch {
  cases: number;
  events: number;
  followers: number;
  caseCopy: CopyText;
  eventCopy: CopyText;
  followerCopy: CopyText;
}

export interface GenerationSummary extends Omit<Tally, 'onHot'> {
  /** case_number_counter rows: the last number used per Beijing day. */
  counters: [string, number][];
  /** Share of cases whose place is the hottest 5 % of alleys. */
  hotAlleyShare: number;
}

interface PendingEvent {
  at: number;
  actorUserId: string | null;
  actorRole: string;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string | null;
  payload: unknown;
}

interface CaseRowDraft {
  cells: Cell[];
  supportersIndex: number;
  id: string;
  alleyId: string | null;
  createdAt: number;
  mergeable: boolean;
}

const SUPPORTERS = CASE_COLUMNS.indexOf('supporters');

/** What every batch of a history shares: the samplers, the routing and the hottest alleys. */
export interface GenerationContext {
  o: Pick<GenerateOptions, 'scale' | 'world' | 'calendar'>;
  categories: Weighted<Category>;
  unitFor(key: string, street: string): string;
  hottest: Set<string>;
  sampleEvery: number;
}

export function generationContext(o: Omit<GenerateOptions, 'batchSize'>): GenerationContext {
  const routes = new Map<string, string>();
  return {
    o,
    categories: categorySampler(o.categories, o.seed + 2),
    unitFor: (key, street) => {
      const k = `${key}|${street}`;
      let org = routes.get(k);
      if (!org) {
        org = route(o.rules, key, { streetCode: street })?.organisationId ?? `org-street-${street}`;
        routes.set(k, org);
      }
      return org;
    },
    hottest: new Set(
      [...o.world.alleys.items]
        .map((a, i) => ({ a, i }))
        .sort((x, y) => o.world.alleys.weight(y.i) - o.world.alleys.weight(x.i))
        .slice(0, Math.ceil(o.world.alleyCount * 0.05))
        .map((x) => x.a.id),
    ),
    sampleEvery: Math.max(1, Math.floor(o.scale / 2_000)),
  };
}

/** How a case gets its number of the day and its tracking code. */
interface Numbering {
  seq(i: number, day: string): number;
  code(i: number, rng: Rng): string;
}

/** What a batch adds to the summary, so that batches made apart (worker threads) add up to one. */
export interface Tally {
  cases: number;
  events: number;
  followers: number;
  byState: Record<string, number>;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  /** Ids of a spread of generated cases, to verify their trails after loading. */
  sample: string[];
  /** Cases placed on the hottest 5 % of alleys. */
  onHot: number;
}

export function emptyTally(): Tally {
  return {
    cases: 0,
    events: 0,
    followers: 0,
    byState: {},
    byChannel: {},
    byCategory: {},
    sample: [],
    onHot: 0,
  };
}

export function addTally(into: Tally, t: Tally): void {
  // Batches are added in order, so the sample stays in report order.
  into.cases += t.cases;
  into.events += t.events;
  into.followers += t.followers;
  into.onHot += t.onHot;
  for (const k of ['byState', 'byChannel', 'byCategory'] as const)
    for (const [key, n] of Object.entries(t[k])) into[k][key] = (into[k][key] ?? 0) + n;
  into.sample.push(...t.sample);
}

/**
 * Cases `from` … `to - 1` of the history as COPY text, drawn from `rng`. Merges only reach back within
 * the batch, so a batch depends on nothing but its rng, its report times and its numbering.
 */
async function generateBatch(
  g: GenerationContext,
  rng: Rng,
  times: Float64Array,
  from: number,
  to: number,
  numbering: Numbering,
  tally: Tally,
  pause: boolean,
): Promise<{
  cases: number;
  events: number;
  followers: number;
  caseCopy: string;
  eventCopy: string;
  followerCopy: string;
}> {
  const { o } = g;
  const district = DEMO_DISTRICT.code;
  const drafts: CaseRowDraft[] = [];
  const eventLines: string[] = [];
  const followerLines: string[] = [];
  let events = 0;
  // The latest open report per alley in this batch: where a duplicate gets merged.
  const latestOnAlley = new Map<string, CaseRowDraft>();

  for (let i = from; i < to; i++) {
    if (pause && (i - from) % 500 === 499) await new Promise((r) => setImmediate(r));
    const t0 = times[i]!;
    const { lng, lat, location, alley } = samplePoint(o.world, rng);
    if (alley && g.hottest.has(alley.id)) tally.onHot++;
    const street = location.street.code;
    const streetName = o.world.streetNames.get(street) ?? location.street.name;
    const category = g.categories.sample(rng);
    const channel = CHANNELS.sample(rng);
    const day = beijingDay(t0);
    const seq = numbering.seq(i, day);
    const id = `case_${rng.hex(32)}`;
    const code = numbering.code(i, rng);

    const resident = channel === 'resident';
    const reporterUserId = resident
      ? rng.chance(0.12)
        ? `user_${createHash('sha256')
            .update(`resident:${rng.int(20_000)}`)
            .digest('hex')
            .slice(0, 32)}`
        : null
      : staff(STAFF_ROLE[channel]!, street);
    // Residents name a category about half the time; staff always do.
    const reported = !resident || rng.chance(0.55) ? category : null;
    const contact = resident
      ? rng.chance(0.6)
        ? phone(rng)
        : null
      : channel === 'hotline'
        ? phone(rng)
        : null;
    const name =
      contact && rng.chance(0.7) ? `${rng.pick(SURNAMES)}${rng.chance(0.5) ? '先生' : '女士'}` : null;
    const externalRef =
      channel === 'hotline'
        ? `12345-${day}-${String(rng.int(100_000)).padStart(5, '0')}`
        : channel === 'camera'
          ? `cam-${street}-${String(rng.int(400)).padStart(3, '0')}`
          : null;

    const trail: PendingEvent[] = [
      {
        at: t0,
        actorUserId: reporterUserId,
        actorRole: resident ? 'resident' : STAFF_ROLE[channel]!,
        action: 'report',
        fromState: null,
        toState: 'reported',
        reason: null,
        payload: { channel, categoryKey: reported?.key ?? null, crs: 'wgs84', photoIds: [] },
      },
    ];
    const mergeTarget = alley ? latestOnAlley.get(alley.id) : undefined;
    const life = lifecycle({
      rng,
      t0,
      trail,
      category,
      street,
      unit: g.unitFor(category.key, street),
      contractorId: alley?.contractorId ?? null,
      calendar: o.calendar,
      resident,
      mergeTarget: mergeTarget?.mergeable && t0 - mergeTarget.createdAt < 3 * DAY_MS ? mergeTarget : null,
    });
    const s = life.snapshot;
    if (life.mergedInto) {
      const target = life.mergedInto;
      target.cells[target.supportersIndex] = (target.cells[target.supportersIndex] as number) + 1;
      followerLines.push(copyLine([target.id, id, district, new Date(life.mergedAt).toISOString()]));
      tally.followers++;
    }

    let prev = GENESIS_HASH;
    trail.forEach((e, k) => {
      const event = {
        caseId: id,
        seq: k + 1,
        districtCode: district,
        at: new Date(e.at),
        actorUserId: e.actorUserId,
        actorRole: e.actorRole,
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        reason: e.reason,
        payload: e.payload,
      };
      const hash = eventHash(event, prev);
      eventLines.push(
        copyLine([
          id,
          k + 1,
          district,
          event.at.toISOString(),
          e.actorUserId,
          e.actorRole,
          e.action,
          e.fromState,
          e.toState,
          e.reason,
          JSON.stringify(e.payload ?? {}),
          prev,
          hash,
        ]),
      );
      prev = hash;
    });
    events += trail.length;

    const assignment = s.assignment;
    const last = trail[trail.length - 1]!.at;
    const cells: Cell[] = [
      id,
      district,
      `${district}-${day}-${String(seq).padStart(5, '0')}`,
      code,
      channel,
      s.state,
      JSON.stringify(s),
      // As the service writes it: the reporter's category at intake, the snapshot's after any action.
      trail.length > 1 ? s.categoryKey : (reported?.key ?? null),
      description(rng, location.alley?.name ?? null, streetName, category),
      rng.chance(0.6) && location.alley
        ? `${streetName}${location.alley.name}${1 + rng.int(80)}号附近`
        : null,
      lng,
      lat,
      'wgs84',
      latLngToCell(lat, lng, 9),
      street,
      location.community?.code ?? null,
      location.grid?.code ?? null,
      location.alley?.id ?? null,
      reported?.public ?? true,
      reported?.severity ?? 'normal',
      s.tier,
      assignment?.kind === 'unit'
        ? assignment.unitId
        : assignment?.kind === 'joint'
          ? (assignment.unitIds[0] ?? null)
          : null,
      reporterUserId,
      name,
      contact,
      externalRef,
      0,
      s.mergedInto,
      s.deadline,
      s.originalDeadline,
      new Date(t0).toISOString(),
      new Date(last).toISOString(),
      s.closedAt,
      trail.length,
    ];
    const draft: CaseRowDraft = {
      cells,
      supportersIndex: SUPPORTERS,
      id,
      alleyId: alley?.id ?? null,
      createdAt: t0,
      mergeable: s.state !== 'rejected' && s.state !== 'merged',
    };
    drafts.push(draft);
    if (alley && draft.mergeable) latestOnAlley.set(alley.id, draft);

    tally.byState[s.state] = (tally.byState[s.state] ?? 0) + 1;
    tally.byChannel[channel] = (tally.byChannel[channel] ?? 0) + 1;
    tally.byCategory[category.key] = (tally.byCategory[category.key] ?? 0) + 1;
    if (i % g.sampleEvery === 0) tally.sample.push(id);
  }
  tally.cases += drafts.length;
  tally.events += events;
  return {
    cases: drafts.length,
    events,
    followers: followerLines.length,
    caseCopy: drafts.map((d) => copyLine(d.cells)).join(''),
    eventCopy: eventLines.join(''),
    followerCopy: followerLines.join(''),
  };
}

export function summaryOf(t: Tally, counters: [string, number][], scale: number): GenerationSummary {
  return {
    cases: t.cases,
    events: t.events,
    followers: t.followers,
    byState: t.byState,
    byChannel: t.byChannel,
    byCategory: t.byCategory,
    counters,
    sample: t.sample,
    hotAlleyShare: t.onHot / scale,
  };
}

/**
 * Generates the cases in report order, `batchSize` at a time, as COPY text for case_record, case_event
 * and case_follower, from one random stream on this thread. Yields to the event loop every few hundred
 * cases so that a batch already handed to the database keeps streaming while the next one is built.
 * The demo's past uses it; `generateCasesInParallel` gives another history of the same kind, faster.
 */
export async function* generateCases(o: GenerateOptions): AsyncGenerator<Batch, GenerationSummary> {
  const times = reportTimes(o.scale, o.seed);
  const rng = new Rng(o.seed + 1);
  const g = generationContext(o);
  const tracking = new Set<string>();
  const counters = new Map<string, number>();
  const numbering: Numbering = {
    seq: (_i, day) => {
      const seq = (counters.get(day) ?? 0) + 1;
      counters.set(day, seq);
      return seq;
    },
    code: (_i, r) => {
      let code = '';
      do {
        code = '';
        for (let k = 0; k < 10; k++) code += TRACKING_ALPHABET[r.int(32)];
      } while (tracking.has(code));
      tracking.add(code);
      return code;
    },
  };
  const tally = emptyTally();
  for (let from = 0; from < o.scale; from += o.batchSize) {
    const to = Math.min(o.scale, from + o.batchSize);
    yield await generateBatch(g, rng, times, from, to, numbering, tally, true);
  }
  return summaryOf(tally, [...counters], o.scale);
}

// ---- the same history, batch by batch on worker threads -----------------------------------------

/** A Beijing day as a number, for comparing report times without formatting them. */
const dayNumber = (ms: number) => Math.floor((ms + BEIJING_MS) / DAY_MS);

/** murmur3's finaliser: spreads every input bit over the 32 output bits. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HALF_BITS = 25;
const HALF_MASK = 2 ** HALF_BITS - 1;

/**
 * The tracking code of the `i`-th case: a keyed Feistel permutation of `i` over the 50 bits that ten
 * characters of the 32-letter alphabet hold, so codes look random, yet two cases never share one —
 * without a set of the codes already given (which no single batch or thread could hold).
 */
export function permutedTrackingCode(i: number, seed: number): string {
  let l = Math.floor(i / 2 ** HALF_BITS) & HALF_MASK;
  let r = i & HALF_MASK;
  for (let round = 0; round < 4; round++) {
    const f = mix32((r ^ mix32(seed + round * 0x9e3779b9)) >>> 0) & HALF_MASK;
    [l, r] = [r, (l ^ f) & HALF_MASK];
  }
  let code = '';
  for (const half of [l, r])
    for (let shift = 20; shift >= 0; shift -= 5) code += TRACKING_ALPHABET[(half >>> shift) & 31];
  return code;
}

/** The random stream of batch `index`: a function of the seed and the index alone. */
export function batchRng(seed: number, index: number): Rng {
  return new Rng(seed, index);
}

/**
 * Batch `index` of a history whose report times are `times` (all of them, sorted): the numbering of
 * the day follows from the times alone (the count of earlier reports that day), the tracking code from
 * the case's place in the history, everything else from the batch's own stream. So any thread can make
 * any batch, and the history is the same whatever the number of threads.
 */
export async function generateIndexedBatch(
  o: Omit<GenerateOptions, 'scale'> & { times: Float64Array },
  index: number,
  g: GenerationContext = generationContext({ ...o, scale: o.times.length }),
): Promise<{ batch: Batch; tally: Tally }> {
  const { times } = o;
  const from = index * o.batchSize;
  const to = Math.min(times.length, from + o.batchSize);
  let first = from;
  while (first > 0 && dayNumber(times[first - 1]!) === dayNumber(times[from]!)) first--;
  let seq = from - first;
  let current = dayNumber(times[from]!);
  const numbering: Numbering = {
    seq: (i) => {
      const d = dayNumber(times[i]!);
      if (d !== current) {
        current = d;
        seq = 0;
      }
      return ++seq;
    },
    code: (i) => permutedTrackingCode(i, o.seed),
  };
  const tally = emptyTally();
  const batch = await generateBatch(g, batchRng(o.seed + 1, index), times, from, to, numbering, tally, false);
  return { batch, tally };
}

/** The day counters of a history: the last number given on each Beijing day, from the times alone. */
export function dayCounters(times: Float64Array): [string, number][] {
  const out: [string, number][] = [];
  let day = -1;
  for (let i = 0; i < times.length; i++) {
    const d = dayNumber(times[i]!);
    if (d !== day) {
      out.push([beijingDay(times[i]!), 0]);
      day = d;
    }
    out[out.length - 1]![1]++;
  }
  return out;
}

/** When each kind of actor works (Beijing time): work drawn outside these hours waits for the next. */
type Schedule = 'dispatcher' | 'unit' | 'inspector' | 'resident';
const SCHEDULE_OF_ROLE: Record<string, Schedule> = {
  street_dispatcher: 'dispatcher',
  department_handler: 'unit',
  contractor: 'unit',
  grid_worker: 'unit',
  inspector: 'inspector',
  resident: 'resident',
};
// [opening hour, closing hour, working days only]
const HOURS: Record<Schedule, readonly [number, number, boolean]> = {
  dispatcher: [8, 22, false], // the street command centre (指挥中心) keeps long hours every day
  unit: [8.5, 17.5, true], // departments, contractors and grid workers on the official calendar
  inspector: [9, 17, true],
  resident: [7, 23, false],
};

/** The first instant at or after `at` when `schedule` is at work (plus a little queueing in the morning). */
function onDuty(at: number, schedule: Schedule, calendar: WorkingCalendar, rng: Rng): number {
  const [open, close, workingDaysOnly] = HOURS[schedule];
  let dayStart = Math.floor((at + BEIJING_MS) / DAY_MS) * DAY_MS - BEIJING_MS;
  const hour = (at - dayStart) / HOUR_MS;
  const working = (d: number) => !workingDaysOnly || calendar.isWorkingDay(new Date(d + HOUR_MS * 12));
  if (hour >= open && hour < close && working(dayStart)) return at;
  if (hour >= open || !working(dayStart)) dayStart += DAY_MS;
  while (!working(dayStart)) dayStart += DAY_MS;
  return dayStart + open * HOUR_MS + rng.int(90) * 60_000;
}

interface LifeInput {
  rng: Rng;
  t0: number;
  trail: PendingEvent[];
  category: Category;
  street: string;
  unit: string;
  contractorId: string | null;
  calendar: WorkingCalendar;
  resident: boolean;
  mergeTarget: CaseRowDraft | null;
}

/**
 * Plays a case forward from its report through the real state machine, with delays drawn per step,
 * until it is closed, rejected or merged, or until the end of the history (then it stays open in
 * whatever state it had reached).
 */
function lifecycle(x: LifeInput): {
  snapshot: CaseSnapshot;
  mergedInto: CaseRowDraft | null;
  mergedAt: number;
} {
  const { rng, street, category } = x;
  let s: CaseSnapshot = initialSnapshot();
  let t = x.t0;
  let alive = true;
  const dispatcher = staff('street_dispatcher', street);
  const inspector = staff('inspector', street);
  const act = (delay: number, action: CaseAction, role: string, userId: string | null): boolean => {
    if (!alive) return false;
    const at = onDuty(t + Math.round(delay), SCHEDULE_OF_ROLE[role] ?? 'resident', x.calendar, rng);
    if (at >= HISTORY_TO) {
      alive = false;
      return false;
    }
    // A dispatch to a unit sets its response deadline, as CaseService does (2 working hours).
    const timed: CaseAction =
      (action.type === 'dispatch' || action.type === 'redispatch') && action.tier !== 1
        ? { ...action, responseDeadline: computeDeadline(new Date(at), RESPONSE_LIMIT, x.calendar) }
        : action;
    const r = transition(s, timed, { now: new Date(at), reopenWindowDays: 7 });
    if (!r.ok) throw new Error(`case generator: ${r.message}`);
    t = at;
    s = r.next;
    x.trail.push({
      at,
      actorUserId: userId,
      actorRole: role,
      action: action.type,
      fromState: r.event.from,
      toState: r.event.to,
      reason: r.event.reason ?? null,
      payload: r.event.payload,
    });
    return true;
  };

  const u = rng.next();
  if (u < 0.03) {
    act(
      rng.minutes(50),
      { type: 'reject', reason: rng.pick(REJECT_REASONS), note: '经核实不予立案' },
      'street_dispatcher',
      dispatcher,
    );
    return { snapshot: s, mergedInto: null, mergedAt: 0 };
  }
  if (u < 0.07 && x.mergeTarget) {
    const merged = act(
      rng.minutes(40),
      { type: 'merge', targetCaseId: x.mergeTarget.id },
      'street_dispatcher',
      dispatcher,
    );
    return { snapshot: s, mergedInto: merged ? x.mergeTarget : null, mergedAt: t };
  }

  const acceptDelay = rng.minutes(45);
  const deadline = computeDeadline(new Date(t + acceptDelay), category.handlingLimit, x.calendar);
  if (
    !act(
      acceptDelay,
      { type: 'accept', categoryKey: category.key, deadline },
      'street_dispatcher',
      dispatcher,
    )
  )
    return { snapshot: s, mergedInto: null, mergedAt: 0 };

  // Three-tier triage: on the spot by the grid worker, one unit, or the whistle for several.
  const tierDraw = rng.next();
  const tier = tierDraw < 0.3 ? 1 : tierDraw < 0.995 ? 2 : 3;
  let unit = x.unit;
  // Cleaning matters in an alley often go to the alley's service company instead of enforcement.
  if (tier === 2 && x.contractorId && /^event:06(010|011|012|042)$/.test(category.key) && rng.chance(0.4))
    unit = x.contractorId;
  let handlerRole = 'department_handler';
  let handler = staff('department_handler', unit);
  if (unit.startsWith('org-contractor')) {
    handlerRole = 'contractor';
    handler = staff('contractor', unit);
  }
  const units = [
    `org-cg-${street}`,
    ...(rng.chance(0.5) ? ['org-public_security'] : ['org-market_regulation']),
  ];
  if (tier === 1) {
    handlerRole = 'grid_worker';
    handler = staff('grid_worker', street);
    act(
      rng.minutes(15),
      { type: 'dispatch', tier: 1, handlerUserId: handler },
      'street_dispatcher',
      dispatcher,
    );
  } else if (tier === 2) {
    act(rng.minutes(20), { type: 'dispatch', tier: 2, unitId: unit }, 'street_dispatcher', dispatcher);
    if (rng.chance(0.04)) {
      act(rng.minutes(120), { type: 'send_back', reason: rng.pick(SEND_BACK_REASONS) }, handlerRole, handler);
      unit = unit === `org-cg-${street}` ? `org-street-${street}` : `org-cg-${street}`;
      handlerRole = 'department_handler';
      handler = staff('department_handler', unit);
      act(
        rng.minutes(60),
        { type: 'redispatch', tier: 2, unitId: unit, note: '改派' },
        'street_dispatcher',
        dispatcher,
      );
    }
    act(rng.minutes(90), { type: 'sign' }, handlerRole, handler);
  } else {
    act(rng.minutes(30), { type: 'dispatch', tier: 3, unitIds: units }, 'street_dispatcher', dispatcher);
    for (const id of units)
      act(
        rng.minutes(240),
        { type: 'report_in', unitId: id },
        'department_handler',
        staff('department_handler', id),
      );
  }

  if (rng.chance(0.01)) {
    act(rng.minutes(600), { type: 'suspend', reason: '等待产权单位确认' }, 'street_dispatcher', dispatcher);
    act(rng.minutes(4 * 1440), { type: 'resume', note: '已确认，恢复办理' }, handlerRole, handler);
  }
  if (s.state !== 'dispatched' && rng.chance(0.03) && s.deadline) {
    const requested = new Date(Date.parse(s.deadline) + 3 * DAY_MS);
    act(
      rng.minutes(600),
      { type: 'extension_request', requestedDeadline: requested, reason: '需协调多方' },
      handlerRole,
      handler,
    );
    if (rng.chance(0.8))
      act(rng.minutes(120), { type: 'extension_approve' }, 'street_dispatcher', dispatcher);
    else
      act(
        rng.minutes(120),
        { type: 'extension_refuse', reason: '时限内可完成' },
        'street_dispatcher',
        dispatcher,
      );
  }

  // Handling time follows the category's limit; about 1 % stall for weeks (the backlog every city has).
  const limit = category.handlingLimit;
  const limitMinutes =
    limit.unit === 'working_days'
      ? limit.amount * 1440
      : limit.unit === 'working_hours'
        ? limit.amount * 180
        : limit.amount * 60;
  let work = rng.minutes(Math.max(90, limitMinutes * 0.35), 0.9);
  if (rng.chance(0.012)) {
    work += (10 + rng.int(60)) * DAY_MS;
    act(rng.minutes(5 * 1440, 0.3), { type: 'supervise', note: '超期督办' }, 'street_dispatcher', dispatcher);
  }
  const feedback = (delay: number) =>
    act(
      delay,
      rng.chance(0.9)
        ? { type: 'feedback', note: rng.pick(FEEDBACK_NOTES), afterPhotoIds: [`media_${rng.hex(32)}`] }
        : {
            type: 'feedback',
            note: rng.pick(FEEDBACK_NOTES),
            afterPhotoIds: [],
            noPhotoReason: '院内无法拍照',
          },
      tier === 3 ? 'department_handler' : handlerRole,
      tier === 3 ? staff('department_handler', units[0]!) : handler,
    );
  const close = () => {
    if (tier === 3) {
      act(
        rng.minutes(720),
        { type: 'accept_joint_action', note: '验收通过' },
        'street_dispatcher',
        dispatcher,
      );
      return;
    }
    if (rng.chance(0.05)) {
      act(rng.minutes(240), { type: 'verify_fail', reason: rng.pick(FAIL_REASONS) }, 'inspector', inspector);
      feedback(rng.minutes(600));
    }
    act(rng.minutes(240), { type: 'verify_pass', note: '核查通过' }, 'inspector', inspector);
  };
  feedback(work);
  close();
  if (s.state === 'closed' && rng.chance(0.45)) {
    const r = rng.next();
    const rating = r < 0.85 ? RATINGS[0] : r < 0.95 ? RATINGS[1] : RATINGS[2];
    const byReporter = x.resident && rng.chance(0.5);
    act(
      Math.min(rng.minutes(1440), 5 * DAY_MS),
      { type: 'rate', rating, via: byReporter ? 'reporter' : 'follow_up_call' },
      byReporter ? 'resident' : 'street_dispatcher',
      byReporter ? null : dispatcher,
    );
    // A dissatisfied reporter reopens within the window; the same unit works it again.
    if (rating === 'dissatisfied' && byReporter && rng.chance(0.5)) {
      act(rng.minutes(60, 0.5), { type: 'reopen', reason: '问题仍然存在' }, 'resident', null);
      feedback(rng.minutes(1440));
      close();
    }
  }
  return { snapshot: s, mergedInto: null, mergedAt: 0 };
}

// ---- what the intake benchmark posts -------------------------------------------------------------

export interface ReportBody {
  description: string;
  lng: number;
  lat: number;
  categoryCode?: string;
  address?: string;
  contact?: string;
}

/** `n` public reports drawn from the same places and categories as the history. */
export function reportBodies(
  world: World,
  categories: readonly Category[],
  n: number,
  seed: number,
): ReportBody[] {
  const rng = new Rng(seed);
  const sampler = categorySampler(categories, seed + 1);
  const out: ReportBody[] = [];
  for (let i = 0; i < n; i++) {
    const { lng, lat, location } = samplePoint(world, rng);
    const category = sampler.sample(rng);
    const streetName = world.streetNames.get(location.street.code) ?? location.street.name;
    const body: ReportBody = {
      description: description(rng, location.alley?.name ?? null, streetName, category),
      lng: Math.round(lng * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
    };
    if (rng.chance(0.55)) body.categoryCode = category.key;
    if (rng.chance(0.5) && location.alley) body.address = `${location.alley.name}${1 + rng.int(80)}号`;
    if (rng.chance(0.6)) body.contact = phone(rng);
    out.push(body);
  }
  return out;
}

/** The same report as the public route hands it to the service. */
export function intakeInput(b: ReportBody): IntakeInput {
  return {
    channel: 'resident',
    description: b.description,
    lng: b.lng,
    lat: b.lat,
    crs: 'wgs84',
    categoryKey: b.categoryCode ?? null,
    address: b.address ?? null,
    reporterName: null,
    reporterContact: b.contact ?? null,
    photoIds: [],
  };
}

// ---- loading -------------------------------------------------------------------------------------

/** What `pg` hands a submittable query; the copy methods exist on the connection but not in its types. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` on a `pg` client without an extra package: a submittable query that answers the
 * server's CopyInResponse with the text in 64 KiB CopyData messages, then CopyDone.
 */
class CopyFromText implements pg.Submittable {
  readonly done: Promise<void>;
  private settle!: (err: Error | null) => void;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly data: CopyText,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (err) => (err ? reject(err) : resolve());
    });
  }

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const c = connection as unknown as CopyConnection;
    const buf =
      typeof this.data === 'string'
        ? Buffer.from(this.data, 'utf8')
        : Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    for (let at = 0; at < buf.length; at += 65_536) c.sendCopyFromChunk(buf.subarray(at, at + 65_536));
    c.endCopyFrom();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (!this.failed) this.settle(null);
  }

  handleError(err: Error): void {
    this.failed = true;
    this.settle(err);
  }
}

function copySql(table: string, columns: readonly string[], source: string): string {
  return `copy ${table} (${columns.join(', ')}) from ${source}`;
}

/** One batch in one transaction on a PostgreSQL client. */
export async function loadBatchPg(client: pg.PoolClient, b: Batch): Promise<void> {
  await client.query('begin');
  try {
    for (const [table, columns, data] of [
      ['case_record', CASE_COLUMNS, b.caseCopy],
      ['case_event', EVENT_COLUMNS, b.eventCopy],
      ['case_follower', FOLLOWER_COLUMNS, b.followerCopy],
    ] as const) {
      if (!data.length) continue;
      const copy = new CopyFromText(copySql(table, columns, 'stdin'), data);
      client.query(copy);
      await copy.done;
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  }
}

/** One batch in one transaction on PGlite, which reads COPY data from a blob. */
export async function loadBatchPglite(pglite: PGlite, b: Batch): Promise<void> {
  await pglite.transaction(async (tx) => {
    for (const [table, columns, data] of [
      ['case_record', CASE_COLUMNS, b.caseCopy],
      ['case_event', EVENT_COLUMNS, b.eventCopy],
      ['case_follower', FOLLOWER_COLUMNS, b.followerCopy],
    ] as const) {
      if (!data.length) continue;
      await tx.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([data]) });
    }
  });
}

/** The day counters, so that intake continues the numbering instead of colliding with the history. */
export function counterRows(counters: readonly [string, number][]): string {
  return counters.map(([day, last]) => copyLine([DEMO_DISTRICT.code, day, last])).join('');
}
export const COUNTER_COLUMNS = ['district_code', 'day', 'last'] as const;

export async function copyPg(client: pg.PoolClient, table: string, columns: readonly string[], data: string) {
  const copy = new CopyFromText(copySql(table, columns, 'stdin'), data);
  client.query(copy);
  await copy.done;
}

export async function copyPglite(pglite: PGlite, table: string, columns: readonly string[], data: string) {
  await pglite.query(copySql(table, columns, "'/dev/blob'"), [], { blob: new Blob([data]) });
}
