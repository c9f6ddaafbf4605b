import type { Kysely } from 'kysely';
import { type Actor, authorise, listScope } from '../accounts/authorisation.ts';
import type { CaseEventSubscriber } from '../cases/case.apply.ts';
import type { StoredEvent } from '../cases/case.trail.ts';
import type { CaseRow, Database, WebhookDeliveryRow, WebhookSubscriptionRow } from '../db/schema.ts';
import type { JobContext } from '../jobs/job.kinds.ts';
import { enqueueJobs } from '../jobs/job.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId, newSecret } from '../shared/ids.ts';
import { signature, webhookEventOf } from './webhook.payload.ts';
import { webhookRepository } from './webhook.repository.ts';
import { assertTargetAllowed, postToTarget, type Resolve } from './webhook.target.ts';

/**
 * The webhook outbox (SPEC §9). A case event and its deliveries commit in one transaction: a receiver
 * never hears of an event that was rolled back, and no committed event is lost if the process stops
 * before posting. Each delivery is then posted by its own job, retried with back-off, and given up
 * (`failed`) after the configured number of attempts.
 */
export async function enqueueWebhooks(
  db: Kysely<Database>,
  event: StoredEvent,
  c: CaseRow,
  options: { maxAttempts: number },
): Promise<number> {
  const type = `case.${event.action}`;
  const repo = webhookRepository(db);
  const subscriptions = await repo.matching(c.district_code, type);
  if (subscriptions.length === 0) return 0;
  const body = webhookEventOf(event, c);
  const deliveries = subscriptions.map((s) => ({
    id: newId('whd'),
    districtCode: c.district_code,
    subscriptionId: s.id,
    eventType: type,
    caseId: c.id,
    eventSeq: event.seq,
    payload: body,
    createdAt: event.at,
  }));
  await repo.insertDeliveries(deliveries);
  await enqueueJobs(
    db,
    deliveries.map((d) => ({
      id: `webhook:${d.id}`,
      kind: 'webhook.deliver' as const,
      payload: { deliveryId: d.id },
      districtCode: d.districtCode,
      runAt: event.at,
      maxAttempts: options.maxAttempts,
    })),
    event.at,
  );
  return deliveries.length;
}

/**
 * The webhook outbox as a case-event subscriber: every action may be subscribed to, and intake asks
 * `interest` whether the district's subscriptions listen for reports at all.
 */
export function webhookSubscriber(
  interest: WebhookInterest,
  options: { maxAttempts: number },
): CaseEventSubscriber {
  return {
    name: 'webhooks',
    actions: 'all',
    wants: (districtCode, action) => interest.wants(districtCode, action),
    onEvent: async (trx, event, _before, after) => {
      await enqueueWebhooks(trx, event, after, options);
    },
  };
}

/**
 * Whether any active subscription of a district listens to an action's events. Intake asks this on
 * every report to skip the transaction the hook needs when nobody listens, so the answer is cached per
 * district: this process's own subscription changes drop the cache at once (`invalidate`), another
 * process's are seen within `ttlMs`, as the locator sees territory changes.
 */
