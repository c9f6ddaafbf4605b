import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.ts';
import { fileResponse } from '../http/file-response.ts';
import type { ServedMedia } from './media.service.ts';

const paramsSchema = z.object({ id: z.string().min(1).max(100) });

// A day, not a year: a photo taken down (a face, a number plate) should leave shared caches soon.
const PUBLIC_CACHE = 'public, max-age=86400';
// Originals may show what the public copies were chosen not to show; no cache may keep them.
const PRIVATE_CACHE = 'private, no-store';

/** Photos by id. Copies are public; originals are for the staff who may read the record they belong to. */
export const mediaRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  for (const variant of ['public', 'thumb'] as const) {
    app.get(
      `/api/media/:id/${variant}`,
      {
        schema: {
          tags: ['media'],
          summary:
            variant === 'public'
              ? 'A photo, at most 1280 px, re-encoded without any metadata (no EXIF, no GPS)'
              : 'A thumbnail of a photo, at most 320 px, without any metadata',
          params: paramsSchema,
          response: { 200: fileResponse('image/jpeg', 'the photo, re-encoded as JPEG') },
        },
      },
      async (request, reply) => {
        const served = await ctx.media.readCopy(request.params.id, variant);
        return sendImage(request, reply, served, PUBLIC_CACHE, `"${served.record.id}-${variant}"`);
      },
    );
  }

  app.get(
    '/api/media/:id/original',
    {
      schema: {
        tags: ['media'],
        summary: 'The stored original (at most 2048 px, metadata stripped); staff within scope only',
        params: paramsSchema,
        response: { 200: fileResponse('image/jpeg', 'the stored original, re-encoded as JPEG') },
      },
    },
    async (request, reply) => {
      const served = await ctx.media.readOriginal(request.actor, request.params.id);
      return sendImage(request, reply, served, PRIVATE_CACHE, null);
    },
  );
};

function sendImage(
  request: FastifyRequest,
  reply: FastifyReply,
  served: ServedMedia,
  cacheControl: string,
  etag: string | null,
) {
  reply
    .header('cache-control', cacheControl)
    // Served bytes were sniffed and re-encoded; browsers must not second-guess the type.
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline');
  if (etag) {
    reply.header('etag', etag);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
      return reply.code(304).send();
    }
  }
  return reply.type(served.contentType).send(served.bytes);
}
