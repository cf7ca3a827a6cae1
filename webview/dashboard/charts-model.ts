import type { DashboardSlot } from '../../protocol/webview-messages.js';
import type { RunSeries } from './run-series.js';
import { align, mergeSteps, runAxis } from './chart-axis.js';

export { emaSmooth, mergeSteps, runAxis } from './chart-axis.js';

/** One chart of the dashboard: a title and the columns it draws (fixed, or every key of a map metric). */
export interface ChartDef {
    id: string;
    title: string;
    /** Fixed column keys, or a prefix whose keys are discovered from the runs. */
    columns: readonly string[] | { prefix: string };
    /** Said instead of an empty chart when no run has a value for it. */
    emptyText: string;
    /** Columns that are 0 at every step count as absent (KL with `kl: 0`: nothing is measured). */
    zeroIsAbsent?: boolean;
    /** Draw `std` as a band mean ± std around `mean` instead of a line of its own. */
    band?: { mean: string; std: string };
}

export const CHARTS: readonly ChartDef[] = [
    {
        id: 'reward',
        title: 'Reward (mean ± std)',
        columns: ['reward_mean'],
        emptyText: 'No steps yet.',
        band: { mean: 'reward_mean', std: 'reward_std' },
    },
    {
        id: 'criteria',
        title: 'Rubric criteria (mean score)',
        columns: { prefix: 'criteria/' },
        emptyText: 'No criterion scores yet.',
    },
    {
        id: 'credit',
        title: 'Credit per agent (mean)',
        columns: { prefix: 'credit_mean/' },
        emptyText: 'No credit yet.',
    },
    { id: 'loss', title: 'Loss', columns: ['loss'], emptyText: 'No loss yet.' },
    {
        id: 'kl',
        title: 'KL to reference',
        columns: ['kl'],
        emptyText: 'No KL: the run has no KL penalty (kl: 0).',
        zeroIsAbsent: true,
    },
    {
        id: 'grad',
        title: 'Gradient norm per agent',
        columns: { prefix: 'grad_norm/' },
        emptyText: 'No gradient norms yet.',
    },
    {
        id: 'zero-std',
        title: 'Groups with equal rewards (frac_zero_std: no learning signal)',
        columns: ['frac_zero_std'],
        emptyText: 'No frac_zero_std: the run was written before the trainer recorded it.',
    },
    {
        id: 'throughput',
        title: 'Tokens per second',
        columns: ['rollout_tokens_per_s', 'update_tokens_per_s'],
        emptyText: 'No throughput yet.',
    },
    {
        id: 'time',
        title: 'Time per step: rollout vs update (s)',
        columns: ['rollout_s', 'update_s'],
        emptyText: 'No timings yet.',
    },
    {
        id: 'gpu',
        title: 'Peak GPU memory (MiB)',
        columns: ['gpu_memory_mb'],
        emptyText: 'No GPU memory figures: the run uses the CPU.',
    },
];

export interface SeriesDef {
    /** Column key in the run (`reward_mean`, `criteria/answer`). */
    key: string;
    slot: DashboardSlot;
    /** Legend label: the key without its group prefix, followed by the run's label when runs are compared. */
    label: string;
    /**
     * Palette index: the key's index in the chart when one run is shown; the run's own colour when runs are compared
     * (so every chart draws a run in the same colour).
     */
    colour: number;
    /** Dash pattern telling the keys of one run apart when the colour says the run; absent: a solid line. */
    dash?: number[];
    /** An edge of a mean ± std band (drawn as a filled area, not a line). */
    band?: 'upper' | 'lower';
    /** The unsmoothed values drawn faintly behind a smoothed line. */
    raw?: boolean;
}

/** How the charts read the runs: the x axis, and TensorBoard-style EMA smoothing (0 = none, < 1). */
export interface ChartOptions {
    xAxis: 'step' | 'time';
    smoothing: number;
}

export const DEFAULT_CHART_OPTIONS: ChartOptions = { xAxis: 'step', smoothing: 0 };

export interface ChartData {
    series: SeriesDef[];
    /** uPlot's aligned data: x (steps) first, then one array per series. */
    data: [number[], ...(number | null)[][]];
    /** uPlot series indices (x is 0) of each band's upper and lower edge. */
    bands: [number, number][];
}

/** A run the dashboard draws: its records, its palette colour and the label its legend entries carry. */
export interface ShownRun {
    slot: DashboardSlot;
    series: RunSeries;
    /** Palette index, fixed while the run is shown (the primary is 0). */
    colour: number;
    /** Unique among the shown runs: the run's name and credit method (`lazy-team (shapley)`). */
    label: string;
}

