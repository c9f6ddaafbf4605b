import { gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { type Actor, authorise, decide } from '../accounts/authorisation.ts';
import type { AlleyRow, AlleyUpdate, Database, NewAlley } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { baseLayerEtag, buildBaseLayer } from './basemap.ts';
import { TEN_HAVES, TEN_NOTS } from './checklist.ts';
import { type Crs, interiorPoint, type Polygonal, toWgs84 } from './geometry.ts';
import { type Location, Locator } from './locator.ts';
import { type FeatureReport, normaliseChecklist, validateTerritory } from './territory.import.ts';
import { territoryRepository } from './territory.repository.ts';
import type {
  AlleyRegistry,
  Layer,
  TerritoryFeature,
  TerritoryFeatureCollection,
} from './territory.schema.ts';

export interface ImportOptions {
  skipInvalid?: boolean;
  dryRun?: boolean;
}

export interface ImportReport {
  featureCount: number;
  imported: Record<Layer, number>;
  skipped: number;
  dryRun: boolean;
  features: FeatureReport[];
}

export interface BaseLayerAnswer {
  body: string;
  gzipped: Buffer;
  etag: string;
}

const HAVE_KEYS = new Set(TEN_HAVES.map((h) => h.key));
const NOT_KEYS = new Set(TEN_NOTS.map((n) => n.key));

// How often a process re-reads the territory version written by other processes.
const LOCATOR_RECHECK_MS = 5_000;

export class TerritoryService {
  private locator: { version: number; checkedAt: number; locator: Locator } | null = null;
  private building: Promise<Locator> | null = null;
  private baseLayers: { version: number; byScope: Map<string, BaseLayerAnswer> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return territoryRepository(this.db);
  }

  // ---- reading -------------------------------------------------------------------------------

  async listStreets(options: { geometry?: boolean; districtCode?: string } = {}) {
    const rows = await this.repo.listStreets(options.districtCode);
    return rows.map((s) => ({
      code: s.code,
      name: s.name,
      districtCode: s.district_code,
      center: [s.center_lng, s.center_lat] as [number, number],
      approximate: s.approximate,
      communityCount: Number(s.community_count ?? 0),
      alleyCount: Number(s.alley_count ?? 0),
      ...(options.geometry && { boundary: s.boundary }),
    }));
  }

  async listCommunities(streetCode?: string) {
    const rows = await this.repo.listCommunities({ streetCode });
    return rows.map((c) => ({
      code: c.code,
      name: c.name,
      streetCode: c.street_code,
      approximate: c.approximate,
    }));
  }

  async listGrids(filter: { streetCode?: string; communityCode?: string }) {
    const rows = await this.repo.listGrids(filter);
    return rows.map((g) => ({ code: g.code, communityCode: g.community_code, streetCode: g.street_code }));
  }

  async listAlleys(query: {
    streetCode?: string;
    communityCode?: string;
    q?: string;
    limit: number;
    offset: number;
  }) {
    const { items, total } = await this.repo.listAlleys(query);
    return { items: items.map(alleySummary), total };
  }

  async getAlley(actor: Actor | null, id: string) {
    authorise(actor, 'territory.read');
    const a = await this.repo.findAlley(id);
    if (!a) throw AppError.notFound('alley', id);
    return {
      ...alleyDetail(a),
      streetName: a.street_name,
      communityName: a.community_name,
      contractorName: a.contractor_name,
      permissions: { edit: decide(actor, 'alley.update', { territoryCodes: alleyCodes(a) }).allowed },
    };
  }

  async updateAlley(actor: Actor, id: string, patch: AlleyRegistry & { version: number }) {
    const current = await this.repo.findAlley(id);
    if (!current) throw AppError.notFound('alley', id);
    authorise(actor, 'alley.update', { territoryCodes: alleyCodes(current) });
    const issues: { field: string; message: string }[] = [];
    if (patch.checklist) {
      for (const k of Object.keys(patch.checklist.haves ?? {})) {
        if (!HAVE_KEYS.has(k))
          issues.push({ field: `checklist.haves.${k}`, message: 'not one of the ten haves' });
      }
      for (const k of Object.keys(patch.checklist.nots ?? {})) {
        if (!NOT_KEYS.has(k))
          issues.push({ field: `checklist.nots.${k}`, message: 'not one of the ten nots' });
      }
    }
    if (patch.contractorId) {
      const org = await this.repo.findOrganisation(patch.contractorId);
      if (org?.kind !== 'contractor') {
        issues.push({ field: 'contractorId', message: `no contractor ${patch.contractorId}` });
      }
    }
    if (issues.length) throw AppError.validation(issues);
    const set: AlleyUpdate = { updated_at: this.clock.now() };
    if (patch.currentTier !== undefined) set.current_tier = patch.currentTier;
    if (patch.targetTier !== undefined) set.target_tier = patch.targetTier;
    if (patch.chief !== undefined) {
      set.chief_name = patch.chief?.name ?? null;
      set.chief_title = patch.chief?.title ?? null;
      set.chief_duties = patch.chief?.duties ?? null;
      set.chief_phone = patch.chief?.phone ?? null;
    }
    if (patch.council !== undefined) set.council = patch.council;
    if (patch.contractorId !== undefined) set.contractor_id = patch.contractorId;
    if (patch.volunteerTeam !== undefined) set.volunteer_team = patch.volunteerTeam;
    if (patch.plan !== undefined) set.plan = patch.plan;
    if (patch.residentsPact !== undefined) set.residents_pact = patch.residentsPact;
    if (patch.cultureNote !== undefined) set.culture_note = patch.cultureNote;
    if (patch.noticeBoard !== undefined) set.notice_board = patch.noticeBoard;
    if (patch.checklist !== undefined) {
      const merged = normaliseChecklist({
        haves: { ...current.checklist.haves, ...patch.checklist?.haves },
        nots: { ...current.checklist.nots, ...patch.checklist?.nots },
      });
      set.checklist = JSON.stringify(merged);
    }
    const ok = await this.repo.updateAlley(id, patch.version, set);
    if (!ok) {
      throw new AppError('CONFLICT', 'The alley was changed by someone else; reload and try again', {
        field: 'version',
        currentVersion: current.version,
      });
    }
    return this.getAlley(actor, id);
  }

  async listOrganisations(filter: { kind?: string; scopeCode?: string }) {
    const rows = await this.repo.listOrganisations({ kind: filter.kind, scopePrefix: filter.scopeCode });
    return rows.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      departmentType: o.department_type,
      patternTier: o.pattern_tier,
      scopeCode: o.scope_code,
      districtCode: o.district_code,
      phone: o.phone,
      active: o.active,
    }));
  }

  async saveOrganisation(
    actor: Actor,
    input: {
      id: string;
      name: string;
      kind: 'street_office' | 'department' | 'contractor';
      scopeCode: string;
      departmentType?: string | null;
      patternTier?: '1' | '5' | 'N' | null;
      phone?: string | null;
    },
  ) {
    authorise(actor, 'organisation.write', { territoryCodes: [input.scopeCode] });
    if (!(await this.repo.areaName(input.scopeCode))) {
      throw AppError.validation([
        { field: 'scopeCode', message: `no district, street, community or grid ${input.scopeCode}` },
      ]);
    }
    const existing = await this.repo.findOrganisation(input.id);
    if (existing) authorise(actor, 'organisation.write', { territoryCodes: [existing.scope_code] });
    await this.repo.upsertOrganisations(
      [
        {
          id: input.id,
          districtCode: input.scopeCode.slice(0, 6),
          scopeCode: input.scopeCode,
          name: input.name,
          kind: input.kind,
          departmentType: input.departmentType ?? null,
          patternTier: input.patternTier ?? null,
          phone: input.phone ?? null,
        },
      ],
      this.clock.now(),
    );
    const [saved] = (await this.listOrganisations({})).filter((o) => o.id === input.id);
    return saved!;
  }

  async alleyName(id: string): Promise<string | null> {
    return (await this.repo.findAlley(id))?.name ?? null;
  }

  areaName(code: string): Promise<string | null> {
    return this.repo.areaName(code);
  }

  async findOrganisation(id: string) {
    const o = await this.repo.findOrganisation(id);
    return o ? { id: o.id, scopeCode: o.scope_code, kind: o.kind, name: o.name } : null;
  }

  // ---- locating ------------------------------------------------------------------------------

  async locate(
    lng: number,
    lat: number,
    crs: Crs = 'wgs84',
  ): Promise<Location & { wgs84: [number, number] }> {
    const [x, y] = toWgs84(lng, lat, crs);
    const locator = await this.getLocator();
    const found = locator.locate(x, y);
    if (!found) {
      // Say which area is served, so the reporter knows where this platform can help.
      const served = (await this.repo.listDistricts()).map((d) => d.name);
      throw new AppError('OUTSIDE_TERRITORY', 'The point lies outside every street of the territory', {
        lng,
        lat,
        crs,
        served,
      });
    }
    return { ...found, wgs84: [x, y] };
  }

  /**
   * The base map layer of one street or of the whole territory, serialised once per territory version
   * (an import bumps it), with the ETag of its bytes.
   */
  async baseLayer(streetCode?: string): Promise<BaseLayerAnswer> {
    const version = await this.repo.territoryVersion();
    const key = streetCode ?? '*';
    if (this.baseLayers?.version !== version) this.baseLayers = { version, byScope: new Map() };
    const cached = this.baseLayers.byScope.get(key);
    if (cached) return cached;
    const [streets, communities, alleys] = await this.repo.baseLayerRows(streetCode);
    const layer = buildBaseLayer({
      streets: streets.map((s) => ({
        code: s.code,
        name: s.name,
        boundary: s.boundary,
        center: [s.center_lng, s.center_lat],
        approximate: s.approximate,
      })),
      communities: communities.map((c) => ({
        code: c.code,
        name: c.name,
        boundary: c.boundary,
        approximate: c.approximate,
      })),
      alleys: alleys.map((a) => ({
        id: a.id,
        name: a.name,
        streetCode: a.street_code,
        alleyType: a.alley_type,
        geometry: a.geometry,
        approximate: a.approximate,
      })),
    });
    const body = JSON.stringify(layer);
    // Compressed once too: the whole demo territory is ~0.7 MB of JSON and ~120 KB gzipped.
    const entry = { body, gzipped: gzipSync(body), etag: baseLayerEtag(body) };
    this.baseLayers.byScope.set(key, entry);
    return entry;
  }

  /** The in-memory index, rebuilt when this or another process has changed the territory. */
  async getLocator(): Promise<Locator> {
    const now = this.clock.now().getTime();
    if (this.locator && now - this.locator.checkedAt < LOCATOR_RECHECK_MS) return this.locator.locator;
    const version = await this.repo.territoryVersion();
    if (this.locator && this.locator.version === version) {
      this.locator.checkedAt = now;
      return this.locator.locator;
    }
    this.building ??= this.buildLocator(this.db).finally(() => {
      this.building = null;
    });
    const locator = await this.building;
    this.locator = { version, checkedAt: now, locator };
    return locator;
  }

  invalidateLocator(): void {
    this.locator = null;
  }

  private async buildLocator(db: Kysely<Database>): Promise<Locator> {
    const [streets, communities, grids, alleys] = await territoryRepository(db).locatorData();
    return Locator.build({
      streets: streets.map((s) => ({ code: s.code, name: s.name, boundary: s.boundary })),
      communities: communities.map((c) => ({ code: c.code, name: c.name, boundary: c.boundary })),
      grids: grids.map((g) => ({ code: g.code, boundary: g.boundary })),
      alleys: alleys.map((a) => ({ id: a.id, name: a.name, geometry: a.geometry })),
    });
  }

  // ---- import and export ---------------------------------------------------------------------

  /**
   * Imports a territory FeatureCollection in one transaction. A file with any invalid feature imports
   * nothing unless `skipInvalid` is set, in which case the valid features whose parents survive go in.
   * The operator at the command line imports as SYSTEM_ACTOR.
   */
  async importTerritory(actor: Actor, input: unknown, options: ImportOptions = {}): Promise<ImportReport> {
    const repo = this.repo;
    const [districts, streets, communities, grids, orgIds] = await Promise.all([
      repo.codesOf('district'),
      repo.codesOf('street'),
      repo.codesOf('community'),
      repo.codesOf('grid'),
      repo.organisationIds(),
    ]);
    const existingCodes = { district: districts, street: streets, community: communities, grid: grids };
    const streetBoundaries = new Map<string, Polygonal>();
    if (streets.size) {
      for (const s of await repo.listStreets()) streetBoundaries.set(s.code, s.boundary);
    }
    const result = validateTerritory(input, {
      hasArea: (layer, code) => existingCodes[layer].has(code),
      streetBoundary: (code) => streetBoundaries.get(code) ?? null,
      hasOrganisation: (id) => orgIds.has(id),
    });
    const { valid } = result;

    {
      const codes = [
        ...valid.districts.map((d) => d.code),
        ...valid.streets.map((s) => s.code),
        ...valid.communities.map((c) => c.code),
        ...valid.grids.map((g) => g.code),
        ...valid.alleys.map((a) => a.communityCode ?? a.streetCode),
      ];
      authorise(actor, 'territory.import');
      for (const code of codes) authorise(actor, 'territory.import', { territoryCodes: [code] });
    }

    if (result.errorCount > 0 && !options.skipInvalid) {
      throw new AppError(
        'INVALID_GEOJSON',
        `${result.errorCount} of ${result.featureCount} features are not valid; nothing was imported`,
        { features: result.reports.filter((r) => r.errors.length || r.warnings.length) },
      );
    }

    // With skipping, a child whose parent was skipped must be skipped too, and said so.
    const reportOf = new Map(result.reports.map((r) => [r.index, r]));
    const kept = {
      district: new Set([...districts, ...valid.districts.map((d) => d.code)]),
      street: new Set(streets),
      community: new Set(communities),
    };
    const skipOrphan = <T extends { index: number }>(
      rows: T[],
      parentOk: (r: T) => boolean,
      parent: (r: T) => string,
    ) =>
      rows.filter((r) => {
        if (parentOk(r)) return true;
        reportOf
          .get(r.index)
          ?.errors.push({ field: 'properties', message: `its parent ${parent(r)} was skipped` });
        return false;
      });
    const streetsIn = skipOrphan(
      valid.streets,
      (s) => kept.district.has(s.code.slice(0, 6)),
      (s) => s.code.slice(0, 6),
    );
    for (const s of streetsIn) kept.street.add(s.code);
    const communitiesIn = skipOrphan(
      valid.communities,
      (c) => kept.street.has(c.code.slice(0, 9)),
      (c) => c.code.slice(0, 9),
    );
    for (const c of communitiesIn) kept.community.add(c.code);
    const gridsIn = skipOrphan(
      valid.grids,
      (g) => kept.community.has(g.code.slice(0, 12)),
      (g) => g.code.slice(0, 12),
    );
    const alleysIn = skipOrphan(
      valid.alleys,
      (a) => kept.street.has(a.streetCode) && (!a.communityCode || kept.community.has(a.communityCode)),
      (a) => a.communityCode ?? a.streetCode,
    );

    const imported: Record<Layer, number> = {
      district: valid.districts.length,
      street: streetsIn.length,
      community: communitiesIn.length,
      grid: gridsIn.length,
      alley: alleysIn.length,
    };
    const report: ImportReport = {
      featureCount: result.featureCount,
      imported,
      skipped: result.featureCount - Object.values(imported).reduce((a, b) => a + b, 0),
      dryRun: !!options.dryRun,
      features: result.reports.filter((r) => r.errors.length || r.warnings.length),
    };
    if (options.dryRun) return report;

    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const tx = territoryRepository(trx);
      for (const d of valid.districts) {
        await tx.upsertDistrict(
          { code: d.code, name: d.name, boundary: d.boundary, approximate: !!d.approximate },
          now,
        );
      }
      for (const s of streetsIn) {
        await tx.upsertStreet(
          {
            code: s.code,
            name: s.name,
            boundary: s.boundary,
            center: interiorPoint(s.boundary),
            approximate: !!s.approximate,
          },
          now,
        );
      }
      for (const c of communitiesIn) {
        await tx.upsertCommunity(
          { code: c.code, name: c.name, boundary: c.boundary, approximate: !!c.approximate },
          now,
        );
      }
      await tx.upsertGrids(
        gridsIn.map((g) => ({ code: g.code, boundary: g.boundary, approximate: !!g.approximate })),
        now,
      );
      if (alleysIn.length) {
        // Alleys learn their community and grids from the areas as they stand after this import.
        const locator = await this.buildLocator(trx);
        const nextSeq = new Map<string, number>();
        const rows: NewAlley[] = [];
        for (const a of alleysIn) {
          let id = a.id;
          if (!id) {
            const seq = (nextSeq.get(a.streetCode) ?? (await tx.maxAlleySequence(a.streetCode))) + 1;
            nextSeq.set(a.streetCode, seq);
            id = `${a.streetCode}-${String(seq).padStart(4, '0')}`;
          }
          const { gridCodes, communityCode } = placeAlley(locator, a.geometry.coordinates);
          rows.push({
            id,
            district_code: a.streetCode.slice(0, 6),
            street_code: a.streetCode,
            community_code:
              a.communityCode ?? (communityCode?.startsWith(a.streetCode) ? communityCode : null),
            grid_codes: gridCodes.filter((g) => g.startsWith(a.streetCode)),
            name: a.name,
            alley_type: a.alleyType,
            geometry: JSON.stringify(a.geometry),
            length_m: a.lengthM,
            current_tier: a.currentTier ?? null,
            target_tier: a.targetTier ?? null,
            chief_name: a.chief?.name ?? null,
            chief_title: a.chief?.title ?? null,
            chief_duties: a.chief?.duties ?? null,
            chief_phone: a.chief?.phone ?? null,
            chief_user_id: null,
            council: a.council ?? null,
            contractor_id: a.contractorId ?? null,
            volunteer_team: a.volunteerTeam ?? null,
            plan: a.plan ?? null,
            residents_pact: a.residentsPact ?? null,
            culture_note: a.cultureNote ?? null,
            notice_board: a.noticeBoard ?? null,
            checklist: JSON.stringify(normaliseChecklist(a.checklist)),
            approximate: !!a.approximate,
            updated_at: now,
          });
        }
        await tx.upsertAlleys(rows);
      }
      await tx.bumpTerritoryVersion(now);
    });
    this.invalidateLocator();
    return report;
  }

  async exportTerritory(
    options: { layers?: Layer[]; streetCode?: string } = {},
  ): Promise<TerritoryFeatureCollection> {
    const layers = new Set<Layer>(
      options.layers?.length ? options.layers : ['district', 'street', 'community', 'grid', 'alley'],
    );
    const repo = this.repo;
    const features: TerritoryFeature[] = [];
    const flag = (approximate: boolean) => (approximate ? { approximate: true } : {});
    const inStreet = (code: string) => !options.streetCode || code.startsWith(options.streetCode);
    if (layers.has('district')) {
      for (const d of await repo.listDistricts()) {
        if (!d.boundary || (options.streetCode && !options.streetCode.startsWith(d.code))) continue;
        features.push({
          type: 'Feature',
          properties: { layer: 'district', code: d.code, name: d.name, ...flag(d.approximate) },
          geometry: d.boundary,
        });
      }
    }
    if (layers.has('street')) {
      for (const s of await repo.listStreets()) {
        if (!inStreet(s.code)) continue;
        features.push({
          type: 'Feature',
          properties: { layer: 'street', code: s.code, name: s.name, ...flag(s.approximate) },
          geometry: s.boundary,
        });
      }
    }
    if (layers.has('community')) {
      for (const c of await repo.listCommunities({ streetCode: options.streetCode })) {
        features.push({
          type: 'Feature',
          properties: { layer: 'community', code: c.code, name: c.name, ...flag(c.approximate) },
          geometry: c.boundary,
        });
      }
    }
    if (layers.has('grid')) {
      for (const g of await repo.listGrids({ streetCode: options.streetCode })) {
        features.push({
          type: 'Feature',
          properties: { layer: 'grid', code: g.code, ...flag(g.approximate) },
          geometry: g.boundary,
        });
      }
    }
    if (layers.has('alley')) {
      for (const a of await repo.allAlleys({ streetCode: options.streetCode })) {
        features.push({ type: 'Feature', properties: alleyProperties(a), geometry: a.geometry });
      }
    }
    return { type: 'FeatureCollection', features };
  }
}

