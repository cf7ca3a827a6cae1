/**
 * Dashboard figures (issue 5), printed, never asserted:
 * 1. latency from a metrics.jsonl line written to the chart redrawn in the real dashboard bundle in Chromium,
 *    at 100 lines/s, for the shipped follower (fs.watch + 250 ms polling) and for a peer measured in the same
 *    run: polling alone every 1 s (what a plain `setInterval` reader would do);
 * 2. extension-host memory while following a 100 000-step metrics.jsonl (the records go to a sink, as they
 *    go to the webview's IPC in VS Code), and the webview's JS heap holding those 100 000 steps.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardFeed } from '../../client/src/views/dashboard/dashboard-feed.js';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import type { DashboardToView } from '../../protocol/webview-messages.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from '../../test/webview/browser-harness.js';

const LINES = Number(process.env['MAS_BENCH_LINES'] ?? 300);
const RATE = 100;

function record(step: number): MetricsRecord {
    return {
        step,
        time: Date.now() / 1000,
        reward_mean: Math.sin(step / 50),
        reward_std: 0.1,
        success: 0.5,
        criteria: { answer: 0.5, format: 0.9 },
        credit_mean: { planner: 0.1, solver: 0.2, verifier: -0.1 },
        loss: 1 / step,
        kl: 0.01,
        grad_norm: { planner: 1, solver: 2, verifier: 3 },
        turns_mean: 3,
        rollout_tokens: 600,
        rollout_tokens_per_s: 300,
        update_tokens_per_s: 120,
        rollout_s: 2,
        update_s: 5,
        lr: 2e-5,
        gpu_memory_mb: 900,
    };
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function latency(
    harness: WebviewHarness,
    label: string,
    options: { pollMs: number; watch: boolean },
): Promise<number[]> {
    const view: ViewPage = await harness.open('dashboard');
    await view.page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await view.page.evaluate(() => {
        const renders: [number, number][] = [];
        (window as unknown as { __renders: typeof renders }).__renders = renders;
        new MutationObserver(() => renders.push([Number(document.body.dataset['renderedSteps']), Date.now()])).observe(
            document.body,
            { attributes: true, attributeFilter: ['data-rendered-steps'] },
        );
    });
    const dir = mkdtempSync(join(tmpdir(), 'mas-bench-dash-'));
    writeFileSync(join(dir, 'metrics.jsonl'), '');
    let chain = Promise.resolve();
    const posted: number[] = [];
    const session = new DashboardFeed((m: DashboardToView) => {
        if (m.type === 'dashboard/metrics') for (const r of m.records) posted[r.step] = Date.now();
        chain = chain.then(() => view.send(m));
    }, options);
    session.setRun('primary', dir);
    const written: number[] = [];
    const start = Date.now();
    for (let step = 1; step <= LINES; step++) {
        const due = start + (step - 1) * (1000 / RATE);
        if (due > Date.now()) await sleep(due - Date.now());
        written[step] = Date.now();
        appendFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify(record(step))}\n`);
    }
    await view.page.waitForFunction((n) => document.body.dataset['renderedSteps'] === String(n), LINES, {
        timeout: 60_000,
    });
    const renders = await view.page.evaluate(() => (window as unknown as { __renders: [number, number][] }).__renders);
    session.dispose();
    rmSync(dir, { recursive: true, force: true });
    await view.page.close();
    const latencies: number[] = [];
    for (let step = 1; step <= LINES; step++) {
        const shown = renders.find(([steps]) => steps >= step);
        if (shown) latencies.push(shown[1] - written[step]!);
    }
    const detected = written.slice(1).map((t, i) => posted[i + 1]! - t);
    console.log(
        `${label}: write -> message posted by the host: p50 ${percentile(detected, 50)} ms, p95 ${percentile(detected, 95)} ms`,
    );
    console.log(
        `${label}: ${LINES} lines at ${RATE}/s, write -> chart redrawn: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms`,
    );
    return latencies;
}

/** Writes a `steps`-line metrics.jsonl without holding it in memory. */
function writeLongRun(dir: string, steps: number): void {
    const file = join(dir, 'metrics.jsonl');
    writeFileSync(file, '');
    for (let from = 1; from <= steps; from += 1000) {
        const chunk: string[] = [];
        for (let step = from; step < from + 1000 && step <= steps; step++) chunk.push(JSON.stringify(record(step)));
        appendFileSync(file, `${chunk.join('\n')}\n`);
    }
}

/** Host side alone (no browser in this process yet): each message is serialized, as VS Code's IPC does, and dropped. */
async function hostMemory(dir: string, steps: number): Promise<void> {
    global.gc?.();
    const before = process.memoryUsage();
    let received = 0;
    let peakRss = before.rss;
    const done = new Promise<void>((resolve) => {
        const session = new DashboardFeed(
            (m) => {
                JSON.stringify(m);
                if (m.type === 'dashboard/metrics') received += m.records.length;
                peakRss = Math.max(peakRss, process.memoryUsage().rss);
                if (received === steps) {
                    session.dispose();
                    resolve();
                }
            },
            { pollMs: 250 },
        );
        session.setRun('primary', dir);
    });
    await done;
    global.gc?.();
    const after = process.memoryUsage();
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    console.log(
        `host following a ${steps}-step metrics.jsonl: RSS ${mb(before.rss)} MiB before, peak ${mb(peakRss)} MiB while reading, ${mb(after.rss)} MiB after (JS heap ${mb(after.heapUsed)} MiB)`,
    );
}

async function webviewMemory(harness: WebviewHarness, dir: string, steps: number): Promise<void> {
    const view = await harness.open('dashboard');
    await view.page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    let chain = Promise.resolve();
    const session = new DashboardFeed(
        (m) => {
            chain = chain.then(() => view.send(m));
        },
        { pollMs: 250 },
    );
    session.setRun('primary', dir);
    await chain;
    await view.page.waitForFunction((n) => document.body.dataset['renderedSteps'] === String(n), steps, {
        timeout: 120_000,
    });
    const heap = await view.page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN,
    );
    console.log(
        `webview holding ${steps} steps: JS heap ${(heap / 2 ** 20).toFixed(1)} MiB (used size, garbage not yet collected included)`,
    );
    session.dispose();
    await view.page.close();
}

async function main(): Promise<void> {
    const steps = 100_000;
    const dir = mkdtempSync(join(tmpdir(), 'mas-bench-mem-'));
    const quick = process.argv.includes('--quick');
    if (!quick) {
        writeLongRun(dir, steps);
        await hostMemory(dir, steps);
    }
    if (chromiumMissing) {
        console.log(`browser figures skipped: ${chromiumMissing}`);
        rmSync(dir, { recursive: true, force: true });
        return;
    }
    const harness = new WebviewHarness();
    await harness.start(['dashboard']);
    try {
        const ours = await latency(harness, 'shipped (fs.watch + 250 ms poll)', { pollMs: 250, watch: true });
        const peer = await latency(harness, 'peer (poll every 1 s, no watch)', { pollMs: 1000, watch: false });
        console.log(`p95 ratio shipped/peer: ${(percentile(ours, 95) / percentile(peer, 95)).toFixed(2)}`);
        if (!quick) await webviewMemory(harness, dir, steps);
    } finally {
        await harness.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}

await main();
