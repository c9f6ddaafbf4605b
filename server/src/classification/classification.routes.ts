import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { NoActiveModelError } from './model-registry.ts';

export const classifyBodySchema = z.object({
  /** Only the first 2,000 characters are classified (a report description's limit). */
  text: z.string().trim().min(1).max(5000),
  /** How many suggestions, most likely first. */
  k: z.number().int().min(1).max(10).optional(),
});

export const classifyResponseSchema = z
  .object({
    modelVersion: z.string(),
    suggestions: z.array(
      z.object({
        label: z.string().describe('taxonomy key, kind:code'),
        name: z.string().nullable().describe("the category's name in the active taxonomy"),
        probability: z.number().min(0).max(1),
      }),
    ),
  })
  .meta({ id: 'Classification' });

const unavailableSchema = z.object({
  error: z.object({
    code: z.literal('CLASSIFIER_UNAVAILABLE'),
    message: z.string(),
    details: z.object({}),
  }),
});

const scoreSchema = z.object({ macroF1: z.number(), accuracy: z.number() }).nullable();

const modelSummarySchema = z
  .object({
    version: z.string(),
    createdAt: z.string(),
    labels: z.number(),
    trainingSize: z.number(),
    dataHash: z.string(),
    accuracy: z.number().nullable(),
    macroF1: z.number().nullable(),
    ece: z.number().nullable(),
    bytes: z.number(),
    active: z.boolean(),
  })
  .meta({ id: 'ClassifierModel' });

const retrainReportSchema = z
  .object({
    candidate: z.string(),
    previous: z.string().nullable(),
    active: z.string(),
    activated: z.boolean(),
    reason: z.string(),
    taxonomyEntries: z.number(),
    trainingLabels: z.number(),
    heldOutLabels: z.number(),
    skippedLabels: z.number(),
    candidateScore: scoreSchema,
    previousScore: scoreSchema,
    trainingMs: z.number(),
  })
  .meta({ id: 'ClassifierRetrainReport' });

/**
 * `POST /api/classify`: the taxonomy keys a report's text most likely belongs to, with calibrated
 * probabilities, from the active model (SPEC §4.2, §7.1). Anonymous callers may use it (the resident
 * page suggests a category while the resident types); the body is capped at 32 KiB and only the first
 * 2,000 characters are classified, so one request costs at most about a millisecond of CPU. Without an
 * active model it answers 503 so that the client falls back to the category picker.
 *
 * `/api/classifier/…`: the installation's models, for district and system administrators.
 */
export const classificationRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = ctx.classification;

  r.post(
    '/api/classify',
    {
      bodyLimit: 32 * 1024,
      schema: {
        summary: 'Propose taxonomy categories for a report text',
        tags: ['classification'],
        body: classifyBodySchema,
        response: { 200: classifyResponseSchema, 503: unavailableSchema },
      },
    },
    async (request, reply) => {
      try {
        return await service.classify(request.actor, request.body.text, request.body.k ?? 3);
      } catch (e) {
        if (e instanceof NoActiveModelError) {
          return reply.code(503).send({
            error: { code: 'CLASSIFIER_UNAVAILABLE' as const, message: e.message, details: {} },
          });
        }
        throw e;
      }
    },
  );

  r.get(
    '/api/classifier/models',
    {
      schema: {
        summary: 'Classifier models of the installation, oldest first',
        tags: ['classification'],
        response: { 200: z.object({ items: z.array(modelSummarySchema) }) },
      },
    },
    async (request) => ({ items: await service.listModels(requireActor(request)) }),
  );

  r.post(
    '/api/classifier/retrain',
    {
      schema: {
        summary: 'Train a model from the taxonomy and confirmed labels; keep it only if it is better',
        description:
          'The candidate is stored, and activated only when no model is active or it scores a higher ' +
          'macro-F1 than the active model on the held-out confirmed labels. Training takes seconds of CPU.',
        tags: ['classification'],
        response: { 200: retrainReportSchema },
      },
    },
    async (request) => service.retrain(requireActor(request)),
  );

  r.post(
    '/api/classifier/models/:version/activate',
    {
      schema: {
        summary: 'Make a stored model the active one (no restart)',
        tags: ['classification'],
        params: z.object({ version: z.string().regex(/^[0-9A-Za-z._-]+$/u) }),
        response: { 200: modelSummarySchema },
      },
    },
    async (request) => service.activate(requireActor(request), request.params.version),
  );

  r.post(
    '/api/classifier/rollback',
    {
      schema: {
        summary: 'Reactivate the model that was active before the current one',
        tags: ['classification'],
        response: { 200: modelSummarySchema },
      },
    },
    async (request) => service.rollback(requireActor(request)),
  );
};
