import path from 'node:path';
import { accountRepository } from './accounts/account.repository.ts';
import { AccountService } from './accounts/account.service.ts';
import { loadOfficialCalendar } from './calendar/holiday-data.ts';
import { caseRepository } from './cases/case.repository.ts';
import { CaseService, caseResource, DEFAULT_CASE_OPTIONS } from './cases/case.service.ts';
import type { Config } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import type { AppContext } from './http/context.ts';
import { MediaService } from './media/media.service.ts';
import { LocalMediaStorage } from './media/media.storage.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { TaxonomyService, taxonomyTerritory } from './taxonomy/taxonomy.service.ts';
import { TerritoryService } from './territory/territory.service.ts';

/** Wires the services once, for the server, the CLI and the tests alike. */
export function createContext(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock = systemClock,
): AppContext {
  const { db } = handle;
  const territory = new TerritoryService(db, clock);
  const taxonomy = new TaxonomyService(db, clock, taxonomyTerritory(territory));
  const accounts = new AccountService(
    accountRepository(db),
    { areaName: (code) => territory.areaName(code), organisation: (id) => territory.findOrganisation(id) },
    clock,
    config,
  );
  const media = new MediaService(db, new LocalMediaStorage(path.join(config.dataDir, 'media')), clock);
  const cases = new CaseService(db, territory, clock, officialCalendar(), {
    ...DEFAULT_CASE_OPTIONS,
    categories: {
      entry: (key, district) => taxonomy.entry(key, district),
      route: (key, location) => taxonomy.route(key, location),
    },
    media,
  });
  // A case photo's original is readable by whoever may read the case: its territory, its assigned unit.
  media.registerOwnerScope('case', async (id) => {
    const c = await caseRepository(db).findById(id);
    return c ? caseResource(c) : null;
  });
  return { config, db, engine: handle.engine, clock, accounts, territory, taxonomy, cases, media };
}

let calendar: ReturnType<typeof loadOfficialCalendar> | undefined;
/** The official calendar is read from the bundled holiday files once per process. */
export function officialCalendar() {
  calendar ??= loadOfficialCalendar();
  return calendar;
}
