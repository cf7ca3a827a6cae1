// The dashboard's pure parts: TensorBoard-style smoothing, the wall-clock axis, the settings diff, the CSV export.
import { describe, expect, it } from 'vitest';
import { runConfig, MAX_CONFIG_KEYS } from '../../analysis/run-dir/run-config.js';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import { buildChartData, CHARTS, emaSmooth, runAxis } from '../../webview/dashboard/charts-model.js';
import { configDiff, creditMethod, MAX_DIFF_ROWS } from '../../webview/dashboard/config-diff.js';
import { csvText, runsCsv } from '../../webview/dashboard/export-csv.js';
import { RunSeries } from '../../webview/dashboard/run-series.js';
import { ShownRuns } from '../../webview/dashboard/shown-runs.js';
import type { DashboardRunInfo, DashboardSlot } from '../../protocol/webview-messages.js';

const run = (rows: Partial<MetricsRecord>[]) => {
    const series = new RunSeries();
    rows.forEach((r, i) => series.append({ step: i + 1, ...r } as MetricsRecord));
    return series;
};

describe('dashboard smoothing and axes', () => {
    it('emaSmooth is TensorBoard’s debiased EMA: the first point is kept, gaps stay gaps and do not count', () => {
        expect(emaSmooth([1, 0, 0], 0.5)).toEqual([1, 1 / 3, 1 / 7]); // (0.5·1)/(0.5), (0.25)/(0.75), (0.125)/(0.875)
        expect(emaSmooth([2, null, 2], 0.9)).toEqual([2, null, 2]);
        expect(emaSmooth([3, 1], 0)).toEqual([3, 1]);
    });

    it('runAxis gives minutes since the first record and drops rows without a later time', () => {
        const series = run([{ time: 100 }, { time: 160 }, { time: 130 }, {}, { time: 400 }]);
        expect(runAxis(series, 'time')).toEqual({ x: [0, 1, 5], rows: [0, 1, 4] });
        expect(runAxis(series, 'step')).toEqual({ x: [1, 2, 3, 4, 5], rows: [0, 1, 2, 3, 4] });
    });

    it('buildChartData draws the smoothed line with the raw values as a series of their own', () => {
        const series = run([{ loss: 1 }, { loss: 0 }]);
        const loss = CHARTS.find((c) => c.id === 'loss')!;
        const smoothed = buildChartData(loss, [{ slot: 'primary', series, colour: 0, label: 'a' }], {
            xAxis: 'step',
            smoothing: 0.5,
        });
        expect(smoothed.series.map((s) => [s.label, s.raw ?? false])).toEqual([
            ['loss', false],
            ['loss (raw)', true],
        ]);
        expect(smoothed.data).toEqual([
            [1, 2],
            [1, 1 / 3],
            [1, 0],
        ]);
        expect(buildChartData(loss, [{ slot: 'primary', series, colour: 0, label: 'a' }]).series).toHaveLength(1);
    });
});

describe('dashboard settings diff and CSV', () => {
    it('runConfig flattens the spec by name; configDiff lists only what differs', () => {
        const spec = (lr: number, credit: string) => ({
            train: { lr, seed: 1, credit: { method: credit, params: {} } },
            models: [{ name: 'base', source: { kind: 'hf', id: 'x' } }],
            agents: [{ name: 'a', model: 'base', prompt: [{ text: 'long prompt' }], temperature: 1 }],
        });
        const a = runConfig(spec(0.001, 'outcome'));
        expect(a).toMatchObject({
            'train.lr': '0.001',
            'train.credit.method': 'outcome',
            'model.base.source.kind': 'hf',
            'agent.a.temperature': '1',
        });
        expect(Object.keys(a).some((k) => k.includes('prompt'))).toBe(false);
        const { rows } = configDiff([a, runConfig(spec(0.002, 'shapley'))]);
        expect(rows.map((r) => [r.key, ...r.values])).toEqual([
            ['train.credit.method', 'outcome', 'shapley'],
            ['train.lr', '0.001', '0.002'],
        ]);
        expect(configDiff([{ x: '1' }, {}]).rows).toEqual([{ key: 'x', values: ['1', '–'] }]);
        expect(creditMethod(a)).toBe('outcome');
        expect(creditMethod({})).toBeUndefined();
    });

    it('configDiff over four runs: one column per run, only the settings not equal in all of them', () => {
        const configs = [
            { 'train.lr': '0.001', 'train.seed': '1', 'train.credit.method': 'outcome' },
            { 'train.lr': '0.001', 'train.seed': '1', 'train.credit.method': 'shapley' },
            { 'train.lr': '0.001', 'train.seed': '2', 'train.credit.method': 'outcome' },
            { 'train.lr': '0.001', 'train.seed': '1', 'train.credit.method': 'outcome', 'train.extra': 'x' },
        ];
        expect(configDiff(configs)).toEqual({
            rows: [
                { key: 'train.credit.method', values: ['outcome', 'shapley', 'outcome', 'outcome'] },
                { key: 'train.extra', values: ['–', '–', '–', 'x'] },
                { key: 'train.seed', values: ['1', '1', '2', '1'] },
            ],
            more: 0,
        });
        expect(configDiff(configs.slice(0, 1))).toEqual({ rows: [], more: 0 });
    });

    it('configDiff treats a config from a message as hostile: non-string values, inherited keys, huge tables', () => {
        const hostile = JSON.parse('{"a": 3, "b": null, "c": "same"}') as Record<string, unknown>;
        // `toString` is inherited by every object: only a run's own key counts as its setting.
        expect(configDiff([hostile, { a: '3', c: 'same', toString: 'y' }]).rows).toEqual([
            { key: 'a', values: ['–', '3'] },
            { key: 'toString', values: ['–', 'y'] },
        ]);
        const wide = Object.fromEntries(Array.from({ length: MAX_DIFF_ROWS + 5 }, (_, i) => [`k${i}`, String(i)]));
        const big = configDiff([wide, {}]);
        expect([big.rows.length, big.more]).toEqual([MAX_DIFF_ROWS, 5]);
    });

    it('runConfig tolerates any run.json and caps what it lists', () => {
        expect(runConfig(null)).toEqual({});
        expect(runConfig({ train: 'nonsense', agents: [1, null, { name: 3 }] })).toEqual({ train: 'nonsense' });
        const wide = { train: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) };
        expect(Object.keys(runConfig(wide))).toHaveLength(MAX_CONFIG_KEYS);
    });

    it('runsCsv writes one row per run and step with every column; text cells cannot become formulas', () => {
        const series = run([{ reward_mean: 0.5, criteria: { '=cmd()': 1 } }, { reward_mean: 1 }]);
        const csv = runsCsv([{ name: 'run,"a"', series }]).split('\r\n');
        expect(csv[0]!.split(',').slice(0, 4)).toEqual(['run', 'step', 'time', 'reward_mean']);
        expect(csv[0]!.endsWith(',criteria/=cmd()')).toBe(true);
        expect(csv[1]!.startsWith('"run,""a""",1,,0.5,')).toBe(true);
        expect(csv[1]!.endsWith(',1')).toBe(true);
        expect(csv[2]!.endsWith(',')).toBe(true); // the criterion is missing at step 2
        expect(csvText('=1+1')).toBe("'=1+1");
        expect(csvText('-2')).toBe("'-2");
        expect(csvText('a"b')).toBe('"a""b"');
    });
});

