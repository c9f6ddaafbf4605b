import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import {
  bookingBodySchema,
  bookingOut,
  bookingsQuerySchema,
  idParams,
  mineOut,
  noShowsOut,
  spaceBodySchema,
  spaceOut,
  spacePatchSchema,
  spacesOut,
  spacesQuerySchema,
  staffBookingsOut,
  withdrawOut,
} from './parking.schema.ts';

const tags = ['participation'];

/** Shared parking (错时停车) over HTTP (docs/participation.md). */
export const parkingRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.participation.parking;

  app.get(
    '/api/parking/spaces',
    {
      schema: {
        tags,
        summary: 'Offered parking spaces with their weekly windows (Beijing time) and next openings (public)',
        querystring: spacesQuerySchema,
        response: { 200: spacesOut },
      },
    },
    async (request) => ({
      items: await svc.spaces(request.actor ?? null, {
        community: request.query.community,
        street: request.query.street,
        alleyId: request.query.alley,
        all: request.query.all === 'true',
      }),
    }),
  );

  app.post(
    '/api/parking/spaces',
    {
      schema: {
        tags,
        summary: 'Offer a space of a unit in a community, with its weekly windows',
        body: spaceBodySchema,
        response: { 201: spaceOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.createSpace(requireActor(request), request.body)),
  );

  app.patch(
    '/api/parking/spaces/:id',
    {
      schema: {
        tags,
        summary: "Edit a space's name, unit, note or windows (bookings made stay)",
        params: idParams,
        body: spacePatchSchema,
        response: { 200: spaceOut },
      },
    },
    async (request) => svc.updateSpace(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/parking/spaces/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a space; its bookings not started yet are cancelled',
        params: idParams,
        response: { 200: withdrawOut },
      },
    },
    async (request) => svc.withdrawSpace(requireActor(request), request.params.id),
  );

  app.post(
    '/api/parking/bookings',
    {
      schema: {
        tags,
        summary: 'Book a space for [from, to) inside its windows (409 BOOKING_OVERLAP when taken)',
        body: bookingBodySchema,
        response: { 201: bookingOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await svc.book(requireActor(request), {
          spaceId: request.body.spaceId,
          from: new Date(request.body.from),
          to: new Date(request.body.to),
        }),
      ),
  );

  app.get(
    '/api/parking/bookings/mine',
    {
      schema: {
        tags,
        summary: 'Your own bookings, your no-shows and whether booking is suspended',
        response: { 200: mineOut },
      },
    },
    async (request) => svc.mine(requireActor(request)),
  );

  app.get(
    '/api/parking/bookings',
    {
      schema: {
        tags,
        summary: 'Bookings of the spaces of your jurisdiction, with who booked (staff)',
        querystring: bookingsQuerySchema,
        response: { 200: staffBookingsOut },
      },
    },
    async (request) => ({
      items: await svc.bookings(requireActor(request), {
        spaceId: request.query.space,
        community: request.query.community,
        since: request.query.since ? new Date(request.query.since) : undefined,
      }),
    }),
  );

  app.get(
    '/api/parking/no-shows',
    {
      schema: {
        tags,
        summary: 'No-shows per person in your jurisdiction over the policy window (staff)',
        response: { 200: noShowsOut },
      },
    },
    async (request) => svc.noShows(requireActor(request)),
  );

  for (const [path, summary, run] of [
    ['cancel', 'Cancel a booking not started yet (staff: any booked one of their scope)', 'cancel'],
    ['check-in', 'Check in (from 15 minutes before the start, by the booker or staff)', 'checkIn'],
    ['check-out', 'Check out: the space is free again from now', 'checkOut'],
  ] as const) {
    app.post(
      `/api/parking/bookings/:id/${path}`,
      { schema: { tags, summary, params: idParams, response: { 200: bookingOut } } },
      async (request) => svc[run](requireActor(request), request.params.id),
    );
  }
};
