import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { type Actor, authorise, type Resource } from '../accounts/authorisation.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type GpsHint, parseExifGps } from './media.exif.ts';
import { mediaRepository, type NewMediaRow } from './media.repository.ts';
import { type MediaOwner, type MediaRecord, type MediaRole, publicMediaView } from './media.schema.ts';
import { type SniffedImage, sniffImage } from './media.sniff.ts';
import type { MediaStorage } from './media.storage.ts';

/**
 * Photos in, three stripped copies out.
 *
 * Every stored copy — the private original included — is re-encoded from decoded pixels, so no EXIF,
 * XMP, IPTC, maker note or embedded thumbnail survives anywhere on disk. The one fact worth keeping
 * from the metadata, the GPS position, is read first and kept in the database, where access goes
 * through the same authorisation as the case. An original with its EXIF intact would be one stray
 * link, backup or storage migration away from publishing a resident's home position and phone model
 * (SPEC §4.10); the dispatcher loses nothing by seeing a 2048 px re-encode instead.
 *
 * JPEG is the one output format: every browser, the 12345 hotline's systems, spreadsheets and old
 * in-app web views read it, and `content_type` is stored per row should that ever change.
 */

export interface MediaLimits {
  /** Photos per submission (SPEC: a report carries up to 9). */
  maxFiles: number;
  /** Bytes per uploaded file. */
  maxBytes: number;
  /** Pixels per image, checked from the header before decoding: a small file can unpack into gigabytes. */
  maxPixels: number;
}

export interface MediaSizes {
  original: number;
  public: number;
  thumb: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxFiles: 9,
  maxBytes: 15 * 1024 * 1024,
  // Well above a 50 MP phone sensor, well below what would exhaust a small server's memory.
  maxPixels: 100_000_000,
};

export const DEFAULT_MEDIA_SIZES: MediaSizes = { original: 2048, public: 1280, thumb: 320 };

export interface MediaServiceOptions extends Partial<MediaLimits> {
  sizes?: Partial<MediaSizes>;
}

export interface IncomingFile {
  bytes: Buffer;
  /** As the client named it; informational only, never used to decide the type. */
  filename?: string;
  /** The form field, e.g. `photos[2]`, so errors can point at the file that caused them. */
  field: string;
}

export interface IngestOptions {
  role: MediaRole;
  uploadedBy: string | null;
  /** When known at upload; otherwise set by `attachMedia`. */
  districtCode?: string | null;
}

/** Tells the media module which territory (and organisation) an owner lies in, for staff access. */
export type OwnerScopeResolver = (ownerId: string) => Promise<Resource | null>;

export type CopyVariant = 'public' | 'thumb';

export interface ServedMedia {
  record: MediaRecord;
  bytes: Buffer;
  contentType: string;
}

const OUTPUT_CONTENT_TYPE = 'image/jpeg';
const OUTPUT_EXTENSION = 'jpg';
const QUALITY = { original: 88, public: 80, thumb: 72 } as const;

