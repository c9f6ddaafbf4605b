import { describe, expect, it } from 'vitest';
import { initialScripts, measure } from '../../scripts/bundle-size.mjs';

/** The resident page must load fast on a phone on a slow network (issue: ≤ 200 KB gzip without the map). */
const RESIDENT_BUDGET_BYTES = 200 * 1024;

const built = measure();

describe('bundle size', () => {
  it('reads the initial scripts of a built page, not its lazy chunks', () => {
    const html =
      '<script type="module" crossorigin src="/assets/resident-1.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/react-2.js">' +
      '<link rel="stylesheet" href="/assets/resident-3.css">';
    expect(initialScripts(html)).toEqual(['/assets/resident-1.js', '/assets/react-2.js']);
  });

  it.skipIf(!built.entries.resident)(
    'keeps the resident entry within 200 KB gzip (when web/dist exists)',
    () => {
      const resident = built.entries.resident!;
      expect(resident.gzip).toBeLessThanOrEqual(RESIDENT_BUDGET_BYTES);
      // MapLibre must stay out of the first load: it alone would break the budget.
      expect(resident.files.every((file) => !/maplibre|webgl/i.test(file.file))).toBe(true);
    },
  );
});
