import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  awardBodySchema,
  awardOut,
  balanceOut,
  decisionOut,
  idParams,
  postingsOut,
  postingsQuerySchema,
  redeemBodySchema,
  redeemOut,
  redemptionsOut,
  redemptionsQuerySchema,
  rewardBodySchema,
  rewardOut,
  rewardPatchSchema,
  rewardsOut,
  rewardsQuerySchema,
  rulesBodySchema,
  rulesCreatedOut,
  rulesOut,
  rulesQuerySchema,
  sortingCheckBodySchema,
  sortingCheckOut,
} from './points.schema.ts';

const tags = ['participation'];

/** The civic points ledger over HTTP (docs/participation.md). */
export const pointsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.points;

  app.get(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: "A district's points rules in force and its earlier versions (public)",
        querystring: rulesQuerySchema,
        response: { 200: rulesOut },
      },
    },
    async (request) => svc.rules(request.actor ?? null, request.query.district),
  );

  app.post(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: 'A new version of the district points rules, active at once',
        body: rulesBodySchema,
        response: { 201: rulesCreatedOut },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.setRules(requireActor(request), request.body)),
  );

  app.get(
    '/api/points/balance',
    {
      schema: {
        tags,
        summary: 'Your own points balance (the sum of your postings), in all and per district',
        response: { 200: balanceOut },
      },
    },
    async (request) => svc.balance(requireActor(request)),
  );

  app.get(
    '/api/points/postings',
    {
      schema: {
        tags,
        summary: 'Your own postings, newest first',
        querystring: postingsQuerySchema,
        response: { 200: postingsOut },
      },
    },
    async (request) => ({ items: await svc.postings(requireActor(request), request.query) }),
  );

  app.post(
    '/api/points/awards',
    {
      schema: {
        tags,
        summary:
          "Award points from a community's pool to a resident or volunteer; the same sourceRef again answers the first award",
        body: awardBodySchema,
        response: { 201: awardOut },
      },
    },
    async (request, reply) => {
      const award = await svc.award(requireActor(request), request.body);
      // A retry answers the first award, as intake answers a replayed report.
      if (!award.created) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(award);
    },
  );

  app.post(
    '/api/points/sorting-checks',
    {
      schema: {
        tags,
        summary: 'Record a garbage-sorting check (垃圾不落地); a passed check earns the rule’s points',
        body: sortingCheckBodySchema,
        response: { 201: sortingCheckOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.recordSortingCheck(requireActor(request), request.body)),
  );

  app.get(
    '/api/points/rewards',
    {
      schema: {
        tags,
        summary: 'The rewards catalogue of a community or district, with stock (public)',
        querystring: rewardsQuerySchema,
        response: { 200: rewardsOut },
      },
    },
    async (request) => ({
      items: await svc.rewards(request.actor ?? null, {
        communityCode: request.query.community,
        districtCode: request.query.district,
      }),
    }),
  );

  app.post(
    '/api/points/rewards',
    {
      schema: {
        tags,
        summary: "Add a reward to a community's catalogue",
        body: rewardBodySchema,
        response: { 201: rewardOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.createReward(requireActor(request), request.body)),
  );

  app.patch(
    '/api/points/rewards/:id',
    {
      schema: {
        tags,
        summary: 'Edit a reward; stockDelta adds stock or takes it away (never below zero)',
        params: idParams,
        body: rewardPatchSchema,
        response: { 200: rewardOut },
      },
    },
    async (request) => svc.updateReward(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/points/redemptions',
    {
      schema: {
        tags,
        summary:
          'Reserve a reward with your points: 409 INSUFFICIENT_POINTS or OUT_OF_STOCK when it cannot be',
        body: redeemBodySchema,
        response: { 201: redeemOut },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.redeem(requireActor(request), request.body)),
  );

  app.get(
    '/api/points/redemptions',
    {
      schema: {
        tags,
        summary: "Your own redemptions, or (community staff) those of your jurisdiction's catalogues",
        querystring: redemptionsQuerySchema,
        response: { 200: redemptionsOut },
      },
    },
    async (request) => ({
      items: await svc.redemptions(requireActor(request), {
        mine: request.query.mine === 'true',
        state: request.query.state,
      }),
    }),
  );

  app.post(
    '/api/points/redemptions/:id/confirm',
    {
      schema: {
        tags,
        summary: 'The community hands the reward over: the reserved points are spent',
        params: idParams,
        response: { 200: decisionOut },
      },
    },
    async (request) => svc.confirmRedemption(requireActor(request), request.params.id),
  );

  app.post(
    '/api/points/redemptions/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a reservation (yours, or as community staff): points and stock come back',
        params: idParams,
        response: { 200: decisionOut },
      },
    },
    async (request) => svc.cancelRedemption(requireActor(request), request.params.id),
  );
};
