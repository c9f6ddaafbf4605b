import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope, recordedUserId } from '../../accounts/authorisation.ts';
import { beijingDateOf } from '../../calendar/working-calendar.ts';
import type { Database, FrontageShopKind } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { territoryRepository } from '../../territory/territory.repository.ts';
import { alleyCodes } from '../../territory/territory.service.ts';
import { frontageRepository, type ShopRow } from './frontage.repository.ts';
import {
  agreementState,
  boardRating,
  type CheckResult,
  checkFromFindings,
  DUTIES,
  isDay,
  isMonth,
  type MonthlyRating,
  monthlyRating,
  monthOf,
  monthsBefore,
} from './frontage.rules.ts';

export interface AgreementInput {
  duties?: string[];
  stretch: string;
  lengthM?: number;
  signedOn: string;
  validUntil: string;
  signatory?: string;
}

export interface ShopInput {
  alleyId: string;
  name: string;
  kind: FrontageShopKind;
  address: string;
  responsibleName?: string;
  responsiblePhone?: string;
  agreement?: AgreementInput;
}

export interface CheckInput {
  checkedOn?: string;
  appearanceOk: boolean;
  sanitationOk: boolean;
  orderOk: boolean;
  note?: string;
}

/** How many months back the public board looks for a shop's last rated month. */
const BOARD_LOOKBACK_MONTHS = 12;

type AgreementRow = Awaited<ReturnType<ReturnType<typeof frontageRepository>['agreements']>>[number];

/**
 * Frontage responsibility (门前三包, SPEC §8, docs/participation.md): the shops and units along each
 * alley, the agreements they sign (superseded, never overwritten), the checks staff record or an
 * inspection's 门前三包 findings name, and the monthly star ratings. The responsible person and phone
 * are for the staff of the shop's scope; the public board shows names, kinds, agreements and stars.
 */
