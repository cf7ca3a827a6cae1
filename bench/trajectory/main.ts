/**
 * Trajectory reader figures (issue 6): a synthetic run of N trajectories (default 100 000, ~600 000 turns), then
 * - cold index build (byte-level scanner) vs a plain streaming JSON.parse scan and the previous JSON.parse reader;
 * - reopen: the full index from the saved index;
 * - first page of a trajectory by id: jump by byte offset (ours) vs scanning until the id (peer), median and p95;
 * - the whole-run heatmap merged from the per-step aggregates of the index in memory; heap of the index after gc.
 * (The reopen figure "whole-run heatmap from the saved aggregates" went with that code in issue 12: only this bench
 * used it. See RESULTS.md.)
 * Prints figures; never passes or fails on time. Usage: node bench/trajectory/run.mjs [--quick]
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { mergeAggregates } from '../../analysis/run-dir/aggregate.js';
import { readRolloutAt } from '../../analysis/run-dir/read-rollout.js';
import { buildRunIndex } from '../../analysis/run-dir/run-index.js';
import { scanJsonl } from '../../analysis/run-dir/scan.js';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { SidecarStore } from '../../analysis/run-dir/sidecar.js';
import { validateTrajectory } from '../../analysis/run-dir/validate.js';
import { writeSyntheticRun } from './synthetic-run.js';

const repo = process.argv[2] ?? process.cwd();
const quick = process.argv.includes('--quick');
const TRAJECTORIES = quick ? 10_000 : 100_000;
const STEPS = 100;

/** run.mjs starts node with --expose-gc, so heap figures are measured after a full collection. */
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
/** CPU milliseconds of this process (user + system): steadier than wall time on a shared, loaded machine. */
const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function scanFor(file: string, rollout: number): Promise<unknown> {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
        const record = JSON.parse(line) as { rollout: number };
        if (record.rollout === rollout) {
            lines.close();
            return record;
        }
    }
    return undefined;
}

async function scanAll(root: string): Promise<number> {
    let n = 0;
    for (let step = 1; step <= STEPS; step++) {
        const lines = createInterface({
            input: createReadStream(path.join(root, 'trajectories', `${step}.jsonl`)),
            crlfDelay: Infinity,
        });
        for await (const line of lines)
            if (line) {
                JSON.parse(line);
                n++;
            }
    }
    return n;
}

const dir = mkdtempSync(path.join(tmpdir(), 'mas-bench-run-'));
try {
    let t = process.hrtime.bigint();
    const { turns, bytes } = await writeSyntheticRun(
        dir,
        path.join(repo, 'test/fixtures/runs/lazy-team-3steps/run.json'),
        TRAJECTORIES,
        STEPS,
    );
    console.log(
        `synthetic run: ${TRAJECTORIES} trajectories, ${turns} turns, ${(bytes / 1e6).toFixed(1)} MB in ${STEPS} step files (written in ${ms(t).toFixed(0)} ms)`,
    );

    t = process.hrtime.bigint();
    let c = cpuNow();
    const peerCount = await scanAll(dir);
    const peerScan = ms(t),
        peerCpu = cpuNow() - c;
    // The reader before the byte-level scanner: JsonlLines + JSON.parse + validateTrajectory per line.
    t = process.hrtime.bigint();
    c = cpuNow();
    let previousCount = 0;
    for (let step = 1; step <= STEPS; step++) {
        await scanJsonl(
            path.join(dir, 'trajectories', `${step}.jsonl`),
            `${step}.jsonl`,
            () => {
                previousCount++;
            },
            validateTrajectory,
        );
    }
    const previousScan = ms(t),
        previousCpu = cpuNow() - c;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const cache = mkdtempSync(path.join(tmpdir(), 'mas-bench-cache-'));
    t = process.hrtime.bigint();
    c = cpuNow();
    const index = await buildRunIndex(dir, undefined, new SidecarStore(cache));
    const indexMs = ms(t),
        indexCpu = cpuNow() - c;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rollouts = index.steps.reduce((s, x) => s + x.rollouts.length, 0);
    console.log(
        `cold index build (byte scanner, saved index written): ${indexMs.toFixed(0)} ms for ${rollouts} rollouts (target ≤ 350 ms); peers in this run: plain readline + JSON.parse scan (${peerCount} lines) ${peerScan.toFixed(0)} ms (ratio ${(indexMs / peerScan).toFixed(2)}), previous reader JSON.parse + validate (${previousCount} records) ${previousScan.toFixed(0)} ms (ratio ${(indexMs / previousScan).toFixed(2)})`,
    );
    console.log(
        `  same, CPU time: index ${indexCpu.toFixed(0)} ms, plain JSON.parse scan ${peerCpu.toFixed(0)} ms (ratio ${(indexCpu / peerCpu).toFixed(2)}), previous reader ${previousCpu.toFixed(0)} ms (ratio ${(indexCpu / previousCpu).toFixed(2)})`,
    );
    console.log(
        `index heap (after gc): ${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)} MiB; process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (target ≤ 200 MB)`,
    );

    const reopen: number[] = [];
    for (let k = 0; k < 3; k++) {
        t = process.hrtime.bigint();
        await new RunDirService({ cacheDir: cache }).index(dir);
        reopen.push(ms(t));
    }
    console.log(
        `reopen → full index with all ${rollouts} rollout entries from the saved index: first ${reopen[0]!.toFixed(0)} ms, median ${pct(reopen, 0.5).toFixed(0)} ms`,
    );
    rmSync(cache, { recursive: true, force: true });

    const ours: number[] = [],
        peer: number[] = [];
    for (let k = 0; k < 50; k++) {
        const step = index.steps[(k * 37) % index.steps.length]!;
        const entry = step.rollouts[(k * 101) % step.rollouts.length]!;
        t = process.hrtime.bigint();
        await readRolloutAt(dir, step.file, entry);
        ours.push(ms(t));
        if (k < 20) {
            t = process.hrtime.bigint();
            await scanFor(path.join(dir, step.file), entry.rollout);
            peer.push(ms(t));
        }
    }
    console.log(
        `first page of a trajectory by id (byte offset from the index): median ${pct(ours, 0.5).toFixed(2)} ms, p95 ${pct(ours, 0.95).toFixed(2)} ms; peer scan-until-id within its step file: median ${pct(peer, 0.5).toFixed(2)} ms, p95 ${pct(peer, 0.95).toFixed(2)} ms; median ratio ${(pct(peer, 0.5) / pct(ours, 0.5)).toFixed(0)}x`,
    );

    const agents = index.run.spec.agents.map((a) => a.name);
    const merged: number[] = [];
    for (let k = 0; k < 5; k++) {
        t = process.hrtime.bigint();
        mergeAggregates(
            index.steps.map((s) => s.aggregates['outcome']),
            agents,
        );
        merged.push(ms(t));
    }
    console.log(
        `whole-run heatmap merged from the per-step aggregates the index keeps: first ${merged[0]!.toFixed(2)} ms, warm median ${pct(merged.slice(1), 0.5).toFixed(2)} ms (cold = index build above, target ≤ 350)`,
    );
    console.log(
        'peers DuckDB read_json and pandas read_json(lines=True): bench/trajectory/peers.py (own venv; see bench/trajectory/RESULTS.md)',
    );
} finally {
    rmSync(dir, { recursive: true, force: true });
}
