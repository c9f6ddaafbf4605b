import type { Kysely } from 'kysely';
import { type Actor, type LedgerFilter, ledgerFilter } from '../accounts/authorisation.ts';
import { beijingDateOf, beijingTime } from '../calendar/working-calendar.ts';
import type { Assignment } from '../cases/case.state.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import {
  CASE_LEDGER_COLUMNS,
  caseLedgerCells,
  type LedgerEntry,
  type LedgerEntryInput,
  ledgerEntry,
  type TrailFact,
} from './ledger.entry.ts';
import { type LedgerQuery, type LedgerStateFilter, ledgerRepository } from './ledger.repository.ts';
import { workbookBuffer } from './ledger.xlsx.ts';

export interface LedgerSelection {
  /** 9-digit street code. */
  street?: string;
  state?: LedgerStateFilter;
  /** Beijing dates, inclusive, on the day the case was found. */
  from?: string;
  to?: string;
  /** A taxonomy key (`event:06001`) or a bare event code (`06001`). */
  category?: string;
  /** An organisation id: only the cases it is responsible for (责任单位). */
  unit?: string;
}

/** Beyond this an export is refused and the caller asked to narrow it: Excel is no place for more. */
export const MAX_EXPORT_ROWS = 50_000;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The case ledger (挂账/销账, SPEC §4.8): every open case is an open entry and closing strikes it. There
 * is no ledger table; the ledger is a view of the cases, so it cannot drift from them.
 */
export class LedgerService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return ledgerRepository(this.db);
  }

  /** The query an actor may run (the command line runs as SYSTEM_ACTOR, who sees everything). */
  selection(actor: Actor, s: LedgerSelection): LedgerQuery {
    if (s.street !== undefined && !/^\d{9}$/.test(s.street)) {
      throw AppError.validation([{ field: 'street', message: 'a 9-digit street code' }]);
    }
    const filter: LedgerFilter = ledgerFilter(actor, s.street);
    const day = (v: string | undefined, field: string) => {
      if (v === undefined) return undefined;
      if (!LOCAL_DATE.test(v) || Number.isNaN(Date.parse(v))) {
        throw AppError.validation([{ field, message: 'a date as YYYY-MM-DD' }]);
      }
      return beijingTime(v);
    };
    const from = day(s.from, 'from');
    const to = day(s.to, 'to');
    if (from && to && to < from)
      throw AppError.validation([{ field: 'to', message: 'must not be before from' }]);
    return {
      filter,
      state: s.state ?? 'open',
      from,
      before: to ? new Date(to.getTime() + DAY_MS) : undefined,
      categoryKey: normaliseCategory(s.category),
      unitId: normaliseUnit(s.unit),
    };
  }

  async list(actor: Actor, s: LedgerSelection & { limit: number; offset: number }) {
    const q = this.selection(actor, s);
    const [counts, rows] = await Promise.all([this.repo.count(q), this.repo.page(q, s.limit, s.offset)]);
    return {
      items: await this.entries(rows),
      total: counts.total,
      open: counts.open,
      closed: counts.total - counts.open,
    };
  }

  /** The ledger as an .xlsx workbook, oldest entry first, in the columns a street office keeps. */
  async exportCases(actor: Actor, s: LedgerSelection) {
    const q = this.selection(actor, s);
    const { total } = await this.repo.count(q);
    if (total > MAX_EXPORT_ROWS) {
      throw AppError.validation(
        [
          {
            field: 'from',
            message: `${total} entries: narrow the period or the street to ${MAX_EXPORT_ROWS}`,
          },
        ],
        'Too many entries for one spreadsheet',
      );
    }
    const rows: ReturnType<typeof caseLedgerCells>[] = [];
    for await (const batch of this.repo.batches(q)) {
      for (const e of await this.entries(batch)) rows.push(caseLedgerCells(e));
    }
    const now = this.clock.now();
    const buffer = await workbookBuffer([{ name: '台账', columns: CASE_LEDGER_COLUMNS, rows }], now);
    const where = s.street ?? q.filter.territoryPrefix ?? 'all';
    return {
      buffer,
      count: rows.length,
      filename: `台账-${/^\d+$/.test(where) ? where : 'all'}-${beijingDateOf(now)}.xlsx`,
    };
  }

  /** Ledger entries of these cases, whatever their state (campaign ledgers list their cases this way). */
  async entriesOf(caseIds: readonly string[]): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    for (let i = 0; i < caseIds.length; i += 1000) {
      out.push(...(await this.entries(await this.repo.byIds(caseIds.slice(i, i + 1000)))));
    }
    return out;
  }

  /** Ledger entries for case rows, with every name and trail fact looked up in a few batched queries. */
  async entries(rows: readonly LedgerEntryInput[]): Promise<LedgerEntry[]> {
    if (rows.length === 0) return [];
    const repo = this.repo;
    const orgIds = new Set<string>();
    const userIds = new Set<string>();
    for (const r of rows) {
      const a = (r.snapshot.assignment ?? null) as Assignment | null;
      if (a?.kind === 'unit') orgIds.add(a.unitId);
      else if (a?.kind === 'joint') for (const u of a.unitIds) orgIds.add(u);
      else if (a?.kind === 'handler') userIds.add(a.userId);
      if (r.assigned_org_id) orgIds.add(r.assigned_org_id);
    }
    const users = await repo.users([...userIds]);
    for (const u of users.values()) if (u.organisationId) orgIds.add(u.organisationId);

    const keysByDistrict = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!r.category_key) continue;
      const keys = keysByDistrict.get(r.district_code) ?? new Set<string>();
      keys.add(r.category_key);
      keysByDistrict.set(r.district_code, keys);
    }
    const [orgNames, facts, ...names] = await Promise.all([
      repo.organisationNames([...orgIds]),
      repo.trailFacts(rows.map((r) => r.id)),
      ...[...keysByDistrict].map(([district, keys]) => repo.categoryNames(district, [...keys])),
    ]);
    const categoryNames = new Map([...keysByDistrict.keys()].map((d, i) => [d, names[i]!]));
    const factsByCase = new Map<string, TrailFact[]>();
    for (const f of facts) {
      const list = factsByCase.get(f.case_id) ?? [];
      list.push(f);
      factsByCase.set(f.case_id, list);
    }
    return rows.map((r) =>
      ledgerEntry(r, {
        categoryName: (district, key) => categoryNames.get(district)?.get(key),
        organisationName: (id) => orgNames.get(id),
        user: (id) => users.get(id),
        facts: (id) => factsByCase.get(id) ?? [],
      }),
    );
  }
}

/** A bare 5-digit code means the event, as everywhere a category is given (see `case.schema.ts`). */
export function normaliseCategory(category: string | undefined): string | undefined {
  const c = category?.trim();
  if (!c) return undefined;
  if (/^\d{5}$/.test(c)) return `event:${c}`;
  if (/^(component|event):\d{5}$/.test(c)) return c;
  throw AppError.validation([
    { field: 'category', message: 'a 5-digit code, optionally prefixed with component: or event:' },
  ]);
}

/** The command line passes the option unchecked; the HTTP schema has already trimmed and bounded it. */
function normaliseUnit(unit: string | undefined): string | undefined {
  if (unit === undefined) return undefined;
  const u = unit.trim();
  if (u === '' || u.length > 100 || u.includes('\u0000')) {
    throw AppError.validation([{ field: 'unit', message: 'an organisation id' }]);
  }
  return u;
}
