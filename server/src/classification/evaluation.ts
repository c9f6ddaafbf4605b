import { calibrationReport } from './calibration.ts';
import type { LabelledText } from './dataset.ts';
import { argmaxRow, type EvaluationReport, evaluatePredictions } from './metrics.ts';
import type { TextClassifier } from './text-classifier.ts';

export interface ClassifierEvaluation extends EvaluationReport {
  modelVersion: string;
  /** Expected calibration error of the top-1 probability. */
  ece: number;
  /** Labels in the data that the model cannot predict; their examples count as errors. */
  unknownLabels: string[];
}

/** Scores a loaded model on labelled texts. The label set is the model's, then any unknown labels. */
export function evaluateClassifier(
  classifier: TextClassifier,
  samples: readonly LabelledText[],
): ClassifierEvaluation {
  const labels = [...classifier.labels];
  const index = new Map(labels.map((l, i) => [l, i]));
  const unknownLabels: string[] = [];
  for (const s of samples) {
    if (!index.has(s.label)) {
      index.set(s.label, labels.length);
      labels.push(s.label);
      unknownLabels.push(s.label);
    }
  }
  const truth = new Int32Array(samples.length);
  const predicted = new Int32Array(samples.length);
  const confidence = new Float64Array(samples.length);
  const correct: boolean[] = [];
  samples.forEach((s, i) => {
    const p = classifier.probabilities(s.text);
    const best = argmaxRow(p, 0, p.length);
    truth[i] = index.get(s.label)!;
    predicted[i] = best;
    confidence[i] = p[best]!;
    correct.push(truth[i] === best);
  });
  return {
    modelVersion: classifier.version,
    ...evaluatePredictions(truth, predicted, labels),
    ece: calibrationReport(confidence, correct).ece,
    unknownLabels,
  };
}
