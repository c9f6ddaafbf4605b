import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { IncomingFile } from './media.service.ts';

export interface MultipartLimits {
  maxFiles: number;
  /** Per file. */
  maxBytes: number;
  /** The form field that carries the files; any other file field is refused. */
  fileField?: string;
  maxFields?: number;
  /** Per text field. */
  maxFieldBytes?: number;
}

export interface MultipartUpload {
  /** In the order sent, each named `<fileField>[i]` so errors point at the file. */
  files: IncomingFile[];
  /** The text fields; a name sent twice is refused rather than silently dropping one value. */
  fields: Record<string, string>;
}

/**
 * Collects the files and text fields of a `multipart/form-data` request (the resident's report form,
 * a handler's feedback), with limits enforced while reading so an oversized upload is cut off early.
 * Every refusal is an AppError naming the field: TOO_MANY_FILES, PAYLOAD_TOO_LARGE,
 * UNSUPPORTED_MEDIA_TYPE (not multipart at all) or VALIDATION_FAILED.
 *
 * Whether the files are images is not decided here; `MediaService.ingest` sniffs their bytes.
 */
export async function readMultipartFiles(
  request: FastifyRequest,
  limits: MultipartLimits,
): Promise<MultipartUpload> {
  const fileField = limits.fileField ?? 'photos';
  const maxFieldBytes = limits.maxFieldBytes ?? 64 * 1024;
  if (typeof request.isMultipart !== 'function' || !request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as multipart/form-data', {
      field: 'body',
      detected: request.headers['content-type'] ?? null,
    });
  }
  const files: IncomingFile[] = [];
  const fields: Record<string, string> = Object.create(null);
  let current = fileField;
  try {
    const parts = request.parts({
      limits: {
        files: limits.maxFiles,
        fileSize: limits.maxBytes,
        fields: limits.maxFields ?? 50,
        fieldSize: maxFieldBytes,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) {
          part.file.resume();
          throw AppError.validation(
            [{ field: part.fieldname, message: `files are accepted only in "${fileField}"` }],
            `Unexpected file in field ${part.fieldname}`,
          );
        }
        current = `${fileField}[${files.length}]`;
        const bytes = await part.toBuffer();
        // A file input left empty is sent as a part with an empty file name and no bytes.
        if (bytes.length === 0 && !part.filename) continue;
        if (files.length >= limits.maxFiles) throw tooManyFiles(fileField, limits.maxFiles);
        files.push({ bytes, filename: part.filename || undefined, field: current });
      } else {
        current = part.fieldname;
        if (part.fieldname === fileField) {
          if (String(part.value) === '') continue;
          throw AppError.validation([{ field: fileField, message: 'must be sent as files' }]);
        }
        if (part.valueTruncated) {
          throw new AppError('PAYLOAD_TOO_LARGE', `Field ${part.fieldname} is longer than allowed`, {
            field: part.fieldname,
            maxBytes: maxFieldBytes,
          });
        }
        if (part.fieldname in fields) {
          throw AppError.validation([{ field: part.fieldname, message: 'sent more than once' }]);
        }
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    throw translate(err, current, fileField, limits);
  }
  return { files, fields: { ...fields } };
}

function tooManyFiles(field: string, max: number): AppError {
  return new AppError('TOO_MANY_FILES', `At most ${max} photos may be sent at once`, { field, max });
}

/** @fastify/multipart and busboy errors carry a code; each becomes the AppError a client can act on. */
function translate(err: unknown, current: string, fileField: string, limits: MultipartLimits): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_FILES_LIMIT':
      return tooManyFiles(fileField, limits.maxFiles);
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(
        'PAYLOAD_TOO_LARGE',
        `${current} is larger than ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`,
        { field: current, maxBytes: limits.maxBytes },
      );
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', 'The form has too many fields', { field: 'body' });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as multipart/form-data', {
        field: 'body',
        detected: null,
      });
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return AppError.validation([{ field: current, message: 'not allowed' }]);
    default:
      // Busboy reports a malformed or cut-off body with plain errors and no code.
      if (err instanceof Error && !(err as { statusCode?: number }).statusCode) {
        return AppError.validation(
          [{ field: current, message: 'the multipart body is malformed or incomplete' }],
          'The form could not be read',
        );
      }
      return err;
  }
}
