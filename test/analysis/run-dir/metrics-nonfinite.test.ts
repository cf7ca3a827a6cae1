// One NaN policy on both sides (issue 14, F6): the trainer writes a statistic that came out NaN or ±Infinity as
// null and counts it in `nonfinite_values`; the editor's metrics reader keeps such a line instead of skipping it.
import { describe, expect, it } from 'vitest';
import { JsonlLines } from '../../../analysis/run-dir/jsonl-lines.js';
import { validateMetrics } from '../../../analysis/run-dir/validate.js';
import type { MetricsRecord } from '../../../protocol/run-dir.js';

const encoder = new TextEncoder();

describe('metrics line of a diverged step', () => {
    it('is read, with its nulls, and a wrongly typed reward_mean is still refused with file:line', () => {
        const diverged = {
            step: 2,
            time: 1,
            reward_mean: null,
            reward_std: null,
            loss: null,
            kl: null,
            grad_norm: { a: null },
            nonfinite_values: 4,
        };
        const lines = new JsonlLines<MetricsRecord>('metrics.jsonl', { validate: validateMetrics });
        const text = `${JSON.stringify({ step: 1, time: 0, reward_mean: 0.5 })}\n${JSON.stringify(diverged)}\n{"step":3,"reward_mean":"0.5"}\n`;
        const batch = lines.push(encoder.encode(text));
        expect(batch.records.map((r) => [r.step, r.reward_mean, r.nonfinite_values])).toEqual([
            [1, 0.5, undefined],
            [2, null, 4],
        ]);
        expect(batch.issues).toEqual([
            { file: 'metrics.jsonl', line: 3, message: expect.stringContaining('reward_mean') },
        ]);
    });
});