export class MediaService {
  readonly limits: MediaLimits;
  readonly sizes: MediaSizes;
  private readonly ownerScopes = new Map<string, OwnerScopeResolver>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly storage: MediaStorage,
    private readonly clock: Clock,
    options: MediaServiceOptions = {},
  ) {
    const { sizes, ...limits } = options;
    this.limits = { ...DEFAULT_MEDIA_LIMITS, ...definedOnly(limits) };
    this.sizes = { ...DEFAULT_MEDIA_SIZES, ...definedOnly(sizes ?? {}) };
  }

  private get repo() {
    return mediaRepository(this.db);
  }

  /**
   * Checks, processes and stores a submission's photos. All or nothing: every file is checked and
   * decoded before anything is written, and a failure while writing removes what was written. The
   * same photo sent twice in one submission is stored once.
   */
  async ingest(files: readonly IncomingFile[], opts: IngestOptions): Promise<MediaRecord[]> {
    if (files.length === 0) return [];
    if (files.length > this.limits.maxFiles) {
      throw new AppError('TOO_MANY_FILES', `At most ${this.limits.maxFiles} photos may be sent at once`, {
        field: baseField(files[0]!.field),
        max: this.limits.maxFiles,
        count: files.length,
      });
    }
    const districtCode = opts.districtCode ?? null;
    if (districtCode !== null && !/^\d{6}$/.test(districtCode)) {
      throw AppError.validation([{ field: 'districtCode', message: 'must be 6 digits' }]);
    }

    const checked: { file: IncomingFile; sniffed: SniffedImage; sha256: string }[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      if (file.bytes.length > this.limits.maxBytes) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `${file.field} is larger than ${Math.floor(this.limits.maxBytes / 1024 / 1024)} MB`,
          { field: file.field, maxBytes: this.limits.maxBytes, bytes: file.bytes.length },
        );
      }
      const sniffed = sniffImage(file.bytes, file.field);
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      if (seen.has(sha256)) continue;
      seen.add(sha256);
      checked.push({ file, sniffed, sha256 });
    }

    // One at a time: nine decoded 12 MP photos at once would hold about 300 MB.
    const processed: ProcessedImage[] = [];
    for (const c of checked) {
      processed.push(await processImage(c.file, c.sniffed, this.limits, this.sizes));
    }

    const now = this.clock.now();
    const folder = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const rows: NewMediaRow[] = [];
    const writes: { key: string; bytes: Buffer }[] = [];
    checked.forEach((c, i) => {
      const p = processed[i]!;
      const stem = `${folder}/${randomUUID()}`;
      const keys = {
        original: `${stem}-original.${OUTPUT_EXTENSION}`,
        public: `${stem}-public.${OUTPUT_EXTENSION}`,
        thumb: `${stem}-thumb.${OUTPUT_EXTENSION}`,
      };
      writes.push(
        { key: keys.original, bytes: p.original },
        { key: keys.public, bytes: p.public },
        { key: keys.thumb, bytes: p.thumb },
      );
      rows.push({
        id: newId('med'),
        district_code: districtCode,
        owner_kind: null,
        owner_id: null,
        role: opts.role,
        original_key: keys.original,
        public_key: keys.public,
        thumb_key: keys.thumb,
        content_type: OUTPUT_CONTENT_TYPE,
        width: p.width,
        height: p.height,
        bytes: c.file.bytes.length,
        sha256: c.sha256,
        gps_lng: p.gps?.lng ?? null,
        gps_lat: p.gps?.lat ?? null,
        gps_taken_at: p.gps?.takenAt ?? null,
        uploaded_by: opts.uploadedBy,
        created_at: now,
      });
    });

    const written: string[] = [];
    try {
      for (const w of writes) {
        await this.storage.put(w.key, w.bytes, OUTPUT_CONTENT_TYPE);
        written.push(w.key);
      }
      await this.repo.insertMany(rows);
    } catch (err) {
      await Promise.allSettled(written.map((key) => this.storage.delete(key)));
      throw err;
    }
    const stored = new Map((await this.repo.findByIds(rows.map((r) => r.id))).map((r) => [r.id, r]));
    return rows.map((r) => stored.get(r.id)!);
  }

  async get(id: string): Promise<MediaRecord> {
    const record = await this.repo.findById(id);
    if (!record) throw AppError.notFound('Media', id);
    return record;
  }

  listByOwner(owner: MediaOwner): Promise<MediaRecord[]> {
    return this.repo.listByOwner(owner);
  }

  /** Earlier uploads of the very same file, for duplicate detection. */
  findSameFile(sha256: string): Promise<MediaRecord[]> {
    return this.repo.findBySha256(sha256);
  }

  publicUrl(record: Pick<MediaRecord, 'id'>): string {
    return `/api/media/${record.id}/public`;
  }

  thumbUrl(record: Pick<MediaRecord, 'id'>): string {
    return `/api/media/${record.id}/thumb`;
  }

  publicView(record: MediaRecord) {
    return publicMediaView(record);
  }

  /** The public copy or thumbnail: stripped of all metadata, so anyone may have it. */
  async readCopy(id: string, variant: CopyVariant): Promise<ServedMedia> {
    const record = await this.get(id);
    return this.read(record, variant === 'public' ? record.publicKey : record.thumbKey);
  }

  /**
   * The stored original, for staff whose jurisdiction holds the photo's owner. Until an owner is
   * attached (or when no resolver is registered for its kind) the photo's district is the only
   * territory known, which admits district-wide roles and no narrower one.
   */
  async readOriginal(actor: Actor | null, id: string): Promise<ServedMedia> {
    // The role comes first, so that callers who may never read originals learn nothing about ids.
    authorise(actor, 'media.read_original');
    const record = await this.get(id);
    authorise(actor, 'media.read_original', await this.resourceOf(record));
    return this.read(record, record.originalKey);
  }

  /**
   * Lets the module that owns a kind of record (the case service for 'case') say where an owner lies
   * and which organisation it is assigned to, so originals follow that record's access rules.
   */
  registerOwnerScope(kind: string, resolver: OwnerScopeResolver): void {
    this.ownerScopes.set(kind, resolver);
  }

  /**
   * Removes uploads that no owner has claimed, e.g. when the request that uploaded them failed after
   * `ingest`. Attached photos are part of a record's history and are never removed here.
   */
  async discard(ids: readonly string[]): Promise<number> {
    const removed = await this.repo.deleteUnattached(ids);
    await this.deleteBytes(removed);
    return removed.length;
  }

  /** For a periodic job: uploads older than `olderThanMs` that never became part of a record. */
  async sweepUnattached(olderThanMs = 24 * 3600 * 1000, batch = 500): Promise<number> {
    const before = new Date(this.clock.now().getTime() - olderThanMs);
    let total = 0;
    for (;;) {
      const ids = await this.repo.listUnattachedBefore(before, batch);
      if (ids.length === 0) return total;
      total += await this.discard(ids);
      if (ids.length < batch) return total;
    }
  }

  /**
   * The scheduled clean-up after crashes: uploads no record claimed within a day, and temporary files
   * of writes that never finished (older than an hour, so a write in progress is never touched).
   */
  async sweep(): Promise<{ uploads: number; temporaryFiles: number }> {
    const uploads = await this.sweepUnattached();
    const temporaryFiles = (await this.storage.sweepTemporary?.(3_600_000, this.clock.now())) ?? 0;
    return { uploads, temporaryFiles };
  }

  private async deleteBytes(records: readonly MediaRecord[]): Promise<void> {
    // The rows are gone; a file left behind by a failed delete is unreachable, not exposed.
    await Promise.allSettled(
      records.flatMap((r) => [r.originalKey, r.publicKey, r.thumbKey].map((k) => this.storage.delete(k))),
    );
  }

  private async resourceOf(record: MediaRecord): Promise<Resource> {
    const resolver = record.owner ? this.ownerScopes.get(record.owner.kind) : undefined;
    const resolved = resolver && record.owner ? await resolver(record.owner.id) : null;
    return resolved ?? { territoryCodes: record.districtCode ? [record.districtCode] : [] };
  }

  private async read(record: MediaRecord, key: string): Promise<ServedMedia> {
    const stored = await this.storage.get(key);
    if (!stored) throw AppError.notFound('Media', record.id);
    return { record, bytes: stored.bytes, contentType: stored.contentType };
  }
}

