import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Open311 GeoReport v2 (SPEC §9). An Open311 request is an ordinary case (case_record, channel
// 'open311'); these tables hold only what the case loop does not: the registered clients, the extra
// questions a district asks per category, the answers and the client-side personal fields of each
// request, and the comments clients post on requests. Every table carries district_code, the sharding
// key, and lives on the shard of the cases it refers to.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    -- A registered client application. Only the SHA-256 of its api_key is kept, so the table leaks no key:
    -- a revoked client stays, inactive, because its requests and updates still name it.
    create table open311_client (
      id text primary key,
      name text not null,
      api_key_hash text not null unique,
      district_code char(6) not null,
      created_at timestamptz not null,
      created_by text,
      active boolean not null default true
    );
    create index open311_client_district_idx on open311_client (district_code, created_at);

    -- The extra questions of a service (GET services/{code}): per district and taxonomy key.
    create table open311_service_attribute (
      id text primary key,
      district_code char(6) not null,
      service_key text not null,
      code text not null,
      variable boolean not null default true,
      datatype text not null
        check (datatype in ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
      required boolean not null default false,
      datatype_description text,
      description text not null,
      position integer not null check (position > 0),
      -- [{key, name}] for the two list datatypes, [] otherwise
      value_list jsonb not null default '[]'::jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      created_by text,
      unique (district_code, service_key, code),
      unique (district_code, service_key, position),
      -- an attribute that only informs cannot be required
      check (variable or not required),
      check ((datatype in ('singlevaluelist', 'multivaluelist')) = (jsonb_array_length(value_list) > 0))
    );

    -- What arrived with an Open311 request and has no column on the case. The personal fields never
    -- leave through the GeoReport API; staff read them with the case.
    create table open311_request (
      case_id text primary key references case_record(id),
      district_code char(6) not null,
      client_id text not null references open311_client(id),
      service_key text not null,
      attributes jsonb not null default '{}'::jsonb,
      email text,
      first_name text,
      last_name text,
      phone text,
      device_id text,
      account_id text,
      media_url text,
      address_string text,
      address_id text,
      created_at timestamptz not null
    );
    create index open311_request_client_idx on open311_request (client_id, created_at);

    -- A comment a client posted on a request (POST servicerequestupdates). It never moves the case: the
    -- status the client claims is kept for the dispatcher beside the case's state when it arrived.
    create table open311_request_update (
      id text primary key,
      case_id text not null references case_record(id),
      district_code char(6) not null,
      client_id text not null references open311_client(id),
      client_update_id text,
      description text not null,
      client_status text,
      case_state text not null,
      client_datetime timestamptz,
      media_url text,
      email text,
      first_name text,
      last_name text,
      phone text,
      account_id text,
      created_at timestamptz not null
    );
    -- A client retrying with its own update id gets the first answer instead of a second comment.
    create unique index open311_update_client_ref_idx
      on open311_request_update (client_id, client_update_id) where client_update_id is not null;
    create index open311_update_district_idx on open311_request_update (district_code, created_at);
    create index open311_update_case_idx on open311_request_update (case_id, created_at);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    'drop table open311_request_update, open311_request, open311_service_attribute, open311_client',
  );
}
