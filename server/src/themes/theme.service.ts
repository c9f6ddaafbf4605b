import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../accounts/authorisation.ts';
import { beijingTime } from '../calendar/working-calendar.ts';
import type { Database, MonthlyThemeRow } from '../db/schema.ts';
import type { CaseHotIssue, HotIssueService } from '../hotissues/hot-issue.service.ts';
import type { CampaignService } from '../ledgers/campaign.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { departmentTypeName } from '../taxonomy/taxonomy.defaults.ts';
import { type CategoryMeasureRow, themeRepository } from './theme.repository.ts';

/** What themes need from the taxonomy and the territory. */
export interface ThemeLookups {
  category(
    key: string,
    districtCode: string,
  ): Promise<{ kind: 'component' | 'event'; name: string; departmentType: string } | null>;
  areaName(code: string): Promise<string | null>;
  organisationName(id: string): Promise<string | null>;
}

export interface ThemeOptions {
  /** Months of cases a proposal looks back over. */
  lookbackMonths: number;
  /** Hot issues proposed at most, and the fewest people one must have. */
  maxIssueThemes: number;
  minPeople: number;
  /** Categories proposed at most from the measures, and the fewest cases one must have. */
  maxCategoryThemes: number;
  minCategoryCases: number;
}

export const DEFAULT_THEME_OPTIONS: ThemeOptions = {
  lookbackMonths: 3,
  maxIssueThemes: 5,
  minPeople: 3,
  maxCategoryThemes: 3,
  minCategoryCases: 10,
};

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The Beijing month after the one `d` falls in, as YYYY-MM. */
function nextMonthOf(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3_600_000);
  const y = b.getUTCFullYear();
  const m = b.getUTCMonth() + 2;
  return m === 13 ? `${y + 1}-01` : `${y}-${String(m).padStart(2, '0')}`;
}

/** The first instant (Beijing midnight) of the month `months` after YYYY-MM (negative: before). */
function monthStart(month: string, months = 0): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  return beijingTime(`${yy}-${String(mm).padStart(2, '0')}-01`);
}

/**
 * The monthly theme (每月一题, SPEC §7.2): each month the district picks the problems that deserve a fix
 * at the root. Proposals come from the hot issues of the last months (one problem, one place, many
 * people) and from the measures (a category rising or going overdue across the territory). Adopting
 * one opens a dynamic-zero campaign with its open cases, which the theme then follows.
 */
