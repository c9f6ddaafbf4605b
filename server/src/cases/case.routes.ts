import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decide } from '../accounts/authorisation.ts';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { readMultipartFiles } from '../media/media.multipart.ts';
import { publicMediaSchema } from '../media/media.schema.ts';
import { AppError } from '../shared/errors.ts';
import { fieldIssuesFromZod } from '../shared/zodIssues.ts';
import { crsSchema } from '../territory/territory.schema.ts';
import { caseActionSchema } from './case.action.schema.ts';
import { fileCameraEvent } from './case.camera.ts';
import { casePointsQuerySchema, casePointsSchema, openCasePoints } from './case.map.ts';
import {
  cameraEventBodySchema,
  cameraEventFiledSchema,
  caseActionResultSchema,
  caseDetailSchema,
  caseListSchema,
  categoryKeySchema,
  publicReportBodySchema,
  publicReportCreatedSchema,
  publicReportViewSchema,
} from './case.schema.ts';
import { MIN_JOINT_UNITS, toCaseDto } from './case.service.ts';

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('retries with the same key create nothing twice'),
});

const staffIntakeSchema = z.object({
  channel: z.enum(['staff', 'patrol', 'inspection', 'camera', 'hotline']),
  description: z.string().trim().min(4).max(2000),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  crs: crsSchema.default('wgs84'),
  categoryCode: categoryKeySchema.optional(),
  address: z.string().trim().max(200).optional(),
  externalRef: z.string().trim().max(100).optional(),
  // The person who reported it (at the desk, on the phone): kept like a resident report's name and
  // contact, shown to staff on the case and never on a public page.
  reporterName: z.string().trim().max(50).optional().describe('private: never shown publicly'),
  reporterContact: z.string().trim().max(100).optional().describe('private: never shown publicly'),
});

