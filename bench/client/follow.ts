// Following a 100 000-step run as the status bar does (FileTail + RunProgress over metrics.jsonl):
// prints the time to attach to the finished file, to read appended steps, and the heap it holds.
// Usage: node bench/client/run.mjs [--quick]
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileTail } from '../../client/src/runs/file-tail.js';
import { RunProgress } from '../../client/src/training/run-progress.js';

const steps = process.argv.includes('--quick') ? 10_000 : 100_000;

/** A record shaped like the trainer's (protocol/run-dir.ts MetricsRecord), 3 agents and 3 criteria. */
function record(step: number): string {
    const agents = { planner: 0.1, solver: 0.2, verifier: -0.1 };
    return (
        JSON.stringify({
            step,
            time: 1_700_000_000 + step * 1.5,
            reward_mean: Math.sin(step / 100),
            reward_std: 0.2,
            success: 0.5,
            criteria: { answer: 0.4, format: 0.9, brevity: 1 },
            credit_mean: agents,
            loss: 0.01,
            kl: 0.001,
            grad_norm: agents,
            turns_mean: 3.2,
            rollout_tokens: 4096,
            rollout_tokens_per_s: 2500,
            update_tokens_per_s: 9000,
            rollout_s: 1.1,
            update_s: 0.4,
            lr: 2e-5,
            gpu_memory_mb: 20480,
        }) + '\n'
    );
}

function drain(tail: FileTail, progress: RunProgress): void {
    for (let c = tail.read(); c.kind === 'data'; c = tail.read()) {
        progress.feed(c);
        if (c.bytes.length === 0) break;
    }
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
    gc?.();
    return process.memoryUsage().heapUsed / 2 ** 20;
};

const dir = mkdtempSync(path.join(tmpdir(), 'mas-follow-bench-'));
try {
    const file = path.join(dir, 'metrics.jsonl');
    writeFileSync(file, '');
    for (let from = 1; from <= steps; from += 1000) {
        let block = '';
        for (let s = from; s < from + 1000 && s <= steps; s++) block += record(s);
        appendFileSync(file, block);
    }
    const baseline = heapMb();

    // Attach (a window reload mid-run): the status bar reads only the file's last 64 KiB.
    let t0 = performance.now();
    const tail = new FileTail(file, 64 * 1024);
    const progress = new RunProgress(file, steps * 2);
    drain(tail, progress);
    const attachMs = performance.now() - t0;
    const attached = progress.snapshot();

    // Live: 1 000 more steps appended one line at a time, read after each append.
    t0 = performance.now();
    for (let s = steps + 1; s <= steps + 1000; s++) {
        appendFileSync(file, record(s));
        drain(tail, progress);
    }
    const perStepUs = ((performance.now() - t0) / 1000) * 1000;
    const snap = progress.snapshot();

    // From the start of the file (a follower without the tail skip): what reading everything costs.
    t0 = performance.now();
    const full = new RunProgress(file, steps * 2);
    drain(new FileTail(file), full);
    const fullMs = performance.now() - t0;

    console.log(`metrics.jsonl: ${steps} steps, ${((Buffer.byteLength(record(1)) * steps) / 2 ** 20).toFixed(1)} MiB`);
    console.log(
        `attach (last 64 KiB): ${attachMs.toFixed(1)} ms; step ${attached?.step}, ETA ${attached?.etaSeconds?.toFixed(0)} s`,
    );
    console.log(`append + read one step: ${perStepUs.toFixed(0)} µs (mean over 1000, includes the append)`);
    console.log(`read the whole file from byte 0: ${fullMs.toFixed(0)} ms`);
    const held = [progress, full]; // both followers stay reachable for the heap figure
    console.log(
        `heap held by ${held.length} followers after following (GC'd, ${gc ? 'with' : 'WITHOUT --expose-gc'}): ${(heapMb() - baseline).toFixed(2)} MiB above the baseline; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    if (full.snapshot()?.step !== steps + 1000 || snap?.step !== steps + 1000) throw new Error('follower lost steps');
} finally {
    rmSync(dir, { recursive: true, force: true });
}