export class WebhookInterest {
  private readonly cache = new Map<string, { eventTypes: ReadonlySet<string>; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async wants(districtCode: string, action: string): Promise<boolean> {
    let entry = this.cache.get(districtCode);
    if (!entry || entry.until <= this.now()) {
      const eventTypes = new Set(await webhookRepository(this.db).activeEventTypes(districtCode));
      entry = { eventTypes, until: this.now() + this.ttlMs };
      this.cache.set(districtCode, entry);
    }
    return entry.eventTypes.has('*') || entry.eventTypes.has(`case.${action}`);
  }

  invalidate(): void {
    this.cache.clear();
  }
}

export interface SubscriptionView {
  id: string;
  districtCode: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  deliveries: { pending: number; delivered: number; failed: number; cancelled: number };
}

export interface CreateSubscriptionInput {
  url: string;
  eventTypes: string[];
  districtCode?: string;
  secret?: string;
  description?: string;
}

export interface WebhookOptions {
  /** A receiver that has not answered by then counts as failed for this attempt. */
  timeoutMs: number;
  /** Looks a district up, to refuse subscriptions for one that does not exist. */
  areaName: (code: string) => Promise<string | null>;
  /** Told of every subscription change, so that intake's cached answer follows it. */
  interest?: WebhookInterest;
  /** Post to loopback and private addresses too (HUTONG_WEBHOOK_ALLOW_PRIVATE); off by default. */
  allowPrivate: boolean;
  /** How a target's host name is resolved at subscription (the system resolver unless a test says). */
  resolve?: Resolve;
}

const USER_AGENT = 'Hutong-Webhooks/0.1';

function view(s: WebhookSubscriptionRow, counts?: SubscriptionView['deliveries']): SubscriptionView {
  return {
    id: s.id,
    districtCode: s.district_code,
    url: s.url,
    eventTypes: s.event_types,
    description: s.description,
    active: s.active,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
    deliveries: counts ?? { pending: 0, delivered: 0, failed: 0, cancelled: 0 },
  };
}

function deliveryView(d: WebhookDeliveryRow) {
  return {
    id: d.id,
    eventType: d.event_type,
    caseId: d.case_id,
    eventSeq: d.event_seq,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    deliveredAt: d.delivered_at?.toISOString() ?? null,
  };
}

export class WebhookService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly options: WebhookOptions,
  ) {}

  private get repo() {
    return webhookRepository(this.db);
  }

  private get targetPolicy() {
    return { allowPrivate: this.options.allowPrivate, resolve: this.options.resolve };
  }

  async list(actor: Actor): Promise<SubscriptionView[]> {
    // A subscription belongs to a whole district, so only a district-wide (or global) scope sees it.
    const scope = listScope(actor, 'webhook.read');
    const rows = await this.repo.listSubscriptions(scope);
    const counts = await this.repo.deliveryCounts(rows.map((r) => r.id));
    return rows.map((r) => view(r, counts.get(r.id)));
  }

  /** Creates a subscription; the secret is returned this once and never shown again. */
  async create(actor: Actor, input: CreateSubscriptionInput): Promise<SubscriptionView & { secret: string }> {
    // The role first: a street's staff are refused as such, not asked which district they meant.
    authorise(actor, 'webhook.write');
    const districtCode = input.districtCode ?? (actor.scopeCode?.length === 6 ? actor.scopeCode : null);
    if (!districtCode) {
      throw AppError.validation([
        { field: 'districtCode', message: 'name the district the subscription is for' },
      ]);
    }
    authorise(actor, 'webhook.write', { territoryCodes: [districtCode] });
    if (!(await this.options.areaName(districtCode))) {
      throw AppError.validation([{ field: 'districtCode', message: `no district ${districtCode}` }]);
    }
    await assertTargetAllowed(input.url, this.targetPolicy);
    const now = this.clock.now();
    const secret = input.secret ?? newSecret();
    const id = newId('whk');
    await this.repo.insertSubscription({
      id,
      districtCode,
      url: input.url,
      secret,
      eventTypes: [...new Set(input.eventTypes)].sort(),
      description: input.description ?? null,
      createdBy: actor.userId,
      now,
    });
    this.options.interest?.invalidate();
    return { ...view((await this.repo.findSubscription(id))!), secret };
  }

  private async owned(actor: Actor, id: string, action: 'webhook.read' | 'webhook.write') {
    const s = await this.repo.findSubscription(id);
    if (!s) throw AppError.notFound('webhook subscription', id);
    authorise(actor, action, { territoryCodes: [s.district_code] });
    return s;
  }

  /** Deactivates rather than deletes, so the delivery history stays readable. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.owned(actor, id, 'webhook.write');
    await this.repo.deactivate(id, this.clock.now());
    this.options.interest?.invalidate();
  }

  async deliveries(actor: Actor, id: string, limit: number) {
    await this.owned(actor, id, 'webhook.read');
    return (await this.repo.listDeliveries(id, limit)).map(deliveryView);
  }

  /**
   * One attempt at one delivery (the `webhook.deliver` job). Records the outcome on the delivery, then
   * throws on failure so that the job runner schedules the next attempt, or gives up after the last.
   */
  async deliver(deliveryId: string, job: Pick<JobContext, 'attempt' | 'retryAt'>): Promise<void> {
    const d = await this.repo.findDelivery(deliveryId);
    if (d?.status !== 'pending') return;
    if (!d.active) {
      await this.repo.recordAttempt(deliveryId, {
        attempts: d.attempts,
        status: 'cancelled',
        statusCode: null,
        error: 'the subscription was deactivated',
        nextAttemptAt: null,
        deliveredAt: null,
      });
      return;
    }
    // The signature covers these exact bytes, which are the bytes sent.
    const body = JSON.stringify(d.payload);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      // The target is checked again as it is connected to: a name may resolve elsewhere since.
      statusCode = await postToTarget(
        d.url,
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-hutong-event': d.event_type,
          'x-hutong-delivery': deliveryId,
          'x-hutong-signature': signature(body, d.secret),
        },
        body,
        { timeoutMs: this.options.timeoutMs, policy: { allowPrivate: this.options.allowPrivate } },
      );
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (err) {
      error =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs / 1000} s`
          : err instanceof Error
            ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`
            : String(err);
    }
    const now = this.clock.now();
    await this.repo.recordAttempt(deliveryId, {
      attempts: job.attempt,
      status: error === null ? 'delivered' : job.retryAt ? 'pending' : 'failed',
      statusCode,
      error,
      nextAttemptAt: error === null ? null : job.retryAt,
      deliveredAt: error === null ? now : null,
    });
    if (error !== null) throw new Error(`webhook delivery ${deliveryId}: ${error}`);
  }
}
