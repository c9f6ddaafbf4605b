import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, requireActor, setSessionCookie } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import {
  createTokenBodySchema,
  createUserBodySchema,
  loginBodySchema,
  publicUserSchema,
  roleRulesSchema,
  sessionResponseSchema,
  tier1HandlerSchema,
  tier1HandlersQuerySchema,
  updateUserBodySchema,
  userListQuerySchema,
} from './account.schema.ts';

export const accountRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a password; sets an HTTP-only session cookie',
        body: loginBodySchema,
        response: { 200: sessionResponseSchema },
      },
    },
    async (request, reply) => {
      const { token, csrfToken, expiresAt, ...session } = await ctx.accounts.login(
        request.body.username,
        request.body.password,
        request.ip,
      );
      setSessionCookie(reply, ctx, token, expiresAt);
      return { ...session, csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      if (request.sessionToken) await ctx.accounts.logout(request.sessionToken);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary:
          'The signed-in user, the capabilities the console may offer them (from the authorisation ' +
          'module) and the CSRF token to send with changes',
        response: { 200: sessionResponseSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return { ...(await ctx.accounts.me(actor)), csrfToken: request.csrfToken ?? '' };
    },
  );

  app.post(
    '/api/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for machine clients (shown once)',
        body: createTokenBodySchema,
        response: { 201: z.object({ id: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await ctx.accounts.createApiToken(requireActor(request), request.body.name);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        querystring: userListQuerySchema,
        response: { 200: z.object({ items: z.array(publicUserSchema), total: z.number() }) },
      },
    },
    async (request) => ctx.accounts.listUsers(requireActor(request), request.query),
  );

  app.get(
    '/api/users/tier1-handlers',
    {
      schema: {
        tags: ['users'],
        summary:
          'Grid workers and alley chiefs who can take a tier-1 case at a place (the dispatcher picks one); ' +
          'names and roles only',
        querystring: tier1HandlersQuerySchema,
        response: { 200: z.object({ items: z.array(tier1HandlerSchema) }) },
      },
    },
    async (request) => ({
      items: await ctx.accounts.tier1Handlers(requireActor(request), request.query.territory),
    }),
  );

  app.get(
    '/api/users/:id',
    {
      schema: { tags: ['users'], params: z.object({ id: z.string() }), response: { 200: publicUserSchema } },
    },
    async (request) => ctx.accounts.getUser(requireActor(request), request.params.id),
  );

  app.get(
    '/api/users/roles',
    {
      schema: {
        tags: ['users'],
        summary:
          'For each role, whether its accounts need a jurisdiction and which kind of organisation they act ' +
          'for (what the account form asks before the server judges it)',
        response: { 200: z.object({ items: z.array(roleRulesSchema) }) },
      },
    },
    async (request) => ({ items: ctx.accounts.roleRules(requireActor(request)) }),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], body: createUserBodySchema, response: { 201: publicUserSchema } } },
    async (request, reply) => {
      const user = await ctx.accounts.createUser(requireActor(request), {
        ...request.body,
        scopeCode: request.body.scopeCode ?? null,
      });
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        params: z.object({ id: z.string() }),
        body: updateUserBodySchema,
        response: { 200: publicUserSchema },
      },
    },
    async (request) => ctx.accounts.updateUser(requireActor(request), request.params.id, request.body),
  );
};
