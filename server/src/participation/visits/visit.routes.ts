import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  dueOut,
  dueQuerySchema,
  householdBodySchema,
  householdOut,
  householdsOut,
  householdsQuerySchema,
  kindsOut,
  officialsOut,
  officialsQuerySchema,
  visitBodySchema,
  visitOut,
  visitsOut,
  visitsQuerySchema,
} from './visit.schema.ts';

const tags = ['participation'];

/** Household visits (十必访) over HTTP (docs/participation.md). Staff of the scope only. */
export const visitRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.visits;

  app.get(
    '/api/visits/kinds',
    {
      schema: {
        tags,
        summary: 'The kinds of households to visit and their intervals (illustrative data)',
        response: { 200: kindsOut },
      },
    },
    async (request) => svc.kinds(requireActor(request)),
  );

  app.get(
    '/api/visits/officials',
    {
      schema: {
        tags,
        summary: "Who may answer for a community's household visits (names and roles; staff of the scope)",
        querystring: officialsQuerySchema,
        response: { 200: officialsOut },
      },
    },
    async (request) => ({ items: await svc.officials(requireActor(request), request.query.community) }),
  );

  app.get(
    '/api/visits/households',
    {
      schema: {
        tags,
        summary: 'Households to visit in your scope, with their contact and due state (staff of the scope)',
        querystring: householdsQuerySchema,
        response: { 200: householdsOut },
      },
    },
    async (request) => ({
      items: await svc.households(requireActor(request), { communityCode: request.query.community }),
    }),
  );

  app.post(
    '/api/visits/households',
    {
      schema: {
        tags,
        summary: 'Register a household to visit, with its kinds',
        body: householdBodySchema,
        response: { 201: householdOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.registerHousehold(requireActor(request), request.body)),
  );

  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Record a visit; an issue raised opens a case (staff channel) linked from the visit',
        body: visitBodySchema,
        response: { 201: visitOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await svc.recordVisit(requireActor(request), {
          ...request.body,
          visitedAt: request.body.visitedAt ? new Date(request.body.visitedAt) : undefined,
        }),
      ),
  );

  app.get(
    '/api/visits',
    {
      schema: {
        tags,
        summary: "A household's visits, latest first",
        querystring: visitsQuerySchema,
        response: { 200: visitsOut },
      },
    },
    async (request) => ({ items: await svc.visits(requireActor(request), request.query.household) }),
  );

  app.get(
    '/api/visits/due',
    {
      schema: {
        tags,
        summary: 'What is due and overdue, per official and per household',
        querystring: dueQuerySchema,
        response: { 200: dueOut },
      },
    },
    async (request) => svc.due(requireActor(request), { communityCode: request.query.community }),
  );
};
