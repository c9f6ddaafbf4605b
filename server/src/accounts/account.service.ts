import type { Config } from '../config/config.ts';
import type { OrganisationKind } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import type { AccountRepository, UserWithNames } from './account.repository.ts';
import { type Actor, authorise, listScope } from './authorisation.ts';
import { type Capability, capabilitiesOf } from './capabilities.ts';
import { decoyHash, hashPassword, verifyPassword } from './password.ts';
import {
  isRole,
  needsJurisdiction,
  ORGANISATION_KIND_OF_ROLE,
  ROLES,
  ROLES_WITH_ORGANISATION,
  type Role,
  TIER1_HANDLER_ROLES,
  type UsualFilingChannel,
  usualFilingChannel,
} from './roles.ts';

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  scopeName: string | null;
  organisationId: string | null;
  organisationName: string | null;
  phone: string | null;
  active: boolean;
}

export interface Tier1Handler {
  id: string;
  displayName: string;
  role: (typeof TIER1_HANDLER_ROLES)[number];
  scopeCode: string | null;
  scopeName: string | null;
}

/** What the account service needs to know of the territory and organisations. */
export interface ScopeDirectory {
  areaName(code: string): Promise<string | null>;
  organisation(id: string): Promise<{ id: string; scopeCode: string; kind: OrganisationKind } | null>;
}

// Back-off: five free tries in a quarter of an hour, then a lock that doubles with each failure.
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - FREE_FAILURES));
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  role: string;
  scopeCode: string | null;
  organisationId?: string | null;
  phone?: string | null;
  demo?: boolean;
}

export class AccountService {
  constructor(
    private readonly repo: AccountRepository,
    private readonly directory: ScopeDirectory,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'sessionTtlHours'> & {
      security?: Pick<Config['security'], 'loginClientLimit'>;
    },
  ) {}

  /**
   * Signs in. The back-off is keyed on (account, client address): failures from one client lock that
   * client out of that account, not the account's owner elsewhere. Each client address also has a
   * limit of failures across all accounts (a spray of a few tries at many accounts).
   */
  async login(usernameRaw: string, password: string, clientAddress = 'unknown') {
    const username = usernameRaw.trim().toLowerCase();
    const now = this.clock.now();
    const pairKey = `${username}\u0001${clientAddress}`;
    const clientKey = `\u0002client\u0001${clientAddress}`;
    for (const throttle of [await this.repo.getThrottle(pairKey), await this.repo.getThrottle(clientKey)]) {
      if (throttle?.locked_until && throttle.locked_until > now) {
        const retryAfterSeconds = Math.ceil((throttle.locked_until.getTime() - now.getTime()) / 1000);
        throw new AppError('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins; wait before trying again', {
          retryAfterSeconds,
        });
      }
    }
    const user = await this.repo.findUserByUsername(username);
    let ok = false;
    if (user?.active) ok = await verifyPassword(user.password_hash, password);
    else await verifyPassword(await decoyHash(), password);
    if (!user || !ok) {
      const windowStart = new Date(now.getTime() - WINDOW_MS);
      await this.repo.recordFailure(pairKey, now, windowStart, lockDurationMs);
      const clientLimit = this.config.security?.loginClientLimit ?? 30;
      await this.repo.recordFailure(clientKey, now, windowStart, (failures) =>
        failures >= clientLimit ? WINDOW_MS : 0,
      );
      throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    await this.repo.clearThrottle(pairKey);
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3_600_000);
    await this.repo.insertSession({
      id: sha256Hex(token),
      userId: user.id,
      csrfToken,
      createdAt: now,
      expiresAt,
    });
    const signedIn = await this.me({
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      scopeCode: user.scope_code,
      organisationId: user.organisation_id,
    });
    return { token, csrfToken, expiresAt, ...signedIn };
  }

  /** The signed-in user and what the console may offer them (computed by the authorisation module). */
  async me(actor: Actor): Promise<{
    user: PublicUser;
    capabilities: Capability[];
    filingChannel: UsualFilingChannel | null;
  }> {
    return {
      user: await this.publicUser(actor.userId),
      capabilities: capabilitiesOf(actor),
      filingChannel: usualFilingChannel(actor.role),
    };
  }

