import type { Kysely } from 'kysely';
import type { AccountService } from '../accounts/account.service.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseEventSubscribers } from '../cases/case.apply.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { ClassificationService } from '../classification/classification.service.ts';
import type { Config } from '../config/config.ts';
import type { Engine } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { SlaSweep } from '../deadlines/sla.sweep.ts';
import type { DemoHistory } from '../demo/demo-history.ts';
import type { DashboardService } from '../evaluation/dashboard.service.ts';
import type { EvaluationService } from '../evaluation/evaluation.service.ts';
import type { MeasureService } from '../evaluation/measures.service.ts';
import type { ForecastService } from '../forecasts/forecast.service.ts';
import type { HotIssueService } from '../hotissues/hot-issue.service.ts';
import type { HotlineService } from '../hotline/hotline.service.ts';
import type { JobRunner } from '../jobs/job.runner.ts';
import type { Scheduler } from '../jobs/job.scheduler.ts';
import type { CampaignService } from '../ledgers/campaign.service.ts';
import type { LedgerService } from '../ledgers/ledger.service.ts';
import type { MediaService } from '../media/media.service.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Open311Registry } from '../open311/open311.registry.ts';
import type { Open311Service } from '../open311/open311.service.ts';
import type { Participation } from '../participation/participation.context.ts';
import type { Clock } from '../shared/clock.ts';
import type { Supervision } from '../supervision/supervision.context.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { ThemeService } from '../themes/theme.service.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import type { WhistleService } from '../whistle/whistle.service.ts';

/** Everything a route plugin may use. Routes stay thin: parse, authorise through a service, reply. */
export interface AppContext {
  config: Config;
  /**
   * The secret a CLI beside this server reads from the data folder's lock file to send its write
   * commands here (operator/operator.routes.ts); null when the server holds no lock (PostgreSQL, tests).
   */
  operatorSecret: string | null;
  db: Kysely<Database>;
  engine: Engine;
  clock: Clock;
  accounts: AccountService;
  /**
   * The case-event subscribers (notifications, webhook outbox…), told of every case event in its
   * transaction; register more with `caseEvents.subscribe(…)` (cases/case.apply.ts).
   */
  caseEvents: CaseEventSubscribers;
  /** Measures (SPEC §6) from the maintained rollups, with the cases behind each figure. */
  measures: MeasureService;
  /** Monthly evaluation, rankings and the quarterly bulletin (SPEC §5). */
  evaluation: EvaluationService;
  /** The leaders' and streets' dashboards (SPEC §7.3). */
  dashboard: DashboardService;
  /** The demo's past, loaded after the server listens when wanted (`/api/health` reports it). */
  demoHistory: DemoHistory;
  territory: TerritoryService;
  taxonomy: TaxonomyService;
  cases: CaseService;
  media: MediaService;
  /** The official working calendar (holiday data bundled, 调休 included). */
  calendar: WorkingCalendar;
  notifications: NotificationService;
  webhooks: WebhookService;
  sla: SlaSweep;
  /** Background work: started by the server after it listens; tests call `runOnce()` and `tick()`. */
  jobs: JobRunner;
  scheduler: Scheduler;
  ledgers: LedgerService;
  campaigns: CampaignService;
  whistle: WhistleService;
  /** 12345 work orders in and out, and the 三率. */
  hotline: HotlineService;
  /** The report-text classifier: its models, suggestions at intake, labels from filings. */
  classification: ClassificationService;
  /** Open311 GeoReport v2: registered clients, service questions, and requests filed as cases. */
  open311: { registry: Open311Registry; service: Open311Service };
  /** Hot issues among the cases (SPEC §7.2). */
  hotIssues: HotIssueService;
  /** Weekly forecasts per grid × category and proactive tasks (未诉先办). */
  forecasts: ForecastService;
  /** Monthly themes (每月一题) and their campaigns. */
  themes: ThemeService;
  /** Supervision in the field: indicators, patrols, inspections, contractor checks, the tier plan. */
  supervision: Supervision;
  /** Participation (SPEC §8): the civic points ledger and volunteers. */
  participation: Participation;
}
