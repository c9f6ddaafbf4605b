import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Actor, authorise, SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CategorySuggester, CategorySuggestion, ConfirmedCategory } from '../cases/case.service.ts';
import type { Database } from '../db/schema.ts';
import type { JobLogger } from '../jobs/job.runner.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { type ConfirmedLabel, classificationRepository } from './classification.repository.ts';
import type { LabelledText } from './dataset.ts';
import { evaluateClassifier } from './evaluation.ts';
import type { ModelRegistry, ModelSummary } from './model-registry.ts';
import { trainTaxonomyModelInChild } from './taxonomy-model.child.ts';
import { type TaxonomyModelOptions, trainTaxonomyModel } from './taxonomy-model.ts';
import { TextClassifier } from './text-classifier.ts';

/**
 * The classifier inside the product (SPEC §7.1): serves the registry's active model to `/api/classify`
 * and to intake, records every category a dispatcher confirms as a label, and retrains from the
 * taxonomy and those labels.
 *
 * Held-out labels. Each case's labels are on the held-out side or the training side for good, decided
 * by a hash of the case id, so no model this service trains ever sees a held-out label and every
 * retraining is judged on labels new to both the candidate and the model it would replace.
 */

export interface ClassificationOptions {
  logger?: JobLogger;
  /** Overrides of the default taxonomy model's training (tests use smaller models). */
  taxonomyModel?: TaxonomyModelOptions;
  /** Share of cases whose labels are held out, out of 100 (default 20). */
  heldOutPercent?: number;
  /** Held-out labels needed before a candidate may replace an active model (default 20). */
  minHeldOut?: number;
  /** Characters of a text that are classified: bounds the cost of one request (default 2,000). */
  maxTextLength?: number;
  /**
   * Where training runs: `child` (default) in a child process, so the server keeps answering during the
   * seconds it takes; `inline` in this thread (the CLI, which has nothing else to do, and fast tests).
   */
  trainer?: 'child' | 'inline';
  /**
   * Stored models that are neither active nor a rollback target, kept after a retraining; older ones
   * are deleted (default 5, at least 1: the candidate just trained).
   */
  keepCandidates?: number;
}

export interface HeldOutScore {
  macroF1: number;
  accuracy: number;
}

export interface RetrainReport {
  candidate: string;
  /** The model active before retraining, if any. */
  previous: string | null;
  /** The model active after retraining. */
  active: string;
  activated: boolean;
  reason: string;
  taxonomyEntries: number;
  trainingLabels: number;
  heldOutLabels: number;
  /** Labels whose key is no longer in any active taxonomy, left out. */
  skippedLabels: number;
  candidateScore: HeldOutScore | null;
  previousScore: HeldOutScore | null;
  trainingMs: number;
}

export interface ClassifyResult {
  modelVersion: string;
  suggestions: { label: string; name: string | null; probability: number }[];
}

const namesTtlMs = 5 * 60_000;
const namesRetryMs = 10_000;
const lazyRetryMs = 10 * 60_000;

