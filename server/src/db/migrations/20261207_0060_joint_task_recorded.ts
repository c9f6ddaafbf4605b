import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Many summoned units have no account. The street desk then records a task done on the unit's behalf,
// and the record must say on whose word it did (a phone call, a signed sheet), as the trail does.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'alter table joint_task add column done_on_word_of text;');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'alter table joint_task drop column done_on_word_of;');
}
