import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { NOTIFICATION_KINDS } from './notification.service.ts';

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.string().describe(`one of ${NOTIFICATION_KINDS.join(', ')}; more may be added`),
    caseId: z.string().nullable(),
    caseNumber: z.string().nullable(),
    title: z.string(),
    body: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

const unreadSchema = z.object({ unread: z.number().int().describe('unread notifications left') });

export const notificationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: "The caller's own inbox, newest first, with the number still unread",
        querystring: z.object({
          unread: z
            .enum(['true', 'false'])
            .optional()
            .transform((v) => v === 'true')
            .describe('true: only the unread ones'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(notificationSchema), unread: z.number().int() }) },
      },
    },
    async (request) =>
      ctx.notifications.list(requireActor(request), {
        unreadOnly: request.query.unread,
        limit: request.query.limit,
        offset: request.query.offset,
      }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your own notifications read (404 for anyone else’s)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: unreadSchema },
      },
    },
    async (request) => ctx.notifications.markRead(requireActor(request), request.params.id),
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark every notification in your inbox read',
        response: { 200: unreadSchema },
      },
    },
    async (request) => ctx.notifications.markAllRead(requireActor(request)),
  );
};
