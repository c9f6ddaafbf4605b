import type { Kysely } from 'kysely';
import type { AccountService } from '../accounts/account.service.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { Config } from '../config/config.ts';
import type { Engine } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { MediaService } from '../media/media.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';

/** Everything a route plugin may use. Routes stay thin: parse, authorise through a service, reply. */
export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  engine: Engine;
  clock: Clock;
  accounts: AccountService;
  territory: TerritoryService;
  taxonomy: TaxonomyService;
  cases: CaseService;
  media: MediaService;
}
