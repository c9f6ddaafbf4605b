import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Proactive work (未诉先办) and monthly themes (每月一题), SPEC §7.2.
//
// proactive_task: one row per grid (or street) × category × week whose forecast was well above normal;
// a dispatcher accepts or dismisses it, and once the week is over the actual count says whether the
// complaints then came. Proposing again for the same week and series changes nothing (unique key).
//
// monthly_theme: a proposal for next month's theme drawn from the hot issues and measures of recent
// months; a district administrator adopts one, which opens a campaign ledger with its cases. The
// campaign is referenced by id without a foreign key: campaign's key is not yet (district_code, id).
//
// Both live on their district's shard: district_code leads every key.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table proactive_task (
      district_code char(6) not null,
      id text not null,
      week_start timestamptz not null,
      scope_code varchar(15) not null,
      category_key text not null,
      kind text not null check (kind in ('patrol', 'campaign', 'notice')),
      model text not null,
      forecast double precision not null,
      low double precision not null,
      high double precision not null,
      normal double precision not null,
      state text not null default 'proposed' check (state in ('proposed', 'accepted', 'dismissed')),
      decided_by text,
      decided_at timestamptz,
      reason text,
      actual integer,
      came boolean,
      evaluated_at timestamptz,
      created_at timestamptz not null,
      primary key (district_code, id),
      unique (district_code, week_start, scope_code, category_key),
      check (left(scope_code, 6) = district_code)
    );
    create index proactive_task_week_idx on proactive_task (district_code, week_start, state);

    create table monthly_theme (
      district_code char(6) not null,
      id text not null,
      month char(7) not null,
      scope_code varchar(15) not null,
      fingerprint text not null,
      title text not null,
      problem text not null,
      place text not null,
      people integer not null,
      case_count integer not null,
      heat double precision not null,
      category_keys text[] not null default '{}',
      departments jsonb not null default '[]',
      root_fix text not null,
      case_ids text[] not null default '{}',
      state text not null default 'proposed' check (state in ('proposed', 'adopted', 'dismissed')),
      campaign_id text,
      decided_by text,
      decided_at timestamptz,
      created_at timestamptz not null,
      primary key (district_code, id),
      unique (district_code, month, fingerprint),
      check (left(scope_code, 6) = district_code)
    );
    create index monthly_theme_month_idx on monthly_theme (district_code, month);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table monthly_theme; drop table proactive_task');
}
