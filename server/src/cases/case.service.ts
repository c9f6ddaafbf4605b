import { createHash, randomInt } from 'node:crypto';
import { gridDisk, latLngToCell } from 'h3-js';
import type { Kysely } from 'kysely';
import {
  type Actor,
  authorise,
  caseListFilter,
  decide,
  decideCaseAction,
  SYSTEM_ACTOR as SYSTEM,
} from '../accounts/authorisation.ts';
import { TIER1_HANDLER_ROLES } from '../accounts/roles.ts';
import { computeDeadline, type DeadlineLimit } from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseChannel, CaseRow, Database } from '../db/schema.ts';
import { attachMedia } from '../media/media.repository.ts';
import { publicMediaView } from '../media/media.schema.ts';
import type { MediaService } from '../media/media.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { GroupLimits } from '../shared/grouper.ts';
import { newId } from '../shared/ids.ts';
import { type Crs, haversineMeters } from '../territory/geometry.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { assertJointTasksDone } from '../whistle/whistle.precheck.ts';

/** A joint action summons at least this many units (the whistle service keeps it so on refusals). */
export const MIN_JOINT_UNITS = 2;

import { parseActionBody } from './case.action.schema.ts';
import { actionsFor, caseParties } from './case.allowed.ts';
import {
  type ApplyContext,
  applyToCase,
  CaseEventSubscribers,
  type CasePlan,
  SYSTEM_ACTOR,
} from './case.apply.ts';
import { PUBLIC_STATUS_LABELS, PUBLIC_STEP_LABELS } from './case.labels.ts';
import { CaseNumberTaker, ReportWriter } from './case.report-writer.ts';
import {
  caseRepository,
  type IdempotencyRecord,
  type NewCase,
  newCaseRow,
  type StoredIdempotency,
} from './case.repository.ts';
import {
  ACTION_ROLES,
  ACTION_TYPES,
  type ActionType,
  type CaseAction,
  type CaseState,
  initialSnapshot,
  type JsonValue,
  ROLE_LINK,
} from './case.state.ts';
import { canonicalJson, type TrailProblem, verifyTrail } from './case.trail.ts';

export interface IntakeInput {
  channel: CaseChannel;
  description: string;
  lng: number;
  lat: number;
  crs: Crs;
  categoryKey?: string | null;
  address?: string | null;
  reporterName?: string | null;
  reporterContact?: string | null;
  externalRef?: string | null;
  /** Uploaded photos (media ids) to attach to the new case as its report photos. */
  photoIds?: string[];
  /**
   * Only the street is known (a 12345 address naming a road or the street alone): the point is the
   * street's centre and stands for the street only, so the case is not pinned to whichever community,
   * grid or alley happens to lie there.
   */
  streetOnly?: string;
  /**
   * Without a category, take the classifier's suggestion as the category when its confidence is at
   * least this (12345 orders); below it the case waits for a dispatcher to choose.
   */
  categoryFromSuggestionAt?: number;
}

/** What the case loop needs from the taxonomy (SPEC §3): a category's settings and its routing. */
export interface CategoryDirectory {
  entry(
    keyOrCode: string,
    districtCode: string,
  ): Promise<{
    key: string;
    name: string;
    handlingLimit: DeadlineLimit;
    /** How long a dispatched unit has to sign for (or report in to) a case of this category. */
    responseLimit?: DeadlineLimit;
    severity: string;
    public: boolean;
    relatedKeys: string[];
  } | null>;
  route(
    key: string,
    location: { streetCode: string; communityCode: string | null; gridCode: string | null },
  ): Promise<{ organisationId: string; organisationName: string | null; reason?: string } | null>;
  /** Registers a callback for when a district's categories change, so cached entries are dropped. */
  onChange?(listener: (districtCode: string) => void): void;
}

type CategoryEntry = NonNullable<Awaited<ReturnType<CategoryDirectory['entry']>>>;

/**
 * How long a cached category entry is used before the taxonomy is asked again. Changes made through
 * this process drop the cache at once (`onChange`); this bounds how long a change made by another
 * server process goes unseen, as the locator does with the territory.
 */
const CATEGORY_RECHECK_MS = 5_000;

export interface CaseOptions {
  /** Days after closing in which the reporter may reopen (calendar days). */
  reopenWindowDays: number;
  /** Duplicate candidates: open cases within this distance and this many days (SPEC §4.2). */
  duplicateRadiusM: number;
  duplicateWindowDays: number;
  /** Handling limit used when the taxonomy names none. */
  defaultHandlingLimit: DeadlineLimit;
  /** The response limit (签收 / 报到) when the category names none. */
  defaultResponseLimit?: DeadlineLimit;
  /** The taxonomy, when one is configured: categories are then checked, limited and routed by it. */
  categories?: CategoryDirectory;
  /** Photo storage, when configured: report and after-photos are then attached and shown. */
  media?: MediaService;
  /**
   * Told of every case event in its transaction (notifications, the webhook outbox, measure rollups);
   * see `case.apply.ts`. Shared with the SLA sweep and the whistle; none when absent.
   */
  subscribers?: CaseEventSubscribers;
  /** The report-text classifier, when configured: proposes a category at intake, learns from filings. */
  suggester?: CategorySuggester;
  /** How concurrent intakes are grouped into statements (DEFAULT_INTAKE_GROUPS). */
  intakeGroups?: { reports?: GroupLimits; numbers?: GroupLimits };
}

/** A category proposed for a report's text, with the model that proposed it (SPEC §7.1). */
export interface CategorySuggestion {
  key: string;
  /** Calibrated probability of `key`, 0–1. */
  confidence: number;
  model: string;
}

/** A category a dispatcher confirmed for a case, with what had been proposed for it. */
export interface ConfirmedCategory {
  caseId: string;
  districtCode: string;
  text: string;
  finalKey: string;
  suggestedKey: string | null;
  suggestedConfidence: number | null;
  suggestedModel: string | null;
  actorUserId: string;
  actorRole: string;
  at: Date;
}

/**
 * What the case loop needs from a classifier, so that cases/ does not depend on how it works. A
 * suggestion only helps the dispatcher: `suggest` may answer null, and a failure is reported to
 * `failed` and otherwise ignored, so a report is never held up by it.
 */
export interface CategorySuggester {
  suggest(text: string): Promise<CategorySuggestion | null>;
  failed(error: unknown): void;
  /** Runs in the filing action's transaction; use only `trx`. */
  onCategoryConfirmed(trx: Kysely<Database>, confirmed: ConfirmedCategory): Promise<void>;
}

export const DEFAULT_CASE_OPTIONS: CaseOptions = {
  reopenWindowDays: 7,
  duplicateRadiusM: 50,
  duplicateWindowDays: 7,
  defaultHandlingLimit: { amount: 3, unit: 'working_days' },
  defaultResponseLimit: { amount: 2, unit: 'working_hours' },
};

/** Action bodies carry dates as ISO strings; the state machine takes Dates. */
const DATE_FIELDS = ['deadline', 'requestedDeadline'] as const;

export interface IntakeResult {
  id: string;
  caseNumber: string;
  trackingCode: string;
}

