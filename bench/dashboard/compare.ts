/**
 * Dashboard comparison figures (issue 15 item 7), printed, never asserted: the time to build the data of every chart
 * (what each redraw does before uPlot paints) for the main run alone and with 7 comparison runs of the same length,
 * each run's steps offset so the merged axis is as long as it gets, with the ratio per run shown. Pure Node, no
 * browser. Usage: node bench/dashboard/compare.mjs [--steps N] [--smoothing W] (defaults 2000 and 0.6).
 */
import type { MetricsRecord } from '../../protocol/run-dir.js';
import { MAX_COMPARE_RUNS } from '../../protocol/webview-messages.js';
import { buildChartData, CHARTS, emaSmooth, type ShownRun } from '../../webview/dashboard/charts-model.js';
import { RunSeries } from '../../webview/dashboard/run-series.js';

function flag(name: string, fallback: number): number {
    const at = process.argv.indexOf(name);
    const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
    if (!Number.isFinite(value)) throw new Error(`${name} takes a number`);
    return value;
}
const STEPS = flag('--steps', 2000);
/** EMA weight; smoothing draws each line twice (smoothed, raw behind), the costlier path. */
const SMOOTHING = flag('--smoothing', 0.6);

function recordAt(step: number, index: number): MetricsRecord {
    return {
        step,
        time: 1000 + step * 3,
        reward_mean: Math.sin(step / 50) + index / 10,
        reward_std: 0.1,
        success: 0.5,
        criteria: { answer: 0.5, format: 0.9 },
        credit_mean: { planner: 0.1, solver: 0.2, verifier: -0.1 },
        loss: 1 / step,
        kl: 0.01,
        grad_norm: { planner: 1, solver: 2, verifier: 3 },
        rollout_tokens_per_s: 300,
        update_tokens_per_s: 120,
        rollout_s: 2,
        update_s: 5,
    } as Partial<MetricsRecord> as MetricsRecord;
}

function run(index: number): ShownRun {
    const series = new RunSeries();
    // Even runs log every step from 1, odd runs every 2nd from 2: the merged axis has gaps to align.
    for (let i = 1; i <= STEPS; i++) series.append(recordAt(index % 2 === 0 ? i : i * 2, index));
    return { slot: index === 0 ? 'primary' : `compare-${index}`, series, colour: index, label: `run${index}` };
}

/** Median ms of `work` over `repeats` runs. */
function medianMs(work: () => void, repeats: number): number {
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
        const start = performance.now();
        work();
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
}

/**
 * Building every chart's data, as one redraw does after the main run (the live one) got a record: the comparison runs'
 * smoothed columns are kept, the main run's are smoothed again.
 */
const redrawMs = (runs: ShownRun[], repeats: number) =>
    medianMs(() => {
        const main = runs[0]!.series;
        main.append(recordAt(main.steps[main.steps.length - 1]! + 1, 0));
        for (const def of CHARTS) buildChartData(def, runs, { xAxis: 'step', smoothing: SMOOTHING });
    }, repeats);

/** The EMA before this change, the peer of the shipped one: `weight ** k` (Math.pow) at every point. */
function emaSmoothPow(values: readonly (number | null)[], weight: number): (number | null)[] {
    let last = 0;
    let k = 0;
    return values.map((v) => {
        if (v === null || !Number.isFinite(v)) return null;
        last = last * weight + (1 - weight) * v;
        k++;
        return last / (1 - weight ** k);
    });
}

const runs = Array.from({ length: MAX_COMPARE_RUNS + 1 }, (_, i) => run(i));
redrawMs(runs, 3); // warm-up: JIT
const one = redrawMs(runs.slice(0, 1), 31);
const all = redrawMs(runs, 31);
const columns = runs.flatMap((r) => r.series.keys().map((key) => r.series.column(key)!));
const emaOf = (ema: typeof emaSmooth) => () => columns.forEach((column) => ema(column, 0.6));
emaOf(emaSmoothPow)();
const emaPeer = medianMs(emaOf(emaSmoothPow), 31);
const emaShipped = medianMs(emaOf(emaSmooth), 31);
console.log(`steps per run: ${STEPS}; charts: ${CHARTS.length}; smoothing ${SMOOTHING}; median of 31 redraws`);
console.log(`main run alone:            ${one.toFixed(2)} ms per redraw`);
console.log(`main + ${MAX_COMPARE_RUNS} comparison runs: ${all.toFixed(2)} ms per redraw`);
console.log(
    `ratio ${(all / one).toFixed(2)} for ${runs.length}x the runs (${(all / one / runs.length).toFixed(2)} per run)`,
);
console.log(
    `EMA of all ${columns.length} columns: shipped (running product) ${emaShipped.toFixed(2)} ms, ` +
        `previous (Math.pow per point) ${emaPeer.toFixed(2)} ms, ratio shipped/previous ${(emaShipped / emaPeer).toFixed(2)}`,
);
