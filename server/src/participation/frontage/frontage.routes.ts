import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  agreementBodySchema,
  checkBodySchema,
  checkOut,
  publicShopsOut,
  publicShopsParams,
  ratingsOut,
  ratingsQuerySchema,
  shopBodySchema,
  shopDetailOut,
  shopParamsSchema,
  shopsOut,
  shopsQuerySchema,
} from './frontage.schema.ts';

const tags = ['participation'];

/** Frontage responsibility (门前三包) over HTTP (docs/participation.md). */
export const frontageRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.frontage;

  app.get(
    '/api/frontage/shops',
    {
      schema: {
        tags,
        summary: "Shops of your scope (or one alley), with their contact, agreement and the month's rating",
        querystring: shopsQuerySchema,
        response: { 200: shopsOut },
      },
    },
    async (request) =>
      svc.shops(requireActor(request), { alleyId: request.query.alley, month: request.query.month }),
  );

  app.post(
    '/api/frontage/shops',
    {
      schema: {
        tags,
        summary: 'Register a shop or unit of an alley, optionally with its signed agreement',
        body: shopBodySchema,
        response: { 201: shopDetailOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.registerShop(requireActor(request), request.body)),
  );

  app.get(
    '/api/frontage/shops/:id',
    {
      schema: {
        tags,
        summary: 'A shop with every agreement version and its checks of the last year',
        params: shopParamsSchema,
        response: { 200: shopDetailOut },
      },
    },
    async (request) => svc.shop(requireActor(request), request.params.id),
  );

  app.post(
    '/api/frontage/shops/:id/agreements',
    {
      schema: {
        tags,
        summary: 'Sign a new agreement: the next version, superseding (not overwriting) the current one',
        params: shopParamsSchema,
        body: agreementBodySchema,
        response: { 201: shopDetailOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.signAgreement(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/frontage/shops/:id/checks',
    {
      schema: {
        tags,
        summary: 'Record a check of a shop: each of the three duties passed or failed, and a note',
        params: shopParamsSchema,
        body: checkBodySchema,
        response: { 201: checkOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.recordCheck(requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/frontage/ratings',
    {
      schema: {
        tags,
        summary: 'Monthly star ratings per alley of your scope (or of one alley)',
        querystring: ratingsQuerySchema,
        response: { 200: ratingsOut },
      },
    },
    async (request) =>
      svc.ratings(requireActor(request), { alleyId: request.query.alley, month: request.query.month }),
  );

  app.get(
    '/api/public/alleys/:id/shops',
    {
      schema: {
        tags: ['public'],
        summary:
          "An alley's shops with their agreement and stars (this month or the last rated); no personal data",
        params: publicShopsParams,
        response: { 200: publicShopsOut },
      },
    },
    async (request) => svc.publicShops(request.params.id),
  );
};
