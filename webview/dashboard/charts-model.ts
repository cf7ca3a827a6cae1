import type { DashboardSlot } from '../../protocol/webview-messages.js';
import type { RunSeries } from './run-series.js';

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
    /** Legend label: the key without its group prefix, marked for the comparison run. */
    label: string;
    /** Index of the key in the chart, so a run and its comparison share a colour. */
    colour: number;
    /** An edge of a mean ± std band (drawn as a filled area, not a line). */
    band?: 'upper' | 'lower';
}

export interface ChartData {
    series: SeriesDef[];
    /** uPlot's aligned data: x (steps) first, then one array per series. */
    data: [number[], ...(number | null)[][]];
    /** uPlot series indices (x is 0) of each band's upper and lower edge. */
    bands: [number, number][];
}

export type Runs = Partial<Record<DashboardSlot, RunSeries>>;

function columnKeys(def: ChartDef, runs: Runs): string[] {
    if (Array.isArray(def.columns)) return [...def.columns];
    const { prefix } = def.columns as { prefix: string };
    const keys = new Set<string>();
    for (const run of [runs.primary, runs.compare]) for (const key of run?.keys(prefix) ?? []) keys.add(key);
    return [...keys];
}

function hasValue(column: readonly (number | null)[] | undefined, zeroIsAbsent = false): boolean {
    return column?.some((v) => v !== null && !(zeroIsAbsent && v === 0)) ?? false;
}

/** mean + sign × std per step (null where either is missing). */
function bandEdge(run: RunSeries, band: { mean: string; std: string }, sign: 1 | -1): (number | null)[] | undefined {
    const mean = run.column(band.mean),
        std = run.column(band.std);
    if (!mean || !std) return undefined;
    return mean.map((m, i) => (m === null || std[i] === null || std[i] === undefined ? null : m + sign * std[i]!));
}

/** Merged ascending x values of two strictly increasing step lists. */
export function mergeSteps(a: readonly number[], b: readonly number[]): number[] {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
        if (i < a.length && a[i] === x) i++;
        if (j < b.length && b[j] === x) j++;
        out.push(x);
    }
    return out;
}

/** A run's column laid on the merged x axis (null where the run has no such step). */
function align(x: readonly number[], run: RunSeries, column: readonly (number | null)[]): (number | null)[] {
    if (x === run.steps) return column as (number | null)[];
    const out = new Array<number | null>(x.length).fill(null);
    let j = 0;
    for (let i = 0; i < x.length && j < run.steps.length; i++) {
        if (x[i] === run.steps[j]) out[i] = column[j++] ?? null;
    }
    return out;
}

/**
 * The series and aligned data of one chart. Columns with no value in either run are left out (a CPU run has
 * no GPU memory); the comparison run's series follow the primary's with the same colour index.
 */
export function buildChartData(def: ChartDef, runs: Runs): ChartData {
    const slots = (['primary', 'compare'] as const).filter((slot) => runs[slot] !== undefined);
    const keys = columnKeys(def, runs).filter((key) =>
        slots.some((slot) => hasValue(runs[slot]!.column(key), def.zeroIsAbsent)),
    );
    const prefix = Array.isArray(def.columns) ? '' : (def.columns as { prefix: string }).prefix;
    const primary = runs.primary;
    const compare = runs.compare;
    const x = primary && compare ? mergeSteps(primary.steps, compare.steps) : ((primary ?? compare)?.steps ?? []);
    const series: SeriesDef[] = [];
    const ys: (number | null)[][] = [];
    keys.forEach((key, colour) => {
        for (const slot of slots) {
            const run = runs[slot]!;
            const column = run.column(key);
            const name = key.slice(prefix.length);
            series.push({ key, slot, colour, label: slot === 'compare' ? `${name} (compare)` : name });
            ys.push(column ? align(x, run, column) : new Array<number | null>(x.length).fill(null));
        }
    });
    const bands: [number, number][] = [];
    if (def.band) {
        for (const slot of slots) {
            const run = runs[slot]!;
            const upper = bandEdge(run, def.band, 1),
                lower = bandEdge(run, def.band, -1);
            if (!upper || !lower || !hasValue(upper)) continue;
            const colour = keys.indexOf(def.band.mean);
            const name = `${def.band.mean.slice(prefix.length)} ± ${def.band.std.slice(prefix.length)}${slot === 'compare' ? ' (compare)' : ''}`;
            series.push({ key: def.band.std, slot, colour, label: `${name} (upper)`, band: 'upper' });
            ys.push(align(x, run, upper));
            series.push({ key: def.band.std, slot, colour, label: `${name} (lower)`, band: 'lower' });
            ys.push(align(x, run, lower));
            bands.push([series.length - 1, series.length]); // uPlot indices: x is series 0
        }
    }
    return { series, data: [x as number[], ...ys], bands };
}

/** A key that changes when the chart's series change, so the chart is rebuilt only then. */
export function seriesSignature(chart: ChartData): string {
    return JSON.stringify(chart.series.map((s) => [s.key, s.slot, s.band ?? null]));
}
