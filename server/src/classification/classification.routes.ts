import type { FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ModelRegistry, NoActiveModelError } from './model-registry.ts';

export const classifyBodySchema = z.object({
  text: z.string().trim().min(1).max(20_000),
  /** How many suggestions, most likely first. */
  k: z.number().int().min(1).max(50).optional(),
});

export const classifyResponseSchema = z.object({
  modelVersion: z.string(),
  suggestions: z.array(z.object({ label: z.string(), probability: z.number().min(0).max(1) })),
});

const unavailableSchema = z.object({
  error: z.object({ code: z.literal('CLASSIFIER_UNAVAILABLE'), message: z.string() }),
});

export interface ClassificationRoutesOptions {
  registry: ModelRegistry;
}

/**
 * `POST /api/classify`: the taxonomy keys a report's text most likely belongs to, with calibrated
 * probabilities, from the registry's active model (SPEC §4.2, §7.1). Without an active model it answers
 * 503 so the client falls back to manual classification.
 */
export const classificationRoutes: FastifyPluginAsync<ClassificationRoutesOptions> = async (app, options) => {
  // Set here too so the plugin works in any app; the compilers are scoped to this plugin's context.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/classify',
    {
      schema: {
        summary: 'Propose taxonomy codes for a report text',
        tags: ['classification'],
        body: classifyBodySchema,
        response: { 200: classifyResponseSchema, 503: unavailableSchema },
      },
    },
    async (request, reply) => {
      try {
        return await options.registry.classify(request.body.text, request.body.k ?? 3);
      } catch (e) {
        if (e instanceof NoActiveModelError) {
          return reply
            .code(503)
            .send({ error: { code: 'CLASSIFIER_UNAVAILABLE' as const, message: e.message } });
        }
        throw e;
      }
    },
  );
};
