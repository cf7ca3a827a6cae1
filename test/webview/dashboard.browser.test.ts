import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsRecord } from '../../protocol/run-dir.js';
import type { DashboardRunInfo } from '../../protocol/webview-messages.js';
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
const info = (slot: 'primary' | 'compare', name: string, config: Record<string, string> = {}): DashboardRunInfo => ({
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
                compareRunDir: null,
            });
            await view.screenshot('dashboard-one-run');
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });

        it('overlays a comparison run as dashed series on the merged steps, and the controls post intents', async () => {
            const view = await openReady();
            await view.send({ type: 'dashboard/run', run: info('primary', 'a') });
            await view.send({ type: 'dashboard/metrics', slot: 'primary', records: [1, 2, 3].map((s) => record(s)) });
            await view.send({ type: 'dashboard/run', run: info('compare', 'b') });
            await view.send({
                type: 'dashboard/metrics',
                slot: 'compare',
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
                'reward_mean',
                'reward_mean (compare)',
                'reward_mean ± reward_std (upper)',
                'reward_mean ± reward_std (lower)',
                'reward_mean ± reward_std (compare) (upper)',
                'reward_mean ± reward_std (compare) (lower)',
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
            await view.send({ type: 'dashboard/clear', slot: 'compare' });
            await page.waitForFunction(
                () => document.querySelector('section[data-chart="reward"]')?.getAttribute('data-series') === '3',
            );
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
                run: info('compare', 'b', { 'train.lr': '0.001', 'train.seed': '2', 'train.credit': 'shapley' }),
            });
            const page = view.page;
            // Only the settings that differ, by name.
            expect(await page.locator('.config-diff tbody td:first-child').allTextContents()).toEqual([
                'train.credit',
                'train.seed',
            ]);
            await view.send({ type: 'dashboard/clear', slot: 'compare' });
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
            await renderedSteps(view, 1);
            const page = view.page;
            expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
            expect(await page.locator('#app img, #app script, #app a').count()).toBe(0);
            expect(await page.locator('.run-name').textContent()).toBe(evil);
            expect(
                await page.locator('section[data-chart="criteria"] .u-legend .u-series .u-label').nth(1).textContent(),
            ).toBe(evil);
            expect(await page.locator('.notice').first().textContent()).toBe(`metrics.jsonl:2: ${evil}`);
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });
    },
);
