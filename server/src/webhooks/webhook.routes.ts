import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { webhookEventTypeSchema } from './webhook.payload.ts';

const countsSchema = z.object({
  pending: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

export const webhookSubscriptionSchema = z
  .object({
    id: z.string(),
    districtCode: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveries: countsSchema,
  })
  .meta({ id: 'WebhookSubscription' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventType: z.string(),
    caseId: z.string().nullable(),
    eventSeq: z.number().int().nullable(),
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const createBodySchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'an http:// or https:// URL' }).max(2000),
  eventTypes: z.array(webhookEventTypeSchema).min(1).max(50),
  districtCode: z
    .string()
    .regex(/^\d{6}$/, 'a 6-digit district code')
    .optional()
    .describe("defaults to the caller's district"),
  secret: z
    .string()
    .min(16, 'at least 16 characters')
    .max(200)
    .optional()
    .describe('HMAC key for X-Hutong-Signature; generated when left out'),
  description: z.string().trim().max(200).optional(),
});

const DELIVERY_DOC =
  'Each matching case event is POSTed as a `WebhookEvent` (see components.schemas) with the headers ' +
  '`X-Hutong-Event`, `X-Hutong-Delivery` and `X-Hutong-Signature: sha256=<hex HMAC-SHA256 of the raw ' +
  'body with the subscription secret>`. A 2xx answer within 10 s (configurable) delivers it; anything ' +
  'else is retried with exponential back-off, then marked failed. Deliveries are written in the ' +
  'transaction of the event, so none is lost and none is sent for an event that did not happen. ' +
  'Receivers may see a delivery twice: drop repeats by `X-Hutong-Delivery` or the body `id`.';

export const webhookRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook subscriptions of the caller district (all of them for a system administrator)',
        response: { 200: z.object({ items: z.array(webhookSubscriptionSchema) }) },
      },
    },
    async (request) => ({ items: await ctx.webhooks.list(requireActor(request)) }),
  );

  app.post(
    '/api/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to case events; deliveries are signed WebhookEvent POSTs',
        description: DELIVERY_DOC,
        body: createBodySchema,
        response: {
          201: webhookSubscriptionSchema.extend({
            secret: z.string().describe('shown only in this answer'),
          }),
        },
      },
    },
    async (request, reply) => {
      const created = await ctx.webhooks.create(requireActor(request), request.body);
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Deactivate a subscription and cancel its pending deliveries (its history is kept)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 204: z.null().describe('deactivated') },
      },
    },
    async (request, reply) => {
      await ctx.webhooks.remove(requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "A subscription's latest deliveries, with attempts, status codes and errors",
        params: z.object({ id: z.string().min(1).max(100) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(webhookDeliverySchema) }) },
      },
    },
    async (request) => ({
      items: await ctx.webhooks.deliveries(requireActor(request), request.params.id, request.query.limit),
    }),
  );
};
