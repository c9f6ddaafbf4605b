import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ACTION_TYPES } from '../cases/case.state.ts';
import type { StoredEvent } from '../cases/case.trail.ts';
import type { CaseRow } from '../db/schema.ts';
import { WHISTLE_TRAIL_ACTIONS } from '../whistle/whistle.service.ts';

/**
 * What a webhook receiver gets: one case event and the case as it stood right after it. The schemas
 * here are registered by id, so they appear under `components.schemas` of the OpenAPI document.
 */

/** Every action that can appear on a case's trail: the intake's, the case loop's, the sweep's and the whistle's. */
export const CASE_EVENT_ACTIONS = [
  'report',
  ...ACTION_TYPES,
  'sla_yellow',
  'sla_red',
  'sla_green',
  WHISTLE_TRAIL_ACTIONS.minutes,
  WHISTLE_TRAIL_ACTIONS.task,
  WHISTLE_TRAIL_ACTIONS.done,
] as const;
export const WEBHOOK_EVENT_TYPES = CASE_EVENT_ACTIONS.map((a) => `case.${a}` as const);
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const webhookEventTypeSchema = z
  .enum(['*', ...WEBHOOK_EVENT_TYPES] as const)
  .meta({ id: 'WebhookEventType', description: '`case.<action>` of the case trail, or `*` for every one' });

export const webhookCaseSchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    state: z.string(),
    tier: z.number().int().nullable(),
    categoryKey: z.string().nullable(),
    description: z.string(),
    address: z.string().nullable(),
    location: z.object({ lng: z.number(), lat: z.number() }).describe('WGS-84'),
    streetCode: z.string(),
    communityCode: z.string().nullable(),
    gridCode: z.string().nullable(),
    alleyId: z.string().nullable(),
    severity: z.string(),
    assignedOrgId: z.string().nullable(),
    handlingDeadline: z.string().nullable(),
    slaState: z.enum(['green', 'yellow', 'red']),
    public: z.boolean().describe('false: a private category; never show it on a public page'),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({
    id: 'WebhookCase',
    description: "The case right after the event. The reporter's name and contact are never sent.",
  });

export const webhookEventSchema = z
  .object({
    id: z
      .string()
      .describe('`<caseId>:<seq>`: the same for every delivery of this event; use it to drop repeats'),
    type: z.string().describe('`case.<action>`, also sent as the `X-Hutong-Event` header'),
    occurredAt: z.string(),
    districtCode: z.string(),
    case: webhookCaseSchema,
    event: z.object({
      seq: z.number().int(),
      action: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      actorRole: z.string().describe('a role, or `system` for the SLA sweep'),
      reason: z.string().nullable(),
      payload: z.record(z.string(), z.unknown()),
      hash: z.string().describe('the event hash of the tamper-evident trail'),
    }),
  })
  .meta({
    id: 'WebhookEvent',
    description:
      'Body of a webhook delivery: POST, `Content-Type: application/json`, with the headers ' +
      '`X-Hutong-Event` (the type), `X-Hutong-Delivery` (the delivery id, the same on every retry) and ' +
      '`X-Hutong-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the subscription secret>`.',
  });
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export function webhookEventOf(event: StoredEvent, c: CaseRow): WebhookEvent {
  const payload =
    typeof event.payload === 'object' && event.payload !== null && !Array.isArray(event.payload)
      ? (event.payload as Record<string, unknown>)
      : {};
  return {
    id: `${event.caseId}:${event.seq}`,
    type: `case.${event.action}`,
    occurredAt: event.at.toISOString(),
    districtCode: c.district_code,
    case: {
      id: c.id,
      caseNumber: c.case_number,
      state: c.state,
      tier: c.tier,
      categoryKey: c.category_key,
      description: c.description,
      address: c.address,
      location: { lng: c.lng, lat: c.lat },
      streetCode: c.street_code,
      communityCode: c.community_code,
      gridCode: c.grid_code,
      alleyId: c.alley_id,
      severity: c.severity,
      assignedOrgId: c.assigned_org_id,
      handlingDeadline: c.handling_deadline?.toISOString() ?? null,
      slaState: c.sla_state === 'yellow' || c.sla_state === 'red' ? c.sla_state : 'green',
      public: c.public,
      createdAt: c.created_at.toISOString(),
      closedAt: c.closed_at?.toISOString() ?? null,
    },
    event: {
      seq: event.seq,
      action: event.action,
      fromState: event.fromState,
      toState: event.toState,
      actorRole: event.actorRole,
      reason: event.reason,
      payload,
      hash: event.hash,
    },
  };
}

export function signature(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** How a receiver checks a delivery (and how the tests do): constant-time, over the raw body. */
export function verifySignature(rawBody: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signature(rawBody, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