export class ClassificationService implements CategorySuggester {
  private readonly logger: JobLogger | undefined;
  private retraining = false;
  private names: { at: number; byKey: Map<string, string> } | null = null;
  private stopWatching: (() => void) | null = null;
  private trainWhenMissing = false;
  private lastLazyAttempt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Kysely<Database>,
    readonly registry: ModelRegistry,
    private readonly clock: Clock,
    private readonly options: ClassificationOptions = {},
  ) {
    this.logger = options.logger;
  }

  private get repo() {
    return classificationRepository(this.db);
  }

  /** Whether a case's labels are held out: a fixed function of its id. */
  isHeldOut(caseId: string): boolean {
    const byte = createHash('sha256').update(caseId).digest()[0]!;
    return byte % 100 < (this.options.heldOutPercent ?? 20);
  }

  // ---- serving ----------------------------------------------------------------------------------

  /**
   * Loads the active model and follows the pointer file (a `hutong classifier activate` in another
   * process); trains the default model when none exists yet. Called once the server listens: the first
   * training of an installation takes a few seconds of CPU (docs/classification.md).
   */
  async start(options: { watchMs?: number; trainDefault?: boolean } = {}): Promise<void> {
    await this.registry.init();
    if (options.watchMs && !this.stopWatching) {
      this.stopWatching = this.registry.watch(options.watchMs, (error) =>
        this.logger?.warn({ err: error }, 'classifier: could not follow the active model'),
      );
    }
    if (options.trainDefault === false) return;
    this.trainWhenMissing = true;
    if (this.registry.current()) return;
    this.lastLazyAttempt = this.clock.now().getTime();
    await this.ensureDefaultModel();
  }

  /**
   * A server that started without a taxonomy (an installation set up from scratch) has no model; once a
   * catalogue is imported, the first request that finds no model starts training one in the background,
   * at most once every few minutes.
   */
  private trainInBackgroundIfMissing(): void {
    if (!this.trainWhenMissing || this.registry.current() || this.retraining) return;
    const now = this.clock.now().getTime();
    if (now - this.lastLazyAttempt < lazyRetryMs) return;
    this.lastLazyAttempt = now;
    this.ensureDefaultModel().catch((error: unknown) =>
      this.logger?.warn({ err: error }, 'classifier: could not train the default model'),
    );
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /**
   * Trains and activates the default model (taxonomy names and keywords, plus the confirmed labels on
   * the training side) when no model is active. Returns the report, or null when a model was already
   * active or there is no taxonomy to learn from.
   */
  async ensureDefaultModel(): Promise<RetrainReport | null> {
    if (this.registry.current()) return null;
    try {
      return await this.retrain(SYSTEM_ACTOR);
    } catch (e) {
      if (e instanceof AppError && e.details.reason === 'NO_TAXONOMY') {
        this.logger?.warn({}, 'classifier: no active taxonomy yet, so no default model');
        return null;
      }
      throw e;
    }
  }

  /** The top-`k` taxonomy keys for a text, with their names; anyone may ask (the resident page does). */
  async classify(actor: Actor | null, text: string, k: number): Promise<ClassifyResult> {
    authorise(actor, 'classifier.use');
    this.trainInBackgroundIfMissing();
    const result = await this.registry.classify(this.bounded(text), k);
    const names = await this.categoryNames(result.suggestions.map((s) => s.label));
    return {
      modelVersion: result.modelVersion,
      suggestions: result.suggestions.map((s) => ({ ...s, name: names.get(s.label) ?? null })),
    };
  }

  private bounded(text: string): string {
    const max = this.options.maxTextLength ?? 2000;
    return text.length > max ? text.slice(0, max) : text;
  }

  /** Names of taxonomy keys, read from the active taxonomies at most every few minutes. */
  private async categoryNames(keys: readonly string[]): Promise<Map<string, string>> {
    const now = this.clock.now().getTime();
    const age = this.names ? now - this.names.at : Number.POSITIVE_INFINITY;
    // A key without a name (a category added since) is looked up again, but not on every request.
    const missing = keys.some((key) => !this.names?.byKey.has(key));
    if (age > namesTtlMs || (missing && age > namesRetryMs)) {
      const entries = await this.repo.activeTaxonomyEntries();
      this.names = { at: now, byKey: new Map(entries.map((e) => [`${e.kind}:${e.code}`, e.name])) };
    }
    return this.names?.byKey ?? new Map();
  }

  // ---- CategorySuggester (called by the case loop) ---------------------------------------------

  async suggest(text: string): Promise<CategorySuggestion | null> {
    if (!this.registry.current()) {
      this.trainInBackgroundIfMissing();
      return null;
    }
    const { modelVersion, suggestions } = await this.registry.classify(this.bounded(text), 1);
    const top = suggestions[0];
    return top ? { key: top.label, confidence: top.probability, model: modelVersion } : null;
  }

  failed(error: unknown): void {
    this.logger?.warn({ err: error }, 'classifier: no category suggested for a report');
  }

  async onCategoryConfirmed(trx: Kysely<Database>, confirmed: ConfirmedCategory): Promise<void> {
    await classificationRepository(trx).insertLabel({
      districtCode: confirmed.districtCode,
      caseId: confirmed.caseId,
      text: confirmed.text,
      finalKey: confirmed.finalKey,
      suggestedKey: confirmed.suggestedKey,
      suggestedConfidence: confirmed.suggestedConfidence,
      modelVersion: confirmed.suggestedModel,
      actorUserId: confirmed.actorUserId,
      actorRole: confirmed.actorRole,
      at: confirmed.at,
    });
  }

  // ---- training ---------------------------------------------------------------------------------

  /**
   * Trains a candidate from the taxonomy and the confirmed labels on the training side, stores it, and
   * activates it only if no model is active or it beats the active one on the held-out labels
   * (macro-F1; a tie keeps the active model). With fewer than `minHeldOut` held-out labels there is
   * nothing to judge by, and the active model stays.
   */
  async retrain(actor: Actor): Promise<RetrainReport> {
    authorise(actor, 'classifier.manage');
    if (this.retraining) throw new AppError('CONFLICT', 'the classifier is already being retrained');
    this.retraining = true;
    try {
      return await this.retrainNow();
    } finally {
      this.retraining = false;
    }
  }

  private async retrainNow(): Promise<RetrainReport> {
    const entries = await this.repo.activeTaxonomyEntries();
    if (entries.length < 2) {
      throw new AppError(
        'CONFLICT',
        'no active taxonomy to train the classifier on: import a catalogue first',
        {
          reason: 'NO_TAXONOMY',
        },
      );
    }
    const known = new Set(entries.map((e) => `${e.kind}:${e.code}`));
    const labels = await this.repo.confirmedLabels();
    const usable = labels.filter((l) => known.has(l.label));
    const training = usable.filter((l) => !this.isHeldOut(l.caseId)).map(asLabelled);
    const heldOut = usable.filter((l) => this.isHeldOut(l.caseId)).map(asLabelled);

    const started = performance.now();
    const trainingOptions = { ...this.options.taxonomyModel, now: this.clock.now() };
    const candidate =
      this.options.trainer === 'inline'
        ? trainTaxonomyModel(entries, training, trainingOptions).model
        : await trainTaxonomyModelInChild(entries, training, trainingOptions);
    const trainingMs = Math.round(performance.now() - started);
    await this.registry.add(candidate);

    const current = this.registry.current();
    const minHeldOut = this.options.minHeldOut ?? 20;
    const candidateScore = heldOut.length > 0 ? score(new TextClassifier(candidate), heldOut) : null;
    const previousScore = current && heldOut.length > 0 ? score(current, heldOut) : null;
    let activated = false;
    let reason: string;
    if (!current) {
      activated = true;
      reason = 'no model was active';
    } else if (current.version === candidate.version) {
      reason = 'the candidate is the active model (same data and parameters)';
    } else if (heldOut.length < minHeldOut) {
      reason = `only ${heldOut.length} held-out labels; at least ${minHeldOut} are needed to compare`;
    } else if (candidateScore!.macroF1 > previousScore!.macroF1) {
      activated = true;
      reason = `the candidate scores better on ${heldOut.length} held-out labels`;
    } else {
      reason = `the candidate does not beat the active model on ${heldOut.length} held-out labels`;
    }
    if (activated) await this.registry.activate(candidate.version);
    // The candidate just trained is the newest file, so it is always among those kept.
    const pruned = await this.registry.prune(Math.max(1, this.options.keepCandidates ?? 5));
    if (pruned.length) this.logger?.info({ pruned }, 'classifier: older candidate models deleted');
    const report: RetrainReport = {
      candidate: candidate.version,
      previous: current?.version ?? null,
      active: this.registry.current()!.version,
      activated,
      reason,
      taxonomyEntries: entries.length,
      trainingLabels: training.length,
      heldOutLabels: heldOut.length,
      skippedLabels: labels.length - usable.length,
      candidateScore,
      previousScore,
      trainingMs,
    };
    this.logger?.info(report, activated ? 'classifier: new model activated' : 'classifier: model kept');
    return report;
  }

  // ---- model management -------------------------------------------------------------------------

  async listModels(actor: Actor): Promise<ModelSummary[]> {
    authorise(actor, 'classifier.manage');
    return this.registry.list();
  }

  async activate(actor: Actor, version: string): Promise<ModelSummary> {
    authorise(actor, 'classifier.manage');
    if (!(await this.registry.has(version))) throw AppError.notFound('model', version);
    await this.registry.activate(version);
    return this.summary(version);
  }

  async rollback(actor: Actor): Promise<ModelSummary> {
    authorise(actor, 'classifier.manage');
    const model = await this.registry.rollback();
    return this.summary(model.version);
  }

  private async summary(version: string): Promise<ModelSummary> {
    const found = (await this.registry.list()).find((m) => m.version === version);
    if (!found) throw AppError.notFound('model', version);
    return found;
  }
}

function asLabelled(l: ConfirmedLabel): LabelledText {
  return { text: l.text, label: l.label };
}

function score(model: TextClassifier, samples: readonly LabelledText[]): HeldOutScore {
  const r = evaluateClassifier(model, samples);
  return { macroF1: r.macroF1, accuracy: r.accuracy };
}
