import type { Insertable, Kysely } from 'kysely';
import { type Actor, authorise, decide, listScope, withinScope } from '../accounts/authorisation.ts';
import { beijingDateOf, beijingTime, type LocalDate } from '../calendar/working-calendar.ts';
import { caseResource } from '../cases/case.service.ts';
import { type CaseState, isOpen } from '../cases/case.state.ts';
import type { CampaignItemTable, CampaignRow, Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Crs } from '../territory/geometry.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import {
  type BurndownDay,
  burndown,
  type ItemHistory,
  type ItemStatus,
  itemStatusAt,
} from './campaign.burndown.ts';
import { type CampaignItemView, campaignRepository } from './campaign.repository.ts';
import type { SkipCode } from './campaign.schema.ts';
import type { LedgerEntry } from './ledger.entry.ts';
import { type LedgerService, normaliseCategory } from './ledger.service.ts';
import {
  type CellValue,
  excelBeijingTime,
  excelDate,
  type SheetColumn,
  workbookBuffer,
} from './ledger.xlsx.ts';

/** What campaigns need from the taxonomy: whether a category exists in a district, and its name. */
export interface CampaignCategories {
  entry(key: string, districtCode: string): Promise<{ key: string; name: string } | null>;
}

export interface CreateCampaignInput {
  name: string;
  description?: string;
  categoryKeys?: readonly string[];
  scopeCode: string;
  /** An instant, or a Beijing date meaning its midnight; now when absent. */
  startsAt?: string;
  endsAt?: string;
}

export interface AddItemsInput {
  /** Case ids or case numbers. */
  caseIds?: readonly string[];
  points?: readonly { lng: number; lat: number; crs?: Crs; label: string }[];
  /** Also sweep in every open case of the campaign's categories inside its scope. */
  addMatching?: boolean;
}

const DAY_MS = 86_400_000;
/** A burn-down longer than this is a mistake in the dates, not a campaign. */
const MAX_DAYS = 3660;

const CAMPAIGN_ITEM_COLUMNS: readonly SheetColumn[] = [
  { header: '编号', width: 22 },
  { header: '问题类型', width: 18 },
  { header: '位置', width: 36 },
  { header: '街巷', width: 16 },
  { header: '责任单位', width: 28 },
  { header: '纳入时间', width: 18, kind: 'datetime' },
  { header: '状态', width: 10 },
  { header: '清零时间', width: 18, kind: 'datetime' },
  { header: '说明', width: 40 },
];

const BURNDOWN_COLUMNS: readonly SheetColumn[] = [
  { header: '日期', width: 12, kind: 'date' },
  { header: '在账', width: 10, kind: 'number' },
  { header: '新增', width: 10, kind: 'number' },
  { header: '清零', width: 10, kind: 'number' },
  { header: '反弹', width: 10, kind: 'number' },
];

function instantOrDate(value: string, field: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? beijingTime(value) : new Date(value);
  if (Number.isNaN(d.getTime())) throw AppError.validation([{ field, message: 'a date or a date-time' }]);
  return d;
}

/**
 * Campaign ledgers (专项台账) that must reach dynamic zero (动态清零, SPEC §4.8): a named set of cases and
 * pre-registered points in a territory. A case item clears when its case closes and opens again if it is
 * reopened, read from the case trail whenever asked, so the campaign needs no hook in the case loop and
 * can never disagree with it.
 */
