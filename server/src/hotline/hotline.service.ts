import type { Insertable, Kysely } from 'kysely';
import {
  type Action,
  type Actor,
  authorise,
  decide,
  hotlineMeasureFilter,
  listScope,
} from '../accounts/authorisation.ts';
import type { DeadlineLimit } from '../calendar/deadline.ts';
import { beijingTime, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { BatchIntakeOutcome, CaseService, IntakeInput } from '../cases/case.service.ts';
import type {
  Database,
  HotlineOrderTable,
  HotlinePlaceTable,
  HotlineUnlocatedTable,
  LocationPrecision,
} from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { RESPONSE_LIMIT } from '../taxonomy/taxonomy.defaults.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { Gazetteer } from './hotline.address.ts';
import { CategoryResolver } from './hotline.category.ts';
import {
  type ColumnMapping,
  DEFAULT_MAPPING,
  FIELD_LABELS,
  type FieldLabels,
  fieldLabels,
  HOTLINE_FIELDS,
  type HotlineField,
  MappingError,
  mappingFrom,
  normaliseText,
  PUSH_COLUMNS,
  resolveColumns,
} from './hotline.fields.ts';
import { type HotlineOrder, type IssueCode, type OrderIssue, parseOrder } from './hotline.order.ts';
import { parsePlacesTsv } from './hotline.places.ts';
import { jsonCell, readSource, type SourceTable } from './hotline.read.ts';
import { buildImportReport } from './hotline.report.ts';
import { type HotlineCaseRow, hotlineRepository } from './hotline.repository.ts';
import { encodeResults, type HandlingResult, type ResultFormat } from './hotline.results.ts';
import { COUNT_LABELS, type CountKey, computeSanlv, type SanlvWeights } from './hotline.sanlv.ts';
import { type CaseFacts, caseFacts } from './hotline.trail.ts';

export interface HotlineOptions {
  /** Weights of 响应率, 解决率 and 满意率 in the composite score (HUTONG_SANLV_WEIGHTS). */
  weights: SanlvWeights;
  /** The classifier's suggestion becomes an order's category from this confidence on. */
  minConfidence: number;
  /**
   * Orders filed per transaction during an import (DEFAULT_CHUNK). 1 files each order on its own
   * through `CaseService.intake`, the path a dispatcher's placing of a waiting order takes.
   */
  chunkSize?: number;
}

/** Where an order was placed, and how precisely. */
export interface Placed {
  precision: 'point' | 'alley' | 'street' | 'none';
  point: { lng: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09' } | null;
  by: string;
  flag: string | null;
  streetCode: string | null;
  districtCode: string;
  territoryCodes: string[];
}

/**
 * Orders per chunk: each chunk is one transaction with a multi-row insert of its cases, events, keys
 * and hotline_order rows. Larger chunks gain little (docs/benchmarks.md#hotline-import) and hold the
 * transaction longer.
 */
const DEFAULT_CHUNK = 250;

export type RowOutcome = 'created' | 'existing' | 'rejected';

export interface RowResult {
  rowNumber: number;
  workOrderNo: string | null;
  outcome: RowOutcome;
  caseNumber: string | null;
  trackingCode: string | null;
  issues: OrderIssue[];
  /** How the case was placed: by its coordinates, or by the alley or street its address names. */
  placedBy: string | null;
  /** point, alley, street, or none (waiting for a dispatcher to place it). */
  precision: Placed['precision'] | null;
  /** Why an order counts as existing when that is not obvious (the same number twice in one file). */
  note: string | null;
}

export interface ImportSummary {
  file: string | null;
  format: SourceTable['format'];
  sheet: string | null;
  headerRow: number;
  /** Field → the column it was read from (null: the file has none). */
  columns: Record<HotlineField, string | null>;
  rows: number;
  created: number;
  existing: number;
  rejected: number;
  /** Filed without a place, waiting for a dispatcher to place them (定位). */
  unlocated: number;
  /** Filed at the centre of the street the order names, not at an alley. */
  streetLevel: number;
  /** Filed, with something for a dispatcher to check (an alley named that lies in another street). */
  flagged: number;
  dryRun: boolean;
  /** Rejections by field and kind, most frequent first. */
  reasons: { field: HotlineField; code: IssueCode; label: string; count: number }[];
}

/** Kinds of fault as the 汇总 sheet names them, after the field's own name (诉求内容为空). */
export const ISSUE_LABELS: Readonly<Record<IssueCode, string>> = {
  required: '为空',
  too_short: '过短',
  too_long: '过长',
  not_a_number: '不是数字',
  out_of_range: '超出范围',
  incomplete: '不全',
  unknown_crs: '无法识别',
  invalid_date: '无法识别',
  no_district: '无法确定所属区',
  unknown_category: '不在分类体系中',
  outside_territory: '不在辖区内',
  no_location: '无法定位',
  ambiguous_address: '有歧义',
  out_of_scope: '超出管辖范围',
  rejected_by_intake: '立案被拒',
};

/** The push API takes at most this many orders per request; a day's backlog goes in pages. */
export const MAX_PUSH_ORDERS = 1_000;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 12345 hotline work orders in (file import, push API) and out (handling results, 三率), SPEC §9 and §6.
 *
 * Idempotency: a work order is filed at most once. Before filing, the work-order number is looked up
 * among the hotline cases (`case_record.external_ref`, channel `hotline`), however they came in; and
 * the filing itself goes through the case intake with the idempotency key `hotline:<number>`, so a
 * retry of an interrupted import by the same account replays instead of filing twice.
 */
export class HotlineService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cases: CaseService,
    private readonly territory: TerritoryService,
    private readonly taxonomy: TaxonomyService,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly options: HotlineOptions,
  ) {}

  private get repo() {
    return hotlineRepository(this.db);
  }

  get weights(): SanlvWeights {
    return this.options.weights;
  }

  // ---- in ------------------------------------------------------------------------------------

  /** A mapping file's content (parsed JSON), or the default mapping when there is none. */
  mapping(input: unknown): ColumnMapping {
    if (input === undefined || input === null) return DEFAULT_MAPPING;
    try {
      return mappingFrom(input);
    } catch (err) {
      if (err instanceof MappingError)
        throw AppError.validation(err.issues, 'The column mapping is not valid');
      throw err;
    }
  }

  /**
   * Imports a hotline export (xlsx, csv or JSON) and returns the per-row results, a summary and the
   * validation report (the original rows with 结果 and 原因). The operator at the command line
   * imports as SYSTEM_ACTOR, anywhere.
   */
  async importFile(
    actor: Actor,
    bytes: Uint8Array,
    options: {
      filename?: string;
      mapping?: ColumnMapping;
      dryRun?: boolean;
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<{ summary: ImportSummary; rows: RowResult[]; report: Buffer }> {
    authorise(actor, 'hotline.import');
    const mapping = options.mapping ?? DEFAULT_MAPPING;
    const table = await readSource(bytes, mapping, { filename: options.filename });
    const { summary, rows } = await this.importTable(actor, table, mapping, {
      action: 'hotline.import',
      dryRun: options.dryRun ?? false,
      onProgress: options.onProgress,
      file: options.filename ?? null,
    });
    const report = await buildImportReport(table, rows, summary, this.clock.now());
    return { summary, rows, report };
  }

  /** Orders pushed by a hotline system as JSON: one object, an array, or `{orders: [...]}`. */
  async push(actor: Actor, body: unknown): Promise<{ summary: ImportSummary; rows: RowResult[] }> {
    authorise(actor, 'hotline.push');
    const items = Array.isArray(body)
      ? body
      : body && typeof body === 'object' && Array.isArray((body as { orders?: unknown }).orders)
        ? ((body as { orders: unknown[] }).orders as unknown[])
        : [body];
    if (items.length === 0) throw AppError.validation([{ field: 'orders', message: 'no orders' }]);
    if (items.length > MAX_PUSH_ORDERS) {
      throw AppError.validation([
        {
          field: 'orders',
          message: `at most ${MAX_PUSH_ORDERS} orders per request; send the rest in another`,
        },
      ]);
    }
    // Each order is read on its own: one system may send 工单编号 in one order and workOrderNo in the next.
    const table: SourceTable = {
      format: 'json',
      sheet: null,
      headerRow: 0,
      headers: [...HOTLINE_FIELDS],
      rows: items.map((item, i) => {
        const o =
          item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
        return {
          rowNumber: i + 1,
          values: HOTLINE_FIELDS.map((f) => jsonCell(o[PUSH_COLUMNS[f].find((k) => k in o) ?? f])),
        };
      }),
    };
    const mapping: ColumnMapping = {
      ...DEFAULT_MAPPING,
      columns: Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, [f]])) as unknown as ColumnMapping['columns'],
    };
    return this.importTable(actor, table, mapping, {
      action: 'hotline.push',
      dryRun: false,
      file: null,
    });
  }

  private async importTable(
    actor: Actor,
    table: SourceTable,
    mapping: ColumnMapping,
    options: {
      action: Action;
      dryRun: boolean;
      file: string | null;
      onProgress?: (done: number, total: number) => void;
    },
  ): Promise<{ summary: ImportSummary; rows: RowResult[] }> {
    const columns = resolveColumns(table.headers, mapping.columns);
    if (columns.missingRequired.length) {
      throw AppError.validation(
        columns.missingRequired.map((f) => ({
          field: f,
          message:
            `no column for ${FIELD_LABELS[f]} (looked for ${mapping.columns[f].join(' / ')}); ` +
            `the file has: ${table.headers.filter(Boolean).join(', ') || 'no headers'}`,
        })),
        'The file lacks a required column; give a mapping that names it',
      );
    }
    // Faults name the file's own columns (来电时间), which is what the person fixing the sheet sees.
    const labels = fieldLabels(columns.header);
    const parsed = table.rows.map((row) => {
      const values: Partial<Record<HotlineField, (typeof row.values)[number]>> = {};
      for (const f of HOTLINE_FIELDS) {
        const i = columns.index[f];
        if (i !== undefined) values[f] = row.values[i] ?? null;
      }
      return { rowNumber: row.rowNumber, ...parseOrder(values, { crs: mapping.crs }, labels) };
    });
    const numbers = parsed.flatMap((p) => (p.workOrderNo ? [p.workOrderNo] : []));
    const [known, waiting, gazetteer] = await Promise.all([
      this.repo.existingOrders(numbers),
      this.repo.waitingOrders(numbers),
      this.repo.gazetteer(),
    ]);
    const place = this.placer(new Gazetteer(gazetteer), gazetteer.districts, labels);
    const minConfidence = mapping.minConfidence ?? this.options.minConfidence;
    const categories = new Map<string, Promise<CategoryResolver>>();
    const resolverFor = (district: string) => {
      let r = categories.get(district);
      if (!r) {
        r = this.taxonomy
          .list(null, { district })
          .then((l) => new CategoryResolver(l.items, mapping.categories))
          // A district without a taxonomy knows no category: its orders wait for a dispatcher.
          .catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'NOT_FOUND') {
              return new CategoryResolver([], mapping.categories);
            }
            throw err;
          });
        categories.set(district, r);
      }
      return r;
    };
    // What this run has already done with a number, so a number repeated in the file files once.
    const done = new Map<string, RowResult>();
    const repeats: { result: RowResult; first: RowResult }[] = [];
    const results: RowResult[] = [];
    const toFile: { result: RowResult; order: HotlineOrder; placed: Placed; categoryKey: string | null }[] =
      [];
    const toHold: Insertable<HotlineUnlocatedTable>[] = [];
    const now = this.clock.now();
    for (const p of parsed) {
      const result: RowResult = {
        rowNumber: p.rowNumber,
        workOrderNo: p.workOrderNo,
        outcome: 'rejected',
        caseNumber: null,
        trackingCode: null,
        issues: [...p.issues],
        placedBy: null,
        precision: null,
        note: null,
      };
      results.push(result);
      const order = p.draft;
      if (p.order) {
        const earlier = p.workOrderNo ? done.get(p.workOrderNo) : undefined;
        if (earlier) {
          Object.assign(result, { outcome: 'existing', note: `与第 ${earlier.rowNumber} 行工单编号相同` });
          repeats.push({ result, first: earlier });
          continue;
        }
        const prior = known.get(order.workOrderNo);
        if (prior) {
          Object.assign(result, { outcome: 'existing', ...prior });
          done.set(order.workOrderNo, result);
          continue;
        }
        if (waiting.has(order.workOrderNo)) {
          Object.assign(result, { outcome: 'existing', note: '已导入，待定位', precision: 'none' });
          done.set(order.workOrderNo, result);
          continue;
        }
      }
      // The place is looked for even on a row with faults of its own, so the report names them all.
      const locationReadable = !p.issues.some((i) => ['lng', 'lat', 'crs'].includes(i.field));
      const placed = locationReadable ? await place(order, result.issues) : null;
      if (placed) {
        result.placedBy = placed.by;
        result.precision = placed.precision;
        result.note = placed.flag;
        if (actor && !decide(actor, options.action, { territoryCodes: placed.territoryCodes }).allowed) {
          result.issues.push({ field: 'address', code: 'out_of_scope', message: '位置不在您的管辖范围内' });
        }
      }
      let categoryKey: string | null = null;
      if (placed && order.category) {
        categoryKey = (await resolverFor(placed.districtCode)).resolve(order.category);
        const pinned = mapping.categories.get(normaliseText(order.category));
        if (!categoryKey && pinned) {
          result.issues.push({
            field: 'category',
            code: 'unknown_category',
            message: `${labels.category}“${order.category}”在映射中对应 ${pinned}，但分类体系中没有它`,
          });
        }
      }
      if (result.issues.length || !placed || !p.order) continue;
      done.set(order.workOrderNo, result);
      result.outcome = 'created';
      if (options.dryRun) continue;
      if (placed.precision === 'none') {
        toHold.push({
          district_code: placed.districtCode,
          work_order_no: order.workOrderNo,
          order_data: JSON.stringify({ ...order, categoryKey }),
          source_class: order.category,
          reason: placed.by,
          imported_at: now,
          placed_case_id: null,
          placed_at: null,
        });
        continue;
      }
      toFile.push({ result, order, placed, categoryKey });
    }

    // Orders placed nowhere wait for a dispatcher; kept first, so an import stopped later keeps them.
    if (toHold.length) await this.repo.holdUnlocated(toHold);
    // Filing: in chunks, each written whole or not at all with its hotline_order rows (intakeBatch), so
    // an import stopped in the middle leaves whole chunks behind, and running it again files the rest.
    let progress = results.length - toFile.length;
    options.onProgress?.(progress, results.length);
    const orderRow = (job: (typeof toFile)[number], caseId: string): Insertable<HotlineOrderTable> => ({
      district_code: job.placed.districtCode,
      work_order_no: job.order.workOrderNo,
      case_id: caseId,
      source_class: job.order.category,
      location_precision: job.placed.precision as LocationPrecision,
      located_by: job.placed.by,
      flag: job.placed.flag,
      imported_at: now,
    });
    const size = Math.max(1, this.options.chunkSize ?? DEFAULT_CHUNK);
    const chunks: (typeof toFile)[] = [];
    for (let from = 0; from < toFile.length; from += size) chunks.push(toFile.slice(from, from + size));
    const prepare = (chunk: typeof toFile) =>
      this.cases.prepareBatch(
        actor,
        chunk.map((job) => ({
          input: intakeInput(job.order, job.placed, job.categoryKey, minConfidence),
          idempotencyKey: orderKey(job.order),
        })),
      );
    // The next chunk is located and classified (CPU) while the database writes this one.
    let next = size > 1 && chunks.length ? prepare(chunks[0]!) : null;
    for (const [c, chunk] of chunks.entries()) {
      if (!next) {
        const job = chunk[0]!;
        const filed = await this.file(
          actor,
          job.order,
          job.placed,
          job.categoryKey,
          minConfidence,
          (db, caseId) => hotlineRepository(db).recordOrders([orderRow(job, caseId)]),
        );
        Object.assign(job.result, filed.row);
      } else {
        const batch = await next;
        const following = chunks[c + 1];
        next = following ? prepare(following) : null;
        // A failed preparation is thrown when its turn comes, not left unhandled meanwhile.
        next?.catch(() => {});
        const outcomes = await this.cases.writeBatch(batch, {
          afterInsert: (trx, created) =>
            hotlineRepository(trx).recordOrders(created.map((x) => orderRow(chunk[x.index]!, x.result.id))),
        });
        // Replayed orders (filed before their hotline_order row was kept) get theirs now.
        const replayed: Insertable<HotlineOrderTable>[] = [];
        for (const [i, o] of outcomes.entries()) {
          const job = chunk[i]!;
          Object.assign(job.result, (await this.outcome(job.order, o)).row);
          if (o.replayed) replayed.push(orderRow(job, o.result.id));
        }
        if (replayed.length) await this.repo.recordOrders(replayed);
      }
      progress += chunk.length;
      options.onProgress?.(progress, results.length);
    }
    for (const { result, first } of repeats) {
      result.caseNumber = first.caseNumber;
      result.trackingCode = first.trackingCode;
    }
    return { summary: summarise(table, labels, columns.header, results, options), rows: results };
  }

  /**
   * Files one checked order as a case through the ordinary intake; `within` writes what goes with it
   * (its hotline_order row) in the case's transaction, or after the replay of an order filed before.
   */
  private async file(
    actor: Actor,
    order: HotlineOrder,
    placed: Placed,
    categoryKey: string | null,
    minConfidence: number,
    within: (db: Kysely<Database>, caseId: string) => Promise<void>,
  ): Promise<{
    caseId: string | null;
    row: Pick<RowResult, 'outcome' | 'caseNumber' | 'trackingCode' | 'issues'>;
  }> {
    let outcome: BatchIntakeOutcome;
    try {
      const one = await this.cases.intake(
        actor,
        intakeInput(order, placed, categoryKey, minConfidence),
        orderKey(order),
        {},
        { afterInsert: (trx, created) => within(trx, created.id) },
      );
      // An order filed before what goes with it was kept gets it now.
      if (one.replayed) await within(this.db, one.result.id);
      outcome = { ...one, error: null };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcome = { result: null, replayed: false, error: err };
    }
    return this.outcome(order, outcome);
  }

  /** An order's row in the results from what the intake did with it. */
  private async outcome(
    order: HotlineOrder,
    o: BatchIntakeOutcome,
  ): Promise<{
    caseId: string | null;
    row: Pick<RowResult, 'outcome' | 'caseNumber' | 'trackingCode' | 'issues'>;
  }> {
    if (!o.error) {
      return {
        caseId: o.result.id,
        row: {
          outcome: o.replayed ? 'existing' : 'created',
          caseNumber: o.result.caseNumber,
          trackingCode: o.result.trackingCode,
          issues: [],
        },
      };
    }
    const err = o.error;
    if (err.code === 'IDEMPOTENCY_KEY_REUSED') {
      // Filed before from a different version of the order; the first one stands.
      const prior = (await this.repo.existingOrders([order.workOrderNo])).get(order.workOrderNo);
      if (prior) return { caseId: null, row: { outcome: 'existing', ...prior, issues: [] } };
    }
    if (['VALIDATION_FAILED', 'OUTSIDE_TERRITORY', 'IDEMPOTENCY_KEY_REUSED'].includes(err.code)) {
      return {
        caseId: null,
        row: {
          outcome: 'rejected',
          caseNumber: null,
          trackingCode: null,
          issues: [{ field: 'workOrderNo', code: 'rejected_by_intake', message: `立案被拒：${err.message}` }],
        },
      };
    }
    throw err;
  }

  /**
   * Where an order lies: its coordinates when it has them (wrong coordinates are refused, never
   * silently replaced by the address), else what its address and 所属街道 say (hotline.address.ts):
   * an alley, a street, or nowhere yet — an order the address cannot place waits for a dispatcher
   * in its district, and only an order whose district cannot be told either is refused.
   */
  private placer(gazetteer: Gazetteer, districts: { code: string; name: string }[], labels: FieldLabels) {
    const districtOf = (name: string | null): string | null => {
      if (!name) return districts.length === 1 ? districts[0]!.code : null;
      const t = name.replace(/\s+/g, '');
      const hit = districts.find((d) => d.name === t || t.includes(d.name) || d.name.includes(t));
      return hit?.code ?? null;
    };
    return async (order: HotlineOrder, issues: OrderIssue[]): Promise<Placed | null> => {
      if (order.coordinates) {
        const point = order.coordinates;
        try {
          const loc = await this.territory.locate(point.lng, point.lat, point.crs);
          return {
            precision: 'point',
            point,
            by: '坐标',
            flag: null,
            streetCode: loc.street.code,
            districtCode: loc.street.code.slice(0, 6),
            territoryCodes: [loc.street.code, loc.community?.code, loc.grid?.code].filter(
              (x): x is string => !!x,
            ),
          };
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'OUTSIDE_TERRITORY') throw err;
          issues.push({
            field: 'lng',
            code: 'outside_territory',
            message: `${labels.lng}、${labels.lat}（${point.lng}, ${point.lat}，${point.crs.toUpperCase()}）不在辖区内`,
          });
          return null;
        }
      }
      const m = gazetteer.locate(order.address, order.street);
      if (m.precision === 'none') {
        const district = districtOf(order.district);
        if (!district) {
          issues.push({
            field: order.district ? 'district' : 'address',
            code: 'no_district',
            message: order.district
              ? `${labels.district}“${order.district}”不在辖区内，${labels.address}也无法定位`
              : `${labels.address}无法定位（${m.reason}），也没有${labels.district}`,
          });
          return null;
        }
        return {
          precision: 'none',
          point: null,
          by: `待定位：${m.reason}`,
          flag: m.flag,
          streetCode: null,
          districtCode: district,
          territoryCodes: [district],
        };
      }
      const [lng, lat] = m.point;
      return {
        precision: m.precision,
        point: { lng, lat, crs: 'wgs84' },
        by: m.by,
        flag: m.precision === 'street' ? m.flag : null,
        streetCode: m.streetCode,
        districtCode: m.streetCode.slice(0, 6),
        territoryCodes: [m.streetCode],
      };
    };
  }

  /**
   * Imports a gazetteer of roads and landmarks per street (hotline.places.ts); all or nothing, and
   * importing the same file again changes nothing. `actor` null is the operator.
   */
  async importPlaces(actor: Actor, text: string, source: string | null) {
    const { places, issues } = parsePlacesTsv(text);
    const g = new Gazetteer(await this.repo.gazetteer());
    const rows: Insertable<HotlinePlaceTable>[] = [];
    for (const p of places) {
      const street = /^\d{9}$/.test(p.street)
        ? g.streetName(p.street) !== p.street
          ? { code: p.street }
          : null
        : g.street(p.street);
      if (!street) {
        issues.push({ field: `line ${p.line}`, message: `no street ${p.street} in the territory` });
        continue;
      }
      authorise(actor, 'territory.import', { territoryCodes: [street.code] });
      rows.push({
        district_code: street.code.slice(0, 6),
        street_code: street.code,
        name: p.name,
        kind: p.kind,
        lng: p.lng,
        lat: p.lat,
        source,
      });
    }
    if (issues.length)
      throw AppError.validation(issues, 'The gazetteer file has faults; nothing was imported');
    await this.repo.replacePlaces(rows);
    return { places: rows.length, streets: new Set(rows.map((r) => r.street_code)).size };
  }

  /** Orders waiting to be placed (待定位), oldest first, in the actor's district. */
  async unlocated(actor: Actor, limit = 200) {
    const prefix = listScope(actor, 'hotline.import');
    const rows = await this.repo.listUnlocated(prefix ? prefix.slice(0, 6) : null, limit);
    return rows.map((r) => ({
      workOrderNo: r.work_order_no,
      districtCode: r.district_code,
      reason: r.reason,
      sourceClass: r.source_class,
      address: (r.order_data as { address?: string | null }).address ?? null,
      description: String((r.order_data as { description?: string }).description ?? ''),
      importedAt: r.imported_at,
    }));
  }

  /**
   * A dispatcher places a waiting order (定位): its case is filed at the point given, through the
   * ordinary intake, with the same idempotency key an import would use.
   */
  async placeUnlocated(
    actor: Actor,
    workOrderNo: string,
    point: { lng: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09' },
  ) {
    const row = await this.repo.findUnlocated(workOrderNo);
    if (!row || row.placed_case_id) throw AppError.notFound('unlocated hotline order', workOrderNo);
    const loc = await this.territory.locate(point.lng, point.lat, point.crs);
    if (loc.street.code.slice(0, 6) !== row.district_code) {
      throw AppError.validation([{ field: 'lng', message: 'the point lies in another district' }]);
    }
    if (actor) {
      authorise(actor, 'hotline.import', {
        territoryCodes: [loc.street.code, loc.community?.code, loc.grid?.code].filter(
          (x): x is string => !!x,
        ),
      });
    }
    const data = row.order_data as unknown as HotlineOrder & { categoryKey: string | null };
    const placed: Placed = {
      precision: 'point',
      point,
      by: '调度员定位',
      flag: null,
      streetCode: loc.street.code,
      districtCode: row.district_code,
      territoryCodes: [loc.street.code],
    };
    const filed = await this.file(
      actor,
      { ...data, receivedAt: data.receivedAt ? new Date(data.receivedAt) : null },
      placed,
      data.categoryKey ?? null,
      this.options.minConfidence,
      // The order leaves the waiting list in its case's transaction.
      async (db, caseId) => {
        const repo = hotlineRepository(db);
        await repo.recordOrders([
          {
            district_code: row.district_code,
            work_order_no: workOrderNo,
            case_id: caseId,
            source_class: row.source_class,
            location_precision: 'point',
            located_by: placed.by,
            flag: null,
            imported_at: row.imported_at,
          },
        ]);
        await repo.markPlaced(row.district_code, workOrderNo, caseId, this.clock.now());
      },
    );
    if (!filed.caseId) {
      throw AppError.validation(
        filed.row.issues.length
          ? filed.row.issues.map((i) => ({ field: i.field, message: i.message }))
          : [{ field: 'workOrderNo', message: 'the order was filed meanwhile as another case' }],
      );
    }
    return { workOrderNo, caseNumber: filed.row.caseNumber!, trackingCode: filed.row.trackingCode! };
  }

  // ---- out -----------------------------------------------------------------------------------

  /** [from, to] as Beijing dates, inclusive, as the instants [from, before). */
  period(from: string, to: string): { from: Date; before: Date } {
    for (const [field, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!LOCAL_DATE.test(v) || Number.isNaN(Date.parse(v))) {
        throw AppError.validation([{ field, message: 'a date as YYYY-MM-DD' }]);
      }
    }
    if (to < from) throw AppError.validation([{ field: 'to', message: 'must not be before from' }]);
    return { from: beijingTime(from), before: new Date(beijingTime(to).getTime() + DAY_MS) };
  }

  /** Facts of each case and the names of the units holding them. */
  private async factsOf(rows: readonly HotlineCaseRow[]) {
    const [events, offices] = await Promise.all([
      this.repo.facts(rows.map((r) => r.id)),
      this.repo.streetOffices(),
    ]);
    const facts = new Map<string, CaseFacts>();
    for (const r of rows) {
      const rating = r.snapshot.rating;
      const office = offices.get(r.street_code) ?? `street:${r.street_code}`;
      facts.set(r.id, caseFacts({ state: r.state, rating }, events.get(r.id) ?? [], office));
    }
    const unitIds = [...new Set([...facts.values()].flatMap((f) => f.holds.map((h) => h.unitId)))];
    const [orgNames, streetNames] = await Promise.all([
      this.repo.organisationNames(unitIds.filter((u) => !u.startsWith('street:'))),
      this.repo.streetNames(unitIds.filter((u) => u.startsWith('street:')).map((u) => u.slice(7))),
    ]);
    const unitName = (id: string) =>
      id.startsWith('street:') ? (streetNames.get(id.slice(7)) ?? id.slice(7)) : (orgNames.get(id) ?? id);
    return { facts, unitName };
  }

  /**
   * Handling results of the hotline cases whose trail moved in the period (any event from the first
   * day to the end of the last), for the hotline to take back.
   */
  async results(actor: Actor, q: { from: string; to: string }): Promise<HandlingResult[]> {
    const prefix = listScope(actor, 'hotline.export');
    const { from, before } = this.period(q.from, q.to);
    const rows = await this.repo.casesChanged({ from, before, prefix });
    const { facts, unitName } = await this.factsOf(rows);
    return rows.map((r) => {
      const f = facts.get(r.id)!;
      const responded = f.holds.flatMap((h) => (h.respondedAt ? [h.respondedAt.getTime()] : []));
      return {
        workOrderNo: r.external_ref ?? '',
        units: f.holds.map((h) => unitName(h.unitId)),
        signedAt: responded.length ? new Date(Math.min(...responded)) : null,
        closedAt: r.closed_at,
        feedbackNote: f.feedbackNote,
        resolved: f.resolved,
        rating: f.rating,
      };
    });
  }

  async exportResults(actor: Actor, q: { from: string; to: string; format: ResultFormat }) {
    const results = await this.results(actor, q);
    const encoded = await encodeResults(results, q.format, this.clock.now());
    return {
      ...encoded,
      count: results.length,
      filename: `12345办理结果_${q.from}_${q.to}.${encoded.extension}`,
    };
  }

  /**
   * The 三率 per unit over the hotline cases received in the period (see hotline.sanlv.ts for the
   * rules). A department or contractor sees only its own row.
   */
  async sanlv(actor: Actor, q: { from: string; to: string; unit?: string; details?: boolean }) {
    const filter = hotlineMeasureFilter(actor);
    const unit = filter.organisationId ?? q.unit ?? null;
    const { from, before } = this.period(q.from, q.to);
    const rows = await this.repo.casesReceived({ from, before, prefix: filter.territoryPrefix });
    const { facts, unitName } = await this.factsOf(rows);
    const limits = new Map<string, Promise<DeadlineLimit>>();
    const limitOf = (key: string | null, district: string) => {
      if (!key) return Promise.resolve<DeadlineLimit>(RESPONSE_LIMIT);
      const cacheKey = `${district}|${key}`;
      let l = limits.get(cacheKey);
      if (!l) {
        l = this.taxonomy.entry(key, district).then((e) => e?.responseLimit ?? RESPONSE_LIMIT);
        limits.set(cacheKey, l);
      }
      return l;
    };
    const input = [];
    for (const r of rows) {
      input.push({
        caseNumber: r.case_number,
        state: r.state,
        facts: facts.get(r.id)!,
        handlingDeadline: r.handling_deadline,
        responseLimit: await limitOf(r.category_key, r.district_code),
      });
    }
    const now = this.clock.now();
    const computed = computeSanlv(input, { now, calendar: this.calendar, weights: this.options.weights });
    const units = computed.units
      .filter((u) => unit === null || u.unitId === unit)
      .map((u) => ({
        unitId: u.unitId,
        unitName: unitName(u.unitId),
        counts: u.counts,
        rates: u.rates,
        score: u.score,
        ...(q.details ? { cases: u.cases } : {}),
      }))
      .sort(
        (a, b) => (b.score ?? -1) - (a.score ?? -1) || a.unitName.localeCompare(b.unitName, 'zh-CN') || 0,
      );
    const unattributed = unit === null ? computed.unattributed : [];
    // A department or contractor is told only of the cases its own row counts, not how many hotline
    // cases the district received: those of other units and streets are not its to know.
    const counted =
      filter.organisationId === null
        ? rows.length
        : new Set(
            computed.units.filter((u) => u.unitId === unit).flatMap((u) => Object.values(u.cases).flat()),
          ).size;
    return {
      from: q.from,
      to: q.to,
      asOf: now.toISOString(),
      weights: this.options.weights,
      labels: COUNT_LABELS as Record<CountKey, string>,
      cases: counted,
      units,
      unattributed: { count: unattributed.length, ...(q.details ? { cases: unattributed } : {}) },
    };
  }
}

