import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/authorisation.ts';
import { PUBLIC_STATUS_LABELS, PUBLIC_STEP_LABELS } from '../cases/case.labels.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { Database, Open311ClientRow } from '../db/schema.ts';
import type { IncomingFile, MediaService } from '../media/media.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { TaxonomyEntry } from '../taxonomy/taxonomy.schema.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import { lineStringMidpoint } from '../territory/geometry.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { type AttributeDefinition, checkAnswers, collectAttributes } from './open311.attributes.ts';
import { Open311Error, parseW3cDateTime, w3cDateTime, w3cOrNull } from './open311.format.ts';
import type { Open311Registry } from './open311.registry.ts';
import { open311Repository } from './open311.repository.ts';
import {
  baseStatusOf,
  CLOSED_STATES,
  EXTENDED_STATUSES,
  extendedStatusOf,
  hutongEquivalentOf,
  parseClientStatus,
} from './open311.status.ts';
import type { OutValue } from './open311.xml.ts';

/** Form fields and query parameters as received: every name with all its values, in order. */
export type Fields = ReadonlyMap<string, readonly string[]>;

/** The specification's limits, and Hutong's for fields it leaves open. */
export const MAX_RECORDS = 1000;
export const DEFAULT_WINDOW_DAYS = 90;
const MAX_DESCRIPTION = 4000;
const MAX_PERSONAL = 200;
const MAX_URL = 2000;
const DAY_MS = 86_400_000;

export const SPECIFICATION_URL = 'http://wiki.open311.org/GeoReport_v2';

const REJECT_LABELS: Readonly<Record<string, string>> = {
  not_in_remit: '不属于受理范围',
  insufficient_information: '信息不足',
  duplicate: '重复上报',
};

const LIMIT_UNIT_LABELS: Readonly<Record<string, string>> = {
  working_hours: '个工作小时',
  working_days: '个工作日',
  calendar_hours: '小时',
};

const SERVICE_CODE_RE = /^((component|event):)?\d{5}$/;

/**
 * The catch-all service: a request filed without a category (a resident's report nobody has filed
 * yet, a client that does not know which category fits) is listed under it, because GeoReport v2
 * requires every request to carry a service_code. Posting to it files a case without a category; the
 * dispatcher picks one when accepting it, and from then on the request shows that category's code.
 */
export const OTHER_SERVICE = {
  code: 'other',
  name: '其他问题（待分类）',
  description: '不确定属于哪一类的问题；受理时由指挥中心确定问题类型',
  group: '其他',
  keywords: '其他, 待分类, 不确定',
} as const;

export interface Jurisdiction {
  code: string;
  name: string;
}

export interface Open311Deps {
  taxonomy: TaxonomyService;
  territory: TerritoryService;
  cases: CaseService;
  media: MediaService;
  registry: Open311Registry;
}

/**
 * GeoReport v2 over Hutong (SPEC §9): services from the district's active taxonomy, their extra
 * questions from the registry, requests that are ordinary cases filed through `CaseService.intake`
 * with the channel `open311`, and the public face of every case of the district — never a person's
 * data, never a private category. Errors are `Open311Error`s; the routes render them in kind.
 *
 * The identifiers are stable: `service_code` is the taxonomy key (`event:06010`), `service_request_id`
 * the case number, `token` the case's tracking code, `address_id` the alley id, `jurisdiction_id` the
 * district code.
 */
