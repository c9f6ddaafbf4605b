import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { login, type Session, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { Role } from '../accounts/roles.ts';

/**
 * Drives cases through the case loop over HTTP for the ledger, campaign and whistle tests, as the demo
 * accounts (`demo-<role>`) and any extra accounts a test adds.
 */

export const XICHANGANJIE = '110102001';
export const SHICHAHAI = '110102012';
/** The demo department handler's unit. */
export const DEPT = `org-cg-${XICHANGANJIE}`;

export interface CaseView {
  id: string;
  caseNumber: string;
  state: string;
  handlingDeadline: string | null;
  closedAt: string | null;
  createdAt: string;
}

export class CaseDriver {
  readonly sessions = new Map<string, Session>();
  private readonly passwords = new Map<string, { username: string; password: string }>();
  private centres = new Map<string, [number, number]>();

  constructor(readonly env: TestEnv) {}

  async signIn(...roles: Role[]): Promise<void> {
    for (const role of roles) {
      this.passwords.set(role, { username: `demo-${role}`, password: 'demo' });
      this.sessions.set(role, await login(this.env.app, `demo-${role}`));
    }
    const streets = (await this.env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
      code: string;
      center: [number, number];
    }[];
    for (const s of streets) this.centres.set(s.code, s.center);
  }

  /** Creates an extra account and signs it in under `name`. */
  async addAccount(
    name: string,
    role: Role,
    scopeCode: string | null,
    organisationId: string | null = null,
  ): Promise<Session> {
    await this.env.ctx.accounts.createUser(SYSTEM_ACTOR, {
      username: name,
      displayName: name,
      password: 'a-long-password',
      role,
      scopeCode,
      organisationId,
    });
    this.passwords.set(name, { username: name, password: 'a-long-password' });
    const session = await login(this.env.app, name, 'a-long-password');
    this.sessions.set(name, session);
    return session;
  }

  /** Moves the clock and signs everyone in again, as sessions expire when days pass. */
  async setClock(to: Date): Promise<void> {
    this.env.clock.set(to);
    for (const [who, p] of this.passwords)
      this.sessions.set(who, await login(this.env.app, p.username, p.password));
  }

  session(who: string): Session {
    const s = this.sessions.get(who);
    if (!s) throw new Error(`nobody signed in as ${who}`);
    return s;
  }

  centre(street: string): [number, number] {
    return this.centres.get(street)!;
  }

  /** A report at the centre of a street (or at `at`), anonymous unless `as`; returns the case as staff see it. */
  async report(
    description: string,
    options: { street?: string; at?: [number, number]; address?: string; as?: string } = {},
  ): Promise<CaseView> {
    const [lng, lat] = options.at ?? this.centre(options.street ?? XICHANGANJIE);
    const res = await this.env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      // A signed-in resident is the case's reporter, who may reopen it.
      headers: options.as ? this.session(options.as).headers : {},
      payload: { description, lng, lat, ...(options.address ? { address: options.address } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return this.view(res.json().caseNumber);
  }

  async view(ref: string): Promise<CaseView> {
    // The district administrator reads every case of the district.
    const res = await this.get('district_admin', `/api/cases/${ref}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseView;
  }

  async act(who: string, ref: string, action: string, body: Record<string, unknown> = {}) {
    const res = await this.env.app.inject({
      method: 'POST',
      url: `/api/cases/${ref}/actions/${action}`,
      headers: this.session(who).headers,
      payload: body,
    });
    return { status: res.statusCode, body: res.json() };
  }

  async ok(who: string, ref: string, action: string, body: Record<string, unknown> = {}): Promise<CaseView> {
    const r = await this.act(who, ref, action, body);
    expect(r.status, `${who} ${action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body.case as CaseView;
  }

  get(who: string | null, url: string) {
    return this.env.app.inject({
      method: 'GET',
      url,
      headers: who ? { cookie: this.session(who).cookie } : {},
    });
  }

  send(who: string, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown = {}) {
    return this.env.app.inject({
      method,
      url,
      headers: this.session(who).headers,
      payload: payload as object,
    });
  }
}

export const NO_PHOTO = { afterPhotoIds: [], noPhotoReason: '院内整改，不便拍照' };

/** A workbook read back the way a street office's Excel would read it. */
export async function readWorkbook(body: Buffer | ArrayBuffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS types its input as an ArrayBuffer; a copy gives one whatever backs the Node buffer.
  await workbook.xlsx.load(new Uint8Array(body).buffer);
  return workbook;
}

/** The rows of a sheet as arrays of cell values, header first (ExcelJS rows are 1-based). */
export function sheetRows(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row) => {
    const values: ExcelJS.CellValue[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) values.push(row.getCell(i).value);
    rows.push(values);
  });
  return rows;
}
