// The dashboard's pure parts: TensorBoard-style smoothing, the wall-clock axis, the settings diff, the CSV export.
import { describe, expect, it } from 'vitest';
import { runConfig, MAX_CONFIG_KEYS } from '../../analysis/run-dir/run-config.js';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import { buildChartData, CHARTS, emaSmooth, runAxis } from '../../webview/dashboard/charts-model.js';
import { configDiff } from '../../webview/dashboard/config-diff.js';
import { csvText, runsCsv } from '../../webview/dashboard/export-csv.js';
import { RunSeries } from '../../webview/dashboard/run-series.js';

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
        const smoothed = buildChartData(loss, { primary: series }, { xAxis: 'step', smoothing: 0.5 });
        expect(smoothed.series.map((s) => [s.label, s.raw ?? false])).toEqual([
            ['loss', false],
            ['loss (raw)', true],
        ]);
        expect(smoothed.data).toEqual([
            [1, 2],
            [1, 1 / 3],
            [1, 0],
        ]);
        expect(buildChartData(loss, { primary: series }).series).toHaveLength(1);
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
        const diff = configDiff(a, runConfig(spec(0.002, 'shapley')));
        expect(diff.map((r) => [r.key, r.primary, r.compare])).toEqual([
            ['train.credit.method', 'outcome', 'shapley'],
            ['train.lr', '0.001', '0.002'],
        ]);
        expect(configDiff({ x: '1' }, {})).toEqual([{ key: 'x', primary: '1', compare: '–' }]);
    });

    it('runConfig tolerates any run.json and caps what it lists', () => {
        expect(runConfig(null)).toEqual({});
        expect(runConfig({ train: 'nonsense', agents: [1, null, { name: 3 }] })).toEqual({ train: 'nonsense' });
        const wide = { train: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) };
        expect(Object.keys(runConfig(wide))).toHaveLength(MAX_CONFIG_KEYS);
    });

    it('runsCsv writes one row per run and step with every column; text cells cannot become formulas', () => {
        const series = run([{ reward_mean: 0.5, criteria: { '=cmd()': 1 } }, { reward_mean: 1 }]);
        const csv = runsCsv({ primary: series }, { primary: 'run,"a"' }).split('\r\n');
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
