import fs from 'node:fs/promises';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { AppContext } from '../http/context.ts';
import { repoPath } from '../shared/paths.ts';
import type { ImportResult } from './taxonomy.service.ts';
import { DEFAULT_SYNONYMS_PATH, parseSynonyms, withSynonyms } from './taxonomy.synonyms.ts';

/**
 * The catalogue shipped with Hutong: a transcription of GB/T 47678.5 (403 categories) from a public
 * repository, not the official text — a good default for a district to edit, not gospel (SPEC §3).
 * It lives beside the code so that the runtime never reads outside the package.
 */
export const DEFAULT_CATALOGUE_PATH = repoPath('server/src/taxonomy/data/gbt47678-5-catalogue.tsv');
export const DEFAULT_CATALOGUE_LABEL = 'GB/T 47678.5 默认目录';

/** The default catalogue with the words people use for its categories among their keywords. */
export async function readDefaultCatalogue(): Promise<string> {
  const [catalogue, synonyms] = await Promise.all([
    fs.readFile(DEFAULT_CATALOGUE_PATH, 'utf8'),
    fs.readFile(DEFAULT_SYNONYMS_PATH, 'utf8'),
  ]);
  return withSynonyms(catalogue, parseSynonyms(synonyms));
}

/**
 * Gives a district the default taxonomy and routing rules, once: a district that already has a
 * taxonomy keeps it. Returns null when there was nothing to do.
 */
export async function seedDefaultTaxonomy(
  ctx: Pick<AppContext, 'taxonomy'>,
  districtCode: string,
): Promise<ImportResult | null> {
  if (await ctx.taxonomy.currentVersion(districtCode)) return null;
  return ctx.taxonomy.importCatalogue(SYSTEM_ACTOR, await readDefaultCatalogue(), {
    districtCode,
    label: DEFAULT_CATALOGUE_LABEL,
  });
}