export class Open311Service {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly deps: Open311Deps,
  ) {}

  get registry(): Open311Registry {
    return this.deps.registry;
  }

  private get repo() {
    return open311Repository(this.db);
  }

  // ---- jurisdiction ----------------------------------------------------------------------------

  /**
   * The district a call is about. The parameter is optional while the installation serves one district
   * (as the specification allows) and required once it serves several.
   */
  async jurisdiction(requested: string | undefined): Promise<Jurisdiction> {
    const districts = await this.repo.listDistricts();
    const served = districts.map((d) => d.code).join(', ');
    if (requested) {
      const found = districts.find((d) => d.code === requested);
      if (!found) {
        throw Open311Error.notFound(
          `jurisdiction_id ${requested} was not found; this endpoint serves ${served || 'no jurisdiction yet'}`,
        );
      }
      return found;
    }
    if (districts.length === 1) return districts[0]!;
    throw Open311Error.badRequest(
      districts.length === 0
        ? 'this endpoint serves no jurisdiction yet'
        : `jurisdiction_id was not provided; this endpoint serves several: ${served}`,
    );
  }

  // ---- discovery -------------------------------------------------------------------------------

  async discovery(baseUrl: string): Promise<OutValue> {
    const changeset = (await this.repo.changeset()) ?? new Date(0);
    const districts = await this.repo.listDistricts();
    return {
      changeset: w3cDateTime(changeset),
      contact: `Hutong Open311 GeoReport v2 server for ${districts.map((d) => `${d.name} (jurisdiction_id ${d.code})`).join(', ') || 'no jurisdiction yet'}; contact the district's urban management committee (区城市管理委).`,
      key_service:
        'api_keys are issued per client application by a district administrator (console: Open311 clients; ' +
        'command line: npx hutong open311 add-client NAME).',
      endpoints: [
        {
          specification: SPECIFICATION_URL,
          url: `${baseUrl}/open311/v2`,
          changeset: w3cDateTime(changeset),
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  // ---- services --------------------------------------------------------------------------------

  /** Public categories of the district's active taxonomy, keyed by taxonomy key. */
  private async publicEntries(districtCode: string): Promise<Map<string, TaxonomyEntry>> {
    if (!(await this.deps.taxonomy.currentVersion(districtCode))) return new Map();
    const { items } = await this.deps.taxonomy.list(null, { district: districtCode });
    return new Map(items.filter((e) => e.public).map((e) => [e.key, e]));
  }

  private async privateKeys(districtCode: string): Promise<string[]> {
    if (!(await this.deps.taxonomy.currentVersion(districtCode))) return [];
    const { items } = await this.deps.taxonomy.list(null, { district: districtCode });
    return items.filter((e) => !e.public).map((e) => e.key);
  }

  /** The public category a service code names (a taxonomy key, or a bare code read as the event). */
  private async service(districtCode: string, code: string): Promise<TaxonomyEntry | null> {
    if (!SERVICE_CODE_RE.test(code)) return null;
    const entry = await this.deps.taxonomy.entry(code, districtCode);
    return entry?.public ? entry : null;
  }

  async services(districtCode: string): Promise<OutValue[]> {
    const entries = await this.publicEntries(districtCode);
    const withAttributes = await this.registry.keysWithAttributes(districtCode);
    const listed: OutValue[] = [...entries.values()].map((e) => ({
      service_code: e.key,
      service_name: e.name,
      description: serviceDescription(e),
      metadata: withAttributes.has(e.key),
      type: 'realtime',
      keywords: [...new Set([e.name, ...e.keywords])].join(', '),
      group: e.majorClass,
    }));
    // Last, after the taxonomy's categories: the one a client picks when none of them fits. A
    // jurisdiction with no categories yet has no services at all.
    if (listed.length === 0) return [];
    return [
      ...listed,
      {
        service_code: OTHER_SERVICE.code,
        service_name: OTHER_SERVICE.name,
        description: OTHER_SERVICE.description,
        metadata: false,
        type: 'realtime',
        keywords: OTHER_SERVICE.keywords,
        group: OTHER_SERVICE.group,
      },
    ];
  }

  async serviceDefinition(districtCode: string, code: string): Promise<OutValue> {
    if (code === OTHER_SERVICE.code) return { service_code: OTHER_SERVICE.code, attributes: [] };
    const entry = await this.service(districtCode, code);
    if (!entry) throw Open311Error.notFound(`service_code ${code} was not found`);
    const definitions = await this.registry.definitions(districtCode, entry.key);
    return {
      service_code: entry.key,
      attributes: definitions.map((d) => ({
        variable: d.variable,
        code: d.code,
        datatype: d.datatype,
        required: d.required,
        datatype_description: d.datatypeDescription,
        order: d.order,
        description: d.description,
        values: d.values.map((v) => ({ key: v.key, name: v.name })),
      })),
    };
  }

  // ---- creating requests -----------------------------------------------------------------------

  /** The client holding the api_key; 403 in the specification's words otherwise. */
  async client(fields: Fields, action: string): Promise<Open311ClientRow> {
    const apiKey = optional(fields, 'api_key');
    if (!apiKey) throw Open311Error.forbidden(`api_key was not provided -- can't proceed with ${action}`);
    const client = await this.registry.authenticate(apiKey);
    if (!client) throw Open311Error.forbidden(`Invalid api_key received -- can't proceed with ${action}`);
    return client;
  }

  /** A client's jurisdiction: its own district, which jurisdiction_id may name but not change. */
  private async clientJurisdiction(client: Open311ClientRow, fields: Fields): Promise<Jurisdiction> {
    const requested = optional(fields, 'jurisdiction_id');
    const districts = await this.repo.listDistricts();
    if (requested && !districts.some((d) => d.code === requested)) {
      throw Open311Error.notFound(`jurisdiction_id ${requested} was not found`);
    }
    if (requested && requested !== client.district_code) {
      throw Open311Error.forbidden(`this api_key is not registered for jurisdiction_id ${requested}`);
    }
    const own = districts.find((d) => d.code === client.district_code);
    if (!own) throw Open311Error.badRequest('the jurisdiction of this api_key is no longer served');
    return own;
  }

  /**
   * POST requests: checks the client, the service, the place and the answers — every problem of the
   * request at once — then files a case through the ordinary intake (same routing, deadlines and trail)
   * and keeps the answers and the personal fields beside it.
   */
  async createRequest(input: {
    fields: Fields;
    photos: IncomingFile[];
    idempotencyKey?: string;
  }): Promise<{ body: OutValue[]; replayed: boolean }> {
    const { fields } = input;
    const client = await this.client(fields, 'create_request');
    const jurisdiction = await this.clientJurisdiction(client, fields);
    const code = optional(fields, 'service_code');
    if (!code) throw Open311Error.badRequest('service_code was not provided');
    // The catch-all service files a case without a category: null entry, no questions.
    const other = code === OTHER_SERVICE.code;
    const entry = other ? null : await this.service(jurisdiction.code, code);
    if (!entry && !other) throw Open311Error.notFound(`service_code ${code} was not found`);

    const problems: string[] = [];
    const place = await this.place(jurisdiction.code, fields, problems);
    const definitions = entry ? await this.registry.definitions(jurisdiction.code, entry.key) : [];
    const { answers, problems: answerProblems } = checkAnswers(definitions, collectAttributes(fields));
    problems.push(...answerProblems);
    const text = {
      description: optional(fields, 'description'),
      email: optional(fields, 'email'),
      first_name: optional(fields, 'first_name'),
      last_name: optional(fields, 'last_name'),
      phone: optional(fields, 'phone'),
      device_id: optional(fields, 'device_id'),
      account_id: optional(fields, 'account_id'),
      media_url: optional(fields, 'media_url'),
      address_string: optional(fields, 'address_string'),
    };
    checkLength(problems, 'description', text.description, MAX_DESCRIPTION);
    for (const f of ['email', 'first_name', 'last_name', 'phone', 'device_id', 'account_id'] as const) {
      checkLength(problems, f, text[f], MAX_PERSONAL);
    }
    checkLength(problems, 'address_string', text.address_string, MAX_PERSONAL);
    checkMediaUrl(problems, text.media_url);
    if (problems.length || !place) throw Open311Error.badRequest(problems);

    const media = input.photos.length
      ? await this.deps.media.ingest(input.photos, { role: 'report', uploadedBy: null })
      : [];
    const photoIds = media.map((m) => m.id);
    try {
      const reporterName = [text.first_name, text.last_name].filter(Boolean).join(' ') || null;
      const reporterContact = [text.phone, text.email].filter(Boolean).join(' / ') || null;
      const { result, replayed } = await this.deps.cases.intake(
        null,
        {
          channel: 'open311',
          // A request may come without words; the case still needs a line a dispatcher can read.
          description: text.description ?? `${entry?.name ?? OTHER_SERVICE.name}（Open311）`,
          lng: place.lng,
          lat: place.lat,
          crs: 'wgs84',
          categoryKey: entry?.key ?? null,
          address: text.address_string ?? null,
          reporterName,
          reporterContact,
          photoIds,
        },
        // Clients share the public intake's idempotency scope; their keys must not meet.
        input.idempotencyKey ? `open311:${client.id}:${input.idempotencyKey}` : undefined,
        { open311: { client: client.id, answers, photos: media.map((m) => m.sha256) } },
        {
          // In the case's own transaction: a case never stands without its answers and private fields.
          afterInsert: (trx, created) =>
            open311Repository(trx).insertRequest({
              case_id: created.id,
              district_code: jurisdiction.code,
              client_id: client.id,
              service_key: entry?.key ?? OTHER_SERVICE.code,
              attributes: answers,
              email: text.email ?? null,
              first_name: text.first_name ?? null,
              last_name: text.last_name ?? null,
              phone: text.phone ?? null,
              device_id: text.device_id ?? null,
              account_id: text.account_id ?? null,
              media_url: text.media_url ?? null,
              address_string: text.address_string ?? null,
              address_id: place.addressId ?? null,
              created_at: this.clock.now(),
            }),
        },
      );
      if (replayed) await this.deps.media.discard(photoIds);
      return {
        body: [
          {
            service_request_id: result.caseNumber,
            service_notice: entry ? serviceNotice(entry) : null,
            account_id: text.account_id ?? null,
          },
        ],
        replayed,
      };
    } catch (err) {
      await this.deps.media.discard(photoIds);
      throw err;
    }
  }

  /**
   * Where a request is: lat/long when given (both), else the alley named by address_id, else an alley
   * or street whose name the address_string contains. The point must lie in the client's district.
   */
  private async place(
    districtCode: string,
    fields: Fields,
    problems: string[],
  ): Promise<{ lng: number; lat: number; addressId?: string } | null> {
    const latRaw = optional(fields, 'lat');
    const lngRaw = optional(fields, 'long');
    const addressId = optional(fields, 'address_id');
    const addressString = optional(fields, 'address_string');
    let point: { lng: number; lat: number; addressId?: string } | null = null;
    if (latRaw !== undefined || lngRaw !== undefined) {
      const lat = coordinate(latRaw, 90);
      const lng = coordinate(lngRaw, 180);
      if (latRaw === undefined || lngRaw === undefined) {
        problems.push('lat and long must be sent together');
        return null;
      }
      if (lat === null) problems.push(`lat must be a WGS-84 latitude between -90 and 90, not ${latRaw}`);
      if (lng === null) problems.push(`long must be a WGS-84 longitude between -180 and 180, not ${lngRaw}`);
      if (lat === null || lng === null) return null;
      point = { lng, lat };
    } else if (addressId) {
      const alley = await this.repo.findAlley(districtCode, addressId);
      if (!alley) {
        problems.push(`address_id ${addressId} is not an address (alley) of this jurisdiction`);
        return null;
      }
      const [lng, lat] = lineStringMidpoint(alley.geometry.coordinates);
      point = { lng, lat, addressId: alley.id };
    } else if (addressString) {
      const alley = await this.repo.findAlleyInText(districtCode, addressString);
      if (alley) {
        const [lng, lat] = lineStringMidpoint(alley.geometry.coordinates);
        point = { lng, lat, addressId: alley.id };
      } else {
        const street = await this.repo.findStreetInText(districtCode, addressString);
        if (street) point = { lng: street.center_lng, lat: street.center_lat };
      }
      if (!point) {
        problems.push(
          `address_string could not be located: name an alley or street of the jurisdiction, or send lat and long`,
        );
        return null;
      }
    } else {
      problems.push('a location is required: lat and long, address_string or address_id');
      return null;
    }
    try {
      const location = await this.deps.territory.locate(point.lng, point.lat, 'wgs84');
      if (location.street.code.slice(0, 6) !== districtCode) {
        problems.push('the location lies outside this jurisdiction');
        return null;
      }
      return { ...point, addressId: point.addressId ?? location.alley?.id };
    } catch (err) {
      if (err instanceof AppError && err.code === 'OUTSIDE_TERRITORY') {
        problems.push('the location lies outside this jurisdiction');
        return null;
      }
      throw err;
    }
  }

  // ---- reading requests ------------------------------------------------------------------------

  /** GET requests: the filters of the specification, its defaults, and page/page_size. */
  async listRequests(districtCode: string, query: Fields, baseUrl: string): Promise<OutValue[]> {
    const ids = listParam(query, 'service_request_id');
    const { limit, offset } = paging(query);
    const privateKeys = await this.privateKeys(districtCode);
    if (ids.length) {
      // The list overrides every other filter, as the specification says.
      const rows = await this.repo.listRequests({
        districtCode,
        privateKeys,
        caseNumbers: ids.slice(0, MAX_RECORDS),
        closedStates: CLOSED_STATES,
        limit,
        offset,
      });
      return this.toRequests(districtCode, rows, baseUrl);
    }
    const { from, to } = this.window(query);
    const statuses = listParam(query, 'status').map((s) => s.toLowerCase());
    const badStatus = statuses.filter((s) => s !== 'open' && s !== 'closed');
    if (badStatus.length) {
      throw Open311Error.badRequest(
        `status must be open or closed (comma separated), not ${badStatus.join(', ')}`,
      );
    }
    const codes = listParam(query, 'service_code');
    const categoryKeys = codes.length
      ? (await Promise.all(codes.map((c) => this.service(districtCode, c)))).flatMap((e) =>
          e ? [e.key] : [],
        )
      : undefined;
    const rows = await this.repo.listRequests({
      districtCode,
      privateKeys,
      categoryKeys,
      uncategorised: codes.includes(OTHER_SERVICE.code),
      from,
      to,
      statuses: statuses as ('open' | 'closed')[],
      closedStates: CLOSED_STATES,
      limit,
      offset,
    });
    return this.toRequests(districtCode, rows, baseUrl);
  }

  async getRequest(districtCode: string, id: string, baseUrl: string): Promise<OutValue[]> {
    const rows = await this.repo.listRequests({
      districtCode,
      privateKeys: await this.privateKeys(districtCode),
      caseNumbers: [id],
      closedStates: CLOSED_STATES,
      limit: 1,
      offset: 0,
    });
    if (!rows.length) throw Open311Error.notFound(`service_request_id ${id} was not found`);
    return this.toRequests(districtCode, rows, baseUrl);
  }

  /** GET tokens/{token}: a case's tracking code stands for its token, as every report has one. */
  async token(districtCode: string, token: string): Promise<OutValue[]> {
    const code = token.trim().toUpperCase();
    const found = await this.repo.findPublicCaseByTrackingCode(
      districtCode,
      await this.privateKeys(districtCode),
      code,
    );
    if (!found) throw Open311Error.notFound(`token ${token} was not found`);
    return [{ service_request_id: found.case_number, token: found.tracking_code }];
  }

  /**
   * The date window of a listing: start_date and end_date in W3C form with their zone; either alone
   * reaches 90 days from it, neither means the last 90 days; a longer span is refused.
   */
  private window(query: Fields): { from: Date; to: Date } {
    const start = dateParam(query, 'start_date');
    const end = dateParam(query, 'end_date');
    const span = DEFAULT_WINDOW_DAYS * DAY_MS;
    const to = end ?? (start ? new Date(start.getTime() + span) : this.clock.now());
    const from = start ?? new Date(to.getTime() - span);
    if (from > to) throw Open311Error.badRequest('start_date must not be after end_date');
    if (to.getTime() - from.getTime() > span) {
      throw Open311Error.badRequest(
        `start_date and end_date may not span more than ${DEFAULT_WINDOW_DAYS} days`,
      );
    }
    return { from, to };
  }

  private async toRequests(
    districtCode: string,
    rows: Awaited<ReturnType<ReturnType<typeof open311Repository>['listRequests']>>,
    baseUrl: string,
  ): Promise<OutValue[]> {
    const entries = await this.publicEntries(districtCode);
    const photos = await this.repo.firstPhotos(rows.map((r) => r.id));
    return rows.map((r) => {
      const entry = r.category_key ? entries.get(r.category_key) : undefined;
      const closed = baseStatusOf(r.state) === 'closed';
      const rejectReason = (r.snapshot as { rejectReason?: unknown }).rejectReason;
      const photo = photos.get(r.id);
      return {
        service_request_id: r.case_number,
        status: baseStatusOf(r.state),
        status_notes: statusNotes(
          r.state,
          typeof rejectReason === 'string' ? rejectReason : null,
          r.merged_into_number,
        ),
        service_name: entry?.name ?? (r.category_key ? null : OTHER_SERVICE.name),
        // Never null (GeoReport v2 requires it): a case without a category is the catch-all's.
        service_code: r.category_key ?? OTHER_SERVICE.code,
        description: r.description || null,
        agency_responsible: r.organisation_name ?? r.street_name,
        service_notice: entry ? serviceNotice(entry) : null,
        requested_datetime: w3cDateTime(r.created_at),
        updated_datetime: w3cDateTime(closed && r.closed_at ? r.closed_at : r.updated_at),
        expected_datetime: w3cOrNull(r.handling_deadline),
        address: [r.alley_name, r.street_name, r.district_name].filter(Boolean).join(', ') || null,
        address_id: r.alley_id,
        zipcode: null,
        // Rounded like the public tracking page: about ten metres, enough to find the spot, not a door.
        lat: round4(r.lat),
        long: round4(r.lng),
        media_url: photo ? `${baseUrl}/api/media/${photo}/public` : null,
      };
    });
  }

  // ---- updates (the servicerequestupdates extension) -------------------------------------------

  async listUpdates(districtCode: string, query: Fields, baseUrl: string): Promise<OutValue[]> {
    const { from, to } = this.window(query);
    const { limit, offset } = paging(query);
    const rows = await this.repo.listUpdates({
      districtCode,
      privateKeys: await this.privateKeys(districtCode),
      from,
      to,
      caseNumber: optional(query, 'service_request_id'),
      limit,
      offset,
    });
    return rows.map((r) => {
      const status = extendedStatusOf(r.to_state, r.reason);
      if (r.kind === 'comment') {
        return {
          update_id: r.update_id!,
          service_request_id: r.case_number,
          status,
          updated_datetime: w3cDateTime(new Date(r.at)),
          description: r.description ?? '',
          media_url: null,
        };
      }
      const label = PUBLIC_STEP_LABELS[r.action ?? ''] ?? PUBLIC_STATUS_LABELS[r.to_state] ?? r.to_state;
      const reason = r.to_state === 'rejected' && r.reason ? REJECT_LABELS[r.reason] : undefined;
      const afterPhoto =
        r.action === 'feedback'
          ? firstString((r.payload as { afterPhotoIds?: unknown })?.afterPhotoIds)
          : null;
      return {
        update_id: `${r.case_number}.${r.seq}`,
        service_request_id: r.case_number,
        status,
        updated_datetime: w3cDateTime(new Date(r.at)),
        description: reason ? `${label}：${reason}` : label,
        media_url: afterPhoto ? `${baseUrl}/api/media/${afterPhoto}/public` : null,
      };
    });
  }

  /**
   * POST servicerequestupdates: a client's comment on a request. It is published in the updates feed
   * and shown to staff with the case; the status a client reports is kept as a suggestion and never
   * moves the case, which only the people of the case loop do.
   */
  async postUpdate(fields: Fields): Promise<{ body: OutValue[]; replayed: boolean }> {
    const client = await this.client(fields, 'create_update');
    const jurisdiction = await this.clientJurisdiction(client, fields);
    const caseNumber = optional(fields, 'service_request_id');
    if (!caseNumber) throw Open311Error.badRequest('service_request_id was not provided');
    const found = await this.repo.findPublicCaseByNumber(
      jurisdiction.code,
      await this.privateKeys(jurisdiction.code),
      caseNumber,
    );
    if (!found) throw Open311Error.notFound(`service_request_id ${caseNumber} was not found`);

    const problems: string[] = [];
    const description = optional(fields, 'description');
    if (!description) problems.push('description was not provided');
    checkLength(problems, 'description', description, MAX_DESCRIPTION);
    const statusRaw = optional(fields, 'status');
    const status = statusRaw ? parseClientStatus(statusRaw) : null;
    if (statusRaw && !status) {
      problems.push(
        `status must be one of ${EXTENDED_STATUSES.join(', ')} (or open, closed), not ${statusRaw}`,
      );
    }
    const datetimeRaw = optional(fields, 'updated_datetime');
    const clientDatetime = datetimeRaw ? parseW3cDateTime(datetimeRaw) : null;
    if (datetimeRaw && !clientDatetime) {
      problems.push(`updated_datetime must be a W3C date-time with its zone, not ${datetimeRaw}`);
    }
    const clientUpdateId = optional(fields, 'update_id');
    checkLength(problems, 'update_id', clientUpdateId, 100);
    const personal = {
      email: optional(fields, 'email'),
      first_name: optional(fields, 'first_name'),
      last_name: optional(fields, 'last_name'),
      phone: optional(fields, 'phone'),
      account_id: optional(fields, 'account_id'),
    };
    for (const [name, value] of Object.entries(personal)) checkLength(problems, name, value, MAX_PERSONAL);
    const mediaUrl = optional(fields, 'media_url');
    checkMediaUrl(problems, mediaUrl);
    if (problems.length || !description) throw Open311Error.badRequest(problems);

    const id = newId('o311u');
    const inserted = await this.repo.insertUpdate({
      id,
      case_id: found.id,
      district_code: jurisdiction.code,
      client_id: client.id,
      client_update_id: clientUpdateId ?? null,
      description,
      client_status: status,
      case_state: found.state,
      client_datetime: clientDatetime,
      media_url: mediaUrl ?? null,
      email: personal.email ?? null,
      first_name: personal.first_name ?? null,
      last_name: personal.last_name ?? null,
      phone: personal.phone ?? null,
      account_id: personal.account_id ?? null,
      created_at: this.clock.now(),
    });
    if (inserted) return { body: [{ update_id: inserted }], replayed: false };
    // The client sent this update id before: answer as the first time.
    const earlier = await this.repo.findUpdateByClientRef(client.id, clientUpdateId!);
    return { body: [{ update_id: earlier!.id }], replayed: true };
  }

  // ---- the staff's view --------------------------------------------------------------------------

  /**
   * What an Open311 client sent with a case, for the staff who may read the case: the answers, the
   * reporter's private fields, and the clients' comments with the status each suggested.
   */
  async caseDetail(actor: Actor, ref: string) {
    const c = await this.deps.cases.getForActor(actor, ref);
    const row = await this.repo.findRequestRow(c.id);
    const client = row ? await this.registry.findClient(row.client_id) : undefined;
    const definitions = row ? await this.registry.definitions(c.district_code, row.service_key) : [];
    const updates = await this.repo.updatesOfCase(c.id);
    return {
      caseId: c.id,
      caseNumber: c.case_number,
      request: row
        ? {
            client: { id: row.client_id, name: client?.name ?? null },
            serviceCode: row.service_key,
            answers: answerList(definitions, row.attributes),
            reporter: {
              email: row.email,
              firstName: row.first_name,
              lastName: row.last_name,
              phone: row.phone,
              deviceId: row.device_id,
              accountId: row.account_id,
            },
            mediaUrl: row.media_url,
            addressString: row.address_string,
            addressId: row.address_id,
            receivedAt: new Date(row.created_at).toISOString(),
          }
        : null,
      updates: updates.map((u) => {
        const suggested = u.client_status ? parseClientStatus(u.client_status) : null;
        return {
          id: u.id,
          client: { id: u.client_id, name: u.client_name },
          clientUpdateId: u.client_update_id,
          description: u.description,
          clientStatus: u.client_status,
          suggestedState: suggested ? hutongEquivalentOf(suggested) : null,
          caseStateThen: u.case_state,
          clientDatetime: u.client_datetime ? new Date(u.client_datetime).toISOString() : null,
          mediaUrl: u.media_url,
          reporter: {
            email: u.email,
            firstName: u.first_name,
            lastName: u.last_name,
            phone: u.phone,
            accountId: u.account_id,
          },
          receivedAt: new Date(u.created_at).toISOString(),
        };
      }),
    };
  }
}

// ---- helpers -----------------------------------------------------------------------------------

/**
 * One optional argument: trimmed, and absent when empty (the specification treats an empty parameter
 * as one not sent). A parameter sent twice is ambiguous and refused.
 */
export function optional(fields: Fields, name: string): string | undefined {
  const values = fields.get(name) ?? [];
  const nonEmpty = values.map((v) => v.trim()).filter((v) => v !== '');
  if (nonEmpty.length > 1) throw Open311Error.badRequest(`${name} was sent more than once`);
  return nonEmpty[0];
}

/** A comma-separated argument, which may also be repeated. */
export function listParam(fields: Fields, name: string): string[] {
  return (fields.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function dateParam(fields: Fields, name: string): Date | undefined {
  const raw = optional(fields, name);
  if (raw === undefined) return undefined;
  const d = parseW3cDateTime(raw);
  if (!d) {
    throw Open311Error.badRequest(
      `${name} must be a W3C date-time with its zone, e.g. 2026-11-02T00:00:00+08:00 or 2026-11-01T16:00:00Z, not ${raw}`,
    );
  }
  return d;
}

function positiveInt(fields: Fields, name: string, fallback: number, max: number): number {
  const raw = optional(fields, name);
  if (raw === undefined) return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw Open311Error.badRequest(`${name} must be a whole number from 1 to ${max}, not ${raw}`);
  }
  return n;
}

/** page (from 1) and page_size (at most 1,000, the specification's cap on one response). */
function paging(fields: Fields): { limit: number; offset: number } {
  const pageSize = positiveInt(fields, 'page_size', MAX_RECORDS, MAX_RECORDS);
  const page = positiveInt(fields, 'page', 1, 1_000_000);
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

function coordinate(raw: string | undefined, bound: number): number | null {
  if (raw === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) return null;
  const v = Number(raw);
  return Number.isFinite(v) && Math.abs(v) <= bound ? v : null;
}

function checkLength(problems: string[], name: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) problems.push(`${name} is longer than ${max} characters`);
}

function checkMediaUrl(problems: string[], value: string | undefined): void {
  if (value === undefined) return;
  let ok = value.length <= MAX_URL;
  try {
    const u = new URL(value);
    ok &&= u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) problems.push('media_url must be an http:// or https:// URL of at most 2000 characters');
}

function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

function firstString(v: unknown): string | null {
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
}

function serviceDescription(e: TaxonomyEntry): string {
  return `${e.name}（${e.kind === 'event' ? '事件' : '部件'}，${e.majorClass}）`;
}

/** What the district commits to once the case is filed: its handling limit. */
function serviceNotice(e: TaxonomyEntry): string {
  const unit = LIMIT_UNIT_LABELS[e.handlingLimit.unit] ?? e.handlingLimit.unit;
  return `立案后${e.handlingLimit.amount}${unit}内处置`;
}

function statusNotes(state: string, rejectReason: string | null, mergedInto: string | null): string {
  if (state === 'rejected') return `不予立案：${REJECT_LABELS[rejectReason ?? ''] ?? '其他原因'}`;
  if (state === 'merged' && mergedInto) return `已并入 ${mergedInto}`;
  return PUBLIC_STATUS_LABELS[state] ?? state;
}

function answerList(definitions: readonly AttributeDefinition[], answers: Record<string, string | string[]>) {
  const byCode = new Map(definitions.map((d) => [d.code, d]));
  // jsonb keeps keys in its own order (shortest first), not the order asked: sort by the definition's.
  const rank = (code: string) => byCode.get(code)?.order ?? Number.MAX_SAFE_INTEGER;
  const entries = Object.entries(answers).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return entries.map(([code, value]) => {
    const d = byCode.get(code);
    const names = (v: string) => d?.values.find((x) => x.key === v)?.name ?? v;
    return {
      code,
      question: d?.description ?? null,
      value,
      label: Array.isArray(value) ? value.map(names) : names(value),
    };
  });
}
