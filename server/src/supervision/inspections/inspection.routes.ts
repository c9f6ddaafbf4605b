import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';
import { readMultipartFiles } from '../../media/media.multipart.ts';
import { AppError } from '../../shared/errors.ts';
import { fieldIssuesFromZod } from '../../shared/zodIssues.ts';
import {
  inspectionBodySchema,
  inspectionCreatedSchema,
  inspectionDetailSchema,
  inspectionFormSchema,
  inspectionListSchema,
} from './inspection.schema.ts';

export const inspectionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.supervision.inspections;

  app.post(
    '/api/inspections',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Inspect one alley (周查 / third-party): each finding becomes a case; score = 100 − capped deductions. ' +
          'JSON, or multipart with `alleyId`, `findings` (JSON text), `photos` and `photoFindings` (the finding ' +
          'index of each photo, comma-separated). Refused whole on any wrong indicator, position or scope.',
        body: inspectionBodySchema.nullish(),
        response: { 201: inspectionCreatedSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      let body = request.body;
      const photos: string[][] = [];
      let uploaded: string[] = [];
      if (request.isMultipart()) {
        const upload = await readMultipartFiles(request, ctx.media.limits);
        let findings: unknown = [];
        try {
          findings = JSON.parse(upload.fields.findings ?? '[]');
        } catch {
          throw AppError.validation([{ field: 'findings', message: 'JSON text of the findings' }]);
        }
        const parsed = inspectionBodySchema.safeParse({ ...upload.fields, findings });
        if (!parsed.success) throw AppError.validation(fieldIssuesFromZod(parsed.error.issues));
        body = parsed.data;
        const records = await ctx.media.ingest(upload.files, { role: 'report', uploadedBy: actor.userId });
        uploaded = records.map((r) => r.id);
        const owners = (upload.fields.photoFindings ?? '').split(',').map((s) => Number(s.trim()));
        for (const [i, r] of records.entries()) {
          const k = Number.isInteger(owners[i]) ? owners[i]! : 0;
          photos[k] = [...(photos[k] ?? []), r.id];
        }
      }
      if (!body)
        throw AppError.validation([{ field: 'body', message: 'send the inspection as JSON or multipart' }]);
      try {
        const created = await svc.create(actor, {
          alleyId: body.alleyId,
          versionId: body.versionId,
          findings: body.findings.map((f, i) => ({ ...f, photoIds: photos[i] ?? [] })),
        });
        return reply.code(201).send(created);
      } catch (err) {
        await ctx.media.discard(uploaded);
        throw err;
      }
    },
  );

  app.get(
    '/api/inspections',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Inspections in your jurisdiction (or of one alley), newest first',
        querystring: z.object({
          alleyId: z.string().max(100).optional(),
          scope: z
            .string()
            .regex(/^\d{6}(\d{3}){0,3}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: inspectionListSchema },
      },
    },
    async (request) => svc.list(requireActor(request), request.query),
  );

  app.get(
    '/api/inspections/form',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'The inspection form of an alley: the active indicators that apply to it, and its last score',
        querystring: z.object({ alleyId: z.string().min(1).max(100) }),
        response: { 200: inspectionFormSchema },
      },
    },
    async (request) => svc.form(requireActor(request), request.query.alleyId),
  );

  app.get(
    '/api/inspections/:id',
    {
      schema: {
        tags: ['supervision'],
        summary: 'An inspection with its findings and the cases they became',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: inspectionDetailSchema },
      },
    },
    async (request) => svc.get(requireActor(request), request.params.id),
  );
};
