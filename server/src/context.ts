import path from 'node:path';
import { accountRepository } from './accounts/account.repository.ts';
import { AccountService } from './accounts/account.service.ts';
import { clockOf } from './calendar/deadline.ts';
import { loadOfficialCalendar } from './calendar/holiday-data.ts';
import { CaseEventSubscribers } from './cases/case.apply.ts';
import { caseRepository } from './cases/case.repository.ts';
import { CaseService, caseResource, DEFAULT_CASE_OPTIONS } from './cases/case.service.ts';
import { ClassificationService } from './classification/classification.service.ts';
import { ModelRegistry } from './classification/model-registry.ts';
import type { Config } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { SlaSweep } from './deadlines/sla.sweep.ts';
import { DemoHistory } from './demo/demo-history.ts';
import { DashboardService } from './evaluation/dashboard.service.ts';
import { EvaluationService } from './evaluation/evaluation.service.ts';
import { MeasureService } from './evaluation/measures.service.ts';
import { measureRollupSubscriber } from './evaluation/rollup.ts';
import { ForecastService } from './forecasts/forecast.service.ts';
import { HotIssueService } from './hotissues/hot-issue.service.ts';
import { HotlineService } from './hotline/hotline.service.ts';
import type { AppContext } from './http/context.ts';
import { pruneJobs } from './jobs/job.prune.ts';
import { type JobLogger, JobRunner } from './jobs/job.runner.ts';
import { Scheduler } from './jobs/job.scheduler.ts';
import { CampaignService } from './ledgers/campaign.service.ts';
import { LedgerService } from './ledgers/ledger.service.ts';
import { MediaService } from './media/media.service.ts';
import { LocalMediaStorage } from './media/media.storage.ts';
import { NotificationService, notificationSubscriber } from './notifications/notification.service.ts';
import { Open311Registry } from './open311/open311.registry.ts';
import { Open311Service } from './open311/open311.service.ts';
import { createParticipation } from './participation/participation.context.ts';
import { civicPointsSubscriber } from './participation/points/points.subscriber.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { createSupervision } from './supervision/supervision.context.ts';
import { TaxonomyService, taxonomyTerritory } from './taxonomy/taxonomy.service.ts';
import { TerritoryService } from './territory/territory.service.ts';
import { ThemeService } from './themes/theme.service.ts';
import { WebhookInterest, WebhookService, webhookSubscriber } from './webhooks/webhook.service.ts';
import { DEFAULT_WHISTLE_OPTIONS, WhistleService } from './whistle/whistle.service.ts';

