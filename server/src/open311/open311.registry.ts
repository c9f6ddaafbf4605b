import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope, recordedUserId, SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { Database, Open311ClientRow, Open311ServiceAttributeRow } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import { type AttributeDefinition, definitionIssues } from './open311.attributes.ts';
import { open311Repository } from './open311.repository.ts';
import type { AttributeInput, AttributePatch } from './open311.schema.ts';

/** The demo's service with questions, and its questions (`seedDemoAttributes`). */
export const DEMO_ATTRIBUTE_SERVICE = 'event:01001';
const DEMO_ATTRIBUTES: Omit<AttributeInput, 'serviceCode' | 'district'>[] = [
  {
    code: 'INJURED',
    variable: true,
    datatype: 'singlevaluelist',
    required: true,
    order: 1,
    description: '是否有人受伤？',
    values: [
      { key: 'yes', name: '有人受伤' },
      { key: 'no', name: '无人受伤' },
    ],
  },
  {
    code: 'COVER_STATE',
    variable: true,
    datatype: 'singlevaluelist',
    required: false,
    order: 2,
    description: '井盖是什么情况？',
    values: [
      { key: 'missing', name: '丢失' },
      { key: 'broken', name: '破损' },
      { key: 'displaced', name: '移位' },
      { key: 'sunken', name: '下沉或凸起' },
    ],
  },
];

/** The demo city's client: its api_key is `demo`, documented, and good for nothing outside a demo. */
export const DEMO_CLIENT_ID = 'o311c_demo';
export const DEMO_API_KEY = 'demo';

export interface ClientView {
  id: string;
  name: string;
  districtCode: string;
  active: boolean;
  createdAt: string;
  createdBy: string | null;
}

export interface AttributeView extends AttributeDefinition {
  id: string;
  districtCode: string;
  serviceCode: string;
  updatedAt: string;
}

/**
 * What the district configures for Open311: the client applications allowed to post (each with its
 * own api_key, of which only a hash is kept) and the extra questions each service asks. Console and
 * CLI callers go through `authorisation.ts`; the operator at the command line acts as SYSTEM_ACTOR.
 */
