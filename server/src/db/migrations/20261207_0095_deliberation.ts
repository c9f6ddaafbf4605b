import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Deliberation (议事协商, SPEC §8): proposals of a community (or one of its alleys), their discussion,
// a vote with a quorum and a deadline, minutes and a decision that may open a case, a campaign or an
// item of the alley's plan (一街一策). Every table is per-district data: district_code leads every
// primary, unique and foreign key.
//
// proposal: discussion → voting → closed (or withdrawn). The tally (yes/no/abstain counts) is written
// once, when the vote is closed, from the ballots; before that the columns are null and nothing reads
// the ballots' counts. The decision is claimed once (decision_kind set while state = 'closed' and no
// decision yet) and its link (decision_ref: a case id, a campaign id, a plan item id) written after.
//
// proposal_vote: one ballot per person and proposal, by its primary key (district, proposal, user):
// a second ballot, even at the same instant, is refused by the database (ALREADY_VOTED).
//
// alley_plan_item: an item of an alley's plan that a decision added, with the proposal it came from.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table proposal (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      alley_id text,
      title text not null,
      body text not null,
      proposer_user_id text,
      proposer_kind text not null check (proposer_kind in ('resident', 'council', 'chief', 'staff')),
      state text not null check (state in ('discussion', 'voting', 'closed', 'withdrawn')),
      created_at timestamptz not null,
      voting_opened_at timestamptz,
      voting_opened_by text,
      closes_at timestamptz,
      eligible_count integer check (eligible_count is null or eligible_count >= 0),
      quorum integer check (quorum is null or quorum >= 1),
      closed_at timestamptz,
      closed_by text,
      yes_count integer,
      no_count integer,
      abstain_count integer,
      outcome text check (outcome in ('adopted', 'rejected', 'no_quorum')),
      minutes text,
      minutes_at timestamptz,
      minutes_by text,
      decision_kind text check (decision_kind in ('case', 'campaign', 'plan_item', 'none')),
      decision_ref text,
      decision_note text,
      decided_at timestamptz,
      decided_by text,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code),
      check (state in ('discussion', 'withdrawn') or closes_at is not null),
      check ((state = 'closed') = (outcome is not null)),
      check ((decision_kind is null) = (decided_at is null))
    );
    create index proposal_community_idx on proposal (district_code, community_code, created_at);
    create index proposal_alley_idx on proposal (district_code, alley_id) where alley_id is not null;

    create table proposal_comment (
      district_code char(6) not null,
      id text not null,
      proposal_id text not null,
      author_user_id text,
      author_kind text not null check (author_kind in ('resident', 'council', 'chief', 'staff')),
      body text not null,
      created_at timestamptz not null,
      primary key (district_code, id),
      foreign key (district_code, proposal_id) references proposal (district_code, id)
    );
    create index proposal_comment_proposal_idx on proposal_comment (district_code, proposal_id, created_at);

    create table proposal_vote (
      district_code char(6) not null,
      proposal_id text not null,
      user_id text not null,
      choice text not null check (choice in ('yes', 'no', 'abstain')),
      cast_at timestamptz not null,
      primary key (district_code, proposal_id, user_id),
      foreign key (district_code, proposal_id) references proposal (district_code, id)
    );

    create table alley_plan_item (
      district_code char(6) not null,
      id text not null,
      alley_id text not null,
      proposal_id text not null,
      title text not null,
      description text not null default '',
      created_at timestamptz not null,
      created_by text,
      primary key (district_code, id),
      unique (district_code, proposal_id),
      foreign key (district_code, proposal_id) references proposal (district_code, id)
    );
    create index alley_plan_item_alley_idx on alley_plan_item (district_code, alley_id, created_at);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop table if exists alley_plan_item;
    drop table if exists proposal_vote;
    drop table if exists proposal_comment;
    drop table if exists proposal;
    `,
  );
}
