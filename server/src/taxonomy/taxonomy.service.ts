import type { Kysely } from 'kysely';
import { type Actor, authorise, recordedUserId } from '../accounts/authorisation.ts';
import type { Database, NewTaxonomyEntry, TaxonomyEntryRow, TaxonomyVersionRow } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { newId, sha256Hex } from '../shared/ids.ts';
import type { Crs } from '../territory/geometry.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { formatCatalogue, parseCatalogue } from './taxonomy.catalogue.ts';
import { withDefaults } from './taxonomy.defaults.ts';
import { type EntryFilter, type RuleFilter, taxonomyRepository } from './taxonomy.repository.ts';
import {
  defaultRoutingRules,
  type OrganisationLike,
  type RouteLocation,
  type RouteMatch,
  route,
} from './taxonomy.routing.ts';
import type {
  EntryPatch,
  RoutingRule,
  RuleInput,
  RulePatch,
  TaxonomyEntry,
  TaxonomyVersion,
} from './taxonomy.schema.ts';

/** What the taxonomy needs from the territory domain (see `taxonomyTerritory` below). */
export interface TaxonomyTerritory {
  areaName(code: string): Promise<string | null>;
  organisations(): Promise<(OrganisationLike & { name: string; districtCode: string })[]>;
  /** Street codes, of one district or of all. */
  streetCodes(districtCode?: string): Promise<string[]>;
  locate(
    lng: number,
    lat: number,
    crs: Crs,
  ): Promise<{ street: { code: string }; community: { code: string } | null; grid: { code: string } | null }>;
}

export interface ImportResult {
  version: TaxonomyVersion;
  entryCount: number;
  rules: RegenerationResult;
}

export interface RegenerationResult {
  /** Default rules in force after regeneration. */
  total: number;
  added: number;
  removed: number;
}

export type Route = RouteMatch & { organisationName: string | null };

/**
 * The problem taxonomy and its routing rules (SPEC §3, §4.3).
 *
 * Versioning: the taxonomy of a district is never edited in place. An import, and every edit of a
 * category, writes a complete new version (a copy of the active one with the change) and activates
 * it; activating an older version is how an edit is undone. A case keeps the key it was filed under,
 * and the version that was active then still says what that key meant.
 *
 * Default routing follows the taxonomy: whenever a version becomes active, the district's
 * `origin = 'default'` rules are regenerated from the categories' department types and the
 * district's organisations. Rules that people wrote or edited (`manual`) are never touched; deleting
 * a default rule lasts until the next regeneration, so to send a category elsewhere write a rule.
 */
