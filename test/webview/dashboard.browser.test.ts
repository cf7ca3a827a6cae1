import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import type { DashboardRunInfo, DashboardSlot } from '../../protocol/webview-messages.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from './browser-harness.js';

/** Three real lines written by `python -m mas_trainer run` on examples/signal (CPU). */
const real = readFileSync(new URL('../fixtures/webview/metrics-signal.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MetricsRecord);
const record = (step: number, extra: Partial<MetricsRecord> = {}): MetricsRecord => ({
    ...real[0]!,
    step,
    reward_mean: step / 100,
    ...extra,
});
const info = (slot: DashboardSlot, name: string, config: Record<string, string> = {}): DashboardRunInfo => ({
    slot,
    name,
    runDir: `/runs/${slot}`,
    status: 'running',
    stepsCompleted: 0,
    stepsTotal: 200,
    error: null,
    config,
});

const harness = new WebviewHarness();

async function openReady(state?: unknown): Promise<ViewPage> {
    const view = await harness.open('dashboard', state);
    await view.page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    return view;
}

async function renderedSteps(view: ViewPage, steps: number): Promise<void> {
    await view.page.waitForFunction((n) => document.body.dataset['renderedSteps'] === String(n), steps);
}

function seriesCounts(view: ViewPage): Promise<Record<string, string>> {
    return view.page.$$eval('section.chart', (charts) =>
        Object.fromEntries(charts.map((c) => [c.getAttribute('data-chart'), (c as HTMLElement).dataset['series']])),
    );
}

describe.skipIf(chromiumMissing !== undefined)(
    `dashboard webview in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['dashboard']), 120_000);
        afterAll(async () => harness.stop());

        it('draws one uPlot chart per metric group from real trainer records and follows appended lines', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'signal-run') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: real });
            await renderedSteps(view, 3);
            expect(await seriesCounts(view)).toEqual({
                reward: '3',
                criteria: '1',
                credit: '2',
                loss: '1',
                kl: '0',
                grad: '2',
                'zero-std': '0', // records written before the trainer recorded frac_zero_std
                throughput: '2',
                time: '2',
                gpu: '0',
            });
            const page = view.page;
            expect(
                await page.locator('section[data-chart="credit"] .u-legend .u-series .u-label').allTextContents(),
            ).toEqual(['step', 'speaker', 'listener']);
            expect(await page.locator('section[data-chart="gpu"] .empty').isVisible()).toBe(true);
            expect(await page.locator('section[data-chart="reward"] canvas').count()).toBe(1);

            // 100 more lines in ten batches, as the host sends them while the trainer writes.
            for (let batch = 0; batch < 10; batch++) {
                const records = Array.from({ length: 10 }, (_, i) =>
                    record(4 + batch * 10 + i, { gpu_memory_mb: 500 + i }),
                );
                await view.send({ type: 'dashboard/metrics', slot: 'primary', records });
            }
            await renderedSteps(view, 103);
            expect(await page.locator('section[data-chart="reward"]').getAttribute('data-points')).toBe('103');
            expect((await seriesCounts(view))['gpu']).toBe('1');
            expect(await page.locator('.run-primary .run-steps').textContent()).toBe('step 103 / 200');
            expect(await view.state()).toMatchObject({
                view: 'dashboard',
                primaryRunDir: '/runs/primary',
                compareRunDirs: [],
            });
            await view.screenshot('dashboard-one-run');
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });

        it('overlays a comparison run in its own colour on the merged steps, and the controls post intents', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: [1, 2, 3].map((s) => record(s)) });
            await view.send({ type: 'dashboard/run', run: info('compare-1', 'b') });
            await view.send({
                type: 'dashboard/metrics',
                slot: 'compare-1',
                records: [2, 4, 6].map((s) => record(s, { reward_mean: 1 })),
            });
            const page = view.page;
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '6',
            );
            expect(await page.locator('section[data-chart="reward"]').getAttribute('data-points')).toBe('5');
            expect(
                await page.locator('section[data-chart="reward"] .u-legend .u-series .u-label').allTextContents(),
            ).toEqual([
                'step',
                'reward_mean · a',
                'reward_mean · b',
                'reward_mean ± reward_std · a (upper)',
                'reward_mean ± reward_std · a (lower)',
                'reward_mean ± reward_std · b (upper)',
                'reward_mean ± reward_std · b (lower)',
            ]);
            await view.screenshot('dashboard-compare');

            await page.click('#compare-run');
            await page.click('#clear-compare');
            await page.click('#open-run');
            const intents = (await view.posted()).filter((m) => m.type !== 'ready');
            expect(intents).toEqual([
                { type: 'dashboard/pickRun', slot: 'compare' },
                { type: 'dashboard/clearCompare' },
                { type: 'dashboard/pickRun', slot: 'primary' },
            ]);
            await view.send({ type: 'dashboard/clear', slot: 'compare-1' });
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '3',
            );
            await page.close();
        });

        it('draws three comparison runs in their own colours with a legend, a diff table with a column per run, and removes one', async () => {
            const view = await openReady();
            const page = view.page;
            const runs = [
                { slot: 'primary', name: 'lazy-outcome', credit: 'outcome', seed: '1', offset: 0 },
                { slot: 'compare-1', name: 'lazy-shapley', credit: 'shapley', seed: '1', offset: 0.1 },
                { slot: 'compare-2', name: 'lazy-difference', credit: 'difference', seed: '1', offset: 0.2 },
                { slot: 'compare-3', name: 'lazy-shapley-seed2', credit: 'shapley', seed: '2', offset: 0.3 },
            ] as const;
            for (const run of runs) {
                const config = {
                    'train.lr': '0.001',
                    'train.seed': run.seed,
                    'train.credit.method': run.credit,
                    ...(run.slot === 'compare-3' ? { 'model.base.source.id': `Qwen/${'x'.repeat(400)}` } : {}),
                };
                await view.send({
                    type: 'dashboard/run',
                    run: { ...info(run.slot, run.name, config), runDir: `/runs/${run.name}` },
                });
                await view.send({
                    type: 'dashboard/metrics',
                    slot: run.slot,
                    records: [1, 2, 3].map((s) => record(s, { reward_mean: s / 10 + run.offset })),
                });
            }
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '12',
            );
            // The run legend: one row per run with its name and credit method, a remove button on each comparison.
            expect(await page.locator('.runs .run .run-name').allTextContents()).toEqual(runs.map((r) => r.name));
            expect(await page.locator('.runs .run .run-credit').allTextContents()).toEqual(
                runs.map((r) => `credit: ${r.credit}`),
            );
            expect(await page.locator('.runs .run-compare .remove-run').count()).toBe(3);
            expect(await page.locator('.runs .run-primary .remove-run').count()).toBe(0);
            const swatches = await page
                .locator('.runs .run-swatch')
                .evaluateAll((nodes) => nodes.map((n) => getComputedStyle(n).backgroundColor));
            expect(new Set(swatches).size).toBe(4);
            // Every chart's legend names each run with its credit method.
            expect(
                await page.locator('section[data-chart="reward"] .u-legend .u-series .u-label').allTextContents(),
            ).toEqual([
                'step',
                ...runs.map((r) => `reward_mean · ${r.name} (${r.credit})`),
                ...runs.flatMap((r) => [
                    `reward_mean ± reward_std · ${r.name} (${r.credit}) (upper)`,
                    `reward_mean ± reward_std · ${r.name} (${r.credit}) (lower)`,
                ]),
            ]);
            // The line of each run in the swatch's colour (uPlot draws the legend marker with the series stroke).
            const markers = await page
                .locator('section[data-chart="reward"] .u-legend .u-series .u-marker')
                .evaluateAll((nodes) => nodes.slice(1, 5).map((n) => getComputedStyle(n).borderColor));
            expect(markers).toEqual(swatches);

            // The diff: a column per run, only the settings that differ, long values clipped with the full text as tooltip.
            expect(await page.locator('.config-diff thead th').allTextContents()).toEqual([
                'setting',
                ...runs.map((r) => r.name),
            ]);
            expect(await page.locator('.config-diff tbody td:first-child').allTextContents()).toEqual([
                'model.base.source.id',
                'train.credit.method',
                'train.seed',
            ]);
            expect(await page.locator('.config-diff tbody tr:nth-child(2) td').allTextContents()).toEqual([
                'train.credit.method',
                ...runs.map((r) => r.credit),
            ]);
            const long = page.locator('.config-diff tbody tr:first-child td').nth(4);
            expect(((await long.textContent()) ?? '').length).toBeLessThanOrEqual(120);
            expect(await long.getAttribute('title')).toBe(`Qwen/${'x'.repeat(400)}`);
            await view.screenshot('dashboard-compare-three');

            // Removing the second comparison run: the button asks the host, whose clear removes it everywhere.
            await page.locator('.runs .run[data-slot="compare-2"] .remove-run').click();
            const posted = (await view.posted()).filter((m) => m.type === 'dashboard/removeRun');
            expect(posted).toEqual([{ type: 'dashboard/removeRun', slot: 'compare-2' }]);
            await view.send({ type: 'dashboard/clear', slot: 'compare-2' });
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '9',
            );
            expect(await page.locator('.runs .run .run-name').allTextContents()).toEqual([
                'lazy-outcome',
                'lazy-shapley',
                'lazy-shapley-seed2',
            ]);
            expect(await page.locator('.config-diff thead th').allTextContents()).toEqual([
                'setting',
                'lazy-outcome',
                'lazy-shapley',
                'lazy-shapley-seed2',
            ]);
            // The others keep their colours.
            const after = await page
                .locator('.runs .run-swatch')
                .evaluateAll((nodes) => nodes.map((n) => getComputedStyle(n).backgroundColor));
            expect(after).toEqual([swatches[0], swatches[1], swatches[3]]);
            expect(await view.state()).toMatchObject({
                primaryRunDir: '/runs/lazy-outcome',
                compareRunDirs: ['/runs/lazy-shapley', '/runs/lazy-shapley-seed2'],
            });

            // CSV: every shown run's rows, named in the run column.
            await page.click('#export-csv');
            const csv = (await view.posted()).find((m) => m.type === 'dashboard/export')!['content'] as string;
            const rows = csv.trim().split('\r\n').slice(1);
            expect(rows.map((r) => r.split(',')[0])).toEqual([
                ...Array<string>(3).fill('lazy-outcome'),
                ...Array<string>(3).fill('lazy-shapley'),
                ...Array<string>(3).fill('lazy-shapley-seed2'),
            ]);
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });

        it('smooths lines with the raw values behind, switches to wall-clock minutes, lists differing settings, exports', async () => {
            const view = await openReady();
            await view.send({
                type: 'dashboard/run',
                run: info('primary', 'a', { 'train.lr': '0.001', 'train.seed': '1', 'train.credit': 'outcome' }),
            });
            const records = [1, 2, 3, 4].map((s) => record(s, { time: 1000 + 60 * s, reward_mean: s % 2 }));
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records });
            await view.send({
                type: 'dashboard/run',
                run: info('compare-1', 'b', { 'train.lr': '0.001', 'train.seed': '2', 'train.credit': 'shapley' }),
            });
            const page = view.page;
            // Only the settings that differ, by name.
            expect(await page.locator('.config-diff tbody td:first-child').allTextContents()).toEqual([
                'train.credit',
                'train.seed',
            ]);
            await view.send({ type: 'dashboard/clear', slot: 'compare-1' });
            await renderedSteps(view, 4);
            await page.locator('#smoothing').fill('0.6');
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '4',
            );
            expect(
                await page.locator('section[data-chart="reward"] .u-legend .u-series .u-label').allTextContents(),
            ).toEqual([
                'step',
                'reward_mean',
                'reward_mean (raw)',
                'reward_mean ± reward_std (upper)',
                'reward_mean ± reward_std (lower)',
            ]);
            await page.selectOption('#x-axis', 'time');
            await page.waitForFunction(
                () =>
                    (document.querySelector('section[data-chart="reward"]') as HTMLElement).dataset['xAxis'] === 'time',
            );
            await view.screenshot('dashboard-smoothed-time');
            const saved = (await view.state()) as { smoothing: number; xAxis: string };
            expect([saved.smoothing, saved.xAxis]).toEqual([0.6, 'time']);

            await page.click('#export-csv');
            await page.locator('section[data-chart="reward"] .export-png').click();
            await page.click('#open-tensorboard');
            const intents = (await view.posted()).filter((m) => m.type !== 'ready') as {
                type: string;
                format?: string;
                name?: string;
                content?: string;
            }[];
            expect(intents.map((m) => [m.type, m.format, m.name])).toEqual([
                ['dashboard/export', 'csv', 'a.metrics.csv'],
                ['dashboard/export', 'png', 'a.reward.png'],
                ['dashboard/openTensorBoard', undefined, undefined],
            ]);
            const csv = intents[0]!.content!.split('\r\n');
            expect(csv[0]!.split(',').slice(0, 4)).toEqual(['run', 'step', 'time', 'reward_mean']);
            expect(csv[1]!.split(',').slice(0, 4)).toEqual(['a', '1', '1060', '1']);
            expect(Buffer.from(intents[1]!.content!, 'base64').subarray(1, 4).toString()).toBe('PNG');
            await page.close();
        });

        it('a click on a chart at a step asks the host to open that step’s trajectories', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: [1, 2, 3].map((s) => record(s)) });
            await renderedSteps(view, 3);
            const over = view.page.locator('section[data-chart="reward"] .u-over');
            const box = (await over.boundingBox())!;
            // The cursor snaps to the nearest step: the right edge is step 3.
            await view.page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
            await view.page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
            await view.page.waitForFunction(() =>
                (window as unknown as { __posted: { type: string }[] }).__posted.some(
                    (m) => m.type === 'dashboard/openStep',
                ),
            );
            const opened = (await view.posted()).filter((m) => m.type === 'dashboard/openStep');
            expect(opened).toEqual([{ type: 'dashboard/openStep', step: 3 }]);
            await view.page.close();
        });

        it('with comparison runs, a click opens the main run’s step, never one only a comparison run has', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: [1, 2, 3].map((s) => record(s)) });
            await view.send({ type: 'dashboard/run', run: info('compare-1', 'b') });
            await view.send({ type: 'dashboard/metrics', slot: 'compare-1', records: [5, 9].map((s) => record(s)) });
            await view.send({ type: 'dashboard/run', run: info('compare-2', 'c') });
            await view.send({ type: 'dashboard/metrics', slot: 'compare-2', records: [2, 4].map((s) => record(s)) });
            const page = view.page;
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="loss"]')?.getAttribute('data-points') === '6',
            );
            const box = (await page.locator('section[data-chart="loss"] .u-over').boundingBox())!;
            const y = box.y + box.height / 2;
            // Right edge: step 9 (comparison run b only); left edge: step 1 (the main run).
            for (const x of [box.x + box.width - 2, box.x + 2]) {
                await page.mouse.move(x, y);
                await page.mouse.click(x, y);
            }
            await page.waitForFunction(() =>
                (window as unknown as { __posted: { type: string }[] }).__posted.some(
                    (m) => m.type === 'dashboard/openStep',
                ),
            );
            const opened = (await view.posted()).filter((m) => m.type === 'dashboard/openStep');
            expect(opened).toEqual([{ type: 'dashboard/openStep', step: 1 }]);
            await page.close();
        });

        it('keeps hidden series across a reload through the saved state', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: real });
            await renderedSteps(view, 3);
            await view.page.locator('section[data-chart="reward"] .u-legend .u-series').nth(2).click();
            const saved = (await view.state()) as { hidden: string[] };
            expect(saved.hidden).toEqual(['reward:reward_mean ± reward_std (upper)']);
            await view.page.close();

            const reloaded = await openReady(saved);
            await reloaded.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await reloaded.send({ type: 'dashboard/metrics', slot: 'primary', records: real });
            await renderedSteps(reloaded, 3);
            const classes = await reloaded.page
                .locator('section[data-chart="reward"] .u-legend .u-series')
                .evaluateAll((rows) => rows.map((r) => r.classList.contains('u-off')));
            expect(classes).toEqual([false, false, true, false]);
            await reloaded.page.close();
        });

        it('renders hostile run names, metric keys, errors and notices as text and runs no script', async () => {
            const view = await openReady();
            const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
            await view.send({
                type: 'dashboard/run',
                run: { ...info('primary', evil), error: `\u202E${evil}`, runDir: 'x'.repeat(1_000_000) },
            });
            await view.send({
                type: 'dashboard/metrics',
                slot: 'primary',
                records: [record(1, { criteria: { [evil]: 1 }, credit_mean: { 'javascript:alert(1)': 0.5 } })],
            });
            await view.send({
                type: 'dashboard/notice',
                slot: 'primary',
                severity: 'warning',
                message: `metrics.jsonl:2: ${evil}`,
            });
            // A comparison run whose run.json settings are markup: the diff table shows them as text.
            await view.send({
                type: 'dashboard/run',
                run: { ...info('compare-1', evil, { [evil]: evil, 'train.credit.method': evil }), runDir: evil },
            });
            await renderedSteps(view, 1);
            const page = view.page;
            await page.waitForFunction(() => document.querySelectorAll('.config-diff tbody tr').length === 2);
            expect(await page.locator('.config-diff tbody tr').first().locator('td').allTextContents()).toEqual([
                evil,
                '–',
                evil,
            ]);
            expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
            expect(await page.locator('#app img, #app script, #app a').count()).toBe(0);
            // Shown as text, clipped (the full name is in the tooltip).
            expect(await page.locator('.run-primary .run-name').textContent()).toBe(`${evil.slice(0, 47)}…`);
            expect(await page.locator('.run-primary .run-name').getAttribute('title')).toBe(
                `${evil}\n${'x'.repeat(1998 - evil.length)}…`,
            );
            expect(
                await page.locator('section[data-chart="criteria"] .u-legend .u-series .u-label').nth(1).textContent(),
            ).toBe(`${evil} · ${evil.slice(0, 47)}…`);
            expect(await page.locator('.notice').first().textContent()).toBe(`metrics.jsonl:2: ${evil}`);
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });
    },
);