function summarise(
  table: SourceTable,
  labels: FieldLabels,
  header: Partial<Record<HotlineField, string>>,
  rows: readonly RowResult[],
  options: { dryRun: boolean; file: string | null },
): ImportSummary {
  const reasons = new Map<string, ImportSummary['reasons'][number]>();
  for (const r of rows) {
    if (r.outcome !== 'rejected') continue;
    for (const i of r.issues) {
      const key = `${i.field}|${i.code}`;
      const entry = reasons.get(key) ?? {
        field: i.field,
        code: i.code,
        label: `${labels[i.field]}${ISSUE_LABELS[i.code]}`,
        count: 0,
      };
      entry.count++;
      reasons.set(key, entry);
    }
  }
  const count = (o: RowOutcome) => rows.filter((r) => r.outcome === o).length;
  const filed = rows.filter((r) => r.outcome === 'created');
  return {
    file: options.file,
    format: table.format,
    sheet: table.sheet,
    headerRow: table.headerRow,
    columns: Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, header[f] ?? null])) as Record<
      HotlineField,
      string | null
    >,
    rows: rows.length,
    created: count('created'),
    existing: count('existing'),
    rejected: count('rejected'),
    unlocated: filed.filter((r) => r.precision === 'none').length,
    streetLevel: filed.filter((r) => r.precision === 'street').length,
    flagged: filed.filter((r) => r.note !== null).length,
    dryRun: options.dryRun,
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
  };
}

/** The case intake's input for a checked order. */
function intakeInput(
  order: HotlineOrder,
  placed: Placed,
  categoryKey: string | null,
  minConfidence: number,
): IntakeInput {
  const point = placed.point!;
  return {
    channel: 'hotline',
    description: order.description,
    lng: point.lng,
    lat: point.lat,
    crs: point.crs,
    categoryKey,
    address: order.address,
    reporterName: order.callerName,
    reporterContact: order.callerPhone,
    externalRef: order.workOrderNo,
    ...(placed.precision === 'street' ? { streetOnly: placed.streetCode! } : {}),
    // The hotline's own class is no taxonomy entry: the classifier proposes one, as for every report.
    ...(categoryKey ? {} : { categoryFromSuggestionAt: minConfidence }),
  };
}

/** The intake's Idempotency-Key of an order: its work-order number. */
function orderKey(order: HotlineOrder): string {
  return `hotline:${order.workOrderNo}`;
}
