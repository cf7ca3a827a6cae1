import type {
    Agreement,
    CriterionRow,
    GroupView,
    HeatmapGrid,
    RolloutView,
    RunSummary,
} from './trajectory-messages.js';

/**
 * The data a `mas report` HTML file embeds (in a `<script type="application/json">` element) and its shim serves
 * to the trajectory view through the same messages the extension host sends (trajectory-messages.ts). Everything
 * is precomputed by analysis/ when the report is written: the page only looks values up.
 *
 * JSON has no NaN and no typed arrays, so the two places that use them are encoded: heatmap cells (`null` = NaN,
 * decoded to a Float64Array) and criterion weights (`null` = NaN, a criterion the rubric does not declare).
 * Heatmap cells are display values: they keep 6 significant digits (the view shows 4 decimals); records are exact.
 */
export const REPORT_DATA_VERSION = 2;

/** The id of the element that holds the JSON. */
export const REPORT_DATA_ELEMENT = 'mas-report-data';

export interface EncodedGrid extends Omit<HeatmapGrid, 'values'> {
    values: (number | null)[];
}

export interface EncodedCriterionRow extends Omit<CriterionRow, 'weight'> {
    weight: number | null;
}

/** A rollout's view without `agreement`, which is the same for every rollout of a step: the step holds it once. */
export interface EncodedRolloutView extends Omit<RolloutView, 'heatmaps' | 'rubric' | 'agreement'> {
    rubric: { name: string; criteria: EncodedCriterionRow[] } | null;
    heatmaps: Record<string, EncodedGrid>;
}

export interface ReportStep {
    step: number;
    rollouts: EncodedRolloutView[];
    groups: GroupView[];
    /** The estimators' agreement over the step's decisions: part of each of its rollouts' views. */
    agreement: Agreement[];
    /** Credit method → the step's mean credit, agents × turn index. */
    heatmaps: Record<string, EncodedGrid>;
}

/** What the title block says about the run (from run.json and metrics.jsonl; no local path). */
export interface ReportHeader {
    workflow: string;
    status: string;
    /** The training credit method as the run spec names it, with its arguments, e.g. `shapley(samples: 8)`. */
    credit: string;
    /** Unix seconds. */
    startedAt: number;
    updatedAt: number;
    stepsCompleted: number;
    stepsTotal: number;
    device: string;
    /** `stop_when` ended the run early: the condition and the step. */
    stoppedEarly: string | null;
    /** The last step's mean reward and success rate; null before the first step. */
    final: { step: number; reward: number | null; success: number } | null;
    /** The step with the highest mean reward. */
    best: { step: number; reward: number } | null;
}

/** One point of the report's curves: a metrics.jsonl line, reduced to what the curves draw. */
export interface ReportMetric {
    step: number;
    /** Unix seconds. */
    time: number;
    reward: number | null;
    rewardStd: number | null;
    success: number;
    loss: number | null;
}

/** The workflow's `.mas` source, or why it is not in the report. */
export type ReportSource = { file: string; text: string; note?: string } | { file: string; omitted: string };

export interface ReportData {
    version: typeof REPORT_DATA_VERSION;
    header: ReportHeader;
    /** Every step of the run (also those outside `--steps`): the curves show the whole run. */
    metrics: ReportMetric[];
    source: ReportSource;
    /**
     * Whether turns keep their token ids and log-probabilities (`mas report --tokens`). Without them (the default)
     * each turn's arrays are empty and the rollout's `tokenCounts` gives their lengths: most of a run's bytes are
     * these arrays, and the report stays readable without them.
     */
    tokens: boolean;
    /** Run summary restricted to the steps in the report; `root` is the run's name (no local path is shared). */
    run: RunSummary;
    steps: ReportStep[];
    /** Said in the view when a user asks for something a static file cannot compute (what-if, re-scoring). */
    staticNote: string;
}