function placeAlley(locator: Locator, coords: [number, number][]) {
  const grids = new Set<string>();
  const communities = new Map<string, number>();
  const samples: [number, number][] = [];
  for (let i = 0; i < coords.length; i++) {
    samples.push(coords[i]!);
    const next = coords[i + 1];
    if (next) samples.push([(coords[i]![0] + next[0]) / 2, (coords[i]![1] + next[1]) / 2]);
  }
  for (const [x, y] of samples) {
    const hit = locator.locate(x, y);
    if (hit?.grid) grids.add(hit.grid.code);
    if (hit?.community) communities.set(hit.community.code, (communities.get(hit.community.code) ?? 0) + 1);
  }
  const communityCode = [...communities.entries()].sort((p, q) => q[1] - p[1])[0]?.[0] ?? null;
  return { gridCodes: [...grids].sort(), communityCode };
}

export function alleyCodes(a: Pick<AlleyRow, 'street_code' | 'community_code' | 'grid_codes'>): string[] {
  return [a.street_code, ...(a.community_code ? [a.community_code] : []), ...a.grid_codes];
}

function alleySummary(a: AlleyRow) {
  return {
    id: a.id,
    name: a.name,
    streetCode: a.street_code,
    communityCode: a.community_code,
    alleyType: a.alley_type,
    lengthM: a.length_m,
    currentTier: a.current_tier,
    targetTier: a.target_tier,
    chiefName: a.chief_name,
    approximate: a.approximate,
  };
}