/** The runs drawn, the primary (when there is one) first. */
export type Runs = readonly ShownRun[];

/** Dash patterns for the 2nd, 3rd… key of a chart when colours mean runs (the first key is solid). */
const KEY_DASHES: readonly number[][] = [
    [6, 4],
    [2, 3],
    [10, 3, 2, 3],
    [1, 6],
];

function columnKeys(def: ChartDef, runs: Runs): string[] {
    if (Array.isArray(def.columns)) return [...def.columns];
    const { prefix } = def.columns as { prefix: string };
    const keys = new Set<string>();
    for (const run of runs) for (const key of run.series.keys(prefix)) keys.add(key);
    return [...keys];
}

function hasValue(column: readonly (number | null)[] | undefined, zeroIsAbsent = false): boolean {
    return column?.some((v) => v !== null && !(zeroIsAbsent && v === 0)) ?? false;
}

/** mean + sign × std per step (null where either is missing), both smoothed like the lines. */
function bandEdge(
    run: RunSeries,
    band: { mean: string; std: string },
    sign: 1 | -1,
    weight: number,
): (number | null)[] | undefined {
    const mean = run.smoothed(band.mean, weight),
        std = run.smoothed(band.std, weight);
    if (!mean || !std) return undefined;
    return mean.map((m, i) => (m === null || std[i] === null || std[i] === undefined ? null : m + sign * std[i]!));
}

/**
 * The series and aligned data of one chart. Columns with no value in any run are left out (a CPU run has no GPU
 * memory). One run: a colour per key. Several runs: a colour per run (its own on every chart), keys told apart by
 * their dash pattern, and every legend entry names its run. With smoothing, each line is the EMA of its values and the
 * raw values follow it as a faint series of their own.
 */
export function buildChartData(def: ChartDef, runs: Runs, options: ChartOptions = DEFAULT_CHART_OPTIONS): ChartData {
    const keys = columnKeys(def, runs).filter((key) =>
        runs.some((run) => hasValue(run.series.column(key), def.zeroIsAbsent)),
    );
    const prefix = Array.isArray(def.columns) ? '' : (def.columns as { prefix: string }).prefix;
    const comparing = runs.length > 1;
    const axes = runs.map((run) => runAxis(run.series, options.xAxis));
    const x = axes.reduce<number[]>((merged, axis) => mergeSteps(merged, axis.x), []);
    const named = (name: string, run: ShownRun) => (comparing ? `${name} · ${run.label}` : name);
    const series: SeriesDef[] = [];
    const ys: (number | null)[][] = [];
    keys.forEach((key, keyIndex) => {
        runs.forEach((run, r) => {
            const column = run.series.column(key);
            const label = named(key.slice(prefix.length), run);
            const dash = comparing && keyIndex > 0 ? KEY_DASHES[(keyIndex - 1) % KEY_DASHES.length] : undefined;
            const style = { key, slot: run.slot, colour: comparing ? run.colour : keyIndex, ...(dash ? { dash } : {}) };
            series.push({ ...style, label });
            const smoothed = run.series.smoothed(key, options.smoothing);
            ys.push(smoothed ? align(x, axes[r]!, smoothed) : new Array<number | null>(x.length).fill(null));
            if (options.smoothing > 0 && column) {
                series.push({ ...style, label: `${label} (raw)`, raw: true });
                ys.push(align(x, axes[r]!, column));
            }
        });
    });
    const bands: [number, number][] = [];
    if (def.band) {
        const band = def.band;
        runs.forEach((run, r) => {
            const upper = bandEdge(run.series, band, 1, options.smoothing),
                lower = bandEdge(run.series, band, -1, options.smoothing);
            if (!upper || !lower || !hasValue(upper)) return;
            const colour = comparing ? run.colour : keys.indexOf(band.mean);
            const name = named(`${band.mean.slice(prefix.length)} ± ${band.std.slice(prefix.length)}`, run);
            series.push({ key: band.std, slot: run.slot, colour, label: `${name} (upper)`, band: 'upper' });
            ys.push(align(x, axes[r]!, upper));
            series.push({ key: band.std, slot: run.slot, colour, label: `${name} (lower)`, band: 'lower' });
            ys.push(align(x, axes[r]!, lower));
            bands.push([series.length - 1, series.length]); // uPlot indices: x is series 0
        });
    }
    return { series, data: [x, ...ys], bands };
}

/** A key that changes when the chart's series change (labels and colours included), so the chart is rebuilt only then. */
export function seriesSignature(chart: ChartData): string {
    return JSON.stringify(chart.series.map((s) => [s.key, s.slot, s.label, s.colour, s.band ?? null, s.raw ?? false]));
}
