import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../accounts/authorisation.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { type HotIssue, type HotMessage, mineHotIssues } from './hot-issue.mining.ts';
import { type HotIssueCaseRow, hotIssueRepository } from './hot-issue.repository.ts';

/** One hot issue among the platform's cases, as the API and the console show it. */
export interface CaseHotIssue {
  rank: number;
  heat: number;
  place: string;
  description: string;
  from: string;
  to: string;
  people: number;
  support: number;
  caseIds: string[];
  caseNumbers: string[];
  /** The members' categories, most frequent first. */
  categoryKeys: string[];
  /** The street all its cases lie in, or null when they span several. */
  streetCode: string | null;
  /** Where to put it on a map: the mean position of its cases. */
  lng: number;
  lat: number;
}

export interface HotIssueOptions {
  /** Most cases read for one period: beyond it the request is refused rather than slow. */
  maxCases: number;
  /** How long a period's result is reused (ms); cases of a past month change little. */
  cacheMs: number;
}

export const DEFAULT_HOT_ISSUE_OPTIONS: HotIssueOptions = { maxCases: 200_000, cacheMs: 5 * 60_000 };

const MAX_PERIOD_DAYS = 366;

/**
 * Hot issues (SPEC §7.2) among the platform's cases: the messages are the cases' descriptions, their
 * place words the alley and the address, their authors the reporters (an anonymous report is its own
 * person), their support the supporters that merged duplicates added.
 */
export class HotIssueService {
  private readonly cache = new Map<string, { at: number; fingerprint: string; issues: CaseHotIssue[] }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly options: HotIssueOptions = DEFAULT_HOT_ISSUE_OPTIONS,
  ) {}

  /** The prefix to read: the scope asked for, which must lie in the actor's jurisdiction, or the jurisdiction. */
  scopeFor(actor: Actor, scopeCode?: string | null): string | null {
    if (scopeCode) {
      if (!/^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(scopeCode)) {
        throw AppError.validation([
          { field: 'scope', message: 'a district, street, community or grid code' },
        ]);
      }
      authorise(actor, 'hot_issue.read', { territoryCodes: [scopeCode] });
      return scopeCode;
    }
    return listScope(actor, 'hot_issue.read');
  }

  async list(
    actor: Actor,
    input: { from: string; to: string; scope?: string | null; top?: number },
  ): Promise<CaseHotIssue[]> {
    const prefix = this.scopeFor(actor, input.scope);
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (Number.isNaN(from.getTime())) throw AppError.validation([{ field: 'from', message: 'a date-time' }]);
    if (Number.isNaN(to.getTime()) || to <= from) {
      throw AppError.validation([{ field: 'to', message: 'a date-time after from' }]);
    }
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw AppError.validation([{ field: 'to', message: `a period of at most ${MAX_PERIOD_DAYS} days` }]);
    }
    const issues = await this.mine(prefix, from, to);
    return issues.slice(0, input.top ?? 20);
  }

  /** Every hot issue of the period in the territory, hottest first (cached while its cases are unchanged). */
  async mine(prefix: string | null, from: Date, to: Date): Promise<CaseHotIssue[]> {
    const key = `${prefix}|${from.toISOString()}|${to.toISOString()}`;
    const now = this.clock.now().getTime();
    const repository = hotIssueRepository(this.db);
    // A result is reused for a few minutes, and only while no case came in, merged or gained support.
    const fingerprint = await repository.fingerprint(prefix, from, to);
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.options.cacheMs && hit.fingerprint === fingerprint) return hit.issues;
    const rows = await repository.cases(prefix, from, to, this.options.maxCases + 1);
    if (rows.length > this.options.maxCases) {
      throw AppError.validation([
        {
          field: 'to',
          message: `more than ${this.options.maxCases} cases in the period: choose a shorter one`,
        },
      ]);
    }
    // The end of the period, or now for a period still running, is where recency is measured from.
    const periodEnd = Math.min(to.getTime(), now);
    const { issues } = mineHotIssues(rows.map(toMessage), { periodEnd });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out = issues.map((i) => toCaseIssue(i, byId));
    this.cache.set(key, { at: now, fingerprint, issues: out });
    if (this.cache.size > 50) this.cache.delete(this.cache.keys().next().value!);
    return out;
  }
}

/** A case as the miner reads it. Contact details are hashed: only "same reporter" matters here. */
export function toMessage(r: HotIssueCaseRow): HotMessage {
  const author =
    r.reporter_user_id ??
    (r.reporter_contact
      ? `contact:${createHash('sha256').update(r.reporter_contact).digest('hex').slice(0, 16)}`
      : `case:${r.id}`);
  return {
    id: r.id,
    author,
    // A report has no title: its alley and the opening clause of its description stand for one.
    title: `${r.alley_name ?? ''}${firstClause(r.description)}`,
    body: r.address ? `${r.description}。${r.address}` : r.description,
    time: new Date(r.created_at).getTime(),
    support: r.supporters,
    lng: r.lng,
    lat: r.lat,
  };
}

function firstClause(text: string): string {
  const clause = text.split(/[，。！？；,.!?;\n]/u).find((c) => c.trim().length > 0) ?? '';
  return clause.trim().slice(0, 40);
}

function toCaseIssue(i: HotIssue, byId: Map<string, HotIssueCaseRow>): CaseHotIssue {
  const members = i.messageIds.map((id) => byId.get(id)!);
  const categories = new Map<string, number>();
  for (const m of members) {
    if (m.category_key) categories.set(m.category_key, (categories.get(m.category_key) ?? 0) + 1);
  }
  const n = members.length;
  return {
    rank: i.rank,
    heat: i.heat,
    place: i.place || members.find((m) => m.alley_name)?.alley_name || '',
    description: i.description || members[0]!.description.slice(0, 60),
    from: new Date(i.from).toISOString(),
    to: new Date(i.to).toISOString(),
    people: i.people,
    support: i.support,
    caseIds: members.map((m) => m.id),
    caseNumbers: members.map((m) => m.case_number),
    categoryKeys: [...categories.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k),
    streetCode: members.every((m) => m.street_code === members[0]!.street_code)
      ? members[0]!.street_code
      : null,
    lng: members.reduce((s, m) => s + m.lng, 0) / n,
    lat: members.reduce((s, m) => s + m.lat, 0) / n,
  };
}