export class TaxonomyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly territory: TaxonomyTerritory,
  ) {}

  private readonly activationListeners: Array<(districtCode: string) => void> = [];

  /**
   * Calls `listener` after a district's active version has changed (committed), so that whoever
   * caches its entries (the case loop does) drops them. A version's entries never change once it is
   * active; only which version is active does.
   */
  onActivated(listener: (districtCode: string) => void): void {
    this.activationListeners.push(listener);
  }

  private activated(districtCode: string): void {
    for (const listener of this.activationListeners) listener(districtCode);
  }

  private get repo() {
    return taxonomyRepository(this.db);
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * The district a request is about: the one asked for, else the caller's own, else the only
   * district that has a taxonomy (a single-district installation needs no parameter).
   */
  async districtFor(actor: Actor | null, requested?: string): Promise<string> {
    if (requested) return requested;
    if (actor?.scopeCode) return actor.scopeCode.slice(0, 6);
    const districts = await this.repo.districtsWithActiveVersion();
    if (districts.length === 1) return districts[0]!;
    throw AppError.validation([
      { field: 'district', message: 'name the district (6 digits): more than one has a taxonomy' },
    ]);
  }

  /** The district an operator at the command line means: the one named, else the only one there is. */
  async districtForOperator(requested?: string): Promise<string> {
    if (requested) return requested;
    const districts = [
      ...new Set([
        ...(await this.territory.streetCodes()).map((c) => c.slice(0, 6)),
        ...(await this.repo.districtsWithActiveVersion()),
      ]),
    ];
    if (districts.length === 1) return districts[0]!;
    throw AppError.validation([
      {
        field: 'district',
        message: districts.length
          ? `name one of ${districts.join(', ')}`
          : 'the territory holds no district yet',
      },
    ]);
  }

  async currentVersion(districtCode: string): Promise<TaxonomyVersion | null> {
    const v = await this.repo.activeVersion(districtCode);
    return v ? versionView(v) : null;
  }

  private async activeVersion(districtCode: string): Promise<TaxonomyVersionRow> {
    const v = await this.repo.activeVersion(districtCode);
    if (!v) throw AppError.notFound('taxonomy of district', districtCode);
    return v;
  }

  async list(actor: Actor | null, query: EntryFilter & { district?: string }) {
    authorise(actor, 'taxonomy.read');
    const version = await this.activeVersion(await this.districtFor(actor, query.district));
    const rows = await this.repo.listEntries(version.id, {
      kind: query.kind,
      q: query.q?.trim() || undefined,
    });
    return { version: versionView(version), items: rows.map(entryView) };
  }

  async get(actor: Actor | null, keyOrCode: string, district?: string) {
    authorise(actor, 'taxonomy.read');
    const version = await this.activeVersion(await this.districtFor(actor, district));
    const row = await this.findEntryRow(version.id, keyOrCode);
    if (!row) throw AppError.notFound('category', keyOrCode);
    return { version: versionView(version), entry: entryView(row) };
  }

  /**
   * A category of the district's active taxonomy, for the services that file and time cases. A bare
   * 5-digit code means the event (a case reports a situation; the component entry describes the
   * asset), and the component only where the catalogue has no such event.
   */
  async entry(keyOrCode: string, districtCode: string): Promise<TaxonomyEntry | null> {
    const version = await this.repo.activeVersion(districtCode);
    if (!version) return null;
    const row = await this.findEntryRow(version.id, keyOrCode);
    return row ? entryView(row) : null;
  }

  private async findEntryRow(versionId: string, keyOrCode: string): Promise<TaxonomyEntryRow | undefined> {
    const repo = this.repo;
    if (keyOrCode.includes(':')) return repo.findEntry(versionId, keyOrCode);
    return (
      (await repo.findEntry(versionId, `event:${keyOrCode}`)) ??
      (await repo.findEntry(versionId, `component:${keyOrCode}`))
    );
  }

  async listVersions(actor: Actor | null, district?: string) {
    authorise(actor, 'taxonomy.read');
    const rows = await this.repo.listVersions(await this.districtFor(actor, district));
    const counts = await this.repo.entryCounts(rows.map((r) => r.id));
    return rows.map((r) => ({ ...versionView(r), entryCount: counts.get(r.id) ?? 0 }));
  }

  async exportCatalogue(
    districtCode: string,
    versionId?: string,
  ): Promise<{ version: TaxonomyVersion; text: string }> {
    const version = versionId
      ? await this.repo.findVersion(versionId)
      : await this.repo.activeVersion(districtCode);
    if (!version || version.district_code !== districtCode) {
      throw AppError.notFound('taxonomy version', versionId ?? districtCode);
    }
    const rows = await this.repo.listEntries(version.id);
    return { version: versionView(version), text: formatCatalogue(rows.map(entryView)) };
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Creates and activates a new version from a catalogue file, filling in the defaults of
   * `taxonomy.defaults.ts` where the file says nothing, and regenerates the default routing rules,
   * all in one transaction. A file with any faulty line imports nothing. The operator at the
   * command line imports as SYSTEM_ACTOR.
   */
  async importCatalogue(
    actor: Actor,
    text: string,
    options: { districtCode: string; label?: string },
  ): Promise<ImportResult> {
    const { districtCode } = options;
    authorise(actor, 'taxonomy.write', { territoryCodes: [districtCode] });
    if (!(await this.territory.areaName(districtCode))) {
      throw AppError.validation([{ field: 'district', message: `no district ${districtCode}` }]);
    }
    const { rows, issues } = parseCatalogue(text);
    if (issues.length) {
      throw AppError.validation(
        issues.map((i) => ({ field: `line ${i.line}: ${i.field}`, message: i.message })),
        `${issues.length} problems in the catalogue; nothing was imported`,
      );
    }
    const entries = withDefaults(rows);
    const routing = await this.routingInputs(districtCode);
    const now = this.clock.now();
    const id = newId('txv');
    const version = await this.db.transaction().execute(async (trx) => {
      const tx = taxonomyRepository(trx);
      await tx.lockDistrict(districtCode);
      const number = await tx.nextVersionNumber(districtCode);
      await tx.insertVersion({
        id,
        districtCode,
        number,
        label: options.label?.trim() || `import ${number}`,
        basedOn: null,
        createdAt: now,
        createdBy: recordedUserId(actor),
      });
      await tx.insertEntries(entries.map((e) => entryRow(id, districtCode, e)));
      await tx.activate(districtCode, id);
      const rules = await this.writeDefaultRules(trx, districtCode, entries, routing, now);
      return { row: (await tx.findVersion(id))!, rules };
    });
    this.activated(districtCode);
    return { version: versionView(version.row), entryCount: entries.length, rules: version.rules };
  }

  /** Edits one category by writing and activating a new version that differs from the active one only there. */
  async updateEntry(actor: Actor, keyOrCode: string, patch: EntryPatch, district?: string) {
    const districtCode = await this.districtFor(actor, district);
    authorise(actor, 'taxonomy.write', { territoryCodes: [districtCode] });
    const current = await this.activeVersion(districtCode);
    const row = await this.findEntryRow(current.id, keyOrCode);
    if (!row) throw AppError.notFound('category', keyOrCode);
    if (patch.basedOnVersionId && patch.basedOnVersionId !== current.id) {
      throw staleVersion(current);
    }
    const before = entryView(row);
    const after: TaxonomyEntry = {
      ...before,
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.keywords !== undefined && { keywords: [...new Set(patch.keywords)] }),
      ...(patch.departmentType !== undefined && { departmentType: patch.departmentType }),
      ...(patch.responseLimit !== undefined && { responseLimit: patch.responseLimit }),
      ...(patch.handlingLimit !== undefined && { handlingLimit: patch.handlingLimit }),
      ...(patch.severity !== undefined && { severity: patch.severity }),
      ...(patch.public !== undefined && { public: patch.public }),
      ...(patch.relatedKeys !== undefined && {
        relatedKeys: [...new Set(patch.relatedKeys.filter((k) => k !== before.key))].sort(),
      }),
    };
    const issues: FieldIssue[] = [];
    for (const k of after.relatedKeys) {
      if (!before.relatedKeys.includes(k) && !(await this.repo.findEntry(current.id, k))) {
        issues.push({ field: 'relatedKeys', message: `no category ${k}` });
      }
    }
    if (issues.length) throw AppError.validation(issues);
    const changed = (Object.keys(after) as (keyof TaxonomyEntry)[]).filter(
      (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
    );
    if (!changed.length) return { version: versionView(current), entry: before };

    const routing = changed.includes('departmentType') ? await this.routingInputs(districtCode) : null;
    const now = this.clock.now();
    const id = newId('txv');
    const result = await this.db.transaction().execute(async (trx) => {
      const tx = taxonomyRepository(trx);
      await tx.lockDistrict(districtCode);
      const active = await tx.activeVersion(districtCode);
      // Another edit landed between reading and locking: refuse rather than lose it.
      if (active?.id !== current.id) throw staleVersion(active ?? current);
      const number = await tx.nextVersionNumber(districtCode);
      await tx.insertVersion({
        id,
        districtCode,
        number,
        label: patch.reason?.trim() || `edit ${before.key}: ${changed.join(', ')}`,
        basedOn: current.id,
        createdAt: now,
        createdBy: actor.userId,
      });
      await tx.copyEntries(current.id, id);
      const { version_id: _v, district_code: _d, key: _k, ...set } = entryRow(id, districtCode, after);
      await tx.updateEntry(id, before.key, set);
      await tx.activate(districtCode, id);
      if (routing) {
        const entries = (await tx.listEntries(id)).map(entryView);
        await this.writeDefaultRules(trx, districtCode, entries, routing, now);
      }
      return (await tx.findVersion(id))!;
    });
    this.activated(districtCode);
    return { version: versionView(result), entry: after };
  }

  async activateVersion(actor: Actor, id: string): Promise<TaxonomyVersion> {
    const target = await this.repo.findVersion(id);
    if (!target) throw AppError.notFound('taxonomy version', id);
    const districtCode = target.district_code;
    authorise(actor, 'taxonomy.write', { territoryCodes: [districtCode] });
    if (target.active) return versionView(target);
    const routing = await this.routingInputs(districtCode);
    const now = this.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const tx = taxonomyRepository(trx);
      await tx.lockDistrict(districtCode);
      await tx.activate(districtCode, id);
      const entries = (await tx.listEntries(id)).map(entryView);
      await this.writeDefaultRules(trx, districtCode, entries, routing, now);
      return (await tx.findVersion(id))!;
    });
    this.activated(districtCode);
    return versionView(row);
  }

  // ---- routing rules -------------------------------------------------------------------------

  async listRules(actor: Actor | null, query: RuleFilter & { district?: string }): Promise<RoutingRule[]> {
    authorise(actor, 'routing.read');
    const { district, ...filter } = query;
    const rows = await this.repo.listRules(await this.districtFor(actor, district), filter);
    return rows.map(ruleView);
  }

  async getRule(actor: Actor | null, id: string): Promise<RoutingRule> {
    authorise(actor, 'routing.read');
    const row = await this.repo.findRule(id);
    if (!row) throw AppError.notFound('routing rule', id);
    return ruleView(row);
  }

  async createRule(actor: Actor, input: RuleInput): Promise<RoutingRule> {
    authorise(actor, 'routing.write', { territoryCodes: [input.territoryPrefix] });
    await this.validateRule(input);
    const now = this.clock.now();
    const id = newId('rr');
    await this.repo.insertRules([
      {
        id,
        district_code: input.territoryPrefix.slice(0, 6),
        key_pattern: input.keyPattern,
        territory_prefix: input.territoryPrefix,
        organisation_id: input.organisationId,
        // People's rules outrank generated ones that are exactly as specific.
        priority: input.priority ?? 10,
        origin: 'manual',
        note: input.note ?? null,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      },
    ]);
    return this.getRule(actor, id);
  }

  async updateRule(actor: Actor, id: string, patch: RulePatch): Promise<RoutingRule> {
    const current = await this.repo.findRule(id);
    if (!current) throw AppError.notFound('routing rule', id);
    authorise(actor, 'routing.write', { territoryCodes: [current.territory_prefix] });
    const next: RuleInput = {
      keyPattern: patch.keyPattern ?? current.key_pattern,
      territoryPrefix: patch.territoryPrefix ?? current.territory_prefix,
      organisationId: patch.organisationId ?? current.organisation_id,
      priority: patch.priority ?? current.priority,
      note: patch.note === undefined ? current.note : patch.note,
    };
    authorise(actor, 'routing.write', { territoryCodes: [next.territoryPrefix] });
    if (next.territoryPrefix.slice(0, 6) !== current.district_code) {
      throw AppError.validation([{ field: 'territoryPrefix', message: 'a rule stays in its district' }]);
    }
    await this.validateRule(next);
    const ok = await this.repo.updateRule(id, patch.version, {
      key_pattern: next.keyPattern,
      territory_prefix: next.territoryPrefix,
      organisation_id: next.organisationId,
      priority: next.priority,
      note: next.note ?? null,
      // An edited default rule is someone's decision now; regeneration leaves it alone.
      origin: 'manual',
      updated_at: this.clock.now(),
    });
    if (!ok) {
      throw new AppError('CONFLICT', 'The rule was changed by someone else; reload and try again', {
        field: 'version',
        currentVersion: current.version,
      });
    }
    return this.getRule(actor, id);
  }

  async deleteRule(actor: Actor, id: string): Promise<void> {
    const current = await this.repo.findRule(id);
    if (!current) throw AppError.notFound('routing rule', id);
    authorise(actor, 'routing.write', { territoryCodes: [current.territory_prefix] });
    await this.repo.deleteRule(id);
  }

  /** Rebuilds the default rules from the active taxonomy, e.g. after organisations changed. */
  async regenerateDefaultRules(actor: Actor, district?: string): Promise<RegenerationResult> {
    const districtCode = await this.districtFor(actor, district);
    authorise(actor, 'routing.write', { territoryCodes: [districtCode] });
    const version = await this.activeVersion(districtCode);
    const routing = await this.routingInputs(districtCode);
    return this.db.transaction().execute(async (trx) => {
      const tx = taxonomyRepository(trx);
      await tx.lockDistrict(districtCode);
      const entries = (await tx.listEntries(version.id)).map(entryView);
      return this.writeDefaultRules(trx, districtCode, entries, routing, this.clock.now());
    });
  }

  private async validateRule(input: RuleInput): Promise<void> {
    const issues: FieldIssue[] = [];
    const districtCode = input.territoryPrefix.slice(0, 6);
    if (!(await this.territory.areaName(input.territoryPrefix))) {
      issues.push({
        field: 'territoryPrefix',
        message: `no district, street, community or grid ${input.territoryPrefix}`,
      });
    }
    const org = (await this.territory.organisations()).find((o) => o.id === input.organisationId);
    if (!org) issues.push({ field: 'organisationId', message: `no organisation ${input.organisationId}` });
    else if (!org.active) issues.push({ field: 'organisationId', message: `${org.name} is inactive` });
    else if (!input.territoryPrefix.startsWith(org.scopeCode)) {
      issues.push({
        field: 'organisationId',
        message: `${org.name} serves ${org.scopeCode} only, which does not hold ${input.territoryPrefix}`,
      });
    }
    const version = await this.repo.activeVersion(districtCode);
    if (version && input.keyPattern !== '*') {
      const exact = /\d{5}$/.test(input.keyPattern);
      const known = exact
        ? !!(await this.repo.findEntry(version.id, input.keyPattern))
        : (await this.repo.listEntries(version.id)).some((e) => e.key.startsWith(input.keyPattern));
      if (!known) {
        issues.push({
          field: 'keyPattern',
          message: `no category matches ${input.keyPattern} in the active taxonomy`,
        });
      }
    }
    if (issues.length) throw AppError.validation(issues);
  }

  private async routingInputs(districtCode: string) {
    const [organisations, streetCodes] = await Promise.all([
      this.territory.organisations(),
      this.territory.streetCodes(districtCode),
    ]);
    return { organisations: organisations.filter((o) => o.districtCode === districtCode), streetCodes };
  }

  /** Replaces the district's default rules; ids are derived from content so unchanged rules keep theirs. */
  private async writeDefaultRules(
    trx: Kysely<Database>,
    districtCode: string,
    entries: readonly TaxonomyEntry[],
    routing: { organisations: OrganisationLike[]; streetCodes: string[] },
    now: Date,
  ): Promise<RegenerationResult> {
    const tx = taxonomyRepository(trx);
    const drafts = defaultRoutingRules({ districtCode, entries, ...routing });
    const rows = drafts.map((d) => ({
      id: `rd_${sha256Hex(`${districtCode}|${d.keyPattern}|${d.territoryPrefix}|${d.organisationId}`).slice(0, 24)}`,
      district_code: districtCode,
      key_pattern: d.keyPattern,
      territory_prefix: d.territoryPrefix,
      organisation_id: d.organisationId,
      priority: 0,
      origin: 'default' as const,
      note: d.note,
      created_by: null,
      created_at: now,
      updated_at: now,
    }));
    const before = new Set((await tx.listRules(districtCode)).map((r) => r.id));
    const removed = await tx.deleteDefaultRulesExcept(
      districtCode,
      rows.map((r) => r.id),
    );
    await tx.insertRules(rows);
    return { total: rows.length, added: rows.filter((r) => !before.has(r.id)).length, removed };
  }

  // ---- routing -------------------------------------------------------------------------------

  /** The rules routing obeys in a district: those whose organisation is active. */
  async rulesInForce(districtCode: string) {
    const rows = await this.repo.listRules(districtCode);
    return rows
      .filter((r) => r.organisation_active)
      .map((r) => ({
        id: r.id,
        keyPattern: r.key_pattern,
        territoryPrefix: r.territory_prefix,
        organisationId: r.organisation_id,
        organisationName: r.organisation_name,
        priority: r.priority,
      }));
  }

  /** Where a case of this category at this place goes (SPEC §4.3 tier 2), or null when no rule says. */
  async route(key: string, location: RouteLocation): Promise<Route | null> {
    const rules = await this.rulesInForce(location.streetCode.slice(0, 6));
    const found = route(rules, key, location);
    if (!found) return null;
    return { ...found, organisationName: rules.find((r) => r.id === found.ruleId)?.organisationName ?? null };
  }

  /** The routing of a point, for staff checking the rules: locate, then route. */
  async resolve(actor: Actor | null, query: { key: string; lng: number; lat: number; crs: Crs }) {
    authorise(actor, 'routing.read');
    const place = await this.territory.locate(query.lng, query.lat, query.crs);
    const location = {
      streetCode: place.street.code,
      communityCode: place.community?.code ?? null,
      gridCode: place.grid?.code ?? null,
    };
    const entry = await this.entry(query.key, location.streetCode.slice(0, 6));
    if (!entry) throw AppError.notFound('category', query.key);
    const found = await this.route(entry.key, location);
    if (!found) {
      throw new AppError('NOT_FOUND', `No routing rule covers ${entry.key} at ${location.streetCode}`, {
        resource: 'route',
        key: entry.key,
        location,
      });
    }
    return {
      key: entry.key,
      entry: { name: entry.name, departmentType: entry.departmentType },
      location,
      organisation: { id: found.organisationId, name: found.organisationName },
      ruleId: found.ruleId,
      match: found.match,
      reason: found.reason,
    };
  }
}

