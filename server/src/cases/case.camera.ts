import { type Actor, authorise } from '../accounts/authorisation.ts';
import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';
import type { MediaService } from '../media/media.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { CameraEventBody } from './case.schema.ts';
import type { CaseService, IntakeResult } from './case.service.ts';

/**
 * The camera channel (SPEC §4.1): a vision system pushes what it detected, with a confidence and the
 * frame. At or above the configured confidence the auto-rule files the case at once (SPEC §4.2 lets
 * "the dispatcher, or an auto-rule" accept); below it the event becomes an ordinary report that a
 * dispatcher confirms, files under another category, merges or rejects.
 *
 * A doubtful detection is filed rather than refused: the system must never lose a report (SPEC §10),
 * a pile of rubbish seen with 0.6 confidence is still most likely there, and a refusal would only make
 * the vision system drop it or retry forever. The dispatcher's queue is where doubt is settled.
 */

export interface CameraChannel {
  cases: CaseService;
  media: MediaService;
  clock: Clock;
  minConfidence: number;
}

export type CameraOutcome = 'accepted' | 'awaiting_confirmation';

export interface CameraFiled extends IntakeResult {
  outcome: CameraOutcome;
  confidence: number;
  minConfidence: number;
}

/** A camera's clock may run a little ahead of ours; an event further in the future is a bad clock. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The bytes of a base64 snapshot, with or without a `data:` prefix; null when it is not base64. */
export function decodeSnapshot(text: string): Buffer | null {
  const body = text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
  const compact = body.replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  return bytes.length > 0 ? bytes : null;
}

function beijingMinute(d: Date): string {
  return new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** What a dispatcher reads in the queue: who saw what, when, and how sure it was. */
function describe(ev: CameraEventBody, detectedAt: Date, auto: boolean, minConfidence: number): string {
  const seen = `视频识别（设备 ${ev.deviceId}，${beijingMinute(detectedAt)}）：${ev.description || ev.categoryCode}`;
  const sure = `识别置信度 ${ev.confidence.toFixed(2)}`;
  return auto
    ? `${seen}。${sure}，自动立案。`
    : `${seen}。${sure}，低于自动立案阈值 ${minConfidence.toFixed(2)}，待人工确认。`;
}

/**
 * Files one camera event. The snapshot goes through the photo pipeline (checked by content, resized,
 * metadata stripped) and becomes the case's report photo. Retries are recognised by the
 * Idempotency-Key header, or else by device and event id.
 */
export async function fileCameraEvent(
  channel: CameraChannel,
  actor: Actor,
  ev: CameraEventBody,
  idempotencyKey?: string,
): Promise<{ result: CameraFiled; replayed: boolean }> {
  // The role is checked before any image is decoded; the place is checked by the intake.
  authorise(actor, 'case.create');
  const detectedAt = new Date(ev.detectedAt);
  if (detectedAt.getTime() > channel.clock.now().getTime() + CLOCK_SKEW_MS) {
    throw AppError.validation([
      { field: 'detectedAt', message: 'lies in the future: check the camera clock' },
    ]);
  }
  const bytes = decodeSnapshot(ev.snapshot);
  if (!bytes) throw AppError.validation([{ field: 'snapshot', message: 'not base64' }]);
  const auto = ev.confidence >= channel.minConfidence;
  const [photo] = await channel.media.ingest([{ bytes, field: 'snapshot', filename: `${ev.deviceId}.jpg` }], {
    role: 'report',
    uploadedBy: actor.userId,
  });
  const key = idempotencyKey ?? (ev.eventId ? `camera:${ev.deviceId}:${ev.eventId}` : undefined);
  try {
    const { snapshot: _frame, ...event } = ev;
    const { result, replayed } = await channel.cases.staffIntake(
      actor,
      {
        channel: 'camera',
        description: describe(ev, detectedAt, auto, channel.minConfidence),
        lng: ev.lng,
        lat: ev.lat,
        crs: ev.crs,
        categoryKey: ev.categoryCode,
        address: ev.address ?? null,
        externalRef: ev.eventId ? `${ev.deviceId}:${ev.eventId}`.slice(0, 100) : null,
        photoIds: photo ? [photo.id] : [],
      },
      key,
      // The frame's content, not its upload id, makes two pushes the same event.
      { event, snapshotSha256: photo?.sha256 ?? null },
    );
    if (replayed) await channel.media.discard(photo ? [photo.id] : []);
    else if (auto) {
      await channel.cases.autoAccept(result.id, ev.categoryCode, {
        name: 'camera_confidence',
        deviceId: ev.deviceId,
        confidence: ev.confidence,
        minConfidence: channel.minConfidence,
      });
    }
    return {
      result: {
        ...result,
        outcome: auto ? 'accepted' : 'awaiting_confirmation',
        confidence: ev.confidence,
        minConfidence: channel.minConfidence,
      },
      replayed,
    };
  } catch (err) {
    await channel.media.discard(photo ? [photo.id] : []);
    throw err;
  }
}
