import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { readMultipartFiles } from '../../media/media.multipart.ts';
import { AppError } from '../../shared/errors.ts';
import { fieldIssuesFromZod } from '../../shared/zodIssues.ts';
import {
  coverageQuerySchema,
  coverageSchema,
  findingBodySchema,
  findingFiledSchema,
  finishSchema,
  liveSchema,
  patrolSchema,
  pointsAddedSchema,
  pointsSchema,
  startPatrolSchema,
} from './patrol.schema.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export const patrolRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.supervision.patrols;

  app.post(
    '/api/patrols',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Start a daily patrol (日巡) in your jurisdiction',
        body: startPatrolSchema.nullish(),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await svc.start(requireActor(request), request.body ?? {})),
  );

  app.post(
    '/api/patrols/:id/points',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Add a batch of track points (WGS-84, ISO time); a batch sent again adds nothing',
        params: idParams,
        body: pointsSchema,
        response: { 200: pointsAddedSchema },
      },
    },
    async (request) => svc.addPoints(requireActor(request), request.params.id, request.body.points),
  );

  app.post(
    '/api/patrols/:id/finish',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Finish the patrol: its length, the alleys walked (≥ 60 % of the length within 25 m by default) and ' +
          'the points left out (outside the territory, out of time order, faster than 50 km/h)',
        params: idParams,
        body: z.object({}).nullish(),
        response: { 200: finishSchema },
      },
    },
    async (request) => svc.finish(requireActor(request), request.params.id),
  );

  app.get(
    '/api/patrols/live',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Latest positions of running patrols in your jurisdiction (M28); older than 10 minutes: stale',
        querystring: z.object({
          scope: z
            .string()
            .regex(/^\d{6}(\d{3}){0,3}$/)
            .optional(),
        }),
        response: { 200: liveSchema },
      },
    },
    async (request) => svc.live(requireActor(request), request.query.scope),
  );

  app.get(
    '/api/patrols/coverage',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Alleys walked and not walked in a day or week, per street, grid and person',
        querystring: coverageQuerySchema,
        response: { 200: coverageSchema },
      },
    },
    async (request) => svc.coverage(requireActor(request), request.query),
  );

  app.get(
    '/api/patrols/:id',
    {
      schema: {
        tags: ['supervision'],
        summary: 'A patrol with its track, coverage and findings',
        params: idParams,
        response: { 200: patrolSchema },
      },
    },
    async (request) => svc.get(requireActor(request), request.params.id),
  );

  app.post(
    '/api/patrols/:id/findings',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'File a problem found on the patrol as a case (channel patrol): JSON, or multipart with `photos` and ' +
          '`photoRoles` (report,after,…). `onSpot` closes it at tier 1 as fixed on the spot.',
        params: idParams,
        body: findingBodySchema.nullish(),
        response: { 201: findingFiledSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      let body = request.body;
      let reportIds: string[] = [];
      let afterIds: string[] = [];
      if (request.isMultipart()) {
        const upload = await readMultipartFiles(request, ctx.media.limits);
        const parsed = findingBodySchema.safeParse(upload.fields);
        if (!parsed.success) throw AppError.validation(fieldIssuesFromZod(parsed.error.issues));
        body = parsed.data;
        const roles = (body.photoRoles ?? '').split(',').map((r) => r.trim());
        const after = upload.files.filter((_, i) => roles[i] === 'after');
        const before = upload.files.filter((_, i) => roles[i] !== 'after');
        reportIds = (await ctx.media.ingest(before, { role: 'report', uploadedBy: actor.userId })).map(
          (r) => r.id,
        );
        afterIds = (await ctx.media.ingest(after, { role: 'after', uploadedBy: actor.userId })).map(
          (r) => r.id,
        );
      }
      if (!body)
        throw AppError.validation([{ field: 'body', message: 'send the finding as JSON or multipart' }]);
      try {
        const filed = await svc.fileFinding(actor, request.params.id, {
          lng: body.lng,
          lat: body.lat,
          crs: body.crs,
          description: body.description,
          categoryKey: body.categoryKey,
          photoIds: reportIds,
          ...(body.onSpot && {
            onSpot: {
              note: body.onSpotNote?.trim() || body.description,
              afterPhotoIds: afterIds,
              ...(body.noPhotoReason ? { noPhotoReason: body.noPhotoReason } : {}),
            },
          }),
        });
        return reply.code(201).send(filed);
      } catch (err) {
        await ctx.media.discard([...reportIds, ...afterIds]);
        throw err;
      }
    },
  );
};