function staleVersion(active: TaxonomyVersionRow): AppError {
  return new AppError('CONFLICT', 'The taxonomy was changed by someone else; reload and try again', {
    field: 'basedOnVersionId',
    activeVersionId: active.id,
  });
}

function entryRow(versionId: string, districtCode: string, e: TaxonomyEntry): NewTaxonomyEntry {
  return {
    version_id: versionId,
    district_code: districtCode,
    key: e.key,
    kind: e.kind,
    code: e.code,
    major_class: e.majorClass,
    name: e.name,
    keywords: e.keywords,
    default_department_type: e.departmentType,
    response_limit_amount: e.responseLimit.amount,
    response_limit_unit: e.responseLimit.unit,
    handling_limit_amount: e.handlingLimit.amount,
    handling_limit_unit: e.handlingLimit.unit,
    severity: e.severity,
    public: e.public,
    related_keys: e.relatedKeys,
  };
}

function entryView(r: TaxonomyEntryRow): TaxonomyEntry {
  return {
    key: r.key,
    kind: r.kind,
    code: r.code,
    majorClass: r.major_class,
    name: r.name,
    keywords: r.keywords,
    departmentType: r.default_department_type,
    responseLimit: { amount: Number(r.response_limit_amount), unit: r.response_limit_unit },
    handlingLimit: { amount: Number(r.handling_limit_amount), unit: r.handling_limit_unit },
    severity: r.severity,
    public: r.public,
    relatedKeys: r.related_keys,
  };
}

function versionView(v: TaxonomyVersionRow): TaxonomyVersion {
  return {
    id: v.id,
    districtCode: v.district_code,
    number: v.number,
    label: v.label,
    basedOn: v.based_on,
    createdAt: new Date(v.created_at).toISOString(),
    createdBy: v.created_by,
    active: v.active,
  };
}

function ruleView(
  r: Awaited<ReturnType<ReturnType<typeof taxonomyRepository>['listRules']>>[number],
): RoutingRule {
  return {
    id: r.id,
    districtCode: r.district_code,
    keyPattern: r.key_pattern,
    territoryPrefix: r.territory_prefix,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    priority: r.priority,
    origin: r.origin,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

/** The territory service seen through what the taxonomy needs of it. */
export function taxonomyTerritory(territory: TerritoryService): TaxonomyTerritory {
  return {
    areaName: (code) => territory.areaName(code),
    organisations: () => territory.listOrganisations({}),
    streetCodes: async (districtCode) =>
      (await territory.listStreets(districtCode ? { districtCode } : {})).map((s) => s.code),
    locate: (lng, lat, crs) => territory.locate(lng, lat, crs),
  };
}
