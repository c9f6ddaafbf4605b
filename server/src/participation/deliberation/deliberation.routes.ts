import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  commentBodySchema,
  commentOut,
  commentsOut,
  decisionBodySchema,
  idParams,
  minutesBodySchema,
  planItemsOut,
  planItemsQuerySchema,
  proposalBodySchema,
  proposalOut,
  proposalsOut,
  proposalsQuerySchema,
  voteBodySchema,
  voteOut,
  votingBodySchema,
} from './deliberation.schema.ts';

const tags = ['participation'];

/** Deliberation (议事协商) over HTTP: proposals, discussion, votes, minutes, decisions (docs/participation.md). */
export const deliberationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.deliberation;

  app.get(
    '/api/proposals',
    {
      schema: {
        tags,
        summary: 'Proposals of a community, street or alley, newest first (public, no names)',
        querystring: proposalsQuerySchema,
        response: { 200: proposalsOut },
      },
    },
    async (request) => ({
      items: await svc.list(request.actor ?? null, {
        communityCode: request.query.community,
        streetCode: request.query.street,
        alleyId: request.query.alley,
        state: request.query.state,
      }),
    }),
  );

  app.post(
    '/api/proposals',
    {
      schema: {
        tags,
        summary:
          "Propose (a resident of the community, for themselves or the alley council, or the community's staff)",
        body: proposalBodySchema,
        response: { 201: proposalOut },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.create(requireActor(request), request.body)),
  );

  app.get(
    '/api/proposals/:id',
    {
      schema: {
        tags,
        summary: 'A proposal: its vote (tally only once closed), minutes and decision; your own ballot',
        params: idParams,
        response: { 200: proposalOut },
      },
    },
    async (request) => svc.get(request.actor ?? null, request.params.id),
  );

  app.get(
    '/api/proposals/:id/comments',
    {
      schema: {
        tags,
        summary: "A proposal's discussion (public, authors by kind only)",
        params: idParams,
        response: { 200: commentsOut },
      },
    },
    async (request) => ({ items: await svc.comments(request.actor ?? null, request.params.id) }),
  );

  app.post(
    '/api/proposals/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a proposal not yet closed (members and staff of its community)',
        params: idParams,
        body: commentBodySchema,
        response: { 201: commentOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.comment(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/proposals/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a proposal under discussion (its proposer, or community staff)',
        params: idParams,
        response: { 200: proposalOut },
      },
    },
    async (request) => svc.withdraw(requireActor(request), request.params.id),
  );

  app.post(
    '/api/proposals/:id/voting',
    {
      schema: {
        tags,
        summary: 'Open the vote with a deadline and a quorum (community staff)',
        params: idParams,
        body: votingBodySchema,
        response: { 200: proposalOut },
      },
    },
    async (request) =>
      svc.openVoting(requireActor(request), request.params.id, {
        closesAt: new Date(request.body.closesAt),
        quorumPercent: request.body.quorumPercent,
        quorum: request.body.quorum,
      }),
  );

  app.post(
    '/api/proposals/:id/votes',
    {
      schema: {
        tags,
        summary: 'Vote (an eligible member, once: a second ballot → 409 ALREADY_VOTED)',
        params: idParams,
        body: voteBodySchema,
        response: { 201: voteOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.vote(requireActor(request), request.params.id, request.body.choice)),
  );

  app.post(
    '/api/proposals/:id/close',
    {
      schema: {
        tags,
        summary:
          'Close the vote at its deadline (or once all eligible members voted); the tally is then shown',
        params: idParams,
        response: { 200: proposalOut },
      },
    },
    async (request) => svc.close(requireActor(request), request.params.id),
  );

  app.put(
    '/api/proposals/:id/minutes',
    {
      schema: {
        tags,
        summary: "Record the meeting's minutes (community staff)",
        params: idParams,
        body: minutesBodySchema,
        response: { 200: proposalOut },
      },
    },
    async (request) => svc.setMinutes(requireActor(request), request.params.id, request.body.text),
  );

  app.post(
    '/api/proposals/:id/decision',
    {
      schema: {
        tags,
        summary: 'Record the decision once, opening a case, a campaign or an alley plan item (linked back)',
        params: idParams,
        body: decisionBodySchema,
        response: { 200: proposalOut },
      },
    },
    async (request) => svc.decide(requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/plan-items',
    {
      schema: {
        tags,
        summary: "Items deliberation added to alleys' plans (一街一策), public",
        querystring: planItemsQuerySchema,
        response: { 200: planItemsOut },
      },
    },
    async (request) => ({
      items: await svc.planItems(request.actor ?? null, { alleyId: request.query.alley }),
    }),
  );
};
