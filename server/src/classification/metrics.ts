/** Classification scores, as pure functions over label indices. */

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true examples of this class. */
  support: number;
}

export interface EvaluationReport {
  n: number;
  accuracy: number;
  /** Unweighted mean of per-class F1 over classes present in the truth or the predictions. */
  macroF1: number;
  /** Mean F1 weighted by support. */
  weightedF1: number;
  perClass: ClassScores[];
  labels: string[];
  /** confusion[t][p]: examples of true class t predicted as p. */
  confusion: number[][];
}

export function evaluatePredictions(
  truth: Int32Array,
  predicted: Int32Array,
  labels: readonly string[],
): EvaluationReport {
  if (truth.length !== predicted.length) throw new RangeError('truth and predictions differ in length');
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    confusion[t]![p]! += 1;
    if (t === p) correct++;
  }
  const perClass: ClassScores[] = [];
  let f1Sum = 0;
  let present = 0;
  let weighted = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    let support = 0;
    let predictedCount = 0;
    for (let j = 0; j < k; j++) {
      support += confusion[c]![j]!;
      predictedCount += confusion[j]![c]!;
    }
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: labels[c]!, precision, recall, f1, support });
    // A label absent from both truth and predictions says nothing about this data set.
    if (support > 0 || predictedCount > 0) {
      f1Sum += f1;
      present++;
    }
    weighted += f1 * support;
  }
  const n = truth.length;
  return {
    n,
    accuracy: n > 0 ? correct / n : 0,
    macroF1: present > 0 ? f1Sum / present : 0,
    weightedF1: n > 0 ? weighted / n : 0,
    perClass,
    labels: [...labels],
    confusion,
  };
}

/** Index of the largest value in row `row` of a row-major matrix. Ties go to the lower index. */
export function argmaxRow(values: ArrayLike<number>, row: number, width: number): number {
  const o = row * width;
  let best = 0;
  for (let k = 1; k < width; k++) if (values[o + k]! > values[o + best]!) best = k;
  return best;
}

/** A fixed-width text table of per-class scores and the confusion matrix, for the terminal. */
export function formatReport(report: EvaluationReport): string[] {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(6);
  const width = Math.max(8, ...report.labels.map((l, i) => displayWidth(`#${i + 1} ${l}`)));
  const pad = (s: string) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));
  const lines: string[] = [];
  lines.push(
    `n=${report.n}  accuracy=${pct(report.accuracy).trim()}%  macro-F1=${pct(report.macroF1).trim()}%`,
  );
  lines.push(`${pad('class')}  precision  recall      F1  support`);
  for (const c of report.perClass) {
    lines.push(
      `${pad(c.label)}     ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}  ${String(c.support).padStart(7)}`,
    );
  }
  lines.push('');
  lines.push('confusion matrix (rows: true class, columns: predicted, in label order)');
  const cellWidth = Math.max(5, ...report.confusion.flat().map((v) => String(v).length + 1));
  lines.push(`${pad('')}  ${report.labels.map((_, i) => `#${i + 1}`.padStart(cellWidth)).join('')}`);
  report.confusion.forEach((row, i) => {
    lines.push(
      `${pad(`#${i + 1} ${report.labels[i]}`)}  ${row.map((v) => String(v).padStart(cellWidth)).join('')}`,
    );
  });
  return lines;
}

/** Terminal columns of a string: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}