  /**
   * What the account form needs to know of each role before the server judges it: whether it needs a
   * jurisdiction and which kind of organisation it acts for. Those allowed to create accounts ask.
   */
  roleRules(actor: Actor) {
    authorise(actor, 'user.create');
    return ROLES.map((role) => ({
      role,
      needsJurisdiction: needsJurisdiction(role),
      organisationKind: ORGANISATION_KIND_OF_ROLE[role] ?? null,
    }));
  }

  async logout(sessionToken: string): Promise<void> {
    await this.repo.deleteSession(sha256Hex(sessionToken));
  }

  /** Resolves a session cookie to its actor and CSRF token, or null when absent, expired or disabled. */
  async resolveSession(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    const session = await this.repo.findSession(sha256Hex(sessionToken), this.clock.now());
    if (!session) return null;
    const actor = await this.actorFor(session.user_id);
    return actor ? { actor, csrfToken: session.csrf_token } : null;
  }

  async resolveApiToken(token: string): Promise<Actor | null> {
    const row = await this.repo.findActiveToken(sha256Hex(token), this.clock.now());
    return row ? this.actorFor(row.user_id) : null;
  }

  async createApiToken(actor: Actor, name: string): Promise<{ id: string; token: string }> {
    authorise(actor, 'token.create');
    const token = `htk_${newSecret()}`;
    const id = newId('tok');
    await this.repo.insertToken({
      id,
      userId: actor.userId,
      name,
      tokenHash: sha256Hex(token),
      now: this.clock.now(),
    });
    return { id, token };
  }

  /** The actor of an active account named by its username (the operator's `token create`). */
  async actorForUsername(username: string): Promise<Actor | null> {
    const u = await this.repo.findUserByUsername(username.trim().toLowerCase());
    return u ? this.actorFor(u.id) : null;
  }

  async actorFor(userId: string): Promise<Actor | null> {
    const u = await this.repo.findUserById(userId);
    if (!u?.active || !isRole(u.role)) return null;
    return {
      userId: u.id,
      username: u.username,
      role: u.role,
      scopeCode: u.scope_code,
      organisationId: u.organisation_id,
    };
  }

  async publicUser(userId: string): Promise<PublicUser> {
    const u = await this.repo.findUserById(userId);
    if (!u) throw AppError.notFound('user', userId);
    return this.toPublic(u);
  }