function alleyDetail(a: AlleyRow) {
  return {
    ...alleySummary(a),
    gridCodes: a.grid_codes,
    chief: { name: a.chief_name, title: a.chief_title, duties: a.chief_duties, phone: a.chief_phone },
    council: a.council,
    contractorId: a.contractor_id,
    volunteerTeam: a.volunteer_team,
    plan: a.plan,
    residentsPact: a.residents_pact,
    cultureNote: a.culture_note,
    noticeBoard: a.notice_board,
    checklist: normaliseChecklist(a.checklist),
    version: a.version,
    geometry: a.geometry,
  };
}

/** The import format's properties for an alley, leaving out what is empty so files stay small. */
function alleyProperties(a: AlleyRow): TerritoryFeature['properties'] {
  const chief = Object.fromEntries(
    Object.entries({
      name: a.chief_name,
      title: a.chief_title,
      duties: a.chief_duties,
      phone: a.chief_phone,
    }).filter(([, v]) => v !== null),
  );
  const checklist = normaliseChecklist(a.checklist);
  const optional: Record<string, unknown> = {
    communityCode: a.community_code,
    currentTier: a.current_tier,
    targetTier: a.target_tier,
    chief: Object.keys(chief).length ? chief : null,
    council: a.council,
    contractorId: a.contractor_id,
    volunteerTeam: a.volunteer_team,
    plan: a.plan,
    residentsPact: a.residents_pact,
    cultureNote: a.culture_note,
    noticeBoard: a.notice_board,
    checklist:
      Object.keys(checklist.haves ?? {}).length || Object.keys(checklist.nots ?? {}).length
        ? checklist
        : null,
    approximate: a.approximate || null,
  };
  return {
    layer: 'alley',
    id: a.id,
    name: a.name,
    streetCode: a.street_code,
    alleyType: a.alley_type,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
  };
}
