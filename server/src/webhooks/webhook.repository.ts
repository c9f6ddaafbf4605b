import { type Kysely, sql } from 'kysely';
import type { Database, WebhookDeliveryStatus } from '../db/schema.ts';

export interface NewSubscription {
  id: string;
  districtCode: string;
  url: string;
  secret: string;
  eventTypes: string[];
  description: string | null;
  createdBy: string | null;
  now: Date;
}

export interface NewDelivery {
  id: string;
  districtCode: string;
  subscriptionId: string;
  eventType: string;
  caseId: string | null;
  eventSeq: number | null;
  payload: unknown;
  createdAt: Date;
}

export function webhookRepository(db: Kysely<Database>) {
  return {
    async insertSubscription(s: NewSubscription): Promise<void> {
      await db
        .insertInto('webhook_subscription')
        .values({
          id: s.id,
          district_code: s.districtCode,
          url: s.url,
          secret: s.secret,
          event_types: s.eventTypes,
          description: s.description,
          created_by: s.createdBy,
          created_at: s.now,
          updated_at: s.now,
        })
        .execute();
    },

    findSubscription(id: string) {
      return db.selectFrom('webhook_subscription').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Active and inactive alike, newest first; null district means every district. */
    listSubscriptions(districtCode: string | null) {
      let q = db.selectFrom('webhook_subscription').selectAll();
      if (districtCode !== null) q = q.where('district_code', '=', districtCode);
      return q.orderBy('created_at', 'desc').orderBy('id').execute();
    },

    /** Delivery counts per subscription and status, for the list. */
    async deliveryCounts(
      ids: readonly string[],
    ): Promise<Map<string, Record<WebhookDeliveryStatus, number>>> {
      const out = new Map<string, Record<WebhookDeliveryStatus, number>>();
      for (const id of ids) out.set(id, { pending: 0, delivered: 0, failed: 0, cancelled: 0 });
      if (ids.length === 0) return out;
      const rows = await db
        .selectFrom('webhook_delivery')
        .select(['subscription_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('subscription_id', 'in', [...ids])
        .groupBy(['subscription_id', 'status'])
        .execute();
      for (const r of rows) {
        const counts = out.get(r.subscription_id);
        if (counts) counts[r.status] = Number(r.n);
      }
      return out;
    },

    /** Turns a subscription off and cancels what it still had to deliver; the history stays. */
    async deactivate(id: string, now: Date): Promise<void> {
      await db
        .updateTable('webhook_subscription')
        .set({ active: false, updated_at: now })
        .where('id', '=', id)
        .execute();
      await db
        .updateTable('webhook_delivery')
        .set({ status: 'cancelled', next_attempt_at: null })
        .where('subscription_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },

    /** Every event type the district's active subscriptions listen to ('*' for all). */
    async activeEventTypes(districtCode: string): Promise<string[]> {
      const rows = await db
        .selectFrom('webhook_subscription')
        .select('event_types')
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .execute();
      return rows.flatMap((r) => r.event_types);
    },

    /** Active subscriptions of the district that listen to this event type. */
    matching(districtCode: string, eventType: string) {
      return db
        .selectFrom('webhook_subscription')
        .select(['id', 'district_code'])
        .where('district_code', '=', districtCode)
        .where('active', '=', true)
        .where(sql<boolean>`(${eventType} = any(event_types) or '*' = any(event_types))`)
        .orderBy('id')
        .execute();
    },

    async insertDeliveries(rows: readonly NewDelivery[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('webhook_delivery')
        .values(
          rows.map((d) => ({
            id: d.id,
            district_code: d.districtCode,
            subscription_id: d.subscriptionId,
            event_type: d.eventType,
            case_id: d.caseId,
            event_seq: d.eventSeq,
            payload: JSON.stringify(d.payload),
            next_attempt_at: d.createdAt,
            created_at: d.createdAt,
          })),
        )
        .execute();
    },

    findDelivery(id: string) {
      return db
        .selectFrom('webhook_delivery as d')
        .innerJoin('webhook_subscription as s', 's.id', 'd.subscription_id')
        .select([
          'd.id',
          'd.status',
          'd.event_type',
          'd.payload',
          'd.attempts',
          's.url',
          's.secret',
          's.active',
        ])
        .where('d.id', '=', id)
        .executeTakeFirst();
    },

    listDeliveries(subscriptionId: string, limit: number) {
      return db
        .selectFrom('webhook_delivery')
        .selectAll()
        .where('subscription_id', '=', subscriptionId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** Records one attempt; only a pending delivery moves, so a late twin cannot undo an outcome. */
    async recordAttempt(
      id: string,
      a: {
        attempts: number;
        status: WebhookDeliveryStatus;
        statusCode: number | null;
        error: string | null;
        nextAttemptAt: Date | null;
        deliveredAt: Date | null;
      },
    ): Promise<void> {
      await db
        .updateTable('webhook_delivery')
        .set({
          attempts: a.attempts,
          status: a.status,
          last_status_code: a.statusCode,
          last_error: a.error,
          next_attempt_at: a.nextAttemptAt,
          delivered_at: a.deliveredAt,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}
