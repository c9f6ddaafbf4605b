import type { FastifyRequest } from 'fastify';
import type { IncomingFile, MediaLimits } from '../media/media.service.ts';
import { AppError } from '../shared/errors.ts';
import { Open311Error, type Open311ErrorItem } from './open311.format.ts';
import type { Fields } from './open311.service.ts';

/**
 * Reading GeoReport requests off the wire: query strings and form bodies keep every value of a name
 * in order (the `attribute[code][]` lists need it), and every failure becomes an `Open311Error` with
 * the status the specification assigns.
 */

/** The field that carries uploaded photos in the multipart extension of POST requests. */
export const MEDIA_FIELD = 'media';

function toFields(params: URLSearchParams): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of params) fields.set(name, [...(fields.get(name) ?? []), value]);
  return fields;
}

/** `application/x-www-form-urlencoded`, decoded as UTF-8 (the specification's encoding everywhere). */
export function parseForm(body: string): Map<string, string[]> {
  return toFields(new URLSearchParams(body));
}

/** The query string of a request, read from the raw URL so repeated names keep all their values. */
export function queryFields(url: string): Map<string, string[]> {
  const q = url.indexOf('?');
  return toFields(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
}

/** Body fields, with query parameters the body does not name (clients often put api_key in the URL). */
export function mergeFields(
  body: ReadonlyMap<string, string[]>,
  query: ReadonlyMap<string, string[]>,
): Fields {
  const merged = new Map(body);
  for (const [name, values] of query) if (!merged.has(name)) merged.set(name, values);
  return merged;
}

/**
 * A multipart POST (Hutong's extension): the same fields as the form, repeated names kept, and photos
 * in `media` (one or several), within the media module's limits.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  limits: Pick<MediaLimits, 'maxFiles' | 'maxBytes'>,
): Promise<{ fields: Map<string, string[]>; files: IncomingFile[] }> {
  const fields = new Map<string, string[]>();
  const files: IncomingFile[] = [];
  try {
    const parts = request.parts({
      limits: { files: limits.maxFiles, fileSize: limits.maxBytes, fields: 200, fieldSize: 64 * 1024 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== MEDIA_FIELD) {
          part.file.resume();
          throw Open311Error.badRequest(
            `files are accepted only in the field ${MEDIA_FIELD}, not ${part.fieldname}`,
          );
        }
        const bytes = await part.toBuffer();
        // A file input left empty arrives as a part without a name or bytes.
        if (bytes.length === 0 && !part.filename) continue;
        files.push({ bytes, filename: part.filename || undefined, field: `${MEDIA_FIELD}[${files.length}]` });
      } else {
        if (part.valueTruncated) throw Open311Error.badRequest(`${part.fieldname} is longer than 64 KiB`);
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), String(part.value)]);
      }
    }
  } catch (err) {
    throw multipartError(err, limits);
  }
  return { fields, files };
}

function multipartError(err: unknown, limits: Pick<MediaLimits, 'maxFiles' | 'maxBytes'>): unknown {
  if (err instanceof Open311Error) return err;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_FILES_LIMIT':
      return Open311Error.badRequest(`at most ${limits.maxFiles} files may be sent in ${MEDIA_FIELD}`);
    case 'FST_REQ_FILE_TOO_LARGE':
      return Open311Error.badRequest(
        `a file in ${MEDIA_FIELD} is larger than ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`,
      );
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return Open311Error.badRequest('the form has too many fields');
    default:
      return Open311Error.badRequest('the multipart body is malformed or incomplete');
  }
}

/**
 * Any failure on a GeoReport route, in the specification's terms: its own errors as they are; the rest
 * of the server's errors as 403 (who is calling), 404 (what does not exist) or 400 (everything else,
 * including what the specification calls a general service error).
 */
export function asOpen311Error(err: unknown): { error: Open311Error; unexpected: boolean } {
  if (err instanceof Open311Error) return { error: err, unexpected: false };
  if (err instanceof AppError) {
    const status = err.status === 401 || err.status === 403 ? 403 : err.status === 404 ? 404 : 400;
    const fields = (err.details.fields as { field: string; message: string }[] | undefined) ?? [];
    const items: Open311ErrorItem[] = fields.length
      ? fields.map((f) => ({ code: status, description: `${f.field}: ${f.message}` }))
      : [{ code: status, description: fieldOf(err) ? `${fieldOf(err)}: ${err.message}` : err.message }];
    return { error: new Open311Error(status, items), unexpected: false };
  }
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const message = err instanceof Error ? err.message : 'the request could not be read';
    return { error: Open311Error.badRequest(message), unexpected: false };
  }
  return {
    error: Open311Error.badRequest(
      'general service error; the request was not processed, please retry or tell us',
    ),
    unexpected: true,
  };
}

function fieldOf(err: AppError): string | null {
  return typeof err.details.field === 'string' ? err.details.field : null;
}