export interface IntakeOptions {
  /**
   * Writes what belongs to the new case (a channel's own record of the request) in the case's
   * transaction, so that either both are stored or neither; throwing rolls the case back. A replayed
   * request does not call it. Use only `trx`.
   */
  afterInsert?: (trx: Kysely<Database>, created: IntakeResult) => Promise<void>;
}

// Crockford's alphabet: no I, L, O or U, so a code read over the phone is not misheard.
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Twelve characters: the database keeps a code unique within its district only (decision 0004), so
 * codes must not meet by chance across districts either — about 1 in 20,000 for 10^7 cases in all.
 */
function trackingCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)];
  return s;
}

/** States in which a case can no longer be anyone's duplicate. */
const FINISHED_STATES = new Set(['closed', 'rejected', 'merged']);
/** Cases read per duplicate search: the newest of a few hundred metres and a week are plenty. */
const DUPLICATE_SCAN_LIMIT = 500;
/**
 * H3 rings around a report's resolution-9 cell that hold every point within `radiusM`. A cell at
 * ring distance k + 1 is at least k cell edges away, and no resolution-9 edge is shorter than about
 * 148 m anywhere on the globe; 100 m per ring leaves a margin (1 ring up to 100 m, 7 cells).
 */
export function ringsFor(radiusM: number): number {
  return Math.max(1, Math.ceil(radiusM / 100));
}

/** One report of a batch (`CaseService.intakeBatch`): what `intake` takes, with its Idempotency-Key. */
export interface BatchIntakeItem {
  input: IntakeInput;
  idempotencyKey: string;
  /** What else makes two submissions the same request, as for `intake`. */
  sameness?: Record<string, unknown>;
}

/** A report of a batch located, classified and checked, not yet numbered (`CaseService.prepareBatch`). */
interface PreparedReport {
  index: number;
  item: BatchIntakeItem;
  hash: string;
  location: Awaited<ReturnType<TerritoryService['locate']>>;
  suggestion: CategorySuggestion | null;
  category: CategoryEntry | null;
}

/** A batch of reports ready to be written (`CaseService.writeBatch`). */
export interface PreparedBatch {
  readonly actor: Actor | null;
  readonly items: readonly BatchIntakeItem[];
  /** Items refused while preparing. */
  readonly outcomes: readonly BatchIntakeOutcome[];
  readonly prepared: readonly PreparedReport[];
  readonly twins: readonly { index: number; first: number; hash: string }[];
}

export interface BatchWriteOptions {
  /** Writes the caller's own rows for the new cases, in their transaction (only `trx`). */
  afterInsert?: (
    trx: Kysely<Database>,
    created: readonly { index: number; result: IntakeResult }[],
  ) => Promise<void>;
}

/** What became of one report of a batch: filed (or replayed), or refused with the error `intake` throws. */
export type BatchIntakeOutcome =
  | { result: IntakeResult; replayed: boolean; error: null }
  | { result: null; replayed: false; error: AppError };

/** The hash an Idempotency-Key's request is compared by: the canonical JSON of its body. */
function requestHashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** A unique key was taken meanwhile (PostgreSQL's and PGlite's SQLSTATE 23505). */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

function keyReused(): AppError {
  return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request', {
    field: 'Idempotency-Key',
  });
}