export interface ProcessedImage {
  /** Of the stored original, after orientation. */
  width: number;
  height: number;
  gps: GpsHint | null;
  original: Buffer;
  public: Buffer;
  thumb: Buffer;
}

/**
 * Decodes one accepted upload, reads its GPS hint, and writes the three stripped JPEG copies. The
 * image is decoded once, oriented, flattened onto white (a transparent PNG would turn black as JPEG)
 * and brought to sRGB; the copies are encoded from those raw pixels, which carry no metadata at all.
 */
export async function processImage(
  file: IncomingFile,
  sniffed: SniffedImage,
  limits: Pick<MediaLimits, 'maxPixels'>,
  sizes: MediaSizes = DEFAULT_MEDIA_SIZES,
): Promise<ProcessedImage> {
  const corrupt = () =>
    new AppError('UNSUPPORTED_MEDIA_TYPE', `${file.field} could not be read as a ${sniffed.format} image`, {
      field: file.field,
      detected: `${sniffed.format}-corrupt`,
    });

  let metadata: Metadata;
  try {
    metadata = await sharp(file.bytes, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw corrupt();
  }
  if (metadata.format !== sniffed.format) throw corrupt();
  const pixels = metadata.width * metadata.height;
  if (pixels > limits.maxPixels) {
    throw new AppError('PAYLOAD_TOO_LARGE', `${file.field} has more pixels than allowed`, {
      field: file.field,
      maxPixels: limits.maxPixels,
      pixels,
    });
  }
  const gps = metadata.exif ? parseExifGps(metadata.exif) : null;

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(file.bytes, { failOn: 'error', limitInputPixels: limits.maxPixels })
      .autoOrient()
      .resize({ width: sizes.original, height: sizes.original, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw corrupt();
  }
  const { data, info } = decoded;
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const encode = (max: number, quality: number, progressive: boolean) =>
    sharp(data, raw)
      .resize({ width: max, height: max, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality, progressive, chromaSubsampling: '4:2:0' })
      .toBuffer();
  const [original, publicCopy, thumb] = await Promise.all([
    encode(sizes.original, QUALITY.original, false),
    encode(sizes.public, QUALITY.public, true),
    encode(sizes.thumb, QUALITY.thumb, false),
  ]);
  return { width: info.width, height: info.height, gps, original, public: publicCopy, thumb };
}

function baseField(field: string): string {
  return field.replace(/\[\d+\]$/, '');
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
