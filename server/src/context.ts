import { accountRepository } from './accounts/account.repository.ts';
import { CaseService } from './cases/case.service.ts';
import { AccountService } from './accounts/account.service.ts';
import type { Config } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import type { AppContext } from './http/context.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { TerritoryService } from './territory/territory.service.ts';

/** Wires the services once, for the server, the CLI and the tests alike. */
export function createContext(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock = systemClock,
): AppContext {
  const { db } = handle;
  const territory = new TerritoryService(db, clock);
  const accounts = new AccountService(
    accountRepository(db),
    { areaName: (code) => territory.areaName(code), organisation: (id) => territory.findOrganisation(id) },
    clock,
    config,
  );
  const cases = new CaseService(db, territory, clock);
  return { config, db, engine: handle.engine, clock, accounts, territory, cases };
}