export class ThemeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly hotIssues: HotIssueService,
    private readonly campaigns: CampaignService,
    private readonly lookups: ThemeLookups,
    private readonly options: ThemeOptions = DEFAULT_THEME_OPTIONS,
  ) {}

  private get repo() {
    return themeRepository(this.db);
  }

  /** Proposals for `month` (default: next month) over a district or street inside the actor's jurisdiction. */
  async propose(actor: Actor, input: { month?: string; scopeCode?: string }) {
    const month = input.month ?? nextMonthOf(this.clock.now());
    if (!MONTH_RE.test(month)) throw AppError.validation([{ field: 'month', message: 'YYYY-MM' }]);
    const scopeCode = input.scopeCode ?? actor.scopeCode?.slice(0, 6) ?? '';
    if (!/^\d{6}(\d{3})?$/.test(scopeCode)) {
      throw AppError.validation([{ field: 'scopeCode', message: 'a district or street code' }]);
    }
    authorise(actor, 'theme.propose', { territoryCodes: [scopeCode] });
    const districtCode = scopeCode.slice(0, 6);
    const to = new Date(Math.min(monthStart(month).getTime(), this.clock.now().getTime()));
    const from = monthStart(month, -this.options.lookbackMonths);
    const before = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const now = this.clock.now();
    const rows: Parameters<ReturnType<typeof themeRepository>['insertThemes']>[0] = [];

    const issues = (await this.hotIssues.mine(scopeCode, from, to))
      .filter((i) => i.people >= this.options.minPeople)
      .slice(0, this.options.maxIssueThemes);
    // An issue inside one street becomes that street's theme, and its campaign the street's ledger.
    for (const issue of issues) {
      rows.push(await this.fromIssue(issue, month, issue.streetCode ?? scopeCode, districtCode, now));
    }

    const measures = await this.repo.categoryMeasures(scopeCode, from, to, before);
    const ranked = measures
      .filter((m) => m.cases >= this.options.minCategoryCases)
      .sort((a, b) => categoryScore(b) - categoryScore(a))
      .slice(0, this.options.maxCategoryThemes);
    for (const m of ranked) rows.push(await this.fromMeasure(m, month, scopeCode, districtCode, now));

    await this.repo.insertThemes(rows);
    return this.list(actor, { month });
  }

  private async departmentsOf(orgIds: (string | null)[], categories: string[], districtCode: string) {
    const out: { id: string; name: string }[] = [];
    for (const id of new Set(orgIds.filter((x): x is string => x !== null))) {
      out.push({ id, name: (await this.lookups.organisationName(id)) ?? id });
    }
    if (out.length === 0) {
      // Nothing dispatched yet: the departments the taxonomy names for the categories.
      for (const key of categories) {
        const c = await this.lookups.category(key, districtCode);
        if (c && !out.some((d) => d.id === `type:${c.departmentType}`)) {
          out.push({ id: `type:${c.departmentType}`, name: departmentTypeName(c.departmentType) });
        }
      }
    }
    return out.slice(0, 8);
  }

  private async fromIssue(
    issue: CaseHotIssue,
    month: string,
    scopeCode: string,
    districtCode: string,
    now: Date,
  ) {
    const categories = issue.categoryKeys.slice(0, 3);
    const names = await Promise.all(
      categories.map(async (k) => (await this.lookups.category(k, districtCode))?.name ?? k),
    );
    const orgs = await this.repo.openCasesOf(issue.caseIds);
    const departments = await this.departmentsOf(
      orgs.map((o) => o.assigned_org_id),
      categories,
      districtCode,
    );
    const weeks = Math.max(1, Math.round((Date.parse(issue.to) - Date.parse(issue.from)) / (7 * 86_400_000)));
    const who = departments.map((d) => d.name).join('、') || '相关部门';
    return {
      district_code: districtCode,
      id: newId('thm'),
      month,
      scope_code: scopeCode,
      fingerprint: `issue:${issue.place}:${categories[0] ?? ''}`,
      title:
        `${issue.place || (await this.lookups.areaName(scopeCode)) || scopeCode}：${issue.description}`.slice(
          0,
          120,
        ),
      problem: issue.description,
      place: issue.place,
      people: issue.people,
      case_count: issue.caseIds.length,
      heat: issue.heat,
      category_keys: categories,
      departments: JSON.stringify(departments),
      root_fix:
        `${issue.people}人在约${weeks}周内反映同一问题（${issue.caseIds.length}件，涉及${names.join('、') || '多类问题'}）。` +
        `根治需要：查明反复发生的成因，由${who}联合一次性整治；整治后纳入街巷长日巡和网格巡查，按月回访反映人，确认不再反复。`,
      case_ids: orgs.map((o) => o.id),
      created_at: now,
    };
  }

  private async fromMeasure(
    m: CategoryMeasureRow,
    month: string,
    scopeCode: string,
    districtCode: string,
    now: Date,
  ) {
    const category = await this.lookups.category(m.category, districtCode);
    const name = category?.name ?? m.category;
    const area = (await this.lookups.areaName(scopeCode)) ?? scopeCode;
    const open = await this.repo.openCases(scopeCode, m.category, 500);
    const departments = await this.departmentsOf(
      open.map((o) => o.assigned_org_id),
      [m.category],
      districtCode,
    );
    const growth = m.previous > 0 ? Math.round(((m.cases - m.previous) / m.previous) * 100) : null;
    const trend =
      growth === null
        ? '此前没有记录'
        : growth >= 0
          ? `比前一时段增加${growth}%`
          : `比前一时段减少${-growth}%`;
    const fix =
      category?.kind === 'component'
        ? `逐点排查${area}的${name}，建立台账一次性修复或更换，明确每处的管护单位，纳入日巡。`
        : `对${name}高发点位建立专项台账动态清零，并针对高发时段和点位落实门前三包、加密巡查，形成长效管控。`;
    return {
      district_code: districtCode,
      id: newId('thm'),
      month,
      scope_code: scopeCode,
      fingerprint: `category:${m.category}`,
      title: `${area}${name}集中整治`,
      problem: `${name}：${this.options.lookbackMonths}个月${m.cases}件，${trend}，超期${m.overdue}件，仍未结${m.open}件`,
      place: area,
      people: m.people,
      case_count: m.cases,
      heat: categoryScore(m),
      category_keys: [m.category],
      departments: JSON.stringify(departments),
      root_fix: fix,
      case_ids: open.map((o) => o.id),
      created_at: now,
    };
  }

  async list(actor: Actor, input: { month?: string }) {
    const prefix = listScope(actor, 'theme.read');
    if (input.month && !MONTH_RE.test(input.month)) {
      throw AppError.validation([{ field: 'month', message: 'YYYY-MM' }]);
    }
    const rows = await this.repo.listThemes(prefix, input.month);
    return Promise.all(rows.map((r) => this.view(actor, r)));
  }

  async get(actor: Actor, id: string) {
    const row = await this.load(actor, id, 'theme.read');
    return this.view(actor, row);
  }

  private async load(actor: Actor, id: string, action: 'theme.read' | 'theme.adopt') {
    const row = await this.repo.findTheme(id);
    if (!row) throw AppError.notFound('theme', id);
    authorise(actor, action, { territoryCodes: [row.scope_code] });
    return row;
  }

  /**
   * Adopts a proposal: opens a dynamic-zero campaign over the theme's territory and categories for
   * the theme's month, with the theme's open cases as its first items. Only one adoption wins.
   */
  async adopt(actor: Actor, id: string) {
    const row = await this.load(actor, id, 'theme.adopt');
    const claimed = await this.repo.claim(row.district_code, id, 'adopted', actor.userId, this.clock.now());
    if (!claimed) {
      throw new AppError('TRANSITION_NOT_ALLOWED', `This theme was already ${row.state}`, {
        state: row.state,
      });
    }
    let campaignId: string;
    try {
      const now = this.clock.now();
      const end = monthStart(row.month, 1);
      const campaign = await this.campaigns.create(actor, {
        name: `每月一题 ${row.month}：${row.title}`.slice(0, 100),
        description: `${row.problem}\n${row.root_fix}`.slice(0, 2000),
        categoryKeys: row.category_keys,
        scopeCode: row.scope_code,
        startsAt: now.toISOString(),
        endsAt: end > now ? end.toISOString() : undefined,
      });
      campaignId = campaign.id;
      if (row.case_ids.length > 0) {
        await this.campaigns.addItems(actor, campaignId, { caseIds: row.case_ids });
      }
    } catch (err) {
      await this.repo.release(row.district_code, id);
      throw err;
    }
    await this.repo.setCampaign(row.district_code, id, campaignId);
    return this.get(actor, id);
  }

  async dismiss(actor: Actor, id: string) {
    const row = await this.load(actor, id, 'theme.adopt');
    const done = await this.repo.claim(row.district_code, id, 'dismissed', actor.userId, this.clock.now());
    if (!done) {
      throw new AppError('TRANSITION_NOT_ALLOWED', `This theme was already ${row.state}`, {
        state: row.state,
      });
    }
    return this.get(actor, id);
  }

  private async view(actor: Actor, r: MonthlyThemeRow) {
    let campaign: { id: string; items: number; open: number; cleared: number; atZero: boolean } | null = null;
    if (r.campaign_id) {
      try {
        const c = await this.campaigns.get(actor, r.campaign_id);
        campaign = { id: c.id, items: c.items, open: c.open, cleared: c.cleared, atZero: c.atZero };
      } catch {
        // A reader who may not read the campaign (a street outside its scope) still sees the theme.
        campaign = null;
      }
    }
    return {
      id: r.id,
      month: r.month,
      scopeCode: r.scope_code,
      title: r.title,
      problem: r.problem,
      place: r.place,
      people: r.people,
      caseCount: r.case_count,
      heat: Math.round(r.heat * 100) / 100,
      categoryKeys: r.category_keys,
      departments: r.departments,
      rootFix: r.root_fix,
      caseIds: r.case_ids,
      state: r.state,
      campaignId: r.campaign_id,
      campaign,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    };
  }
}

/** How much a category deserves a theme: its volume, its growth and what went overdue. */
function categoryScore(m: CategoryMeasureRow): number {
  const growth = m.previous > 0 ? Math.max(0, (m.cases - m.previous) / m.previous) : 1;
  return Math.round(m.people * (1 + growth) * (1 + m.overdue / Math.max(1, m.cases)) * 100) / 100;
}