/** The day of a date in Beijing (UTC+8, no daylight saving), as yyyymmdd. */
function beijingDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export class CaseService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly territory: TerritoryService,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly options: CaseOptions = DEFAULT_CASE_OPTIONS,
  ) {
    options.categories?.onChange?.((districtCode) => this.forgetCategories(districtCode));
    this.caseSubscribers = options.subscribers ?? new CaseEventSubscribers();
    this.reportWriter = new ReportWriter(db, options.intakeGroups?.reports, this.caseSubscribers);
    this.numberTaker = new CaseNumberTaker(db, options.intakeGroups?.numbers);
  }

  private readonly caseSubscribers: CaseEventSubscribers;
  private readonly reportWriter: ReportWriter;
  private readonly numberTaker: CaseNumberTaker;

  /** Category entries by district and key or code: two or three statements saved per categorised report. */
  private readonly categoryCache = new Map<string, { entry: CategoryEntry; checkedAt: number }>();

  private forgetCategories(districtCode: string): void {
    for (const k of this.categoryCache.keys())
      if (k.startsWith(`${districtCode}\u0000`)) this.categoryCache.delete(k);
  }

  /** A category of the district's active taxonomy, from the cache when it was read recently. */
  private async cachedEntry(directory: CategoryDirectory, keyOrCode: string, districtCode: string) {
    const cacheKey = `${districtCode}\u0000${keyOrCode}`;
    const now = this.clock.now().getTime();
    const hit = this.categoryCache.get(cacheKey);
    // A clock moved backwards (tests do) must not keep an entry forever.
    if (hit && now - hit.checkedAt < CATEGORY_RECHECK_MS && now >= hit.checkedAt) return hit.entry;
    const entry = await directory.entry(keyOrCode, districtCode);
    if (entry) this.categoryCache.set(cacheKey, { entry, checkedAt: now });
    else this.categoryCache.delete(cacheKey);
    return entry;
  }

  private get repo() {
    return caseRepository(this.db);
  }

  /** The subscribers told of every case event (shared with the sweep and the whistle). */
  get subscribers(): CaseEventSubscribers {
    return this.caseSubscribers;
  }

  private applyContext(now: Date): ApplyContext {
    return { now, reopenWindowDays: this.options.reopenWindowDays, subscribers: this.caseSubscribers };
  }

  /**
   * Runs `create` at most once per (scope, key). The same key with the same body returns the first
   * result; with a different body it is refused. `create` runs only after the replay check, so a
   * replay does no work at all (it takes no case number); it receives the key's record and must store
   * it, with its answer as the response, in the same transaction or statement as what it creates
   * (intake: `insertReports`), so a crash leaves neither, and a concurrent twin loses on the primary key.
   * `firstLook` replaces the first replay check, so that it can share a round trip with `create`'s
   * first step (intake: the case number); a replay after a failed `create` reads the key itself.
   */
  async idempotent<T>(
    scope: string,
    key: string | undefined,
    body: unknown,
    create: (claim: IdempotencyRecord | null) => Promise<T>,
    firstLook?: (scope: string, key: string) => Promise<StoredIdempotency | undefined>,
  ): Promise<{ result: T; replayed: boolean }> {
    if (!key) return { result: await create(null), replayed: false };
    if (key.length > 200)
      throw AppError.validation([{ field: 'Idempotency-Key', message: 'at most 200 characters' }]);
    const requestHash = requestHashOf(body);
    const replay = async (look = firstLook ?? ((s: string, k: string) => this.repo.getIdempotent(s, k))) => {
      const prior = await look(scope, key);
      if (!prior) return null;
      if (prior.request_hash !== requestHash) throw keyReused();
      return { result: prior.response as T, replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    try {
      const result = await create({
        scope,
        key,
        requestHash,
        statusCode: 201,
        // Filled in by `create` with what it answers.
        response: null,
        now: this.clock.now(),
      });
      return { result, replayed: false };
    } catch (err) {
      // A twin request committed first: answer as it did.
      const twin = await replay((s, k) => this.repo.getIdempotent(s, k)).catch((e: unknown) => {
        throw e instanceof AppError ? e : err;
      });
      if (twin) return twin;
      throw err;
    }
  }

  /** A category from the taxonomy, or a validation error naming `field` when it does not exist. */
  private async category(
    keyOrCode: string | null | undefined,
    districtCode: string,
    field: string,
  ): Promise<CategoryEntry | null> {
    if (!keyOrCode) return null;
    const directory = this.options.categories;
    if (!directory)
      return {
        key: keyOrCode,
        name: keyOrCode,
        handlingLimit: this.options.defaultHandlingLimit,
        severity: 'normal',
        public: true,
        relatedKeys: [],
      };
    const entry = await this.cachedEntry(directory, keyOrCode, districtCode);
    if (!entry) throw AppError.validation([{ field, message: `no category ${keyOrCode} in the taxonomy` }]);
    return entry;
  }

  /**
   * What a new report needs before it is numbered: where it lies, the classifier's suggestion and its
   * category. No lock is taken and nothing is written; an unknown category named by the input, or a
   * point outside the territory, is refused here.
   */
  private async prepareReport(input: IntakeInput) {
    const located = await this.territory.locate(input.lng, input.lat, input.crs);
    const location = input.streetOnly
      ? {
          ...located,
          street: { ...located.street, code: input.streetOnly },
          community: null,
          grid: null,
          alley: null,
        }
      : located;
    // Proposed before any lock is taken; it never fails or holds up a report (CategorySuggester).
    const suggester = this.options.suggester;
    const suggestion = suggester
      ? await suggester.suggest(input.description).catch((error: unknown) => {
          suggester.failed(error);
          return null;
        })
      : null;
    const threshold = input.categoryFromSuggestionAt;
    const categoryKey =
      input.categoryKey ??
      (threshold !== undefined && suggestion && suggestion.confidence >= threshold ? suggestion.key : null);
    // A suggestion from another district's taxonomy is no category here: the case then waits.
    const category = await this.category(categoryKey, location.street.code.slice(0, 6), 'categoryCode').catch(
      (err: unknown) => {
        if (input.categoryKey || !(err instanceof AppError)) throw err;
        return null;
      },
    );
    return { location, suggestion, category };
  }

  /** Files a new report from any channel: locates it, numbers it and writes its first event. */
  async intake(
    actor: Actor | null,
    input: IntakeInput,
    idempotencyKey?: string,
    /** What else makes two submissions the same request (e.g. the photos' content hashes). */
    sameness: Record<string, unknown> = {},
    options: IntakeOptions = {},
  ): Promise<{ result: IntakeResult; replayed: boolean }> {
    const { location, suggestion, category } = await this.prepareReport(input);
    const scope = `intake:${actor?.userId ?? 'public'}`;
    const { photoIds: _uploadIds, ...request } = input;
    const now = this.clock.now();
    const districtCode = location.street.code.slice(0, 6);
    const day = beijingDay(now);
    // The number is taken in a statement of its own before the case is written, so the day's counter
    // row is locked for that statement only; a write that fails afterwards leaves a gap in the
    // numbering (docs/decisions/0002-case-numbers-outside-intake.md). With a key, the replay check is
    // part of that statement, and a replay takes no number.
    let taken: number | null = null;
    const replayOrNumber = async (s: string, k: string) => {
      const claim = await this.numberTaker.take(districtCode, day, { scope: s, key: k });
      taken = claim.number;
      return claim.prior ?? undefined;
    };
    const body = { ...request, ...sameness };
    return this.idempotent(
      scope,
      idempotencyKey,
      body,
      async (claim) => {
        const seq = taken ?? (await this.numberTaker.take(districtCode, day, null)).number!;
        const { newCase, event, result } = this.newReport(
          actor,
          input,
          location,
          category,
          suggestion,
          seq,
          now,
        );
        const report = { case: newCase, event, idempotency: claim && { ...claim, response: result } };
        const photoIds = input.photoIds ?? [];
        // The subscribers are told of the report in its transaction; asked first, so that a report
        // nobody listens for keeps its one-statement write.
        const told = await this.subscribers.wants(districtCode, 'report');
        const { afterInsert } = options;
        if (photoIds.length || afterInsert) {
          await this.db.transaction().execute(async (trx) => {
            const [stored] = await caseRepository(trx).insertReports([report]);
            if (photoIds.length)
              await attachMedia(trx, photoIds, { kind: 'case', id: result.id, districtCode });
            if (afterInsert) await afterInsert(trx, result);
            if (told)
              await this.subscribers.publishReports(trx, [{ event: stored!, after: newCaseRow(newCase) }]);
          });
        } else {
          // Reports arriving together share one statement (ReportWriter); one statement is atomic on its
          // own, so a report nobody listens for needs no BEGIN and COMMIT, and one that is listened for
          // shares its group's transaction with the subscribers' writes.
          await this.reportWriter.write(report, told);
        }
        return result;
      },
      replayOrNumber,
    );
  }

  /**
   * Files many reports as `intake` files each (the same location, suggestion, category, case row,
   * first event, key and subscribers), in one transaction: for a file of orders (hotline import).
   *
   * - Each item carries an Idempotency-Key. The keys are looked up, and the numbers of the new ones
   *   taken, in one statement per district (`nextCaseNumbers`, as `intake`'s number taker does, outside
   *   the transaction: decision 0002); numbers follow the order of the items.
   * - The cases, their first events and their keys are one multi-row statement; the subscribers of
   *   `report` are told of them together, and `afterInsert` writes the caller's own rows, all in the
   *   same transaction: the batch is written whole or not at all.
   * - An item refused on its own (outside the territory, an unknown category, a key used with another
   *   request) is answered with its error and does not hold up the others; a key already answered is
   *   replayed.
   * - If the transaction fails on a unique key (a twin request committed one of the keys meanwhile),
   *   each item is filed again through `intake` on its own, which replays the twin's answer; any other
   *   failure is thrown with nothing of the batch written. Numbers taken for a failed transaction stay
   *   unused, as after any failed intake.
   */
  async intakeBatch(
    actor: Actor | null,
    items: readonly BatchIntakeItem[],
    options: BatchWriteOptions = {},
  ): Promise<BatchIntakeOutcome[]> {
    return this.writeBatch(await this.prepareBatch(actor, items), options);
  }

  /**
   * The first half of `intakeBatch`: locates each report, asks the classifier and checks its category,
   * reading nothing but cached directories and writing nothing, so that a caller may prepare the next
   * batch while the previous one is being written (hotline import).
   */
  async prepareBatch(actor: Actor | null, items: readonly BatchIntakeItem[]): Promise<PreparedBatch> {
    const outcomes: BatchIntakeOutcome[] = new Array(items.length);
    const prepared: PreparedReport[] = [];
    // A key twice in one batch: the later item is answered as a retry of the first would be.
    const twins: { index: number; first: number; hash: string }[] = [];
    const firstOfKey = new Map<string, PreparedReport>();
    for (const [index, item] of items.entries()) {
      const { photoIds: _uploadIds, ...request } = item.input;
      const hash = requestHashOf({ ...request, ...(item.sameness ?? {}) });
      const first = firstOfKey.get(item.idempotencyKey);
      if (first) {
        twins.push({ index, first: first.index, hash });
        continue;
      }
      if (item.idempotencyKey.length > 200) {
        const error = AppError.validation([{ field: 'Idempotency-Key', message: 'at most 200 characters' }]);
        outcomes[index] = { result: null, replayed: false, error };
        continue;
      }
      try {
        const p = { index, item, hash, ...(await this.prepareReport(item.input)) };
        prepared.push(p);
        firstOfKey.set(item.idempotencyKey, p);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        outcomes[index] = { result: null, replayed: false, error: err };
      }
    }
    return { actor, items, outcomes, prepared, twins };
  }

  /** The second half of `intakeBatch`: numbers, writes and answers a prepared batch. */
  async writeBatch(batch: PreparedBatch, options: BatchWriteOptions = {}): Promise<BatchIntakeOutcome[]> {
    const { actor, prepared, twins } = batch;
    const outcomes = [...batch.outcomes];
    const refused = (index: number, error: AppError) => {
      outcomes[index] = { result: null, replayed: false, error };
    };
    const scope = `intake:${actor?.userId ?? 'public'}`;
    const now = this.clock.now();
    const day = beijingDay(now);
    type Prepared = PreparedReport;
    // Replays and numbers, one statement per district, in the order of the items.
    const byDistrict = new Map<string, Prepared[]>();
    for (const p of prepared) {
      const d = p.location.street.code.slice(0, 6);
      byDistrict.set(d, [...(byDistrict.get(d) ?? []), p]);
    }
    const toWrite: (Prepared & { seq: number })[] = [];
    for (const [district, group] of byDistrict) {
      const taken = await this.repo.nextCaseNumbers(
        district,
        day,
        group.map((p) => ({ scope, key: p.item.idempotencyKey })),
      );
      for (const [i, p] of group.entries()) {
        const t = taken[i]!;
        if (t.prior === null) toWrite.push({ ...p, seq: t.number });
        else if (t.prior.request_hash === p.hash)
          outcomes[p.index] = { result: t.prior.response as IntakeResult, replayed: true, error: null };
        else refused(p.index, keyReused());
      }
    }
    toWrite.sort((a, b) => a.index - b.index);
    const reports = toWrite.map((p) => ({
      p,
      ...this.newReport(actor, p.item.input, p.location, p.category, p.suggestion, p.seq, now),
    }));
    // Asked before the transaction: on the embedded engine a query outside it would wait for it forever.
    const told = new Map<string, boolean>();
    for (const d of byDistrict.keys()) told.set(d, await this.subscribers.wants(d, 'report'));
    if (reports.length) {
      try {
        await this.db.transaction().execute(async (trx) => {
          const stored = await caseRepository(trx).insertReports(
            reports.map((r) => ({
              case: r.newCase,
              event: r.event,
              idempotency: {
                scope,
                key: r.p.item.idempotencyKey,
                requestHash: r.p.hash,
                statusCode: 201,
                response: r.result,
                now,
              },
            })),
          );
          for (const r of reports) {
            const photoIds = r.p.item.input.photoIds ?? [];
            if (photoIds.length)
              await attachMedia(trx, photoIds, {
                kind: 'case',
                id: r.result.id,
                districtCode: r.newCase.district_code,
              });
          }
          if (options.afterInsert)
            await options.afterInsert(
              trx,
              reports.map((r) => ({ index: r.p.index, result: r.result })),
            );
          await this.subscribers.publishReports(
            trx,
            reports.flatMap((r, i) =>
              told.get(r.newCase.district_code) ? [{ event: stored[i]!, after: newCaseRow(r.newCase) }] : [],
            ),
          );
        });
        for (const r of reports) outcomes[r.p.index] = { result: r.result, replayed: false, error: null };
      } catch (err) {
        // Only a key that a twin request committed meanwhile is retried, one by one, so that the twin's
        // answer is replayed; any other failure leaves the whole batch unwritten and is thrown.
        if (!isUniqueViolation(err)) throw err;
        const { afterInsert } = options;
        for (const r of reports) {
          try {
            const one = await this.intake(actor, r.p.item.input, r.p.item.idempotencyKey, r.p.item.sameness, {
              ...(afterInsert && {
                afterInsert: (trx, result) => afterInsert(trx, [{ index: r.p.index, result }]),
              }),
            });
            outcomes[r.p.index] = { ...one, error: null };
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            refused(r.p.index, err);
          }
        }
      }
    }
    for (const t of twins) {
      const first = outcomes[t.first]!;
      if (first.error) outcomes[t.index] = first;
      else if (prepared.find((p) => p.index === t.first)!.hash !== t.hash) refused(t.index, keyReused());
      else outcomes[t.index] = { result: first.result, replayed: true, error: null };
    }
    return outcomes;
  }

  /** The row and first event of a new case; the case number's sequence was taken before. */
  private newReport(
    actor: Actor | null,
    input: IntakeInput,
    location: Awaited<ReturnType<TerritoryService['locate']>>,
    category: CategoryEntry | null,
    suggestion: CategorySuggestion | null,
    seq: number,
    now: Date,
  ) {
    const districtCode = location.street.code.slice(0, 6);
    const day = beijingDay(now);
    const [lng, lat] = location.wgs84;
    const id = newId('case');
    const code = trackingCode();
    const snapshot = { ...initialSnapshot() };
    const caseNumber = `${districtCode}-${day}-${String(seq).padStart(5, '0')}`;
    const result: IntakeResult = { id, caseNumber, trackingCode: code };
    const newCase: NewCase = {
      id,
      district_code: districtCode,
      case_number: caseNumber,
      tracking_code: code,
      channel: input.channel,
      state: 'reported',
      snapshot,
      category_key: category?.key ?? null,
      suggested_key: suggestion?.key ?? null,
      suggested_confidence: suggestion?.confidence ?? null,
      suggested_model: suggestion?.model ?? null,
      description: input.description,
      address: input.address ?? null,
      lng,
      lat,
      crs_in: input.crs,
      h3_r9: latLngToCell(lat, lng, 9),
      street_code: location.street.code,
      community_code: location.community?.code ?? null,
      grid_code: location.grid?.code ?? null,
      alley_id: location.alley?.id ?? null,
      // Private categories (about individual households, say) never appear on public pages.
      public: category?.public ?? true,
      severity: category?.severity ?? 'normal',
      tier: null,
      assigned_org_id: null,
      reporter_user_id: actor?.userId ?? null,
      reporter_name: input.reporterName ?? null,
      reporter_contact: input.reporterContact ?? null,
      external_ref: input.externalRef ?? null,
      merged_into: null,
      response_deadline: null,
      handling_deadline: null,
      original_handling_deadline: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
    };
    const event = {
      caseId: id,
      districtCode,
      at: now,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? 'resident',
      action: 'report',
      fromState: null,
      toState: 'reported',
      reason: null,
      payload: {
        channel: input.channel,
        categoryKey: category?.key ?? null,
        crs: input.crs,
        photoIds: input.photoIds ?? [],
      },
    };
    return { newCase, event, result };
  }

  /**
   * Files several findings of one inspection or patrol as cases, all or none (SPEC §5): each goes through
   * intake (located, numbered, its `report` event told to the subscribers) and then through
   * `applyToCase` — filed by the system under the finding's category with `deadline` (`accept`), or
   * fixed on the spot by the finder (`handle_on_spot`) — and `within` writes the caller's own records,
   * all in one transaction. Every finding must lie inside the actor's jurisdiction (`case.create`).
   */
  async fileFindings(
    actor: Actor,
    findings: readonly {
      input: IntakeInput & { categoryKey: string };
      filing:
        | { kind: 'report' }
        | { kind: 'accept'; deadline: Date; evidence: { [k: string]: JsonValue } }
        | { kind: 'on_spot'; note: string; afterPhotoIds: string[]; noPhotoReason?: string };
    }[],
    within: (trx: Kysely<Database>, created: readonly IntakeResult[]) => Promise<void>,
  ): Promise<IntakeResult[]> {
    const prepared = [];
    for (const [i, f] of findings.entries()) {
      const location = await this.territory.locate(f.input.lng, f.input.lat, f.input.crs);
      authorise(actor, 'case.create', {
        territoryCodes: [location.street.code, location.community?.code, location.grid?.code].filter(
          (x): x is string => !!x,
        ),
      });
      const category = await this.category(
        f.input.categoryKey,
        location.street.code.slice(0, 6),
        `findings[${i}].categoryKey`,
      );
      prepared.push({ f, location, category: category! });
    }
    const now = this.clock.now();
    const day = beijingDay(now);
    // Numbers are taken one statement each before the transaction, as intake does (decision 0002).
    const seqs: number[] = [];
    for (const p of prepared)
      seqs.push((await this.numberTaker.take(p.location.street.code.slice(0, 6), day, null)).number!);
    const reports = prepared.map((p, i) => ({
      ...p,
      ...this.newReport(actor, p.f.input, p.location, p.category, null, seqs[i]!, now),
    }));
    const results = reports.map((r) => r.result);
    // Asked before the transaction: on the embedded engine a query outside it would wait for it forever.
    const told = new Map<string, boolean>();
    for (const r of reports)
      if (!told.has(r.newCase.district_code))
        told.set(r.newCase.district_code, await this.subscribers.wants(r.newCase.district_code, 'report'));
    await this.db.transaction().execute(async (trx) => {
      const stored = await caseRepository(trx).insertReports(
        reports.map((r) => ({ case: r.newCase, event: r.event, idempotency: null })),
      );
      for (const [i, r] of reports.entries()) {
        const photoIds = r.f.input.photoIds ?? [];
        if (photoIds.length)
          await attachMedia(trx, photoIds, {
            kind: 'case',
            id: r.result.id,
            districtCode: r.newCase.district_code,
          });
        if (told.get(r.newCase.district_code))
          await this.subscribers.publishReports(trx, [{ event: stored[i]!, after: newCaseRow(r.newCase) }]);
        const filing = r.f.filing;
        // A patrol's finding awaits the dispatcher's filing like any report.
        if (filing.kind === 'report') continue;
        const filed = { public: r.category.public, severity: r.category.severity };
        await applyToCase(
          trx,
          r.result.id,
          (c): CasePlan => {
            if (filing.kind === 'accept') {
              return {
                actor: SYSTEM_ACTOR,
                changes: [
                  {
                    action: { type: 'accept', categoryKey: r.category.key, deadline: filing.deadline },
                    reason: 'finding',
                    payload: { finding: filing.evidence },
                  },
                ],
                columns: filed,
              };
            }
            const decision = decideCaseAction(actor, ACTION_ROLES.handle_on_spot, 'reporter', caseParties(c));
            if (!decision.allowed)
              throw new AppError(decision.code, 'You may not fix this case on the spot', {
                action: 'handle_on_spot',
              });
            return {
              actor: { userId: actor.userId, role: actor.role },
              changes: [
                {
                  action: {
                    type: 'handle_on_spot',
                    categoryKey: r.category.key,
                    deadline: computeDeadline(now, r.category.handlingLimit, this.calendar),
                    handlerUserId: actor.userId,
                    note: filing.note,
                    afterPhotoIds: filing.afterPhotoIds,
                    ...(filing.noPhotoReason === undefined ? {} : { noPhotoReason: filing.noPhotoReason }),
                  },
                },
              ],
              columns: filed,
              alongside: async (t) => {
                if (filing.afterPhotoIds.length)
                  await attachMedia(t, filing.afterPhotoIds, {
                    kind: 'case',
                    id: c.id,
                    districtCode: c.district_code,
                  });
              },
            };
          },
          this.applyContext(now),
        );
      }
      await within(trx, results);
    });
    return results;
  }

  /** Intake by staff: patrol, inspection findings, camera events, hotline orders, the desk. */
  async staffIntake(
    actor: Actor,
    input: IntakeInput,
    idempotencyKey?: string,
    sameness: Record<string, unknown> = {},
    options: IntakeOptions = {},
  ) {
    const location = await this.territory.locate(input.lng, input.lat, input.crs);
    authorise(actor, 'case.create', {
      territoryCodes: [location.street.code, location.community?.code, location.grid?.code].filter(
        (x): x is string => !!x,
      ),
    });
    return this.intake(actor, input, idempotencyKey, sameness, options);
  }

  /**
   * Files a report by an auto-rule (SPEC §4.2: "the dispatcher, or an auto-rule, accepts"): the system
   * accepts it under `categoryKey` with the taxonomy's deadline, and the rule's evidence goes on the
   * trail. Not an `act()`: no person fires it, so nobody is authorised and no label is confirmed.
   * Answers null when the report is no longer awaiting filing: a person's decision stands.
   */
  async autoAccept(caseId: string, categoryKey: string, rule: { [k: string]: JsonValue }) {
    const found = await this.repo.findById(caseId);
    if (!found) throw new AppError('CASE_NOT_FOUND', `No case ${caseId}`, { id: caseId });
    const now = this.clock.now();
    const { action, filed } = await this.buildAction(found, 'accept', { categoryKey }, now, SYSTEM);
    const applied = await applyToCase(
      this.db,
      found.id,
      () => ({
        actor: SYSTEM_ACTOR,
        changes: [{ action, reason: 'auto_rule', payload: { rule } }],
        ...(filed && { columns: { public: filed.public, severity: filed.severity } }),
        ifRefused: 'skip',
      }),
      this.applyContext(now),
    );
    return applied ? toCaseDto(applied.after) : null;
  }

  /** The case actions this actor may fire on this row now (see `case.allowed.ts`). */
  allowedFor(actor: Actor, c: CaseRow) {
    return actionsFor(actor, c, { now: this.clock.now(), reopenWindowDays: this.options.reopenWindowDays });
  }

  async queue(actor: Actor, q: { states?: string[]; categoryKey?: string; limit: number; offset: number }) {
    const filter = caseListFilter(actor);
    return this.repo.queue({
      ...q,
      scopePrefix: filter.territoryPrefix,
      organisationId: filter.organisationId,
    });
  }

  /** What a reporter (or anyone with the code) may see: no person, no contact, no raw coordinates. */
  async publicView(trackingCode: string) {
    const c = await this.repo.findByTrackingCode(trackingCode.trim().toUpperCase());
    if (!c) throw new AppError('NOT_FOUND', 'No report has this tracking code', { field: 'trackingCode' });
    const events = await this.repo.events(c.id);
    const streetName = await this.territory.areaName(c.street_code);
    const alley = c.alley_id ? await this.territory.alleyName(c.alley_id) : null;
    const org = c.assigned_org_id ? await this.repo.organisationName(c.assigned_org_id) : undefined;
    const round = (v: number) => Math.round(v * 10_000) / 10_000;
    return {
      trackingCode: c.tracking_code,
      caseNumber: c.case_number,
      status: c.state,
      statusLabel: PUBLIC_STATUS_LABELS[c.state] ?? c.state,
      category: c.public ? c.category_key : null,
      description: c.public ? c.description : '',
      street: streetName ? { code: c.street_code, name: streetName } : null,
      alley: alley && c.alley_id ? { id: c.alley_id, name: alley } : null,
      location: [round(c.lng), round(c.lat)] as [number, number],
      reportedAt: c.created_at.toISOString(),
      closedAt: c.closed_at?.toISOString() ?? null,
      handlingUnit: org?.name ?? null,
      supporters: c.supporters,
      rating: typeof c.snapshot.rating === 'string' ? c.snapshot.rating : null,
      mergedInto: c.merged_into ? await this.followedCase(c.merged_into) : null,
      steps: events
        .filter((e) => PUBLIC_STEP_LABELS[e.action])
        .map((e) => ({
          at: e.at.toISOString(),
          action: e.action,
          label: PUBLIC_STEP_LABELS[e.action]!,
          state: e.toState,
        })),
      afterPhotos: c.public ? await this.photos(c.id, 'after') : [],
      handlerFeedback: c.public ? handlerFeedback(events) : null,
    };
  }

  /**
   * The case a merged report follows (SPEC §4.2): its reporter keeps their own tracking code and sees
   * the original's progress through it, with the same public fields only.
   */
  private async followedCase(id: string) {
    const o = await this.repo.findById(id);
    if (!o) return null;
    const org = o.assigned_org_id ? await this.repo.organisationName(o.assigned_org_id) : undefined;
    return {
      caseNumber: o.case_number,
      status: o.state,
      statusLabel: PUBLIC_STATUS_LABELS[o.state] ?? o.state,
      category: o.public ? o.category_key : null,
      handlingUnit: org?.name ?? null,
      supporters: o.supporters,
      closedAt: o.closed_at?.toISOString() ?? null,
    };
  }

  /** The case part of an alley's public notice board (公示牌): counts and recent cases, public fields only. */
  async alleyBoard(alleyId: string) {
    const board = await this.repo.alleyBoard(alleyId, 10);
    return {
      openCount: board.open,
      closedCount: board.closed,
      recent: board.recent.map((r) => ({
        trackingCode: r.tracking_code,
        caseNumber: r.case_number,
        status: r.state,
        statusLabel: PUBLIC_STATUS_LABELS[r.state] ?? r.state,
        category: r.category_key,
        reportedAt: r.created_at.toISOString(),
        closedAt: r.closed_at?.toISOString() ?? null,
      })),
    };
  }

  /** A case's photos of one role, as public copies (never the originals, never their GPS). */
  private async photos(caseId: string, role: 'report' | 'after') {
    const media = this.options.media;
    if (!media) return [];
    const records = await media.listByOwner({ kind: 'case', id: caseId });
    return records.filter((r) => r.role === role).map((r) => publicMediaView(r));
  }

  /** Finds a case by id or case number and checks that the actor may read it. */
  async getForActor(actor: Actor, ref: string): Promise<CaseRow> {
    const c = await this.repo.findByAnyId(ref);
    if (!c) throw caseNotFound(ref);
    assertCaseVisible(actor, c, ref);
    authorise(actor, 'case.read', caseResource(c));
    return c;
  }

  async caseDetail(actor: Actor, ref: string) {
    const c = await this.getForActor(actor, ref);
    const events = await this.repo.events(c.id);
    const category = c.category_key
      ? this.options.categories &&
        (await this.cachedEntry(this.options.categories, c.category_key, c.district_code))
      : null;
    const open = !['closed', 'rejected', 'merged'].includes(c.state);
    const assignment = c.snapshot.assignment;
    return {
      ...toCaseDto(c),
      categoryName: category?.name ?? null,
      /** Every unit holding the case: the tier-2 unit, or each unit summoned to a joint action. */
      assignedUnits:
        assignment?.kind === 'unit'
          ? [{ organisationId: assignment.unitId, reportedIn: null }]
          : assignment?.kind === 'joint'
            ? assignment.unitIds.map((u) => ({
                organisationId: u,
                reportedIn: assignment.reportedIn.includes(u),
              }))
            : [],
      /** What the caller may do on the case now: the state machine and the authorisation module decide. */
      allowedActions: this.allowedFor(actor, c),
      photos: { report: await this.photos(c.id, 'report'), after: await this.photos(c.id, 'after') },
      routing: open ? await this.routingSuggestion(c) : null,
      duplicates: c.state === 'reported' ? await this.duplicateCandidates(c) : [],
      events: events.map((e) => ({
        seq: e.seq,
        at: e.at.toISOString(),
        actorRole: e.actorRole,
        action: e.action,
        fromState: e.fromState as CaseState | null,
        toState: e.toState as CaseState,
        reason: e.reason,
        payload: e.payload as Record<string, unknown>,
      })),
    };
  }

  /**
   * Fires one action of the case loop. The state machine decides whether it is allowed now, the
   * authorisation module whether this actor may, and the new state and its event are written in one
   * transaction with the case row locked, so concurrent actions on a case apply one after the other.
   */
  async act(actor: Actor, ref: string, actionType: string, body: Record<string, unknown>) {
    if (!(ACTION_TYPES as readonly string[]).includes(actionType)) {
      throw new AppError('NOT_FOUND', `No case action ${actionType}`, {
        field: 'action',
        allowed: ACTION_TYPES,
      });
    }
    const type = actionType as ActionType;
    // The body's shape, by the action's own schema (case.action.schema.ts); its content is the state
    // machine's to judge.
    const parsed = parseActionBody(type, body);
    if (!parsed.ok) throw AppError.validation(parsed.issues, `${type}: the fields are not valid`);
    body = parsed.fields;
    const found = await this.repo.findByAnyId(ref);
    if (!found) throw caseNotFound(ref);
    assertCaseVisible(actor, found, ref);

    // What the action needs from elsewhere in the database is read before the case is locked: on the
    // embedded engine a query outside the open transaction would wait for it forever.
    const now = this.clock.now();
    // `filed` is the taxonomy entry of the category an accept files the case under (null otherwise).
    const { action, filed } = await this.buildAction(found, type, body, now, actor);
    // ---- whistle pre-check (whistle/whistle.precheck.ts): no acceptance while a joint task is open ----
    if (type === 'accept_joint_action') await assertJointTasksDone(this.db, actor, found, caseParties(found));
    // ---- end of whistle pre-check ----
    const applied = await applyToCase(
      this.db,
      found.id,
      (c): CasePlan => {
        const decision = decideCaseAction(actor, ACTION_ROLES[type], ROLE_LINK[actor.role], caseParties(c));
        if (!decision.allowed) {
          throw new AppError(decision.code, `You may not ${type} this case`, { action: type });
        }
        return {
          actor: { userId: actor.userId, role: actor.role },
          changes: [{ action }],
          // The category filed under decides whether the case is public and how severe it is: a report
          // filed under a private category leaves the public pages from that moment on.
          ...(filed && { columns: { public: filed.public, severity: filed.severity } }),
          alongside: (trx, { before, after }) => this.alongsideAction(trx, actor, action, before, after, now),
        };
      },
      this.applyContext(now),
    );
    const event = applied!.events[0]!;
    return {
      case: toCaseDto(applied!.after),
      event: {
        seq: event.seq,
        action: type,
        from: event.fromState as CaseState | null,
        to: event.toState as CaseState,
      },
    };
  }

  /** What an action writes besides the case and its event, in the same transaction; `trx` only. */
  private async alongsideAction(
    trx: Kysely<Database>,
    actor: Actor,
    action: CaseAction,
    c: CaseRow,
    after: CaseRow,
    now: Date,
  ) {
    if (action.type === 'merge') {
      await caseRepository(trx).addFollower(action.targetCaseId, c.id, c.district_code, now);
    }
    // After-photos are claimed by the case in the same transaction as the feedback that shows them.
    if (action.type === 'feedback' && action.afterPhotoIds.length) {
      await attachMedia(trx, action.afterPhotoIds, { kind: 'case', id: c.id, districtCode: c.district_code });
    }
    // Category confirmation (classifier labels): filing, or any change of category.
    const confirmedKey = after.category_key;
    if (
      this.options.suggester &&
      confirmedKey &&
      (action.type === 'accept' || confirmedKey !== c.category_key)
    ) {
      await this.options.suggester.onCategoryConfirmed(trx, {
        caseId: c.id,
        districtCode: c.district_code,
        text: c.description,
        finalKey: confirmedKey,
        suggestedKey: c.suggested_key,
        suggestedConfidence: c.suggested_confidence,
        suggestedModel: c.suggested_model,
        actorUserId: actor.userId,
        actorRole: actor.role,
        at: now,
      });
    }
  }

  /** Turns a request body into the state machine's action, filling in what the database knows. */
  private async buildAction(
    c: CaseRow,
    type: ActionType,
    body: Record<string, unknown>,
    now: Date,
    actor: Actor,
  ): Promise<{ action: CaseAction; filed: CategoryEntry | null }> {
    const fields: Record<string, unknown> = { ...body, type };
    let filed: CategoryEntry | null = null;
    for (const f of DATE_FIELDS) {
      if (typeof fields[f] === 'string') {
        const d = new Date(fields[f] as string);
        if (Number.isNaN(d.getTime())) throw AppError.validation([{ field: f, message: 'not a date-time' }]);
        fields[f] = d;
      }
    }
    if (type === 'accept') {
      const key = typeof fields.categoryKey === 'string' ? fields.categoryKey : c.category_key;
      const category = await this.category(key, c.district_code, 'categoryKey');
      if (category) fields.categoryKey = category.key;
      filed = category;
      if (fields.deadline === undefined) {
        const limit = category?.handlingLimit ?? this.options.defaultHandlingLimit;
        fields.deadline = computeDeadline(now, limit, this.calendar);
      }
    }
    // Tier 2 without a named unit goes where the routing rules send this category and place.
    if ((type === 'dispatch' || type === 'redispatch') && fields.tier === 2 && fields.unitId === undefined) {
      const suggestion = await this.routingSuggestion(c);
      if (!suggestion) {
        throw AppError.validation([
          { field: 'unitId', message: 'no routing rule covers this case; name the unit' },
        ]);
      }
      fields.unitId = suggestion.organisationId;
    }
    if (type === 'merge') {
      const targetRef = String(fields.targetCaseId ?? '');
      const target = targetRef ? await this.repo.findByAnyId(targetRef) : undefined;
      // The target's supporters and followers change too, so it must be a case the actor may read; one it
      // may not is refused as an unknown one is, so that merging cannot probe for case numbers.
      if (
        !target ||
        target.id === c.id ||
        target.district_code !== c.district_code ||
        !decide(actor, 'case.read', caseResource(target)).allowed
      ) {
        throw AppError.validation([
          { field: 'targetCaseId', message: 'no other case of this district has this id' },
        ]);
      }
      if (['closed', 'rejected', 'merged'].includes(target.state)) {
        throw AppError.validation([
          { field: 'targetCaseId', message: 'a case can only be merged into an open one' },
        ]);
      }
      fields.targetCaseId = target.id;
    }
    if ((type === 'dispatch' || type === 'redispatch') && fields.tier === 1) {
      await this.checkTier1Handler(c, fields.handlerUserId);
    }
    if (type === 'dispatch' || type === 'redispatch') delete fields.responseDeadline;
    // A whistle summons several units (召集多个部门); one unit is a tier-2 dispatch. The state machine
    // accepts one, so that history imported from other systems still loads.
    if ((type === 'dispatch' || type === 'redispatch') && fields.tier === 3) {
      const ids = Array.isArray(fields.unitIds) ? new Set(fields.unitIds) : new Set();
      if (ids.size < MIN_JOINT_UNITS) {
        throw AppError.validation([
          {
            field: 'unitIds',
            message: `a whistle summons at least ${MIN_JOINT_UNITS} units; send one unit a tier-2 dispatch`,
          },
        ]);
      }
    }
    if ((type === 'dispatch' || type === 'redispatch') && (fields.tier === 2 || fields.tier === 3)) {
      // The response deadline is the service's to set, from the category's response limit, so that the
      // response rate (及时受理率) measures every unit against the same rule.
      const category = c.category_key
        ? await this.category(c.category_key, c.district_code, 'categoryKey')
        : null;
      const limit = category?.responseLimit ??
        this.options.defaultResponseLimit ?? { amount: 2, unit: 'working_hours' };
      fields.responseDeadline = computeDeadline(now, limit, this.calendar);
      const ids = fields.tier === 2 ? [fields.unitId] : Array.isArray(fields.unitIds) ? fields.unitIds : [];
      const field = fields.tier === 2 ? 'unitId' : 'unitIds';
      for (const id of ids) {
        const unit = typeof id === 'string' ? await this.territory.findOrganisation(id) : null;
        if (!unit) throw AppError.validation([{ field, message: `no organisation ${String(id)}` }]);
        // A unit works for its own territory: one above the case's street (a district department) or
        // inside it. Another street's unit is not the dispatcher's to command.
        if (!unitServes(unit.scopeCode, c.street_code)) {
          throw new AppError('OUT_OF_SCOPE', `${unit.name} does not serve this case's street`, {
            field,
            unitId: id,
          });
        }
      }
    }
    return { action: fields as unknown as CaseAction, filed };
  }

  /**
   * A tier-1 handler must be an active account holding a tier-1 role whose jurisdiction lies in the
   * case's street; anything else would strand the case with nobody able to act on it.
   */
  private async checkTier1Handler(c: CaseRow, handlerUserId: unknown): Promise<void> {
    const id = typeof handlerUserId === 'string' ? handlerUserId : '';
    const user = id
      ? await this.db
          .selectFrom('app_user')
          .select(['id', 'role', 'scope_code', 'active'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!user?.active || !(TIER1_HANDLER_ROLES as readonly string[]).includes(user.role)) {
      throw AppError.validation([
        { field: 'handlerUserId', message: 'not an active grid worker or alley chief' },
      ]);
    }
    if (!user.scope_code || !unitServes(user.scope_code, c.street_code)) {
      throw new AppError('OUT_OF_SCOPE', "The handler does not work in this case's street", {
        field: 'handlerUserId',
      });
    }
  }

  /** Where the routing rules send this case (code × territory → organisation), if anywhere. */
  async routingSuggestion(c: Pick<CaseRow, 'category_key' | 'street_code' | 'community_code' | 'grid_code'>) {
    if (!c.category_key || !this.options.categories) return null;
    return this.options.categories.route(c.category_key, {
      streetCode: c.street_code,
      communityCode: c.community_code,
      gridCode: c.grid_code,
    });
  }

  /** Duplicate candidates: open cases within `radiusM` and `days`, nearest first. */
  async duplicateCandidates(
    c: Pick<CaseRow, 'id' | 'lng' | 'lat' | 'district_code' | 'category_key'>,
    radiusM = this.options.duplicateRadiusM,
    days = this.options.duplicateWindowDays,
  ) {
    const now = this.clock.now();
    // Every point within `radiusM` lies in the report's resolution-9 cell or its first
    // `ringsFor(radiusM)` rings, so the H3 index finds them whatever the size of the history.
    const cells = gridDisk(latLngToCell(c.lat, c.lng, 9), ringsFor(radiusM));
    const since = new Date(now.getTime() - days * 86_400_000);
    const rows = (await this.repo.casesInCells(cells, since, DUPLICATE_SCAN_LIMIT)).filter(
      (r) => r.district_code === c.district_code && !FINISHED_STATES.has(r.state),
    );
    // Same code first, then related codes (taxonomy), nearest first within each; an uncategorised
    // report is compared with everything open nearby, since its category is not known yet.
    const related = new Set(
      c.category_key
        ? ((this.options.categories &&
            (await this.cachedEntry(this.options.categories, c.category_key, c.district_code))
              ?.relatedKeys) ??
            [])
        : [],
    );
    const rank = (key: string | null) =>
      !c.category_key ? 1 : key === c.category_key ? 2 : key && related.has(key) ? 1 : key === null ? 1 : 0;
    return rows
      .filter((r) => r.id !== c.id)
      .map((r) => ({
        row: r,
        rank: rank(r.category_key),
        distanceMeters: haversineMeters([c.lng, c.lat], [r.lng, r.lat]),
      }))
      .filter((x) => x.distanceMeters <= radiusM && x.rank > 0)
      .sort((a, b) => b.rank - a.rank || a.distanceMeters - b.distanceMeters)
      .map((x) => ({
        id: x.row.id,
        caseNumber: x.row.case_number,
        distanceMeters: Math.round(x.distanceMeters * 10) / 10,
        sameCategory: !!c.category_key && x.row.category_key === c.category_key,
        categoryKey: x.row.category_key,
        state: x.row.state as CaseState,
        description: x.row.description,
        createdAt: x.row.created_at.toISOString(),
      }));
  }

  /** Checks every case's trail; returns the problems found (empty when all chains hold). */
  async verifyAudit(
    districtCode?: string,
  ): Promise<{ cases: number; events: number; problems: TrailProblem[] }> {
    let cases = 0;
    let events = 0;
    const problems: TrailProblem[] = [];
    for await (const chain of this.repo.allEventsByCase(districtCode)) {
      cases++;
      events += chain.events.length;
      problems.push(...verifyTrail(chain.caseId, chain.events));
      if (chain.events.length === 0) {
        problems.push({
          caseId: chain.caseId,
          seq: 0,
          problem: 'missing',
          detail: 'the case has no events at all',
        });
      }
    }
    return { cases, events, problems };
  }
}

export { caseParties };

/**
 * Whether someone whose territory is `scopeCode` works for a case in `streetCode`: their territory
 * contains the street (a district department) or lies inside it (a grid, a street unit).
 */
export function unitServes(scopeCode: string, streetCode: string): boolean {
  return streetCode.startsWith(scopeCode) || scopeCode.startsWith(streetCode);
}

/** The case as a resource for `authorise`: where it lies and which organisations it is assigned to. */
export function caseResource(c: CaseRow) {
  const { territoryCodes, organisationIds } = caseParties(c);
  return { territoryCodes, organisationIds };
}

/** The answer for a case number nobody may be told about: the same whether it exists or not. */
export function caseNotFound(ref: string): AppError {
  return new AppError('CASE_NOT_FOUND', `No case ${ref}`, { id: ref });
}

/**
 * A case outside the actor's jurisdiction or organisation is answered as if it did not exist (404
 * CASE_NOT_FOUND, the answer for an unknown number), so that case numbers cannot be enumerated by
 * telling "not yours" from "none". A role that may not read cases at all is still told so (403).
 */
export function assertCaseVisible(actor: Actor | null, c: CaseRow, ref: string): void {
  // Its reporter and its tier-1 handler know of it, whatever their jurisdiction.
  const parties = caseParties(c);
  if (actor && (parties.reporterUserId === actor.userId || parties.handlerUserId === actor.userId)) return;
  const d = decide(actor, 'case.read', caseResource(c));
  if (!d.allowed && d.code === 'OUT_OF_SCOPE') throw caseNotFound(ref);
}

/**
 * A case as the API shows it (case.schema.ts, `CaseView`). The state columns are text in the database
 * but only ever written from the state machine's snapshot, so they are read as its states.
 */
export function toCaseDto(c: CaseRow) {
  return {
    id: c.id,
    caseNumber: c.case_number,
    trackingCode: c.tracking_code,
    channel: c.channel,
    state: c.state as CaseState,
    tier: c.tier,
    categoryKey: c.category_key,
    /** What the classifier proposed at intake (SPEC §7.1), or null when no model was serving. */
    suggestion:
      c.suggested_key === null
        ? null
        : { key: c.suggested_key, confidence: c.suggested_confidence, model: c.suggested_model },
    description: c.description,
    address: c.address,
    location: { lng: c.lng, lat: c.lat, crsIn: c.crs_in },
    streetCode: c.street_code,
    communityCode: c.community_code,
    gridCode: c.grid_code,
    alleyId: c.alley_id,
    severity: c.severity,
    assignedOrgId: c.assigned_org_id,
    supporters: c.supporters,
    mergedInto: c.merged_into,
    reporter: { name: c.reporter_name, contact: c.reporter_contact },
    responseDeadline: c.response_deadline?.toISOString() ?? null,
    handlingDeadline: c.handling_deadline?.toISOString() ?? null,
    originalHandlingDeadline: c.original_handling_deadline?.toISOString() ?? null,
    slaState: c.sla_state,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    closedAt: c.closed_at?.toISOString() ?? null,
    version: c.version,
  };
}

/**
 * What the handler last said they did (the note of the latest feedback or on-the-spot handling), for
 * the reporter: the words of the unit, as 12345 returns them; no names are added to them.
 */
export function handlerFeedback(
  events: readonly { action: string; at: Date; payload: unknown }[],
): { text: string; at: string } | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.action !== 'feedback' && e.action !== 'handle_on_spot') continue;
    const note =
      typeof e.payload === 'object' && e.payload !== null ? Reflect.get(e.payload, 'note') : undefined;
    if (typeof note === 'string' && note.trim()) return { text: note.trim(), at: e.at.toISOString() };
  }
  return null;
}
