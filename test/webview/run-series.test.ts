import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import {
    buildChartData,
    CHARTS,
    mergeSteps,
    type ChartDef,
    type ShownRun,
} from '../../webview/dashboard/charts-model.js';
import { RunSeries } from '../../webview/dashboard/run-series.js';

/** Three real lines written by `python -m mas_trainer run` on examples/signal (CPU). */
const realRecords = readFileSync(new URL('../fixtures/webview/metrics-signal.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MetricsRecord);

function record(step: number, extra: Partial<MetricsRecord> = {}): MetricsRecord {
    return { ...realRecords[0]!, step, reward_mean: step / 10, ...extra };
}

const chart = (id: string): ChartDef => CHARTS.find((c) => c.id === id)!;
/** The main run alone, as the dashboard passes it to the charts. */
const one = (series: RunSeries): ShownRun[] => [{ slot: 'primary', series, colour: 0, label: 'main' }];

describe('metrics fixture', () => {
    it('matches the trainer contract (protocol/schemas/run-dir/metrics-record.schema.json)', () => {
        const schema = JSON.parse(
            readFileSync(new URL('../../protocol/schemas/run-dir/metrics-record.schema.json', import.meta.url), 'utf8'),
        ) as object;
        const validate = new AjvModule.default({ allErrors: true, strict: false }).compile(schema);
        for (const r of realRecords) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    });
});

describe('RunSeries', () => {
    it('turns real trainer records into one column per scalar and per map entry', () => {
        const run = new RunSeries();
        for (const r of realRecords) run.append(r);
        expect(run.steps).toEqual([1, 2, 3]);
        expect(run.keys('criteria/')).toEqual(['criteria/correct']);
        expect(run.keys('credit_mean/')).toEqual(['credit_mean/speaker', 'credit_mean/listener']);
        expect(run.column('rollout_s')).toEqual(realRecords.map((r) => r.rollout_s));
        expect(run.column('gpu_memory_mb')).toEqual([null, null, null]);
    });

    it('pads columns that appear late or go missing with nulls, and ignores non-numeric values', () => {
        const run = new RunSeries();
        run.append(record(1, { criteria: { a: 1 } }));
        run.append(record(2, { criteria: { a: 0.5, b: 1 } }));
        run.append(record(3, { criteria: { b: 'x' as unknown as number } }));
        expect(run.column('criteria/a')).toEqual([1, 0.5, null]);
        expect(run.column('criteria/b')).toEqual([null, 1, null]);
    });

    it('replaces its tail when a step comes again (resume), so no step is drawn twice', () => {
        const run = new RunSeries();
        for (const step of [1, 2, 3, 4]) run.append(record(step));
        run.append(record(3, { reward_mean: 9 }));
        expect(run.steps).toEqual([1, 2, 3]);
        expect(run.column('reward_mean')).toEqual([0.1, 0.2, 9]);
    });
});

describe('RunSeries.smoothed', () => {
    it('is the EMA of the column, kept between redraws and computed again after an append or a resume rewrite', () => {
        const run = new RunSeries();
        for (const step of [1, 2]) run.append(record(step, { loss: step === 1 ? 1 : 0 }));
        const first = run.smoothed('loss', 0.5);
        expect(first).toEqual([1, 1 / 3]);
        expect(run.smoothed('loss', 0.5)).toBe(first); // nothing changed: the same array
        expect(run.smoothed('loss', 0)).toBe(run.column('loss'));
        run.append(record(3, { loss: 0 }));
        expect(run.smoothed('loss', 0.5)).toEqual([1, 1 / 3, 1 / 7]);
        run.append(record(2, { loss: 1 })); // the trainer rewrote its tail from step 2 on resume
        expect(run.smoothed('loss', 0.5)).toEqual([1, 1]);
        expect(run.smoothed('loss', 0.9)).toEqual([1, 1]);
        expect(run.smoothed('nothing', 0.5)).toBeUndefined();
    });
});

describe('chart data', () => {
    it('merges two step lists into one ascending axis without duplicates', () => {
        expect(mergeSteps([1, 2, 4, 8], [2, 3, 8, 9])).toEqual([1, 2, 3, 4, 8, 9]);
        expect(mergeSteps([], [5])).toEqual([5]);
    });

    it('builds primary series only, using the live columns', () => {
        const run = new RunSeries();
        for (const r of realRecords) run.append(r);
        const data = buildChartData(chart('credit'), one(run));
        expect(data.series.map((s) => s.label)).toEqual(['speaker', 'listener']);
        expect(data.data[0]).toEqual([1, 2, 3]);
        expect(data.data).toHaveLength(3);
    });

    it('overlays a comparison run on the merged steps with aligned nulls, each run in its own colour', () => {
        const primary = new RunSeries();
        const compare = new RunSeries();
        for (const step of [1, 2, 3]) primary.append(record(step));
        for (const step of [2, 4]) compare.append(record(step, { reward_mean: step * 100 }));
        const data = buildChartData(chart('reward'), [
            { slot: 'primary', series: primary, colour: 0, label: 'a (outcome)' },
            { slot: 'compare-1', series: compare, colour: 3, label: 'b (shapley)' },
        ]);
        expect(data.series.map((s) => [s.label, s.slot, s.colour, s.band])).toEqual([
            ['reward_mean · a (outcome)', 'primary', 0, undefined],
            ['reward_mean · b (shapley)', 'compare-1', 3, undefined],
            ['reward_mean ± reward_std · a (outcome) (upper)', 'primary', 0, 'upper'],
            ['reward_mean ± reward_std · a (outcome) (lower)', 'primary', 0, 'lower'],
            ['reward_mean ± reward_std · b (shapley) (upper)', 'compare-1', 3, 'upper'],
            ['reward_mean ± reward_std · b (shapley) (lower)', 'compare-1', 3, 'lower'],
        ]);
        expect(data.data[0]).toEqual([1, 2, 3, 4]);
        expect(data.data[1]).toEqual([0.1, 0.2, 0.3, null]);
        expect(data.data[2]).toEqual([null, 200, null, 400]);
        expect(data.bands).toEqual([
            [3, 4],
            [5, 6],
        ]);
    });

    it('draws three comparison runs on one merged axis; keys of a run differ by dash, runs by colour', () => {
        const runs: ShownRun[] = [[1, 2], [2, 3], [5], [1, 5]].map((steps, i) => {
            const series = new RunSeries();
            for (const step of steps) series.append(record(step, { criteria: { answer: i, format: 1 } }));
            return { slot: i === 0 ? 'primary' : `compare-${i}`, series, colour: i, label: `r${i}` };
        });
        const data = buildChartData(chart('criteria'), runs);
        expect(data.data[0]).toEqual([1, 2, 3, 5]);
        expect(data.series.map((s) => [s.label, s.colour, s.dash ?? null])).toEqual([
            ['answer · r0', 0, null],
            ['answer · r1', 1, null],
            ['answer · r2', 2, null],
            ['answer · r3', 3, null],
            ['format · r0', 0, [6, 4]],
            ['format · r1', 1, [6, 4]],
            ['format · r2', 2, [6, 4]],
            ['format · r3', 3, [6, 4]],
        ]);
        expect(data.data.slice(1, 5)).toEqual([
            [0, 0, null, null],
            [null, 1, 1, null],
            [null, null, null, 2],
            [3, null, null, 3],
        ]);
        // One run: a colour per key, solid lines, legends without the run's name (as before comparisons).
        expect(buildChartData(chart('criteria'), runs.slice(0, 1)).series.map((s) => [s.label, s.colour])).toEqual([
            ['answer', 0],
            ['format', 1],
        ]);
    });

    it('draws the reward std as a band mean ± std, not as a line of its own (first-hour bug B11)', () => {
        const run = new RunSeries();
        run.append(record(1, { reward_mean: 0.5, reward_std: 0.25 }));
        run.append(record(2, { reward_mean: 0.75, reward_std: null as unknown as number }));
        const data = buildChartData(chart('reward'), one(run));
        expect(data.series.map((s) => s.key)).toEqual(['reward_mean', 'reward_std', 'reward_std']);
        expect(data.data.slice(1)).toEqual([
            [0.5, 0.75],
            [0.75, null],
            [0.25, null],
        ]);
        expect(data.bands).toEqual([[2, 3]]);
    });

    it('leaves out a KL chart that is 0 at every step: the run has no KL penalty (first-hour bug B11)', () => {
        const run = new RunSeries();
        for (const step of [1, 2, 3]) run.append(record(step, { kl: 0 }));
        expect(buildChartData(chart('kl'), one(run)).series).toEqual([]);
        run.append(record(4, { kl: 0.01 }));
        expect(buildChartData(chart('kl'), one(run)).data[1]).toEqual([0, 0, 0, 0.01]);
        expect(buildChartData(chart('loss'), one(run)).series).toHaveLength(1); // other charts keep zeros
    });

    it('draws frac_zero_std, the share of GRPO groups that teach nothing, when the run records it', () => {
        const run = new RunSeries();
        for (const r of realRecords) run.append(r); // written before the trainer recorded it
        expect(buildChartData(chart('zero-std'), one(run)).series).toEqual([]);
        run.append(record(4, { frac_zero_std: 0.75 }));
        expect(buildChartData(chart('zero-std'), one(run)).data[1]).toEqual([null, null, null, 0.75]);
    });

    it('leaves out a column no run has a value for (GPU memory on CPU)', () => {
        const run = new RunSeries();
        for (const r of realRecords) run.append(r);
        expect(buildChartData(chart('gpu'), one(run)).series).toEqual([]);
        run.append(record(4, { gpu_memory_mb: 812.5 }));
        expect(buildChartData(chart('gpu'), one(run)).data[1]).toEqual([null, null, null, 812.5]);
    });
});
