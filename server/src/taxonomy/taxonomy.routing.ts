/**
 * Routing (SPEC §4.3, tier 2): which unit a case goes to, from its taxonomy key and its place.
 * Pure functions over the rules; the service loads them.
 *
 * A rule names a key pattern — an exact key (`event:06010`), a major class (`event:06`) or `*` — a
 * territory prefix (district, street, community or grid code) and an organisation. Of the rules that
 * match, the most specific wins: first by key (exact > major class > `*`), then by territory (the
 * longer prefix), then by priority (higher wins), then by id so that the answer never depends on
 * the order rows come back in. Key specificity comes first because a rule written for one category
 * states an intent about that category, which a broader rule for the same street must not override.
 */

export type KeyMatch = 'exact' | 'major_class' | 'any';

const KEY_RANK: Record<KeyMatch, number> = { exact: 2, major_class: 1, any: 0 };
const KEY_LABEL: Record<KeyMatch, string> = {
  exact: 'category',
  major_class: 'major class',
  any: 'any category',
};

export interface RuleLike {
  id: string;
  keyPattern: string;
  territoryPrefix: string;
  organisationId: string;
  priority: number;
}

export interface RouteLocation {
  streetCode: string;
  communityCode?: string | null;
  gridCode?: string | null;
}

export interface RouteMatch {
  organisationId: string;
  ruleId: string;
  match: { key: KeyMatch; territoryPrefix: string; priority: number };
  reason: string;
}

export function keyMatch(pattern: string, key: string): KeyMatch | null {
  if (pattern === '*') return 'any';
  if (pattern === key) return 'exact';
  if (pattern.length === key.indexOf(':') + 3 && key.startsWith(pattern)) return 'major_class';
  return null;
}

/** The major-class pattern a key belongs to: `event:06010` → `event:06`. */
export function majorClassOf(key: string): string {
  return key.slice(0, key.indexOf(':') + 3);
}

function deepest(location: RouteLocation): string {
  return location.gridCode || location.communityCode || location.streetCode;
}

export function route(rules: readonly RuleLike[], key: string, location: RouteLocation): RouteMatch | null {
  const place = deepest(location);
  let best: { rule: RuleLike; match: KeyMatch } | null = null;
  for (const rule of rules) {
    const match = keyMatch(rule.keyPattern, key);
    if (!match || !place.startsWith(rule.territoryPrefix)) continue;
    if (!best || compare(rule, match, best.rule, best.match) < 0) best = { rule, match };
  }
  if (!best) return null;
  const { rule, match } = best;
  return {
    organisationId: rule.organisationId,
    ruleId: rule.id,
    match: { key: match, territoryPrefix: rule.territoryPrefix, priority: rule.priority },
    reason:
      `rule ${rule.id}: ${KEY_LABEL[match]} ${rule.keyPattern} inside ${rule.territoryPrefix}` +
      ` (priority ${rule.priority}) → ${rule.organisationId}`,
  };
}

