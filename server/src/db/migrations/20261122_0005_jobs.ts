import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Background work and what it produces: the job queue, the in-app inbox and the webhook outbox.
//
// job: a queue claimed with FOR UPDATE SKIP LOCKED, so any number of server processes can run it. A
// caller that can name a job deterministically (the minute's SLA sweep, a case's check in that sweep)
// gives the id, and a second process inserting the same run collides on the primary key and does
// nothing. `locked_until` is a lease: a job whose process died is claimed again once it lapses, and
// `attempts` doubles as the fencing token, so a late finisher cannot mark a re-claimed run done.
//
// notification and webhook_delivery rows are written in the transaction that appends the case event
// they stem from: no event without its notices and deliveries, no notice for an event rolled back.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table job (
      id text primary key,
      kind text not null,
      payload jsonb not null default '{}'::jsonb,
      -- null for global jobs (the sweep itself); the case's district for per-case work
      district_code char(6),
      run_at timestamptz not null,
      attempts integer not null default 0,
      max_attempts integer not null check (max_attempts >= 1),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null,
      done_at timestamptz,
      failed_at timestamptz,
      check (done_at is null or failed_at is null)
    );
    -- What a runner scans: only the jobs still to do, in the order they fall due.
    create index job_due_idx on job (run_at, id) where done_at is null and failed_at is null;
    create index job_done_idx on job (done_at) where done_at is not null;
    create index job_failed_idx on job (failed_at) where failed_at is not null;

    create table notification (
      id text primary key,
      user_id text not null references app_user(id),
      district_code char(6),
      kind text not null,
      case_id text references case_record(id),
      title text not null,
      body text not null,
      created_at timestamptz not null,
      read_at timestamptz
    );
    create index notification_inbox_idx on notification (user_id, created_at desc, id desc);
    create index notification_unread_idx on notification (user_id, created_at desc) where read_at is null;

    create table webhook_subscription (
      id text primary key,
      district_code char(6) not null,
      url text not null,
      -- kept in clear: signing needs it; it is shown once, at creation, and never listed
      secret text not null,
      -- event types such as case.dispatch or case.sla_red, or '*' for every one
      event_types text[] not null,
      description text,
      active boolean not null default true,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index webhook_subscription_district_idx on webhook_subscription (district_code) where active;

    create table webhook_delivery (
      id text primary key,
      district_code char(6) not null,
      subscription_id text not null references webhook_subscription(id),
      event_type text not null,
      case_id text references case_record(id),
      event_seq integer,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz,
      unique (subscription_id, case_id, event_seq)
    );
    create index webhook_delivery_subscription_idx on webhook_delivery (subscription_id, created_at desc);
    create index webhook_delivery_pending_idx on webhook_delivery (subscription_id) where status = 'pending';
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table webhook_delivery, webhook_subscription, notification, job');
}
