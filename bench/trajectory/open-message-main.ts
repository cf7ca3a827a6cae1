// The trajectory view's open message before (every rollout of every step: summarizeRun, the previous code path,
// still used by the HTML report) and after (step heads + the opened step's rollouts: runHeads). Builds a synthetic
// run index in memory from the fixture run's records; prints bytes and time of building + serialising each.
import { performance } from 'node:perf_hooks';
import { RunDirService } from '../../analysis/run-dir/service.js';
import type { RunIndex } from '../../analysis/run-dir/run-index.js';
import { runHeads } from '../../analysis/run-dir/step-pages.js';
import { summarizeRun, summarizeRunFields } from '../../analysis/run-dir/view-model.js';

const [repoRoot, ...args] = process.argv.slice(2);
const big = args.includes('--big');
const STEPS = big ? 10_000 : 2_000;
const ROLLOUTS = big ? 64 : 16;

const fixture = await new RunDirService().index(`${repoRoot}/test/fixtures/runs/lazy-team-3steps`);
const template = fixture.steps[0]!;
const index: RunIndex = {
    ...fixture,
    steps: Array.from({ length: STEPS }, (_, s) => ({
        ...template,
        step: s + 1,
        rollouts: Array.from({ length: ROLLOUTS }, (_, r) => {
            const base = template.rollouts[r % template.rollouts.length]!;
            return {
                ...base,
                rollout: r,
                group: Math.floor(r / 8),
                sample: r % 8,
                reward: ((s * 31 + r * 7) % 100) / 100,
            };
        }),
    })),
};

function measure(label: string, build: () => unknown): { bytes: number; ms: number } {
    const runs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        bytes = Buffer.byteLength(JSON.stringify(build()));
        runs.push(performance.now() - t0);
    }
    const ms = runs.sort((a, b) => a - b)[1]!;
    console.log(
        `${label.padEnd(34)} ${String(bytes).padStart(12)} bytes  ${ms.toFixed(1).padStart(8)} ms (median of 3)`,
    );
    return { bytes, ms };
}

console.log(
    `synthetic run: ${STEPS} steps × ${ROLLOUTS} rollouts (${big ? '--big' : 'default; --big for 10 000 × 64'})`,
);
const before = measure('before: every step, every rollout', () => ({
    type: 'trajectory/run',
    run: summarizeRun(index, false),
}));
const after = measure('after: step heads + opened step', () => ({
    type: 'trajectory/run',
    run: runHeads(index, summarizeRunFields(index, false)),
}));
console.log(
    `size ratio before/after: ${(before.bytes / after.bytes).toFixed(1)}×   time ratio: ${(before.ms / after.ms).toFixed(2)}×`,
);
