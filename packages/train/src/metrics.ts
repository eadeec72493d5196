import type { ErrorRate } from './evaluate.ts';
import type { SplitName } from './data.ts';
import type { LayoutRow } from './zoo/layout.ts';
import type { Origin, SystemKind } from './zoo/named.ts';
import type { Budget, EpochLog } from './options.ts';
import type { AugmentationRecord } from './augmentation.ts';
import type { FitEngineRecord } from './fit.ts';

/** `train/<corpus>/<system>/metrics.json` (docs/conventions.md). */
export interface Metrics {
  corpus: string;
  system: string;
  label: string;
  kind: SystemKind;
  origin: Origin;
  /** What a baseline is, in words (the report's "What it is"); absent for the networks. */
  description?: string;
  protocol: string | null;
  status: 'completed' | 'stopped-early' | 'pruned' | 'failed';
  reason?: string;
  classNames: string[];
  errors: Record<SplitName, ErrorRate> | null;
  confusion: Record<SplitName, number[][]> | null;
  layout: LayoutRow[];
  parameterCount: number;
  hyperparameters: Record<string, unknown>;
  /** The training batches' patch augmentation (networks; absent for the point baselines). */
  augmentation?: AugmentationRecord;
  learningCurve: Omit<EpochLog, 'samplesPerSec'>[];
  backend: string;
  /** What ran the training steps (networks): tfjs's layers or the dense engine, and why not the latter. */
  engine?: FitEngineRecord;
  seed: number;
  codeVersion: string;
  timings: { trainSec: number; samplesPerSec: number; evalSec: number };
  data: {
    train: number;
    dev: number;
    eval: number;
    /** Rows actually used to fit (after a budget's subsample and the inner split). */
    trainRowsUsed: number;
    innerValRows: number;
    budget: Budget;
    inputs: Record<string, string>;
  };
}