  private async toPublic(u: UserWithNames): Promise<PublicUser> {
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role as Role,
      scopeCode: u.scope_code,
      scopeName: u.scope_code ? await this.directory.areaName(u.scope_code) : null,
      organisationId: u.organisation_id,
      organisationName: u.organisation_name,
      phone: u.phone,
      active: u.active,
    };
  }

  /** Creates an account; the operator at the command line creates as SYSTEM_ACTOR. */
  async createUser(actor: Actor, input: CreateUserInput): Promise<PublicUser> {
    // Whether the role may create accounts at all is settled before any detail of the input is judged.
    authorise(actor, 'user.create');
    const issues: { field: string; message: string }[] = [];
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) {
      issues.push({ field: 'username', message: '2–64 characters: letters, digits, dot, dash, underscore' });
    }
    if (input.password.length < 8 && !input.demo) {
      issues.push({ field: 'password', message: 'At least 8 characters' });
    }
    if (!isRole(input.role)) issues.push({ field: 'role', message: `Unknown role ${input.role}` });
    const role = input.role as Role;
    const scopeCode = input.scopeCode?.trim() || null;
    if (isRole(role) && needsJurisdiction(role) && !scopeCode) {
      issues.push({ field: 'scopeCode', message: 'Staff accounts need a jurisdiction' });
    }
    if (scopeCode && !(await this.directory.areaName(scopeCode))) {
      issues.push({ field: 'scopeCode', message: `No district, street, community or grid ${scopeCode}` });
    }
    const organisationId = input.organisationId ?? null;
    if (isRole(role) && ROLES_WITH_ORGANISATION.has(role) && !organisationId) {
      issues.push({ field: 'organisationId', message: `A ${role} account acts for an organisation` });
    }
    if (organisationId) {
      const org = await this.directory.organisation(organisationId);
      const kind = isRole(role) ? ORGANISATION_KIND_OF_ROLE[role] : undefined;
      if (!org) issues.push({ field: 'organisationId', message: `No organisation ${organisationId}` });
      else if (kind && org.kind !== kind) {
        issues.push({
          field: 'organisationId',
          message: `A ${role} account acts for a ${kind}; ${organisationId} is a ${org.kind}`,
        });
      }
    }
    if (issues.length) throw AppError.validation(issues);
    authorise(actor, 'user.create', { role, territoryCodes: scopeCode ? [scopeCode] : [] });
    if (await this.repo.findUserByUsername(username)) {
      throw new AppError('ALREADY_EXISTS', `Username ${username} is taken`, { field: 'username' });
    }
    const id = newId('usr');
    await this.repo.insertUser({
      id,
      username,
      displayName: input.displayName.trim() || username,
      passwordHash: await hashPassword(input.password),
      role,
      scopeCode,
      districtCode: scopeCode ? scopeCode.slice(0, 6) : null,
      organisationId,
      phone: input.phone ?? null,
      demo: input.demo,
    });
    return this.publicUser(id);
  }

  async updateUser(
    actor: Actor,
    id: string,
    patch: { active?: boolean; displayName?: string; phone?: string | null; password?: string },
  ): Promise<PublicUser> {
    const target = await this.repo.findUserById(id);
    if (!target) throw AppError.notFound('user', id);
    authorise(actor, 'user.update', {
      role: target.role as Role,
      territoryCodes: target.scope_code ? [target.scope_code] : [],
    });
    if (patch.active === false && target.id === actor.userId) {
      throw AppError.validation([{ field: 'active', message: 'You cannot deactivate your own account' }]);
    }
    if (patch.password !== undefined && patch.password.length < 8) {
      throw AppError.validation([{ field: 'password', message: 'At least 8 characters' }]);
    }
    await this.repo.updateUser(
      id,
      {
        ...(patch.active !== undefined && { active: patch.active }),
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.phone !== undefined && { phone: patch.phone }),
        ...(patch.password !== undefined && { password_hash: await hashPassword(patch.password) }),
      },
      this.clock.now(),
    );
    // A deactivated or re-keyed account must not keep its open sessions.
    if (patch.active === false || patch.password !== undefined) await this.repo.deleteSessionsOfUser(id);
    return this.publicUser(id);
  }

  async listUsers(actor: Actor, q: { q?: string; limit: number; offset: number }) {
    const scopePrefix = listScope(actor, 'user.read');
    const { items, total } = await this.repo.listUsers({ scopePrefix, ...q });
    return { items: await Promise.all(items.map((u) => this.toPublic(u))), total };
  }

  /**
   * Who can take a tier-1 case at this place (三级过滤): the active grid workers and alley chiefs whose
   * jurisdiction covers it or lies inside it. Names and roles only, for the dispatcher's picker.
   */
  async tier1Handlers(actor: Actor, territoryCode: string): Promise<Tier1Handler[]> {
    authorise(actor, 'user.read_handlers', { territoryCodes: [territoryCode] });
    const rows = await this.repo.listActiveByRoleAround(TIER1_HANDLER_ROLES, territoryCode);
    return Promise.all(
      rows.map(async (u) => ({
        id: u.id,
        displayName: u.display_name || u.username,
        role: u.role as Tier1Handler['role'],
        scopeCode: u.scope_code,
        scopeName: u.scope_code ? await this.directory.areaName(u.scope_code) : null,
      })),
    );
  }

  async getUser(actor: Actor, id: string): Promise<PublicUser> {
    const target = await this.repo.findUserById(id);
    if (!target) throw AppError.notFound('user', id);
    if (target.id !== actor.userId) {
      authorise(actor, 'user.read', { territoryCodes: target.scope_code ? [target.scope_code] : [] });
    }
    return this.toPublic(target);
  }
}