/** Negative when rule a is more specific than rule b. */
function compare(a: RuleLike, am: KeyMatch, b: RuleLike, bm: KeyMatch): number {
  return (
    KEY_RANK[bm] - KEY_RANK[am] ||
    b.territoryPrefix.length - a.territoryPrefix.length ||
    b.priority - a.priority ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

// ---- default rules -----------------------------------------------------------------------------

export interface OrganisationLike {
  id: string;
  kind: 'street_office' | 'department' | 'contractor';
  departmentType: string | null;
  scopeCode: string;
  active: boolean;
}

export interface DraftRule {
  keyPattern: string;
  territoryPrefix: string;
  organisationId: string;
  note: string;
}

export interface DefaultRulesInput {
  districtCode: string;
  streetCodes: readonly string[];
  entries: readonly { key: string; departmentType: string; majorClass: string; name?: string }[];
  organisations: readonly OrganisationLike[];
}

/**
 * The rules that send each category to the unit of its default department type serving the place,
 * and everything else to the street office (属地). The unit "serving the place" is the active
 * organisation of that type whose scope holds the place, the narrowest if several (a street's own
 * 城管执法队 before a district-wide one); where there is none, the street office.
 *
 * Written compactly, as a person would: at most one rule per major class and unit, exact rules for
 * the exceptions, each placed at its organisation's own scope. The result is then checked
 * against the intent for every category in every street (and every narrower scope an organisation
 * has), and any place where the compact form would route elsewhere gets an exact rule of its own.
 */
export function defaultRoutingRules(input: DefaultRulesInput): DraftRule[] {
  const orgs = input.organisations
    .filter((o) => o.active && o.scopeCode.startsWith(input.districtCode))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const handlersOf = new Map<string, OrganisationLike[]>();
  for (const o of orgs) {
    if (o.kind === 'street_office' || !o.departmentType) continue;
    handlersOf.set(o.departmentType, [...(handlersOf.get(o.departmentType) ?? []), o]);
  }
  const offices = orgs.filter((o) => o.kind === 'street_office');
  const narrowestHolding = (candidates: readonly OrganisationLike[], place: string) =>
    candidates
      .filter((o) => place.startsWith(o.scopeCode))
      .reduce<OrganisationLike | null>(
        (best, o) => (!best || o.scopeCode.length > best.scopeCode.length ? o : best),
        null,
      );
  const intended = (type: string, place: string) =>
    narrowestHolding(handlersOf.get(type) ?? [], place) ?? narrowestHolding(offices, place);
  // One organisation per scope and type: the rule sits at the organisation's own scope.
  const placements = (type: string) => {
    const byScope = new Map<string, OrganisationLike>();
    for (const o of handlersOf.get(type) ?? []) if (!byScope.has(o.scopeCode)) byScope.set(o.scopeCode, o);
    return [...byScope.values()];
  };

  const streetCount = input.streetCodes.length;
  const rules: DraftRule[] = [];
  const groups = new Map<string, (typeof input.entries)[number][]>();
  for (const e of input.entries) {
    const g = majorClassOf(e.key);
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  for (const [group, entries] of groups) {
    // The major-class rule worth writing is the one that leaves the fewest exceptions. Categories
    // whose department the district lacks go to the street office through '*', unless a major-class
    // rule catches them first, when each needs an exception in every street.
    const exactCost = (type: string) => placements(type).length;
    const exceptionCost = (type: string) => (handlersOf.has(type) ? placements(type).length : streetCount);
    const cost = (d: string | null) =>
      d === null
        ? entries.reduce((n, e) => n + exactCost(e.departmentType), 0)
        : placements(d).length +
          entries.reduce((n, e) => n + (e.departmentType === d ? 0 : exceptionCost(e.departmentType)), 0);
    const candidates = [...new Set(entries.map((e) => e.departmentType).filter((t) => handlersOf.has(t)))];
    const dominant = [null, ...candidates.sort()].reduce<string | null>(
      (best, d) => (cost(d) < cost(best) ? d : best),
      null,
    );
    if (dominant) {
      for (const o of placements(dominant)) {
        rules.push({
          keyPattern: group,
          territoryPrefix: o.scopeCode,
          organisationId: o.id,
          note: `default: ${entries[0]!.majorClass} → ${dominant}`,
        });
      }
    }
    for (const e of entries) {
      if (e.departmentType === dominant) continue;
      for (const o of placements(e.departmentType)) {
        rules.push({
          keyPattern: e.key,
          territoryPrefix: o.scopeCode,
          organisationId: o.id,
          note: `default: ${e.name ?? e.key} → ${e.departmentType}`,
        });
      }
    }
  }
  for (const o of offices) {
    rules.push({
      keyPattern: '*',
      territoryPrefix: o.scopeCode,
      organisationId: o.id,
      note: 'default: 属地',
    });
  }

  const places = [
    ...[...input.streetCodes].sort(),
    ...[...new Set(orgs.map((o) => o.scopeCode).filter((c) => c.length > 9))].sort(
      (a, b) => a.length - b.length || (a < b ? -1 : 1),
    ),
  ];
  const asRules = (from: number) =>
    rules.slice(from).map((r, i) => ({ ...r, id: String(from + i).padStart(6, '0'), priority: 0 }));
  const checked = asRules(0);
  for (const place of places) {
    const location = { streetCode: place.slice(0, 9), gridCode: place.length > 9 ? place : null };
    for (const e of input.entries) {
      const want = intended(e.departmentType, place);
      if (!want || route(checked, e.key, location)?.organisationId === want.id) continue;
      rules.push({
        keyPattern: e.key,
        territoryPrefix: place,
        organisationId: want.id,
        note: `default: ${e.name ?? e.key} → ${e.departmentType} (exception for this place)`,
      });
      checked.push(...asRules(rules.length - 1));
    }
  }
  return rules.sort(
    (a, b) =>
      cmp(a.keyPattern, b.keyPattern) ||
      cmp(a.territoryPrefix, b.territoryPrefix) ||
      cmp(a.organisationId, b.organisationId),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
