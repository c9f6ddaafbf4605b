import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { beijingTime as bj } from '../calendar/working-calendar.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { demoActor } from '../deadlines/sla.fixtures.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';
import { gif, jpeg, phoneJpeg } from '../media/media.fixtures.ts';
import { decodeSnapshot, fileCameraEvent } from './case.camera.ts';

/** The camera channel (SPEC §4.1): video-analytics events with a confidence and a snapshot. */
let env: TestEnv;
let d: CaseDriver;
const URL = '/api/cases/camera-events';

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  env.clock.set(bj('2026-11-02', '10:00'));
  await d.signIn('street_dispatcher', 'district_admin', 'resident');
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
});
afterAll(async () => {
  await env?.close();
});

let eventSeq = 0;
async function event(overrides: Record<string, unknown> = {}) {
  const [lng, lat] = d.centre(XICHANGANJIE);
  return {
    deviceId: 'XC-CAM-0107',
    eventId: `evt-${++eventSeq}`,
    detectedAt: bj('2026-11-02', '09:58').toISOString(),
    categoryCode: '06036',
    confidence: 0.93,
    lng,
    lat,
    snapshot: (await phoneJpeg()).toString('base64'),
    description: '路边堆放杂物',
    ...overrides,
  };
}

function push(payload: unknown, who = 'street_dispatcher', headers: Record<string, string> = {}) {
  return env.app.inject({
    method: 'POST',
    url: URL,
    headers: { ...d.session(who).headers, ...headers },
    payload: payload as object,
  });
}

async function trail(ref: string): Promise<{ action: string; actorRole: string }[]> {
  return (await d.get('district_admin', `/api/cases/${ref}`)).json().events;
}

