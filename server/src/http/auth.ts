import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../accounts/authorisation.ts';
import { AppError } from '../shared/errors.ts';
import type { AppContext } from './context.ts';

export const SESSION_COOKIE = 'hutong_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was identified; CSRF applies only to cookie sessions. */
    authMethod: 'session' | 'token' | null;
    csrfToken: string | null;
    sessionToken: string | null;
  }
}

/**
 * Identifies the caller from the session cookie or an API token and enforces CSRF on state-changing
 * requests made with a cookie. Whether the caller may do what it asks is decided later, by
 * accounts/authorisation.ts through the services.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionToken', null);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const actor = await ctx.accounts.resolveApiToken(header.slice(7).trim());
      if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
      request.actor = actor;
      request.authMethod = 'token';
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await ctx.accounts.resolveSession(token);
    if (!session) return;
    request.actor = session.actor;
    request.authMethod = 'session';
    request.csrfToken = session.csrfToken;
    request.sessionToken = token;
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AppError(
        'CSRF_TOKEN_INVALID',
        'Missing or wrong X-CSRF-Token header for a signed-in request',
      );
    }
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return request.actor;
}

export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.cookieSecure,
    expires,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
