import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  activitiesOut,
  activitiesQuerySchema,
  activityBodySchema,
  activityOut,
  applyBodySchema,
  attendanceBodySchema,
  attendanceOut,
  decisionBodySchema,
  idParams,
  memberParams,
  membershipOut,
  membersOut,
  mineOut,
  signupOut,
  signupsOut,
  teamBodySchema,
  teamOut,
  teamPatchSchema,
  teamsOut,
  teamsQuerySchema,
} from './volunteer.schema.ts';

const tags = ['participation'];

/** Volunteer teams, members, activities and attendance over HTTP (docs/participation.md). */
export const volunteerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.volunteers;

  app.get(
    '/api/volunteers/teams',
    {
      schema: {
        tags,
        summary:
          'Volunteer teams of a community, street or alley, with their size and hours (public, no names)',
        querystring: teamsQuerySchema,
        response: { 200: teamsOut },
      },
    },
    async (request) => ({
      items: await svc.teams(request.actor ?? null, {
        communityCode: request.query.community,
        streetCode: request.query.street,
        alleyId: request.query.alley,
      }),
    }),
  );

  app.post(
    '/api/volunteers/teams',
    {
      schema: {
        tags,
        summary: 'Set up a volunteer team of a community (or one of its alleys)',
        body: teamBodySchema,
        response: { 201: teamOut },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.createTeam(requireActor(request), request.body)),
  );

  app.patch(
    '/api/volunteers/teams/:id',
    {
      schema: {
        tags,
        summary: 'Rename a volunteer team or change its alley',
        params: idParams,
        body: teamPatchSchema,
        response: { 200: teamOut },
      },
    },
    async (request) => svc.updateTeam(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/volunteers/teams/:id/applications',
    {
      schema: {
        tags,
        summary: 'Apply to join a team; the community approves',
        params: idParams,
        body: applyBodySchema,
        response: { 201: membershipOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.apply(requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/volunteers/teams/:id/members',
    {
      schema: {
        tags,
        summary: "A team's members and applicants with their hours (community staff)",
        params: idParams,
        response: { 200: membersOut },
      },
    },
    async (request) => ({ items: await svc.members(requireActor(request), request.params.id) }),
  );

  app.post(
    '/api/volunteers/teams/:id/members/:userId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject an application',
        params: memberParams,
        body: decisionBodySchema,
        response: { 200: membershipOut },
      },
    },
    async (request) =>
      svc.decide(requireActor(request), request.params.id, request.params.userId, request.body.approve),
  );

  app.post(
    '/api/volunteers/teams/:id/activities',
    {
      schema: {
        tags,
        summary: 'Organise an activity of the team (patrol, sorting guidance, cleaning…)',
        params: idParams,
        body: activityBodySchema,
        response: { 201: activityOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await svc.createActivity(requireActor(request), request.params.id, {
          ...request.body,
          startsAt: new Date(request.body.startsAt),
          endsAt: new Date(request.body.endsAt),
        }),
      ),
  );

  app.get(
    '/api/volunteers/activities',
    {
      schema: {
        tags,
        summary: 'Activities of a team or community, those not over yet unless all=true (public)',
        querystring: activitiesQuerySchema,
        response: { 200: activitiesOut },
      },
    },
    async (request) => ({
      items: await svc.activities(request.actor ?? null, {
        teamId: request.query.team,
        communityCode: request.query.community,
        all: request.query.all === 'true',
      }),
    }),
  );

  app.post(
    '/api/volunteers/activities/:id/signups',
    {
      schema: {
        tags,
        summary: 'Sign up for an activity of your team (409 ACTIVITY_FULL when no place is left)',
        params: idParams,
        response: { 201: signupOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.signUp(requireActor(request), request.params.id)),
  );

  app.delete(
    '/api/volunteers/activities/:id/signups',
    {
      schema: {
        tags,
        summary: 'Withdraw your sign-up while attendance is not confirmed',
        params: idParams,
        response: { 200: signupOut },
      },
    },
    async (request) => svc.withdraw(requireActor(request), request.params.id),
  );

  app.get(
    '/api/volunteers/activities/:id/signups',
    {
      schema: {
        tags,
        summary: 'Who signed up, and their confirmed attendance (community staff)',
        params: idParams,
        response: { 200: signupsOut },
      },
    },
    async (request) => ({ items: await svc.signups(requireActor(request), request.params.id) }),
  );

  app.post(
    '/api/volunteers/activities/:id/attendance',
    {
      schema: {
        tags,
        summary: 'Confirm who came (once each); minutes count as service hours and earn points',
        params: idParams,
        body: attendanceBodySchema,
        response: { 200: attendanceOut },
      },
    },
    async (request) => svc.confirmAttendance(requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/volunteers/me',
    {
      schema: {
        tags,
        summary: 'Your own teams, service hours and activities served',
        response: { 200: mineOut },
      },
    },
    async (request) => svc.mine(requireActor(request)),
  );
};
