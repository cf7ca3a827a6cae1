/**
 * What-if critic figures: TypeScript (tokenizer + onnxruntime-node in a worker) vs the trainer's PyTorch values on the
 * fixture critic (max abs difference), and latency per trajectory of 64 turns through the worker (p50 / p95).
 * The fixture critic is the trainer's small scratch transformer (test/fixtures/critic), not an MLP.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decisionPrefixes } from '../../analysis/critic/transcript.js';
import { OnnxCriticScorer } from '../../client/src/onnx/critic-scorer.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';

const repo = process.argv[2]!;
const workerFile = process.argv[3]!;
const fixture = path.join(repo, 'test/fixtures/critic');
const root = mkdtempSync(path.join(tmpdir(), 'mas-critic-bench-'));
for (const f of ['critic.onnx', 'critic.onnx.json']) copyFileSync(path.join(fixture, f), path.join(root, f));
writeFileSync(path.join(root, 'run.json'), '{}');
const scorer = new OnnxCriticScorer(workerFile, () => true);
try {
    const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
        turns: TrajectoryRecord['turns'][];
        values: number[];
    };
    let at = 0,
        maxDiff = 0;
    const t0 = performance.now();
    for (const turns of expected.turns) {
        const values = await scorer.values(root, turns);
        values.forEach((v, i) => {
            maxDiff = Math.max(maxDiff, Math.abs(v - expected.values[at + i]!));
        });
        at += decisionPrefixes(turns).length;
    }
    console.log(
        `critic TS vs PyTorch: max abs difference ${maxDiff.toExponential(2)} over ${at} values (target ≤ 1e-5); first call incl. loading onnxruntime-node and the model in the worker: ${(performance.now() - t0).toFixed(0)} ms`,
    );
    const turns = Array.from({ length: 64 }, (_, i) => ({
        agent: `a${i % 3}`,
        prompt: `p${i}>`,
        output: `out ${i}`,
        nulled: false,
    })) as unknown as TrajectoryRecord['turns'];
    const times: number[] = [];
    for (let k = 0; k < 200; k++) {
        const t = performance.now();
        await scorer.values(root, turns);
        times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
        `critic values for a 64-turn trajectory (64 prefixes, one batch, worker round trip): p50 ${times[100]!.toFixed(2)} ms, p95 ${times[190]!.toFixed(2)} ms (target ≤ 0.5 ms for an MLP critic; this is a 1-layer transformer over up to 48 tokens)`,
    );
} finally {
    await scorer.dispose();
    rmSync(root, { recursive: true, force: true });
}
