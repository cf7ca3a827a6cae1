import type {
    EncodedGrid,
    EncodedRolloutView,
    ReportData,
    ReportSource,
    ReportStep,
} from '../../protocol/report-data.js';
import { REPORT_DATA_VERSION } from '../../protocol/report-data.js';
import type { HeatmapGrid, RolloutView } from '../../protocol/trajectory-messages.js';
import { agentSummary, LAZY_SHARE_THRESHOLD } from './agent-summary.js';
import { aggregateOf, mergeAggregates } from './aggregate.js';
import { reportHeader, reportMetrics } from './report-header.js';
import type { RunIndex } from './run-index.js';
import type { RunReader } from './service.js';
import {
    agreement,
    creditMethods,
    declaredAgents,
    frozenAgents,
    groupView,
    rolloutView,
    summarizeRun,
} from './view-model.js';

/** The report would exceed the size cap: says by how much, and which steps fit. */
export class ReportTooLargeError extends Error {
    constructor(
        readonly bytes: number,
        readonly limit: number,
        readonly lastStepThatFits: number | undefined,
    ) {
        super(`the report would be larger than ${formatMb(limit)} MB (reached ${formatMb(bytes)} MB)`);
        this.name = 'ReportTooLargeError';
    }
}

export const formatMb = (bytes: number): string => (bytes / 1_000_000).toFixed(bytes < 1_000_000 ? 2 : 1);

export interface ReportOptions {
    /** Inclusive step range; all steps when absent. */
    steps?: { from: number; to: number };
    /** Cap on the embedded JSON in bytes (UTF-16 length, close to UTF-8 for this data). */
    maxBytes: number;
    /** Keep each turn's token ids and log-probabilities (`--tokens`); left out by default. */
    tokens?: boolean;
    /** The workflow's source, or why it is left out (report-source.ts decides); left out when absent. */
    source?: ReportSource;
}

/** 6 significant digits: a heatmap cell is a colour and a 4-decimal tooltip, not data to compute with. */
const displayValue = (v: number): number => Number(v.toPrecision(6));

export function encodeGrid(grid: HeatmapGrid): EncodedGrid {
    return {
        ...grid,
        extent: displayValue(grid.extent),
        values: Array.from(grid.values, (v) => (Number.isNaN(v) ? null : displayValue(v))),
    };
}

/** The rollout without its turns' token arrays, their lengths kept in `tokenCounts`. */
function withoutTokens(view: RolloutView): RolloutView {
    const turns = view.record.turns;
    return {
        ...view,
        record: { ...view.record, turns: turns.map((t) => ({ ...t, token_ids: [], logprobs: [] })) },
        tokenCounts: turns.map((t) => t.token_ids.length),
    };
}

function encodeRollout(full: RolloutView, tokens: boolean): EncodedRolloutView {
    const view = tokens ? full : withoutTokens(full);
    const heatmaps = Object.fromEntries(Object.entries(view.heatmaps).map(([m, g]) => [m, encodeGrid(g)]));
    const rubric = view.rubric && {
        name: view.rubric.name,
        criteria: view.rubric.criteria.map((c) => ({ ...c, weight: Number.isNaN(c.weight) ? null : c.weight })),
    };
    const { agreement: _sameForTheStep, ...rest } = view;
    return { ...rest, heatmaps, rubric };
}

export const STATIC_NOTE =
    'This is a static report written by `mas report`: what-if edits and re-scoring need the run open in MAS Studio (VS Code).';

/**
 * Everything the trajectory view can ask for, precomputed for the chosen steps: each rollout's view, each group,
 * each step aggregate per credit method. Stops with ReportTooLargeError as soon as the JSON passes `maxBytes`,
 * before reading further steps.
 */
export async function buildReportData(
    reader: RunReader,
    index: RunIndex,
    options: ReportOptions,
): Promise<{ data: ReportData; json: string }> {
    const chosen = index.steps.filter(
        (s) => !options.steps || (s.step >= options.steps.from && s.step <= options.steps.to),
    );
    const tokens = options.tokens ?? false;
    const methods = creditMethods(index);
    const agents = declaredAgents(index);
    const frozen = frozenAgents(index);
    const summary = summarizeRun(index, false);
    const steps: ReportStep[] = [];
    const parts: string[] = [];
    let bytes = 0;
    for (const stepEntry of chosen) {
        const records = await reader.step(index.root, stepEntry.step);
        // The same for every rollout of the step: computed once, not once per rollout (quadratic in the step size).
        const stepAgreement = agreement(stepEntry.rollouts, methods);
        const groups = [...new Set(stepEntry.rollouts.map((r) => r.group))].sort((a, b) => a - b);
        const step: ReportStep = {
            step: stepEntry.step,
            rollouts: records.map((record) =>
                encodeRollout(rolloutView(index, record, { methods, agreement: stepAgreement }), tokens),
            ),
            groups: groups.map((g) => groupView(index, stepEntry.step, g)),
            agreement: stepAgreement,
            heatmaps: Object.fromEntries(
                methods.map((m) => [
                    m,
                    encodeGrid(mergeAggregates([aggregateOf(stepEntry.aggregates, m)], agents, frozen)),
                ]),
            ),
        };
        const json = JSON.stringify(step);
        bytes += json.length + 1;
        if (bytes > options.maxBytes) throw new ReportTooLargeError(bytes, options.maxBytes, steps.at(-1)?.step);
        steps.push(step);
        parts.push(json);
    }
    const chosenSteps = new Set(chosen.map((s) => s.step));
    const run = {
        ...summary,
        root: summary.name,
        steps: summary.steps.filter((s) => chosenSteps.has(s.step)),
        // Over the report's steps, like the rest of its summary.
        agentSummary: options.steps
            ? agentSummary(chosen, agents, methods, LAZY_SHARE_THRESHOLD, frozen)
            : summary.agentSummary,
    };
    const metrics = reportMetrics(index);
    const fixed = {
        version: REPORT_DATA_VERSION,
        header: reportHeader(index, metrics),
        metrics,
        source: options.source ?? { file: 'unknown', omitted: 'not requested' },
        tokens,
        run,
        staticNote: STATIC_NOTE,
    } as const;
    const data: ReportData = { ...fixed, steps };
    // Assembled from the per-step strings so a large run is stringified once.
    const head = JSON.stringify(fixed);
    const json = `${head.slice(0, -1)},"steps":[${parts.join(',')}]}`;
    if (json.length > options.maxBytes)
        throw new ReportTooLargeError(json.length, options.maxBytes, steps.at(-2)?.step);
    return { data, json };
}