/** The same fields sent as multipart text beside the photos: numbers arrive as strings there. */
const staffIntakeFieldsSchema = staffIntakeSchema.extend({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

export const caseRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/public/reports',
    {
      schema: {
        tags: ['public'],
        summary:
          'Report a problem (anonymous allowed): JSON, or multipart/form-data with the same fields as text ' +
          'and up to 9 `photos` (JPEG, PNG or WebP). Without lng/lat a photo GPS position is used.',
        headers: idempotencyHeaders,
        body: publicReportBodySchema.nullish(),
        response: { 201: publicReportCreatedSchema },
      },
    },
    async (request, reply) => {
      let body = request.body;
      let photoIds: string[] = [];
      let photoHashes: string[] = [];
      if (request.isMultipart()) {
        const upload = await readMultipartFiles(request, ctx.media.limits);
        const records = await ctx.media.ingest(upload.files, {
          role: 'report',
          uploadedBy: request.actor?.userId ?? null,
        });
        photoIds = records.map((r) => r.id);
        photoHashes = records.map((r) => r.sha256);
        const gps = records.find((r) => r.gps)?.gps;
        const fields = { ...upload.fields };
        if (fields.lng === undefined && fields.lat === undefined && gps) {
          Object.assign(fields, { lng: String(gps.lng), lat: String(gps.lat), crs: 'wgs84' });
        }
        const parsed = publicReportBodySchema.safeParse(fields);
        if (!parsed.success) {
          await ctx.media.discard(photoIds);
          throw AppError.validation(fieldIssuesFromZod(parsed.error.issues));
        }
        body = parsed.data;
      }
      if (!body)
        throw AppError.validation([
          { field: 'body', message: 'send the report as JSON or multipart/form-data' },
        ]);
      try {
        const { result, replayed } = await ctx.cases.intake(
          // Linked to the account only where the account may own reports (authorisation.ts, report.own);
          // staff file through POST /api/cases.
          request.actor && decide(request.actor, 'report.own').allowed ? request.actor : null,
          {
            channel: 'resident',
            description: body.description,
            lng: body.lng,
            lat: body.lat,
            crs: body.crs,
            categoryKey: body.categoryCode ?? null,
            address: body.address ?? null,
            reporterName: body.name ?? null,
            reporterContact: body.contact ?? null,
            photoIds,
          },
          request.headers['idempotency-key'],
          // A retry carries the same photos under new upload ids: their content decides sameness.
          { photoHashes },
        );
        if (replayed) {
          await ctx.media.discard(photoIds);
          reply.header('idempotent-replayed', 'true');
        }
        return reply.code(201).send({ trackingCode: result.trackingCode, caseNumber: result.caseNumber });
      } catch (err) {
        await ctx.media.discard(photoIds);
        throw err;
      }
    },
  );

  app.get(
    '/api/public/alleys/:id/cases',
    {
      schema: {
        tags: ['public'],
        summary: 'Open and closed counts and the recent public cases of an alley, for its notice board',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            openCount: z.number(),
            closedCount: z.number(),
            recent: z.array(
              z.object({
                trackingCode: z.string(),
                caseNumber: z.string(),
                status: z.string(),
                statusLabel: z.string(),
                category: z.string().nullable(),
                reportedAt: z.string(),
                closedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      if (!(await ctx.territory.alleyName(request.params.id)))
        throw AppError.notFound('alley', request.params.id);
      return ctx.cases.alleyBoard(request.params.id);
    },
  );

  app.post(
    '/api/cases/:id/photos',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Upload after-photos or evidence for a case (multipart `photos`); pass the returned ids with the ' +
          'feedback action, which attaches them',
        params: z.object({ id: z.string().min(1).max(100) }),
        querystring: z.object({ role: z.enum(['after', 'evidence']).default('after') }),
        response: { 201: z.array(publicMediaSchema) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const c = await ctx.cases.getForActor(actor, request.params.id);
      const upload = await readMultipartFiles(request, ctx.media.limits);
      const records = await ctx.media.ingest(upload.files, {
        role: request.query.role,
        uploadedBy: actor.userId,
        districtCode: c.district_code,
      });
      return reply.code(201).send(records.map((r) => ctx.media.publicView(r)));
    },
  );

  app.get(
    '/api/public/reports/:trackingCode',
    {
      schema: {
        tags: ['public'],
        summary: "Follow a report by its tracking code: status, steps, handling unit; no one's personal data",
        params: z.object({ trackingCode: z.string().min(4).max(20) }),
        response: { 200: publicReportViewSchema },
      },
    },
    async (request) => ctx.cases.publicView(request.params.trackingCode),
  );

  app.post(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary:
          'File a case from patrol, inspection, a camera, the hotline or the desk: JSON, or ' +
          'multipart/form-data with the same fields as text and up to 9 `photos` (JPEG, PNG or WebP). ' +
          "The reporter's name and contact are kept for staff only.",
        headers: idempotencyHeaders,
        body: staffIntakeSchema.nullish(),
        response: { 201: z.object({ id: z.string(), caseNumber: z.string(), trackingCode: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      let b = request.body;
      let photoIds: string[] = [];
      let photoHashes: string[] = [];
      if (request.isMultipart()) {
        const upload = await readMultipartFiles(request, ctx.media.limits);
        const records = await ctx.media.ingest(upload.files, { role: 'report', uploadedBy: actor.userId });
        photoIds = records.map((r) => r.id);
        photoHashes = records.map((r) => r.sha256);
        const parsed = staffIntakeFieldsSchema.safeParse(upload.fields);
        if (!parsed.success) {
          await ctx.media.discard(photoIds);
          throw AppError.validation(fieldIssuesFromZod(parsed.error.issues));
        }
        b = parsed.data;
      }
      if (!b)
        throw AppError.validation([
          { field: 'body', message: 'send the case as JSON or multipart/form-data' },
        ]);
      try {
        const { result, replayed } = await ctx.cases.staffIntake(
          actor,
          {
            channel: b.channel,
            description: b.description,
            lng: b.lng,
            lat: b.lat,
            crs: b.crs,
            categoryKey: b.categoryCode ?? null,
            address: b.address ?? null,
            externalRef: b.externalRef ?? null,
            reporterName: b.reporterName || null,
            reporterContact: b.reporterContact || null,
            photoIds,
          },
          request.headers['idempotency-key'],
          // A retry carries the same photos under new upload ids: their content decides sameness.
          photoHashes.length ? { photoHashes } : {},
        );
        if (replayed) {
          await ctx.media.discard(photoIds);
          reply.header('idempotent-replayed', 'true');
        }
        return reply.code(201).send(result);
      } catch (err) {
        await ctx.media.discard(photoIds);
        throw err;
      }
    },
  );

  app.post(
    '/api/cases/camera-events',
    {
      // The frame arrives as base64 inside the JSON: a third larger than the photo limit, plus the fields.
      bodyLimit: Math.ceil((ctx.media.limits.maxBytes * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['cases'],
        summary:
          'File a video-analytics event (堆物堆料, 暴露垃圾…): device, time, detected category, confidence and ' +
          'the snapshot as base64. At or above the configured confidence the case is accepted by the auto-rule; ' +
          'below it the event waits as a report for a dispatcher to confirm. Retries with the same ' +
          'Idempotency-Key, or the same deviceId and eventId, file nothing twice.',
        headers: idempotencyHeaders,
        body: cameraEventBodySchema,
        response: { 201: cameraEventFiledSchema },
      },
    },
    async (request, reply) => {
      const { result, replayed } = await fileCameraEvent(
        {
          cases: ctx.cases,
          media: ctx.media,
          clock: ctx.clock,
          minConfidence: ctx.config.camera.minConfidence,
        },
        requireActor(request),
        request.body,
        request.headers['idempotency-key'],
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/config/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Rules of the case loop that forms check before sending (the server enforces them anyway)',
        response: {
          200: z.object({
            whistle: z.object({
              minUnits: z
                .number()
                .int()
                .describe('a whistle (tier-3 dispatch) summons at least this many units'),
            }),
          }),
        },
      },
    },
    async () => ({ whistle: { minUnits: MIN_JOINT_UNITS } }),
  );

  app.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases in the caller jurisdiction (or assigned to its organisation), newest first',
        querystring: z.object({
          state: z.string().optional().describe('comma-separated states'),
          category: categoryKeySchema.optional().describe('only cases filed under this category'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: caseListSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { items, total, totalCapped } = await ctx.cases.queue(actor, {
        states: request.query.state?.split(',').filter(Boolean),
        categoryKey: request.query.category,
        limit: request.query.limit,
        offset: request.query.offset,
      });
      // Counting stops at 10,000: `totalCapped` then says "10,000 or more" (shown as "10,000+").
      // Each with what the caller may do on it now, so a list can offer it without a copy of the rules.
      return {
        items: items.map((c) => ({ ...toCaseDto(c), allowedActions: ctx.cases.allowedFor(actor, c) })),
        total,
        totalCapped,
      };
    },
  );

  app.get(
    '/api/cases/map',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open cases of the caller queue as GeoJSON points for a map, newest first',
        querystring: casePointsQuerySchema,
        response: { 200: casePointsSchema },
      },
    },
    async (request) => openCasePoints(ctx.cases, requireActor(request), request.query.limit),
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with its trail; the id may be the case number',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => ctx.cases.caseDetail(requireActor(request), request.params.id),
  );

  app.post(
    '/api/cases/:id/actions/:action',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Fire a case-loop action (accept, reject, merge, dispatch, sign, send_back, feedback, verify_pass, ' +
          'verify_fail, reopen, rate, extension_*, suspend, resume, supervise, report_in, accept_joint_action…); ' +
          '409 TRANSITION_NOT_ALLOWED when the state does not allow it; 404 CASE_NOT_FOUND for a case the actor may not ' +
          'read (as for an unknown one); 403 OUT_OF_SCOPE for one it reads but may not act on',
        params: z.object({ id: z.string().min(1).max(100), action: z.string().min(1).max(40) }),
        body: z
          .record(z.string(), z.unknown())
          .default({})
          .describe("the action's fields, as the schema CaseAction_<action> describes (without type)"),
        response: { 200: caseActionResultSchema },
      },
    },
    async (request) =>
      ctx.cases.act(requireActor(request), request.params.id, request.params.action, request.body ?? {}),
  );

  app.post(
    '/api/cases/:id/actions',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Fire a case-loop action named by `type` in the body, with its own fields (one schema per action); ' +
          'the same rules and answers as /api/cases/{id}/actions/{action}',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: caseActionSchema,
        response: { 200: caseActionResultSchema },
      },
    },
    async (request) => {
      const { type, ...fields } = request.body;
      return ctx.cases.act(requireActor(request), request.params.id, type, fields);
    },
  );
};