export class FrontageService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return frontageRepository(this.db);
  }

  private today(): string {
    return beijingDateOf(this.clock.now());
  }

  private async alley(alleyId: string) {
    const alley = await territoryRepository(this.db).findAlley(alleyId);
    if (!alley) throw AppError.validation([{ field: 'alleyId', message: `no alley ${alleyId}` }]);
    return alley;
  }

  private async shopFor(
    actor: Actor,
    id: string,
    action: 'frontage.read' | 'frontage.manage' | 'frontage.check',
  ) {
    const s = await this.repo.findShop(id);
    if (!s) throw AppError.notFound('shop', id);
    authorise(actor, action, { territoryCodes: shopCodes(s) });
    return s;
  }

  async registerShop(actor: Actor, body: ShopInput) {
    const alley = await this.alley(body.alleyId);
    authorise(actor, 'frontage.manage', { territoryCodes: alleyCodes(alley) });
    if (body.agreement) validateAgreement(body.agreement, 'agreement.');
    const id = newId('shop');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await frontageRepository(trx).insertShop({
        district_code: alley.district_code,
        id,
        alley_id: alley.id,
        street_code: alley.street_code,
        community_code: alley.community_code,
        name: body.name,
        kind: body.kind,
        address: body.address,
        responsible_name: body.responsibleName ?? '',
        responsible_phone: body.responsiblePhone ?? '',
        created_at: now,
        created_by: recordedUserId(actor),
      });
      if (body.agreement) await this.writeAgreement(trx, actor, alley.district_code, id, body.agreement, now);
    });
    return this.shop(actor, id);
  }

  /** A new agreement of a shop: the next version; the one it replaces is marked superseded. */
  async signAgreement(actor: Actor, shopId: string, body: AgreementInput) {
    const s = await this.shopFor(actor, shopId, 'frontage.manage');
    validateAgreement(body, '');
    await this.db.transaction().execute(async (trx) => {
      await frontageRepository(trx).lockShop(s.district_code, s.id);
      await this.writeAgreement(trx, actor, s.district_code, s.id, body, this.clock.now());
    });
    return this.shop(actor, shopId);
  }

  private async writeAgreement(
    trx: Kysely<Database>,
    actor: Actor,
    districtCode: string,
    shopId: string,
    a: AgreementInput,
    now: Date,
  ) {
    const repo = frontageRepository(trx);
    const current = await repo.currentAgreement(districtCode, shopId);
    const id = newId('fagr');
    if (current) await repo.supersede(districtCode, current.id, now, id);
    await repo.insertAgreement({
      district_code: districtCode,
      id,
      shop_id: shopId,
      version: (await repo.maxVersion(districtCode, shopId)) + 1,
      duties: JSON.stringify(a.duties?.length ? [...new Set(a.duties)] : [...DUTIES]),
      stretch: a.stretch,
      length_m: a.lengthM ?? null,
      signed_on: a.signedOn,
      valid_until: a.validUntil,
      signatory: a.signatory ?? '',
      recorded_by: recordedUserId(actor),
      created_at: now,
    });
  }

  /** Shops of the actor's scope (or of one alley inside it), each with its agreement and the month's rating. */
  async shops(actor: Actor, q: { alleyId?: string; month?: string } = {}) {
    const prefix = listScope(actor, 'frontage.read');
    if (q.alleyId) {
      const alley = await this.alley(q.alleyId);
      authorise(actor, 'frontage.read', { territoryCodes: alleyCodes(alley) });
    }
    const month = this.month(q.month);
    const rows = await this.repo.listShops({ prefix: q.alleyId ? null : prefix, alleyId: q.alleyId });
    const ratings = await this.monthRatings(
      rows.map((r) => r.id),
      month,
    );
    const agreements = await this.agreementsOf(rows.map((r) => r.id));
    return {
      month,
      items: rows.map((r) => ({
        ...this.staffView(r, agreements.get(r.id) ?? null),
        rating: ratings.get(r.id)!,
      })),
    };
  }

  /** One shop with its contact, every agreement (newest first) and its checks of the last year. */
  async shop(actor: Actor, id: string) {
    const s = await this.shopFor(actor, id, 'frontage.read');
    const agreements = await this.repo.agreements(s.district_code, s.id);
    const current = agreements.find((a) => a.superseded_at === null) ?? null;
    const today = this.today();
    const checks = await this.repo.checks([s.id], yearBefore(today), today);
    return {
      ...this.staffView(s, current),
      rating: monthlyRating(checks.filter((c) => monthOf(c.checked_on) === monthOf(today)).map(result)),
      agreements: agreements.map(agreementView),
      checks: checks.map((c) => ({
        id: c.id,
        checkedOn: c.checked_on,
        ...result(c),
        note: c.note,
        source: c.source,
        inspectionId: c.inspection_id,
        recorderName: c.recorder_name,
      })),
    };
  }

  async recordCheck(actor: Actor, shopId: string, body: CheckInput) {
    const s = await this.shopFor(actor, shopId, 'frontage.check');
    const today = this.today();
    const checkedOn = body.checkedOn ?? today;
    if (!isDay(checkedOn))
      throw AppError.validation([{ field: 'checkedOn', message: 'a calendar day, YYYY-MM-DD' }]);
    if (checkedOn > today)
      throw AppError.validation([{ field: 'checkedOn', message: 'a check is recorded once it happened' }]);
    if (!s.active)
      throw AppError.validation([{ field: 'shopId', message: 'the shop is no longer registered' }]);
    const id = newId('fchk');
    await this.repo.insertCheck({
      district_code: s.district_code,
      id,
      shop_id: s.id,
      checked_on: checkedOn,
      appearance_ok: body.appearanceOk,
      sanitation_ok: body.sanitationOk,
      order_ok: body.orderOk,
      note: body.note ?? '',
      source: 'staff',
      inspection_id: null,
      recorded_by: recordedUserId(actor),
      created_at: this.clock.now(),
    });
    const month = monthOf(checkedOn);
    const rating = (await this.monthRatings([s.id], month)).get(s.id)!;
    return {
      id,
      shopId: s.id,
      checkedOn,
      appearanceOk: body.appearanceOk,
      sanitationOk: body.sanitationOk,
      orderOk: body.orderOk,
      note: body.note ?? '',
      month,
      rating,
    };
  }

  /** The monthly ratings of an alley's shops (or of the actor's scope), for the console. */
  async ratings(actor: Actor, q: { alleyId?: string; month?: string }) {
    const { month, items } = await this.shops(actor, q);
    const byAlley = new Map<string, { alleyId: string; alleyName: string; shops: typeof items }>();
    for (const s of items) {
      const g = byAlley.get(s.alleyId) ?? { alleyId: s.alleyId, alleyName: s.alleyName, shops: [] };
      g.shops.push(s);
      byAlley.set(s.alleyId, g);
    }
    return {
      month,
      alleys: [...byAlley.values()].map((g) => {
        const rated = g.shops.filter((s) => s.rating.stars !== null);
        return {
          alleyId: g.alleyId,
          alleyName: g.alleyName,
          shops: g.shops.length,
          rated: rated.length,
          averageStars: rated.length
            ? Math.round((rated.reduce((n, s) => n + s.rating.stars!, 0) / rated.length) * 10) / 10
            : null,
          items: g.shops.map((s) => ({
            shopId: s.id,
            name: s.name,
            kind: s.kind,
            address: s.address,
            agreementState: s.agreementState,
            rating: s.rating,
          })),
        };
      }),
    };
  }

  /**
   * The public alley board's shops: name, kind, address, the agreement's duties, stretch and term, and
   * the stars of this month or the last month rated — no responsible person, no phone.
   */
  async publicShops(alleyId: string) {
    const alley = await territoryRepository(this.db).findAlley(alleyId);
    if (!alley) throw AppError.notFound('alley', alleyId);
    const today = this.today();
    const month = monthOf(today);
    const rows = await this.repo.listShops({ prefix: null, alleyId, activeOnly: true });
    const ids = rows.map((r) => r.id);
    const agreements = await this.agreementsOf(ids);
    const from = `${monthsBefore(month, BOARD_LOOKBACK_MONTHS - 1)}-01`;
    const checks = await this.repo.checks(ids, from, today);
    return {
      alleyId: alley.id,
      month,
      items: rows.map((r) => {
        const history = new Map<string, CheckResult[]>();
        for (const c of checks.filter((c) => c.shop_id === r.id)) {
          const m = monthOf(c.checked_on);
          history.set(m, [...(history.get(m) ?? []), result(c)]);
        }
        const board = boardRating(month, history);
        const a = agreements.get(r.id) ?? null;
        return {
          id: r.id,
          name: r.name,
          kind: r.kind,
          address: r.address,
          agreement: a
            ? {
                duties: a.duties as unknown as string[],
                stretch: a.stretch,
                lengthM: a.length_m,
                validUntil: a.valid_until,
                state: agreementState({ signedOn: a.signed_on, validUntil: a.valid_until }, today),
              }
            : null,
          ratingMonth: board.month,
          stars: board.rating.stars,
          checks: board.rating.checks,
        };
      }),
    };
  }

  /**
   * Whether an inspection's findings may name these shops: each named shop is a registered shop of the
   * inspected alley, and only findings on 门前三包 (frontage) indicators name one.
   */
  async checkInspectionShops(
    alleyId: string,
    findings: readonly { shopId?: string; frontage: boolean }[],
  ): Promise<FieldIssue[]> {
    const named = findings.filter((f) => f.shopId);
    if (named.length === 0) return [];
    const shops = new Map(
      (await this.repo.listShops({ prefix: null, alleyId, activeOnly: true })).map((s) => [s.id, s]),
    );
    const problems: FieldIssue[] = [];
    for (const [i, f] of findings.entries()) {
      if (!f.shopId) continue;
      if (!f.frontage)
        problems.push({ field: `findings[${i}].shopId`, message: 'only a 门前三包 finding names a shop' });
      else if (!shops.has(f.shopId))
        problems.push({ field: `findings[${i}].shopId`, message: 'no registered shop of this alley' });
    }
    return problems;
  }

  /**
   * An inspection's 门前三包 findings as checks, in the inspection's transaction: one check per shop the
   * findings name, failing the duties of its findings and passing the others. Findings naming no shop
   * rate nobody (a street office would not blame every shop of the alley for one untidy door).
   */
  async recordFromInspection(
    trx: Kysely<Database>,
    i: {
      districtCode: string;
      inspectionId: string;
      at: Date;
      recordedBy: string | null;
      findings: readonly { shopId?: string; indicatorName: string; note: string }[];
    },
  ): Promise<void> {
    const byShop = new Map<string, { names: string[]; notes: string[] }>();
    for (const f of i.findings) {
      if (!f.shopId) continue;
      const g = byShop.get(f.shopId) ?? { names: [], notes: [] };
      g.names.push(f.indicatorName);
      if (f.note.trim()) g.notes.push(f.note.trim());
      byShop.set(f.shopId, g);
    }
    for (const [shopId, g] of byShop) {
      const r = checkFromFindings(g.names);
      await frontageRepository(trx).insertCheck({
        district_code: i.districtCode,
        id: newId('fchk'),
        shop_id: shopId,
        checked_on: beijingDateOf(i.at),
        appearance_ok: r.appearanceOk,
        sanitation_ok: r.sanitationOk,
        order_ok: r.orderOk,
        note: `检查发现：${g.names.join('、')}${g.notes.length ? `（${g.notes.join('；')}）` : ''}`.slice(
          0,
          2000,
        ),
        source: 'inspection',
        inspection_id: i.inspectionId,
        recorded_by: i.recordedBy,
        created_at: i.at,
      });
    }
  }

  private month(month: string | undefined): string {
    if (month === undefined) return monthOf(this.today());
    if (!isMonth(month)) throw AppError.validation([{ field: 'month', message: 'a month, YYYY-MM' }]);
    return month;
  }

  private async monthRatings(shopIds: string[], month: string): Promise<Map<string, MonthlyRating>> {
    const checks = await this.repo.checks(shopIds, `${month}-01`, `${month}-31`);
    return new Map(
      shopIds.map((id) => [id, monthlyRating(checks.filter((c) => c.shop_id === id).map(result))]),
    );
  }

  private async agreementsOf(shopIds: string[]): Promise<Map<string, AgreementRow>> {
    return new Map((await this.repo.currentAgreements(shopIds)).map((a) => [a.shop_id, a]));
  }

  private staffView(s: ShopRow, a: AgreementRow | null) {
    return {
      id: s.id,
      alleyId: s.alley_id,
      alleyName: s.alley_name,
      streetCode: s.street_code,
      communityCode: s.community_code,
      name: s.name,
      kind: s.kind,
      address: s.address,
      responsibleName: s.responsible_name,
      responsiblePhone: s.responsible_phone,
      active: s.active,
      agreement: a ? agreementView(a) : null,
      agreementState: agreementState(
        a ? { signedOn: a.signed_on, validUntil: a.valid_until } : null,
        this.today(),
      ),
    };
  }
}

