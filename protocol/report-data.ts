import type { CriterionRow, GroupView, HeatmapGrid, RolloutView, RunSummary } from './trajectory-messages.js';

/**
 * The data a `mas report` HTML file embeds (in a `<script type="application/json">` element) and its shim serves
 * to the trajectory view through the same messages the extension host sends (trajectory-messages.ts). Everything
 * is precomputed by analysis/ when the report is written: the page only looks values up.
 *
 * JSON has no NaN and no typed arrays, so the two places that use them are encoded: heatmap cells (`null` = NaN,
 * decoded to a Float64Array) and criterion weights (`null` = NaN, a criterion the rubric does not declare).
 */
export const REPORT_DATA_VERSION = 1;

/** The id of the element that holds the JSON. */
export const REPORT_DATA_ELEMENT = 'mas-report-data';

export interface EncodedGrid extends Omit<HeatmapGrid, 'values'> {
    values: (number | null)[];
}

export interface EncodedCriterionRow extends Omit<CriterionRow, 'weight'> {
    weight: number | null;
}

export interface EncodedRolloutView extends Omit<RolloutView, 'heatmaps' | 'rubric'> {
    rubric: { name: string; criteria: EncodedCriterionRow[] } | null;
    heatmaps: Record<string, EncodedGrid>;
}

export interface ReportStep {
    step: number;
    rollouts: EncodedRolloutView[];
    groups: GroupView[];
    /** Credit method → the step's mean credit, agents × turn index. */
    heatmaps: Record<string, EncodedGrid>;
}

export interface ReportData {
    version: typeof REPORT_DATA_VERSION;
    /** Run summary restricted to the steps in the report; `root` is the run's name (no local path is shared). */
    run: RunSummary;
    steps: ReportStep[];
    /** Said in the view when a user asks for something a static file cannot compute (what-if, re-scoring). */
    staticNote: string;
}
