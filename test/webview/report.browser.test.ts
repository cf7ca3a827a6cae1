import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureRunWithShapley, FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { readStepLines, writeStepLines } from '../analysis/run-dir/hostile-run.js';
import { buildReportBundles, hostileRun, masReport, scratchDir } from '../cli/report-helpers.js';
import { ARTIFACTS, CHROMIUM, chromiumMissing } from './browser-harness.js';

const scratch = scratchDir();
const bundles = path.join(scratch, 'webview');
let browser: Browser | undefined;

interface Opened {
    page: Page;
    errors: string[];
    requests: string[];
}

/** Opens a written report from file:// as a user would (no server, no acquireVsCodeApi but the report's own). */
async function openReport(file: string): Promise<Opened> {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    // Counted from outside the page's CSP (an init script): violations, and a sentinel any injected script would set.
    await page.addInitScript(() => {
        const w = window as unknown as { __violations: string[]; __received: Record<string, number> };
        w.__violations = [];
        // What the report's shim delivered, by message type, so tests wait on the reply they expect.
        w.__received = {};
        window.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
            const type = String(e.data?.type);
            w.__received[type] = (w.__received[type] ?? 0) + 1;
        });
        document.addEventListener('securitypolicyviolation', (e) =>
            w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
    });
    // The page must load nothing: every request but the file itself is recorded and refused.
    const url = pathToFileURL(file).href;
    await page.route(
        (u) => u.href !== url,
        (route) => {
            requests.push(route.request().url());
            return route.abort();
        },
    );
    await page.goto(url);
    return { page, errors, requests };
}

const received = (page: Page, type: string, count: number) =>
    page.waitForFunction(
        ([t, n]) =>
            ((window as unknown as { __received: Record<string, number> }).__received[t as string] ?? 0) >=
            (n as number),
        [type, count] as const,
    );
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

/** Opaque pixels on the rollout's credit heatmap canvas: > 0 once cells are painted. */
const paintedPixels = (page: Page) =>
    page.evaluate(() => {
        const canvas = document.querySelector('.heatmap canvas') as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let opaque = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
        return opaque;
    });

