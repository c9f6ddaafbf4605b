import { z } from 'zod';

/** What a file route sends: bytes, or text it has already serialised. */
type FileBody = z.ZodType<Buffer | string>;

/**
 * The response schema of a route that answers with a file (a photo, a workbook, a GeoJSON export)
 * rather than a JSON body: OpenAPI names the media type and a binary string. The handler sends bytes or
 * text, which Fastify passes through without serialising, so the schema only describes.
 */
export function fileResponse<const T extends string>(contentType: T, description: string) {
  const schema = z.string().meta({ format: 'binary' }) as unknown as FileBody;
  return { description, content: { [contentType]: { schema } } as Record<T, { schema: FileBody }> };
}