/** Wires the services once, for the server, the CLI and the tests alike. */
export function createContext(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock = systemClock,
  options: { logger?: JobLogger; operatorSecret?: string | null } = {},
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
  // Models live in <dataDir>/models; the server loads the active one when it starts (main.ts).
  const classification = new ClassificationService(db, new ModelRegistry(config.dataDir, { clock }), clock, {
    logger: options.logger,
  });
  const webhookInterest = new WebhookInterest(db);
  // Every case event, whoever appends it (case.apply.ts, and intake for reports), tells the people
  // concerned and fills the webhook outbox, in the event's own transaction. More subscribers (measure
  // rollups…) are registered here, before the server takes requests.
  const participation = createParticipation({
    db,
    clock,
    areaName: (code) => territory.areaName(code),
    parkingNoShow: config.parking.noShow,
  });
  const caseEvents = new CaseEventSubscribers([
    notificationSubscriber(),
    webhookSubscriber(webhookInterest, { maxAttempts: config.webhooks.maxAttempts }),
    measureRollupSubscriber(officialCalendar()),
    // A verified report of a signed-in resident earns civic points, in the event's transaction.
    civicPointsSubscriber(participation.points),
  ]);
  const measures = new MeasureService(db, clock);
  const evaluation = new EvaluationService(db, clock, measures);
  const cases = new CaseService(db, territory, clock, officialCalendar(), {
    ...DEFAULT_CASE_OPTIONS,
    categories: {
      entry: (key, district) => taxonomy.entry(key, district),
      route: (key, location) => taxonomy.route(key, location),
      onChange: (listener) => taxonomy.onActivated(listener),
    },
    media,
    subscribers: caseEvents,
    suggester: classification,
  });
  // A case photo's original is readable by whoever may read the case: its territory, its assigned unit.
  media.registerOwnerScope('case', async (id) => {
    const c = await caseRepository(db).findById(id);
    return c ? caseResource(c) : null;
  });
  const ledgers = new LedgerService(db, clock);
  const campaigns = new CampaignService(
    db,
    territory,
    { entry: (key, district) => taxonomy.entry(key, district) },
    ledgers,
    clock,
  );
  // A deliberation's decision opens a case through staff intake, or a campaign (participation is wired
  // before the case loop, so its targets are bound here).
  participation.deliberation.bindTargets({
    openCase: async (actor, input) =>
      (await cases.staffIntake(actor, { channel: 'staff', crs: 'wgs84', ...input })).result,
    openCampaign: (actor, input) => campaigns.create(actor, input),
  });
  // A household visit's issue opens a case through staff intake, like a deliberation's decision.
  // The visit is written in the case's transaction (afterInsert), so neither is stored without the other.
  participation.visits.bindCaseIntake(
    async (actor, input, within) =>
      (
        await cases.staffIntake(
          actor,
          { channel: 'staff', crs: 'wgs84', ...input },
          undefined,
          {},
          {
            afterInsert: (trx, created) => within(trx, { id: created.id, caseNumber: created.caseNumber }),
          },
        )
      ).result,
  );
  const whistle = new WhistleService(db, clock, officialCalendar(), {
    ...DEFAULT_WHISTLE_OPTIONS,
    reopenWindowDays: DEFAULT_CASE_OPTIONS.reopenWindowDays,
    subscribers: caseEvents,
  });
  const hotline = new HotlineService(db, cases, territory, taxonomy, officialCalendar(), clock, {
    weights: config.hotline.sanlvWeights,
    minConfidence: config.hotline.minConfidence,
  });
  const hotIssues = new HotIssueService(db, clock);
  const categoryOf = async (key: string, district: string) => {
    const e = await taxonomy.entry(key, district);
    return e ? { kind: e.kind, name: e.name, departmentType: e.departmentType } : null;
  };
  const forecasts = new ForecastService(db, clock, {
    category: categoryOf,
    areaName: (code) => territory.areaName(code),
  });
  const themes = new ThemeService(db, clock, hotIssues, campaigns, {
    category: categoryOf,
    areaName: (code) => territory.areaName(code),
    organisationName: async (id) => (await territory.findOrganisation(id))?.name ?? null,
  });
  const notifications = new NotificationService(db, clock);
  const webhooks = new WebhookService(db, clock, {
    interest: webhookInterest,
    timeoutMs: config.webhooks.timeoutMs,
    areaName: (code) => territory.areaName(code),
    allowPrivate: config.security.webhookAllowPrivate,
  });
  const sla = new SlaSweep(db, clock, officialCalendar(), {
    yellowAt: config.sla.yellowAt,
    subscribers: caseEvents,
    clockOf: async (key, district) => {
      const entry = await taxonomy.entry(key, district);
      return entry ? clockOf(entry.handlingLimit.unit) : 'working';
    },
  });
  const jobs = new JobRunner(
    db,
    clock,
    {
      'sla.sweep': async (payload) => {
        await sla.sweep(payload);
      },
      'sla.case': async ({ caseId }) => {
        await sla.checkCase(caseId);
      },
      'webhook.deliver': ({ deliveryId }, job) => webhooks.deliver(deliveryId, job),
      'jobs.prune': async () => {
        await pruneJobs(db, clock.now());
      },
      'media.sweep': async () => {
        const swept = await media.sweep();
        if (swept.uploads || swept.temporaryFiles) options.logger?.info(swept, 'media: leftovers removed');
      },
      'proposals.close': async () => {
        const closed = await participation.deliberation.closeVotesPastDeadline();
        if (closed) options.logger?.info({ closed }, 'deliberation: votes closed at their deadline');
      },
    },
    { logger: options.logger },
  );
  const scheduler = new Scheduler(
    db,
    clock,
    [
      { name: 'sla-sweep', bucketMs: 60_000, job: (bucket) => ({ kind: 'sla.sweep', payload: { bucket } }) },
      { name: 'jobs-prune', bucketMs: 3_600_000, job: () => ({ kind: 'jobs.prune', payload: {} }) },
      // Orphan uploads and half-written files after a crash (SPEC: nothing personal lingers unowned).
      { name: 'media-sweep', bucketMs: 3_600_000, job: () => ({ kind: 'media.sweep', payload: {} }) },
      // A vote's tally is due at its deadline, not when somebody next opens the proposal.
      { name: 'proposals-close', bucketMs: 60_000, job: () => ({ kind: 'proposals.close', payload: {} }) },
    ],
    { intervalMs: config.jobs.sweepSeconds * 1000, logger: options.logger },
  );
  // Open311 clients file their requests through the same case intake as every other channel.
  const open311Registry = new Open311Registry(db, clock, taxonomy);
  const open311 = {
    registry: open311Registry,
    service: new Open311Service(db, clock, { taxonomy, territory, cases, media, registry: open311Registry }),
  };
  const supervision = createSupervision({
    config,
    db,
    clock,
    calendar: officialCalendar(),
    territory,
    taxonomy,
    cases,
    media,
    frontage: participation.frontage,
  });
  return {
    config,
    operatorSecret: options.operatorSecret ?? null,
    db,
    engine: handle.engine,
    clock,
    accounts,
    caseEvents,
    measures,
    evaluation,
    dashboard: new DashboardService(
      db,
      measures,
      async (key, district) => (await taxonomy.entry(key, district))?.name ?? null,
    ),
    territory,
    taxonomy,
    demoHistory: new DemoHistory(
      { db, engine: handle.engine, databaseUrl: config.databaseUrl, taxonomy, calendar: officialCalendar() },
      {
        enabled: config.demo && config.demoHistory.enabled,
        cases: config.demoHistory.cases,
        pglite: handle.pglite,
      },
    ),
    cases,
    media,
    ledgers,
    campaigns,
    whistle,
    hotline,
    classification,
    open311,
    hotIssues,
    forecasts,
    themes,
    supervision,
    participation,
    calendar: officialCalendar(),
    notifications,
    webhooks,
    sla,
    jobs,
    scheduler,
  };
}

let calendar: ReturnType<typeof loadOfficialCalendar> | undefined;
/** The official calendar is read from the bundled holiday files once per process. */
export function officialCalendar() {
  calendar ??= loadOfficialCalendar();
  return calendar;
}