const runInfo = (slot: DashboardSlot, name: string, credit?: string): DashboardRunInfo => ({
    slot,
    name,
    runDir: `/runs/${slot}`,
    status: 'running',
    stepsCompleted: 0,
    stepsTotal: null,
    error: null,
    config: credit ? { 'train.credit.method': credit } : {},
});

describe('the runs the dashboard shows', () => {
    it('keeps each run’s colour when another is removed, names every run uniquely with its credit method', () => {
        const runs = new ShownRuns();
        runs.reset(runInfo('compare-1', 'b', 'shapley'));
        runs.reset(runInfo('primary', 'a', 'outcome'));
        runs.reset(runInfo('compare-2', 'a', 'outcome'));
        runs.reset(runInfo('compare-3', 'c'));
        expect(runs.shown().map((r) => [r.slot, r.colour, r.label])).toEqual([
            ['primary', 0, 'a (outcome)'],
            ['compare-1', 1, 'b (shapley)'],
            ['compare-2', 2, 'a #2 (outcome)'],
            ['compare-3', 3, 'c'],
        ]);
        runs.remove('compare-2');
        runs.reset(runInfo('compare-4', 'd'));
        runs.reset(runInfo('compare-3', 'c', 'difference')); // re-read: same colour, new records
        expect(runs.shown().map((r) => [r.slot, r.colour, r.label])).toEqual([
            ['primary', 0, 'a (outcome)'],
            ['compare-1', 1, 'b (shapley)'],
            ['compare-3', 3, 'c (difference)'],
            ['compare-4', 2, 'd'],
        ]);
        expect(runs.update(runInfo('compare-2', 'gone'))).toBe(false);
    });

    it('runsCsv writes every shown run’s rows under its own name in the run column', () => {
        const runs = new ShownRuns();
        runs.reset(runInfo('primary', 'a'));
        runs.reset(runInfo('compare-1', 'b'));
        runs.reset(runInfo('compare-2', 'c'));
        runs.get('primary')!.series.append({ step: 1, reward_mean: 0.5 } as Partial<MetricsRecord> as MetricsRecord);
        runs.get('compare-1')!.series.append({
            step: 2,
            reward_mean: 1,
            criteria: { x: 1 },
        } as Partial<MetricsRecord> as MetricsRecord);
        runs.get('compare-2')!.series.append({ step: 3, reward_mean: 0 } as Partial<MetricsRecord> as MetricsRecord);
        const names = runs.names();
        const lines = runsCsv(runs.all().map((entry, i) => ({ name: names[i]!, series: entry.series })))
            .trim()
            .split('\r\n');
        expect(lines.map((l) => l.split(',').slice(0, 2))).toEqual([
            ['run', 'step'],
            ['a', '1'],
            ['b', '2'],
            ['c', '3'],
        ]);
        expect(lines[0]!.endsWith('criteria/x')).toBe(true);
        expect(lines[2]!.endsWith(',1')).toBe(true);
        expect(lines[1]!.endsWith(',')).toBe(true);
    });
});