async function unattachedMedia(): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('owner_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('camera events', () => {
  it('files a confident detection at once, by the auto-rule, with the snapshot stripped and resized', async () => {
    expect(env.ctx.config.camera.minConfidence).toBe(0.8);
    const big = await sharp(await phoneJpeg({ width: 3000, height: 1500 }))
      .jpeg()
      .withExifMerge({ IFD0: { Make: 'VisionBox' } })
      .toBuffer();
    const res = await push(await event({ snapshot: `data:image/jpeg;base64,${big.toString('base64')}` }));
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json();
    expect(filed).toMatchObject({ outcome: 'accepted', confidence: 0.93, minConfidence: 0.8 });

    const c = (await d.get('district_admin', `/api/cases/${filed.caseNumber}`)).json();
    expect(c).toMatchObject({ channel: 'camera', state: 'accepted', categoryKey: 'event:06036' });
    expect(c.handlingDeadline).toBeTruthy();
    expect(c.description).toContain('XC-CAM-0107');
    expect(c.description).toContain('0.93');
    expect(c.events.map((e: { action: string }) => e.action)).toEqual(['report', 'accept']);
    expect(c.events[1]).toMatchObject({
      actorRole: 'system',
      reason: 'auto_rule',
      payload: {
        rule: { name: 'camera_confidence', deviceId: 'XC-CAM-0107', confidence: 0.93, minConfidence: 0.8 },
      },
    });

    const [photo] = c.photos.report as { url: string }[];
    expect(photo).toBeDefined();
    const copy = await env.app.inject({ method: 'GET', url: photo!.url });
    expect(copy.statusCode).toBe(200);
    const meta = await sharp(copy.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeLessThanOrEqual(1280);
    expect(meta.exif).toBeUndefined();
    expect(copy.rawPayload.includes(Buffer.from('VisionBox'))).toBe(false);
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
  });

  it('files a doubtful detection as a report for a dispatcher to confirm, not refusing it', async () => {
    const res = await push(await event({ confidence: 0.55, categoryCode: '06010', description: undefined }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'awaiting_confirmation', confidence: 0.55 });
    const ref = res.json().caseNumber as string;
    const c = (await d.get('district_admin', `/api/cases/${ref}`)).json();
    expect(c).toMatchObject({ state: 'reported', categoryKey: 'event:06010', handlingDeadline: null });
    expect(c.description).toContain('待人工确认');
    // The dispatcher confirms the detected category with one action.
    const accepted = await d.ok('street_dispatcher', ref, 'accept');
    expect(accepted).toMatchObject({ state: 'accepted' });
    expect((await trail(ref)).at(-1)).toMatchObject({ action: 'accept', actorRole: 'street_dispatcher' });
  });

  it('takes the threshold from configuration: at the threshold the auto-rule files', async () => {
    const actor = await demoActor(env.ctx, 'street_dispatcher');
    const channel = { cases: env.ctx.cases, media: env.ctx.media, clock: env.clock, minConfidence: 0.5 };
    const body = { ...(await event({ confidence: 0.5 })), crs: 'wgs84' as const };
    const { result } = await fileCameraEvent(channel, actor, body);
    expect(result.outcome).toBe('accepted');
    expect((await d.view(result.caseNumber)).state).toBe('accepted');

    expect(loadConfig({ HUTONG_CAMERA_MIN_CONFIDENCE: '0.65' }).camera.minConfidence).toBe(0.65);
    expect(() => loadConfig({ HUTONG_CAMERA_MIN_CONFIDENCE: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUTONG_CAMERA_MIN_CONFIDENCE: 'high' })).toThrow(
      /HUTONG_CAMERA_MIN_CONFIDENCE/,
    );
  });

  it('files a retried event once: by device and event id, or by Idempotency-Key', async () => {
    const body = await event();
    const first = await push(body);
    const again = await push(body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().caseNumber).toBe(first.json().caseNumber);
    const filed = await env.ctx.db
      .selectFrom('case_record')
      .select('id')
      .where('external_ref', '=', `XC-CAM-0107:${body.eventId}`)
      .execute();
    expect(filed).toHaveLength(1);
    expect((await trail(first.json().caseNumber)).map((e) => e.action)).toEqual(['report', 'accept']);
    // The same event id with something else in it is a different event under a reused id.
    const changed = await push({ ...body, confidence: 0.4 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const noId = await event({ eventId: undefined });
    const a = await push(noId, 'street_dispatcher', { 'idempotency-key': 'cam-retry-1' });
    const b = await push(noId, 'street_dispatcher', { 'idempotency-key': 'cam-retry-1' });
    expect(b.json().caseNumber).toBe(a.json().caseNumber);
  });

  it('refuses bad input with a code and the field, and keeps no stray snapshot', async () => {
    const before = await unattachedMedia();
    const cases = [
      [{ confidence: 1.2 }, 400, 'VALIDATION_FAILED', 'confidence'],
      [{ confidence: '0.9' }, 400, 'VALIDATION_FAILED', 'confidence'],
      [{ deviceId: '' }, 400, 'VALIDATION_FAILED', 'deviceId'],
      [{ detectedAt: '2026-11-02 09:58' }, 400, 'VALIDATION_FAILED', 'detectedAt'],
      [{ detectedAt: bj('2026-11-02', '11:00').toISOString() }, 400, 'VALIDATION_FAILED', 'detectedAt'],
      [{ categoryCode: 'rubbish' }, 400, 'VALIDATION_FAILED', 'categoryCode'],
      [{ categoryCode: '99999' }, 400, 'VALIDATION_FAILED', 'categoryCode'],
      [{ snapshot: 'this is not an image!' }, 400, 'VALIDATION_FAILED', 'snapshot'],
      [
        { snapshot: Buffer.from('just some text, no picture').toString('base64') },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'snapshot',
      ],
      [{ snapshot: (await gif()).toString('base64') }, 415, 'UNSUPPORTED_MEDIA_TYPE', 'snapshot'],
    ] as const;
    for (const [change, status, code, field] of cases) {
      const res = await push(await event(change));
      expect(res.statusCode, `${JSON.stringify(change).slice(0, 60)}: ${res.body}`).toBe(status);
      const error = res.json().error;
      expect(error.code).toBe(code);
      const named = error.details.fields?.[0]?.field ?? error.details.field;
      expect(named).toBe(field);
    }
    const outside = await push(await event({ lng: 121.47, lat: 31.23 }));
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('OUTSIDE_TERRITORY');
    // Who may push: staff of the place, signed in.
    expect((await push(await event(), 'resident')).json().error.code).toBe('FORBIDDEN');
    expect((await push(await event(), 'shichahai-dispatcher')).json().error.code).toBe('OUT_OF_SCOPE');
    const anonymous = await env.app.inject({ method: 'POST', url: URL, payload: await event() });
    expect(anonymous.statusCode).toBe(401);
    expect(await unattachedMedia()).toBe(before);
  });

  it('reads base64 with or without a data: prefix, and nothing else', async () => {
    const bytes = await jpeg();
    expect(decodeSnapshot(bytes.toString('base64'))).toEqual(bytes);
    expect(decodeSnapshot(`data:image/jpeg;base64,${bytes.toString('base64')}`)).toEqual(bytes);
    expect(decodeSnapshot(bytes.toString('base64url'))).toEqual(bytes);
    expect(decodeSnapshot('')).toBeNull();
    expect(decodeSnapshot('not base64 at all!')).toBeNull();
  });
});
