import type { Kysely } from 'kysely';
import type { ClassificationLabelRow, Database } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import type { TaxonomyEntry } from './taxonomy-model.ts';

export interface NewLabel {
  districtCode: string;
  caseId: string;
  text: string;
  finalKey: string;
  suggestedKey: string | null;
  suggestedConfidence: number | null;
  modelVersion: string | null;
  actorUserId: string | null;
  actorRole: string;
  at: Date;
}

/** A confirmed label as training reads it: the latest confirmation of one case. */
export interface ConfirmedLabel {
  caseId: string;
  districtCode: string;
  text: string;
  label: string;
  suggestedKey: string | null;
  modelVersion: string | null;
  createdAt: Date;
}

export function classificationRepository(db: Kysely<Database>) {
  return {
    async insertLabel(label: NewLabel): Promise<void> {
      await db
        .insertInto('classification_label')
        .values({
          id: newId('lbl'),
          district_code: label.districtCode,
          case_id: label.caseId,
          text: label.text,
          final_key: label.finalKey,
          suggested_key: label.suggestedKey,
          suggested_confidence: label.suggestedConfidence,
          model_version: label.modelVersion,
          actor_user_id: label.actorUserId,
          actor_role: label.actorRole,
          created_at: label.at,
        })
        .execute();
    },

    /** Every confirmation of one case, newest first (the audit of a reclassified case). */
    labelsOfCase(caseId: string): Promise<ClassificationLabelRow[]> {
      return db
        .selectFrom('classification_label')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
    },

    /**
     * The latest confirmation of each case, in case id order so that training sees the same sequence
     * on both engines. A reclassified case counts once, with its final category. Camera cases are left
     * out: their description is generated from the detection, not written by a person, and would teach
     * the model (and flatter its held-out score with) the generator's phrasing.
     */
    async confirmedLabels(): Promise<ConfirmedLabel[]> {
      const rows = await db
        .selectFrom('classification_label as l')
        // The label lives on its case's shard, so the district is part of the join.
        .innerJoin('case_record as c', (join) =>
          join.onRef('c.id', '=', 'l.case_id').onRef('c.district_code', '=', 'l.district_code'),
        )
        .where('c.channel', '<>', 'camera')
        .select([
          'l.case_id',
          'l.district_code',
          'l.text',
          'l.final_key',
          'l.suggested_key',
          'l.model_version',
          'l.created_at',
        ])
        .distinctOn('l.case_id')
        .orderBy('l.case_id')
        .orderBy('l.created_at', 'desc')
        .orderBy('l.id', 'desc')
        .execute();
      return rows.map((r) => ({
        caseId: r.case_id,
        districtCode: r.district_code,
        text: r.text,
        label: r.final_key,
        suggestedKey: r.suggested_key,
        modelVersion: r.model_version,
        createdAt: r.created_at,
      }));
    },

    /**
     * The entries of every district's active taxonomy version, one per key: the model is shared by the
     * installation, and districts that copied the national catalogue share its keys. Keywords of the
     * same key in several districts are pooled; the name is the first district's.
     */
    async activeTaxonomyEntries(): Promise<TaxonomyEntry[]> {
      const rows = await db
        .selectFrom('taxonomy_entry as e')
        .innerJoin('taxonomy_version as v', 'v.id', 'e.version_id')
        .select(['e.key', 'e.kind', 'e.code', 'e.name', 'e.major_class', 'e.keywords'])
        .where('v.active', '=', true)
        .orderBy('e.key')
        .orderBy('v.district_code')
        .execute();
      const byKey = new Map<string, TaxonomyEntry>();
      for (const r of rows) {
        const seen = byKey.get(r.key);
        if (seen) {
          byKey.set(r.key, { ...seen, keywords: [...new Set([...seen.keywords, ...r.keywords])] });
        } else {
          byKey.set(r.key, {
            kind: r.kind,
            code: r.code,
            name: r.name,
            majorClass: r.major_class,
            keywords: r.keywords,
          });
        }
      }
      return [...byKey.values()];
    },
  };
}