export class Open311Registry {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly taxonomy: TaxonomyService,
  ) {}

  private get repo() {
    return open311Repository(this.db);
  }

  // ---- clients -------------------------------------------------------------------------------

  async addClient(
    actor: Actor,
    input: { name: string; districtCode?: string },
  ): Promise<{ client: ClientView; apiKey: string }> {
    const districtCode =
      input.districtCode ??
      (actor?.scopeCode ? actor.scopeCode.slice(0, 6) : await this.taxonomy.districtForOperator());
    authorise(actor, 'open311_client.write', { territoryCodes: [districtCode] });
    await this.assertDistrict(districtCode, 'districtCode');
    const name = input.name.trim();
    if (!name || name.length > 100) {
      throw AppError.validation([{ field: 'name', message: 'between 1 and 100 characters' }]);
    }
    const apiKey = newSecret();
    const row = {
      id: newId('o311c'),
      name,
      api_key_hash: sha256Hex(apiKey),
      district_code: districtCode,
      created_at: this.clock.now(),
      created_by: recordedUserId(actor),
    };
    await this.repo.insertClient(row);
    return { client: clientView({ ...row, active: true }), apiKey };
  }

  async listClients(actor: Actor): Promise<ClientView[]> {
    const prefix = listScope(actor, 'open311_client.read');
    return (await this.repo.listClients(prefix)).map(clientView);
  }

  /** Revokes a client: its key stops working at once; the row stays for the requests that name it. */
  async revokeClient(actor: Actor, id: string): Promise<ClientView> {
    const client = await this.repo.findClient(id);
    if (!client) throw AppError.notFound('Open311 client', id);
    authorise(actor, 'open311_client.write', { territoryCodes: [client.district_code] });
    await this.repo.deactivateClient(id);
    return clientView({ ...client, active: false });
  }

  /** The active client holding this api_key, if any. */
  async authenticate(apiKey: string): Promise<Open311ClientRow | null> {
    const client = await this.repo.findClientByKeyHash(sha256Hex(apiKey));
    return client?.active ? client : null;
  }

  async findClient(id: string): Promise<Open311ClientRow | undefined> {
    return this.repo.findClient(id);
  }

  /** The demo city's client (api_key `demo`); does nothing when it exists. */
  async seedDemoClient(districtCode: string): Promise<void> {
    await this.repo.ensureClient({
      id: DEMO_CLIENT_ID,
      name: '示例 Open311 客户端 (demo)',
      api_key_hash: sha256Hex(DEMO_API_KEY),
      district_code: districtCode,
      created_at: this.clock.now(),
      created_by: null,
    });
  }

  /**
   * The demo's service with questions (metadata true): a manhole cover (供水井盖异常) asks whether anyone
   * was hurt and what is wrong with the cover. Seeded once: a district that has edited the service's
   * questions keeps its own.
   */
  async seedDemoAttributes(districtCode: string): Promise<void> {
    if (!(await this.taxonomy.entry(DEMO_ATTRIBUTE_SERVICE, districtCode))) return;
    if ((await this.repo.listAttributes(districtCode, DEMO_ATTRIBUTE_SERVICE)).length > 0) return;
    for (const question of DEMO_ATTRIBUTES) {
      await this.createAttribute(SYSTEM_ACTOR, {
        ...question,
        serviceCode: DEMO_ATTRIBUTE_SERVICE,
        district: districtCode,
      });
    }
  }

  // ---- service attributes --------------------------------------------------------------------

  /** The questions of one service, in the order they are asked. */
  async definitions(districtCode: string, serviceKey: string): Promise<AttributeDefinition[]> {
    return (await this.repo.listAttributes(districtCode, serviceKey)).map(definitionOf);
  }

  keysWithAttributes(districtCode: string): Promise<Set<string>> {
    return this.repo.keysWithAttributes(districtCode);
  }

  async listAttributes(
    actor: Actor | null,
    query: { serviceCode?: string; district?: string },
  ): Promise<AttributeView[]> {
    authorise(actor, 'taxonomy.read');
    const districtCode = await this.taxonomy.districtFor(actor, query.district);
    const key = query.serviceCode ? await this.serviceKey(districtCode, query.serviceCode) : undefined;
    return (await this.repo.listAttributes(districtCode, key)).map(attributeView);
  }

  async createAttribute(actor: Actor, input: AttributeInput): Promise<AttributeView> {
    const districtCode = await this.taxonomy.districtFor(actor, input.district);
    authorise(actor, 'open311_attribute.write', { territoryCodes: [districtCode] });
    const serviceKey = await this.serviceKey(districtCode, input.serviceCode);
    const definition: AttributeDefinition = {
      code: input.code,
      variable: input.variable,
      datatype: input.datatype,
      required: input.required,
      datatypeDescription: input.datatypeDescription ?? null,
      order: input.order,
      description: input.description,
      values: input.values,
    };
    await this.checkDefinition(districtCode, serviceKey, definition, null);
    const id = newId('o311a');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = open311Repository(trx);
      await repo.insertAttribute({
        ...definition,
        id,
        districtCode,
        serviceKey,
        now,
        createdBy: recordedUserId(actor),
      });
      await repo.touchChangeset(districtCode, now);
    });
    return attributeView((await this.repo.findAttribute(id))!);
  }

  async updateAttribute(actor: Actor, id: string, patch: AttributePatch): Promise<AttributeView> {
    const current = await this.repo.findAttribute(id);
    if (!current) throw AppError.notFound('Open311 attribute', id);
    authorise(actor, 'open311_attribute.write', { territoryCodes: [current.district_code] });
    const before = definitionOf(current);
    const next: AttributeDefinition = {
      code: patch.code ?? before.code,
      variable: patch.variable ?? before.variable,
      datatype: patch.datatype ?? before.datatype,
      required: patch.required ?? before.required,
      datatypeDescription:
        patch.datatypeDescription === undefined ? before.datatypeDescription : patch.datatypeDescription,
      order: patch.order ?? before.order,
      description: patch.description ?? before.description,
      values: patch.values ?? before.values,
    };
    await this.checkDefinition(current.district_code, current.service_key, next, id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = open311Repository(trx);
      await repo.updateAttribute(id, { ...next, now });
      await repo.touchChangeset(current.district_code, now);
    });
    return attributeView((await this.repo.findAttribute(id))!);
  }

  async deleteAttribute(actor: Actor, id: string): Promise<void> {
    const current = await this.repo.findAttribute(id);
    if (!current) throw AppError.notFound('Open311 attribute', id);
    authorise(actor, 'open311_attribute.write', { territoryCodes: [current.district_code] });
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = open311Repository(trx);
      await repo.deleteAttribute(id);
      await repo.touchChangeset(current.district_code, now);
    });
  }

  /** The taxonomy key a service code names in the district's active taxonomy. */
  private async serviceKey(districtCode: string, serviceCode: string): Promise<string> {
    const entry = await this.taxonomy.entry(serviceCode.trim(), districtCode);
    if (!entry) {
      throw AppError.validation([
        { field: 'serviceCode', message: `no category ${serviceCode} in the active taxonomy` },
      ]);
    }
    return entry.key;
  }

  /** The rules of a definition, and that its code and order are not taken in the service already. */
  private async checkDefinition(
    districtCode: string,
    serviceKey: string,
    d: AttributeDefinition,
    selfId: string | null,
  ): Promise<void> {
    const issues = definitionIssues(d);
    if (issues.length) throw AppError.validation(issues);
    const others = (await this.repo.listAttributes(districtCode, serviceKey)).filter((a) => a.id !== selfId);
    if (others.some((a) => a.code === d.code)) {
      throw new AppError('ALREADY_EXISTS', `The service already has an attribute ${d.code}`, {
        field: 'code',
      });
    }
    if (others.some((a) => a.position === d.order)) {
      throw new AppError('ALREADY_EXISTS', `Another attribute of the service is number ${d.order}`, {
        field: 'order',
      });
    }
  }

  private async assertDistrict(code: string, field: string): Promise<void> {
    const known = (await this.repo.listDistricts()).some((d) => d.code === code);
    if (!known) throw AppError.validation([{ field, message: `no district ${code} in the territory` }]);
  }
}

function clientView(c: Open311ClientRow): ClientView {
  return {
    id: c.id,
    name: c.name,
    districtCode: c.district_code,
    active: c.active,
    createdAt: new Date(c.created_at).toISOString(),
    createdBy: c.created_by,
  };
}

function definitionOf(r: Open311ServiceAttributeRow): AttributeDefinition {
  return {
    code: r.code,
    variable: r.variable,
    datatype: r.datatype,
    required: r.required,
    datatypeDescription: r.datatype_description,
    order: r.position,
    description: r.description,
    values: r.value_list,
  };
}

function attributeView(r: Open311ServiceAttributeRow): AttributeView {
  return {
    id: r.id,
    districtCode: r.district_code,
    serviceCode: r.service_key,
    ...definitionOf(r),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