describe.skipIf(chromiumMissing !== undefined)(
    `mas report opened from file:// in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => {
            await buildReportBundles(bundles);
            browser = await chromium.launch({
                executablePath: CHROMIUM,
                args: [
                    '--headless',
                    '--no-sandbox',
                    '--disable-gpu',
                    '--no-first-run',
                    '--disable-background-networking',
                    '--disable-component-update',
                    '--disable-sync',
                ],
            });
        }, 120_000);
        afterAll(async () => {
            await browser?.close();
            rmSync(scratch, { recursive: true, force: true });
        });

        it('renders the timeline, credit heatmaps, rubric and group offline; steps through the embedded run', async () => {
            expect((await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'fixture.html')).code).toBe(0);
            const { page, errors, requests } = await openReport(path.join(scratch, 'fixture.html'));
            await page.locator('.timeline .turn-row').nth(2).waitFor();
            expect(await page.locator('.timeline .turn-agent').allTextContents()).toEqual(['first', 'second', 'lazy']);
            await page.locator('.group-table tbody tr').nth(3).waitFor();
            await page.waitForFunction(() => document.querySelectorAll('.heatmap-legend span').length >= 6); // both heatmaps
            expect(await paintedPixels(page)).toBeGreaterThan(100);
            expect(await page.locator('.rubric-table tbody td:first-child').allTextContents()).toEqual([
                'first_part',
                'second_part',
                'total',
            ]);
            // The title block: workflow and run name, the facts, both curves drawn by uPlot, the token-arrays note.
            expect(await page.locator('.report-header h1').textContent()).toBe('LazyTeam — lazy-team-3steps');
            expect(await page.locator('.report-facts dt').allTextContents()).toContain('credit');
            expect(await page.locator('.report-chart canvas').count()).toBe(2);
            expect(await page.locator('.report-header').textContent()).toContain('mas report --tokens');
            expect(await page.locator('.turn-tokens').first().textContent()).toMatch(/^[1-9]\d* tok$/);
            // Stepping is answered by the report's shim, as the host would: the next turn, then another rollout.
            await page.locator('#next-turn').click();
            await page.locator('.turn-label', { hasText: 'turn 2 / 3' }).waitFor();
            await page.locator('.group-table a[data-rollout="2"]').click();
            await page.locator('.turn-label', { hasText: 'turn 1 / 3' }).waitFor();
            await received(page, 'trajectory/rollout', 2);
            // An older step's rollouts are asked for when it is opened; the shim answers from the embedded run.
            await page.locator('.step-row[data-step="1"]').click();
            await received(page, 'trajectory/stepRollouts', 1);
            await received(page, 'trajectory/rollout', 3);
            await page.locator('.panel .hint', { hasText: 'step 1, group' }).waitFor();
            expect(await page.locator('.step-row.selected .step-number').textContent()).toBe('step 1');
            // What needs the extension host says so instead of failing silently.
            await page
                .locator('.whatif-editor')
                .evaluate((e) => getComputedStyle(e).display)
                .then((d) => expect(d).toBe('none'));
            // Debugging needs VS Code: the report hides the button (the shim answers the message with a note).
            expect(await page.locator('#debug-rollout').evaluate((e) => getComputedStyle(e).display)).toBe('none');
            await page.screenshot({ path: path.join(ARTIFACTS, 'report-fixture.png'), fullPage: true });
            expect(await violations(page)).toEqual([]);
            expect(requests).toEqual([]);
            expect(errors).toEqual([]);
        });

        it('shows the per-agent run summary at the top of the report, the lazy agent flagged', async () => {
            const root = copyFixtureRunWithShapley(path.join(scratch, 'shapley-run'));
            expect((await masReport(scratch, bundles, root, '-o', 'shapley.html')).code).toBe(0);
            const { page, errors, requests } = await openReport(path.join(scratch, 'shapley.html'));
            await page.locator('.agent-summary-table tbody tr').nth(2).waitFor();
            expect(await page.locator('section.panel').first().locator('.agent-summary-table').count()).toBe(1);
            expect(await page.locator('.agent-summary-table tbody td:first-child').allTextContents()).toEqual([
                'first',
                'second',
                'lazy',
            ]);
            const lazyRow = page.locator('.agent-summary-table tbody tr.lazy-agent');
            expect(await lazyRow.count()).toBe(1);
            expect(await lazyRow.locator('td').last().textContent()).toBe(
                'lazy: 0 % of the credit under shapley, difference',
            );
            expect(await page.locator('.agent-summary-note').textContent()).toBe(
                'lazy is flagged lazy: under 5 % of the credit under each of shapley and difference.',
            );
            await page.screenshot({ path: path.join(ARTIFACTS, 'report-agent-summary.png'), fullPage: true });
            expect(await violations(page)).toEqual([]);
            expect(requests).toEqual([]);
            expect(errors).toEqual([]);
        });

        it('credit methods named toString, constructor and __proto__ (some rollouts without constructor) render with no page error', async () => {
            const root = path.join(scratch, 'proto-methods-run');
            cpSync(FIXTURE_RUN, root, { recursive: true });
            for (const step of [1, 2, 3]) {
                writeStepLines(
                    root,
                    step,
                    readStepLines(root, step).map((line, i) => {
                        const renamed = line
                            .replace('"outcome":', '"toString":')
                            .replace('"turn_level":', '"__proto__":');
                        return i % 2 === 0
                            ? renamed.replace('"agent_normalized":', '"constructor":')
                            : renamed.replace(/,"agent_normalized":\[[^\]]*\]/, '');
                    }),
                );
            }
            expect((await masReport(scratch, bundles, root, '-o', 'proto-methods.html')).code).toBe(0);
            const { page, errors } = await openReport(path.join(scratch, 'proto-methods.html'));
            await page.locator('.timeline .turn-row').nth(2).waitFor();
            // The group table averages every method per member: rollouts 1 and 3 have no `constructor`.
            await page.locator('.group-table tbody tr').nth(3).waitFor();
            await page.waitForFunction(() => document.querySelectorAll('.heatmap-legend span').length >= 6);
            expect(await paintedPixels(page)).toBeGreaterThan(100);
            await page.locator('.group-table a[data-rollout="1"]').click();
            await received(page, 'trajectory/rollout', 2);
            expect(errors).toEqual([]);
        });

        it("blocks and counts script that is not the report's own (the CSP and the counters are live)", async () => {
            expect((await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'tampered.html')).code).toBe(0);
            const file = path.join(scratch, 'tampered.html');
            const html = readFileSync(file, 'utf8').replace(
                '<main id="app"></main>',
                '<main id="app"></main><script>window.__pwned=1</script><img src="data:," onerror="window.__pwned=2">',
            );
            writeFileSync(file, html);
            const { page } = await openReport(file);
            await received(page, 'trajectory/rollout', 1);
            await page.waitForFunction(
                () => (window as unknown as { __violations: string[] }).__violations.length >= 2,
            );
            expect((await violations(page)).every((v) => v.startsWith('script-src'))).toBe(true);
            expect(await pwned(page)).toBeUndefined();
        });

        it('shows ≥ 500 hostile payloads as text from file://: no script from the data runs, no CSP violation', async () => {
            const root = hostileRun(scratch);
            expect((await masReport(scratch, bundles, root, '-o', 'hostile.html')).code).toBe(0);
            const { page, errors, requests } = await openReport(path.join(scratch, 'hostile.html'));
            await page.locator('.timeline .turn-row').nth(2).waitFor();
            await page.locator('.group-table tbody tr').nth(3).waitFor();
            // The first rollout's outputs are the <script>/<img onerror>/U+2028 strings: shown verbatim as text.
            await page.locator('.text-view').first().waitFor();
            expect(await page.locator('body').textContent()).toContain('</script><script>window.__pwned=1</script>');
            for (const turn of [1, 2]) {
                await page.locator('#next-turn').click();
                await page.locator('.turn-label', { hasText: `turn ${turn + 1} / 3` }).waitFor();
            }
            expect(await page.locator('body').textContent()).toContain('line\u2028separator');
            // Rollout 1's agents are hostile names: opened through the shim, they appear in the timeline as text.
            await page.locator('.group-table a[data-rollout="1"]').click();
            await received(page, 'trajectory/rollout', 2);
            await page.locator('.turn-label', { hasText: 'turn 1 / 3' }).waitFor();
            const agents = await page.locator('.timeline .turn-agent').allTextContents();
            expect(agents).toHaveLength(3);
            expect(
                agents.every((a) => /<|javascript:|\{\{|&lt;|\u202e|\u200b/.test(a)),
                agents.join(' | '),
            ).toBe(true);
            // No markup from the data became elements: no script-capable element and no on* handler attribute in the view.
            expect(
                await page.evaluate(() =>
                    [...document.querySelectorAll('main *')]
                        .filter(
                            (e) =>
                                ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'IMG'].includes(e.tagName.toUpperCase()) ||
                                [...e.attributes].some((a) => /^on/i.test(a.name)),
                        )
                        .map((e) => e.outerHTML.slice(0, 80)),
                ),
            ).toEqual([]);
            expect(await paintedPixels(page)).toBeGreaterThan(100);
            expect(await pwned(page)).toBeUndefined();
            expect(await violations(page)).toEqual([]);
            expect(requests).toEqual([]);
            expect(errors).toEqual([]);
            // Responsive: a round trip through the page's event loop completes.
            expect(await page.evaluate(() => new Promise<number>((r) => setTimeout(() => r(1), 0)))).toBe(1);
        });
    },
);