export class CampaignService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly territory: TerritoryService,
    private readonly categories: CampaignCategories,
    private readonly ledgers: LedgerService,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return campaignRepository(this.db);
  }

  async create(actor: Actor, input: CreateCampaignInput) {
    const scopeCode = input.scopeCode.trim();
    if (!/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/.test(scopeCode) || !(await this.territory.areaName(scopeCode))) {
      throw AppError.validation([
        { field: 'scopeCode', message: `no district, street, community or grid ${scopeCode}` },
      ]);
    }
    authorise(actor, 'campaign.write', { territoryCodes: [scopeCode] });
    const districtCode = scopeCode.slice(0, 6);
    const keys: string[] = [];
    for (const [i, raw] of (input.categoryKeys ?? []).entries()) {
      const key = normaliseCategory(raw);
      const entry = key ? await this.categories.entry(key, districtCode) : null;
      if (!entry)
        throw AppError.validation([
          { field: `categoryKeys.${i}`, message: `no category ${raw} in the taxonomy` },
        ]);
      if (!keys.includes(entry.key)) keys.push(entry.key);
    }
    const now = this.clock.now();
    const startsAt = input.startsAt ? instantOrDate(input.startsAt, 'startsAt') : now;
    const endsAt = input.endsAt ? instantOrDate(input.endsAt, 'endsAt') : null;
    if (endsAt && endsAt.getTime() <= startsAt.getTime()) {
      throw AppError.validation([{ field: 'endsAt', message: 'must be after startsAt' }]);
    }
    const id = newId('cmp');
    await this.repo.insertCampaign({
      id,
      district_code: districtCode,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      category_keys: keys,
      scope_code: scopeCode,
      starts_at: startsAt,
      ends_at: endsAt,
      target: 'dynamic_zero',
      created_by: actor.userId,
      created_at: now,
    });
    return this.get(actor, id);
  }

  async list(actor: Actor) {
    const rows = await this.repo.listCampaigns(listScope(actor, 'campaign.read'));
    return rows.map((r) => ({
      ...this.campaignDto(r),
      items: Number(r.item_count),
      open: Number(r.open_count),
      cleared: Number(r.item_count) - Number(r.open_count),
    }));
  }

  private async load(actor: Actor, id: string, action: 'campaign.read' | 'campaign.write') {
    const c = await this.repo.findCampaign(id);
    if (!c) throw AppError.notFound('campaign', id);
    authorise(actor, action, { territoryCodes: [c.scope_code] });
    return c;
  }

  private campaignDto(c: CampaignRow) {
    return {
      id: c.id,
      districtCode: c.district_code,
      name: c.name,
      description: c.description,
      categoryKeys: c.category_keys,
      scopeCode: c.scope_code,
      startsAt: c.starts_at.toISOString(),
      endsAt: c.ends_at?.toISOString() ?? null,
      target: c.target,
      createdBy: c.created_by,
      createdAt: c.created_at.toISOString(),
    };
  }

  async get(actor: Actor, id: string) {
    const c = await this.load(actor, id, 'campaign.read');
    const { histories } = await this.histories(c.id);
    const now = this.clock.now();
    const statuses = histories.map((h) => itemStatusAt(h, now));
    const open = statuses.filter((s) => s.status === 'open').length;
    const categories = [];
    for (const key of c.category_keys) {
      categories.push({ key, name: (await this.categories.entry(key, c.district_code))?.name ?? key });
    }
    return {
      ...this.campaignDto(c),
      scopeName: await this.territory.areaName(c.scope_code),
      categories,
      items: histories.length,
      open,
      cleared: histories.length - open,
      // Dynamic zero is a standing state, not a finish line: it holds while nothing is open.
      atZero: histories.length > 0 && open === 0,
    };
  }

  /** Adds cases (each once) and points; returns what went in and, per refused case, why not. */
  async addItems(actor: Actor, id: string, input: AddItemsInput) {
    const c = await this.load(actor, id, 'campaign.write');
    const now = this.clock.now();
    const present = await this.repo.caseIdsIn(c.id);
    const rows: Insertable<CampaignItemTable>[] = [];
    const skipped: { ref: string; code: SkipCode; reason: string }[] = [];

    const refs = [...new Set((input.caseIds ?? []).map((r) => r.trim()).filter(Boolean))];
    const found = await this.repo.casesByRef(refs);
    for (const ref of refs) {
      const any = found.find((x) => x.id === ref || x.case_number === ref);
      // A case the actor may not read is reported as an unknown number is: no probing for case numbers.
      const territoryCodes = [any?.street_code, any?.community_code, any?.grid_code].filter(
        (x): x is string => !!x,
      );
      const k = any && decide(actor, 'case.read', { territoryCodes }).allowed ? any : undefined;
      const refused = refusal(c, k, present);
      if (refused !== null || !k) {
        skipped.push({ ref, ...(refused ?? { code: 'not_found', reason: 'no such case' }) });
        continue;
      }
      present.add(k.id);
      rows.push(this.caseItem(c, k.id, actor, now));
    }
    if (input.addMatching) {
      for (const k of await this.repo.openCasesIn(c.district_code, c.scope_code, c.category_keys)) {
        if (present.has(k.id)) continue;
        present.add(k.id);
        rows.push(this.caseItem(c, k.id, actor, now));
      }
    }
    for (const [i, p] of (input.points ?? []).entries()) {
      const place = await this.territory.locate(p.lng, p.lat, p.crs ?? 'wgs84').catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'OUTSIDE_TERRITORY') {
          throw AppError.validation([{ field: `points.${i}`, message: 'outside every street' }]);
        }
        throw err;
      });
      const codes = [place.street.code, place.community?.code, place.grid?.code].filter(
        (x): x is string => !!x,
      );
      if (!withinScope(c.scope_code, codes)) {
        throw AppError.validation([{ field: `points.${i}`, message: 'outside the campaign territory' }]);
      }
      rows.push({
        id: newId('cmi'),
        campaign_id: c.id,
        district_code: c.district_code,
        case_id: null,
        lng: place.wgs84[0],
        lat: place.wgs84[1],
        label: p.label.trim(),
        street_code: place.street.code,
        alley_id: place.alley?.id ?? null,
        added_at: now,
        added_by: actor.userId,
        cleared_at: null,
        cleared_by: null,
        clear_note: null,
      });
    }
    await this.repo.insertItems(rows);
    return { added: rows.length, skipped };
  }

  private caseItem(c: CampaignRow, caseId: string, actor: Actor, now: Date): Insertable<CampaignItemTable> {
    return {
      id: newId('cmi'),
      campaign_id: c.id,
      district_code: c.district_code,
      case_id: caseId,
      lng: null,
      lat: null,
      label: null,
      street_code: null,
      alley_id: null,
      added_at: now,
      added_by: actor.userId,
      cleared_at: null,
      cleared_by: null,
      clear_note: null,
    };
  }

  /** Records that a pre-registered point has been cleared; a case item clears only when its case closes. */
  async clearPoint(actor: Actor, id: string, itemId: string, note?: string) {
    const c = await this.load(actor, id, 'campaign.write');
    const item = await this.repo.findItem(c.id, itemId);
    if (!item) throw AppError.notFound('campaign item', itemId);
    if (item.case_id) {
      throw new AppError('CONFLICT', 'A case item clears when its case is closed', {
        itemId,
        caseId: item.case_id,
      });
    }
    const now = this.clock.now();
    if (!(await this.repo.clearPoint(item.id, now, actor.userId, note?.trim() || null))) {
      throw new AppError('CONFLICT', 'This point has already been cleared', { itemId });
    }
    return { id: item.id, clearedAt: now.toISOString() };
  }

  /** Every item with its history: the trail of its case, or its own clearing for a point. */
  private async histories(campaignId: string) {
    const items = await this.repo.items(campaignId);
    const caseIds = items.flatMap((i) => (i.case_id ? [i.case_id] : []));
    const events = await this.repo.caseEvents(caseIds);
    const byCase = new Map<string, ItemHistory['changes'][number][]>();
    for (const e of events) {
      const list = byCase.get(e.case_id) ?? [];
      list.push({ at: e.at, open: isOpen({ state: e.to_state as CaseState }), seq: e.seq, action: e.action });
      byCase.set(e.case_id, list);
    }
    const histories: ItemHistory[] = items.map((i) => ({
      itemId: i.id,
      addedAt: i.added_at,
      changes: i.case_id
        ? (byCase.get(i.case_id) ?? [])
        : i.cleared_at
          ? [{ at: i.cleared_at, open: false }]
          : [],
    }));
    return { items, histories };
  }

  /** Per Beijing day from the campaign's start to today: items open at the day's end, added, cleared, reopened. */
  async burndown(actor: Actor, id: string): Promise<BurndownDay[]> {
    const c = await this.load(actor, id, 'campaign.read');
    const { histories } = await this.histories(c.id);
    return this.days(c, histories);
  }

  private days(c: CampaignRow, histories: readonly ItemHistory[]): BurndownDay[] {
    const from = beijingDateOf(c.starts_at);
    const today = beijingDateOf(this.clock.now());
    const lastAllowed = beijingDateOf(new Date(c.starts_at.getTime() + MAX_DAYS * DAY_MS));
    return burndown(histories, from, today < lastAllowed ? today : lastAllowed);
  }

  /**
   * The items as the campaign ledger lists them, each with its standing at the end of a Beijing day
   * (`on`) or now, and the event that cleared it: the explanation behind any day of the burn-down.
   */
  async items(actor: Actor, id: string, query: { on?: LocalDate; status?: 'open' | 'cleared' | 'all' } = {}) {
    const c = await this.load(actor, id, 'campaign.read');
    const { items, histories } = await this.readable(actor, await this.histories(c.id));
    const instant = query.on ? new Date(beijingTime(query.on).getTime() + DAY_MS - 1) : this.clock.now();
    const entries = await this.caseEntries(items);
    const out = items.map((item, i) => this.itemView(c, item, entries, itemStatusAt(histories[i]!, instant)));
    const status = query.status ?? 'all';
    return out.filter((x) => x.status !== 'not_added' && (status === 'all' || x.status === status));
  }

  /**
   * The items whose case the actor may read as it reads any case (territory, or a department's or
   * contractor's assignment), and every point: a campaign spans units, its case details do not.
   */
  private async readable<T extends { items: readonly CampaignItemView[]; histories: readonly ItemHistory[] }>(
    actor: Actor,
    all: T,
  ): Promise<{ items: CampaignItemView[]; histories: ItemHistory[] }> {
    const rows = await this.repo.caseRowsById(all.items.flatMap((i) => (i.case_id ? [i.case_id] : [])));
    const visible = new Set(
      rows.filter((r) => decide(actor, 'case.read', caseResource(r)).allowed).map((r) => r.id),
    );
    const keep = all.items.map((i) => !i.case_id || visible.has(i.case_id));
    return {
      items: all.items.filter((_, i) => keep[i]),
      histories: all.histories.filter((_, i) => keep[i]),
    };
  }

  private async caseEntries(items: readonly CampaignItemView[]): Promise<Map<string, LedgerEntry>> {
    const entries = await this.ledgers.entriesOf(items.flatMap((i) => (i.case_id ? [i.case_id] : [])));
    return new Map(entries.map((e) => [e.id, e]));
  }

  private itemView(c: CampaignRow, item: CampaignItemView, entries: Map<string, LedgerEntry>, s: ItemStatus) {
    const entry = item.case_id ? entries.get(item.case_id) : undefined;
    return {
      id: item.id,
      kind: item.case_id ? ('case' as const) : ('point' as const),
      caseId: item.case_id,
      caseNumber: item.case_number,
      caseState: item.case_state,
      problemType: entry?.problemType ?? (c.category_keys.length === 1 ? c.category_keys[0]! : ''),
      label: item.label ?? entry?.description ?? '',
      location: entry?.location ?? `${item.label ?? ''}（${item.lng?.toFixed(5)}, ${item.lat?.toFixed(5)}）`,
      lng: entry?.lng ?? item.lng!,
      lat: entry?.lat ?? item.lat!,
      alleyName: entry?.alleyName ?? item.point_alley_name,
      responsibleUnit: entry?.responsibleUnit ?? null,
      addedAt: item.added_at.toISOString(),
      status: s.status,
      clearedAt: s.clearedAt?.toISOString() ?? null,
      clearedBy: s.clearedBy
        ? {
            seq: s.clearedBy.seq ?? null,
            action: s.clearedBy.action ?? 'point_cleared',
            at: s.clearedBy.at.toISOString(),
          }
        : null,
      clearNote: item.clear_note,
    };
  }

  /** The campaign ledger and its burn-down as a workbook; the command line exports as SYSTEM_ACTOR. */
  async exportXlsx(actor: Actor, id: string) {
    const c = await this.load(actor, id, 'campaign.read');
    const { items, histories } = await this.readable(actor, await this.histories(c.id));
    const now = this.clock.now();
    const entries = await this.caseEntries(items);
    const names = new Map<string, string>();
    for (const key of c.category_keys)
      names.set(key, (await this.categories.entry(key, c.district_code))?.name ?? key);
    const rows: CellValue[][] = items.map((item, i) => {
      const status = itemStatusAt(histories[i]!, now);
      const v = this.itemView(c, item, entries, status);
      return [
        v.caseNumber ?? '点位',
        names.get(v.problemType) ?? v.problemType,
        v.location,
        v.alleyName,
        v.responsibleUnit,
        excelBeijingTime(item.added_at),
        v.status === 'cleared' ? '已清零' : '未清零',
        excelBeijingTime(status.clearedAt),
        [v.label, v.clearNote].filter(Boolean).join('；'),
      ];
    });
    const days = this.days(c, histories).map((d) => [
      excelDate(d.date),
      d.open,
      d.added,
      d.cleared,
      d.reopened,
    ]);
    const buffer = await workbookBuffer(
      [
        { name: '清零台账', columns: CAMPAIGN_ITEM_COLUMNS, rows },
        { name: '清零进度', columns: BURNDOWN_COLUMNS, rows: days },
      ],
      now,
    );
    return {
      buffer,
      count: rows.length,
      filename: `动态清零-${c.name.replace(/[\\/:*?"<>|]/g, '_')}-${beijingDateOf(now)}.xlsx`,
    };
  }
}