function shopCodes(s: Pick<ShopRow, 'street_code' | 'community_code'>): string[] {
  return [s.street_code, ...(s.community_code ? [s.community_code] : [])];
}

function result(c: { appearance_ok: boolean; sanitation_ok: boolean; order_ok: boolean }): CheckResult {
  return { appearanceOk: c.appearance_ok, sanitationOk: c.sanitation_ok, orderOk: c.order_ok };
}

function agreementView(a: AgreementRow) {
  return {
    id: a.id,
    version: a.version,
    duties: a.duties as unknown as string[],
    stretch: a.stretch,
    lengthM: a.length_m,
    signedOn: a.signed_on,
    validUntil: a.valid_until,
    signatory: a.signatory,
    createdAt: a.created_at.toISOString(),
    supersededAt: a.superseded_at?.toISOString() ?? null,
  };
}

function validateAgreement(a: AgreementInput, prefix: string) {
  const problems: FieldIssue[] = [];
  if (!isDay(a.signedOn))
    problems.push({ field: `${prefix}signedOn`, message: 'a calendar day, YYYY-MM-DD' });
  if (!isDay(a.validUntil))
    problems.push({ field: `${prefix}validUntil`, message: 'a calendar day, YYYY-MM-DD' });
  else if (a.validUntil < a.signedOn)
    problems.push({ field: `${prefix}validUntil`, message: 'the agreement ends before it is signed' });
  if (problems.length) throw AppError.validation(problems);
}

function yearBefore(day: string): string {
  return `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`;
}