interface CandidateCase {
  id: string;
  district_code: string;
  state: string;
  category_key: string | null;
  street_code: string;
  community_code: string | null;
  grid_code: string | null;
}

/** Why a case cannot join a campaign, or null when it can. */
function refusal(
  c: CampaignRow,
  k: CandidateCase | undefined,
  present: ReadonlySet<string>,
): { code: SkipCode; reason: string } | null {
  if (!k) return { code: 'not_found', reason: 'no such case' };
  const codes = [k.street_code, k.community_code, k.grid_code].filter((x): x is string => !!x);
  if (k.district_code !== c.district_code || !withinScope(c.scope_code, codes)) {
    return { code: 'outside_scope', reason: 'outside the campaign territory' };
  }
  // A campaign clears open problems; counting one already struck would flatter its burn-down.
  if (!isOpen({ state: k.state as CaseState }))
    return { code: 'not_open', reason: `the case is ${k.state}, not an open ledger entry` };
  // A report not yet filed has no category to compare; naming it explicitly is the street's call.
  if (c.category_keys.length > 0 && k.category_key !== null && !c.category_keys.includes(k.category_key)) {
    return { code: 'other_category', reason: `its category ${k.category_key} is not one of the campaign's` };
  }
  return present.has(k.id) ? { code: 'already_in', reason: 'already in the campaign' } : null;
}
