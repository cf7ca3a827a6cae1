import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { copyFixtureRunWithShapley, FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from './browser-harness.js';
import { hostilePayloads } from './hostile-payloads.js';
import { connectHost } from './trajectory-host.js';

const harness = new WebviewHarness();
const scratch = mkdtempSync(path.join(tmpdir(), 'mas-traj-view-'));

async function openRun(root: string, extra: Parameters<typeof connectHost>[3] = {}) {
    const view = await harness.open('trajectory');
    const host = await connectHost(view, new RunDirService(), root, extra);
    await host.delivered('trajectory/rollout', 1);
    return { view, ...host };
}

const text = (view: ViewPage, selector: string) => view.page.locator(selector).allTextContents();
/**
 * The credit heatmap's current-turn marker: the column named in the DOM, and whether the outline colour
 * (--vscode-focusBorder's fallback, #007fd4, as the harness theme does not set it) is painted on that column's top edge.
 */
async function heatmapMarker(view: ViewPage): Promise<{ column: string | null; outlined: boolean[] }> {
    return view.page.evaluate(() => {
        const canvas = document.querySelector('.heatmap canvas') as HTMLCanvasElement;
        const columns = 3,
            label = 96,
            header = 18; // fixture: three turns; geometry of heatmap-canvas.ts
        const colW = (canvas.width - label) / columns;
        const ctx = canvas.getContext('2d')!;
        const outlined = Array.from({ length: columns }, (_, c) => {
            const [r, g, b] = ctx.getImageData(Math.round(label + (c + 0.5) * colW), header + 1, 1, 1).data;
            return r === 0x00 && g === 0x7f && b === 0xd4;
        });
        return { column: canvas.getAttribute('data-current-turn'), outlined };
    });
}

/** The Rollout picker's value and the label its face shows. */
const rolloutPicker = (view: ViewPage) =>
    view.page.evaluate(() => {
        const picker = document.querySelector('vscode-single-select[aria-label="Rollout"]') as HTMLElement & {
            value: string;
        };
        return {
            value: picker.value,
            shown: picker.shadowRoot?.querySelector('.select-face .text')?.textContent ?? '',
        };
    });

const pwned = (view: ViewPage) => view.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

const ROLLOUTS = 16;

/** A run whose every string the view shows is hostile: outputs, prompts, agent and role names, task, run name. */
function hostileRun(): { root: string; payloads: number } {
    const payloads = hostilePayloads(510);
    const root = path.join(scratch, '<img src=x onerror="window.__pwned=99">run');
    cpSync(FIXTURE_RUN, root, { recursive: true });
    const base = JSON.parse(
        readFileSync(path.join(FIXTURE_RUN, 'trajectories/1.jsonl'), 'utf8').split('\n')[0]!,
    ) as TrajectoryRecord;
    let k = 0;
    const next = () => payloads[k++ % payloads.length]!;
    const methods = [next(), next()];
    const records = Array.from({ length: ROLLOUTS }, (_, rollout) => ({
        ...base,
        rollout,
        group: Math.floor(rollout / 4),
        sample: rollout % 4,
        task: { first: next(), second: next() },
        turns: base.turns.map((t) => ({
            ...t,
            agent: rollout % 2 ? next() : t.agent,
            role: next(),
            output: Array.from({ length: 9 }, next).join('\n'),
            prompt: Array.from({ length: 4 }, next).join(' '),
        })),
        criteria: { [next()]: 1 },
        credit: { outcome: [0.5, -0.5, 0], [methods[0]!]: [1, 2, 3], [methods[1]!]: [-1, 0, 1] },
    }));
    rmSync(path.join(root, 'trajectories'), { recursive: true });
    mkdirSync(path.join(root, 'trajectories'));
    writeFileSync(path.join(root, 'trajectories/1.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { root, payloads: Math.min(k, payloads.length) };
}

describe.skipIf(chromiumMissing !== undefined)(
    `trajectory webview in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['trajectory']), 120_000);
        afterAll(async () => {
            await harness.stop();
            rmSync(scratch, { recursive: true, force: true });
        });

        it('navigates a trainer-written run: timeline, credit heatmap with legend, rubric, estimators, group', async () => {
            const { view, delivered } = await openRun(FIXTURE_RUN);
            await delivered('trajectory/group', 1);
            await delivered('trajectory/stepHeatmap', 1);
            const page = view.page;
            expect(await page.locator('.timeline .turn-row').count()).toBe(3);
            expect(await text(view, '.timeline .turn-agent')).toEqual(['first', 'second', 'lazy']);
            expect(await page.locator('.turn-label').textContent()).toBe('turn 1 / 3');
            // The heatmap is one canvas; its cells are painted pixels, the legend is centred on 0.
            expect(await page.locator('.heatmap canvas').count()).toBe(2);
            const painted = await page.evaluate(() => {
                const canvas = document.querySelector('.heatmap canvas') as HTMLCanvasElement;
                const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
                let opaque = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
                return opaque;
            });
            expect(painted).toBeGreaterThan(100);
            expect((await text(view, '.heatmap-legend span')).length).toBeGreaterThanOrEqual(3);
            expect(await text(view, '.rubric-table tbody td:first-child')).toEqual([
                'first_part',
                'second_part',
                'total',
            ]);
            expect(await text(view, '.estimators-table thead th')).toEqual([
                'turn',
                'agent',
                'outcome',
                'agent_normalized',
                'turn_level',
            ]);
            expect(await page.locator('.agreement-table tbody tr').count()).toBe(3);
            expect(await page.locator('.group-table tbody tr').count()).toBe(4);
            // The per-agent run summary at the top: outcome-family credit only, so nobody is flagged and it says why.
            expect(await text(view, '.agent-summary-table tbody td:first-child')).toEqual(['first', 'second', 'lazy']);
            expect(await page.locator('.agent-summary-table .lazy-agent').count()).toBe(0);
            expect(await page.locator('.agent-summary-note').textContent()).toContain('`record_credit: all`');
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await view.screenshot('trajectory-fixture');
        });

        it('puts the per-agent run summary at the top and flags the agent shapley and difference give 0', async () => {
            const root = copyFixtureRunWithShapley(path.join(scratch, 'shapley-run'));
            const { view } = await openRun(root);
            const page = view.page;
            // Above the navigation: the first panel of the page.
            expect(await page.locator('section.panel').first().locator('.agent-summary-table').count()).toBe(1);
            expect(await text(view, '.agent-summary-table thead th')).toEqual([
                'agent',
                'outcome: share · mean',
                'agent_normalized: share · mean',
                'turn_level: share · mean',
                'shapley *: share · mean',
                'difference *: share · mean',
                'flag',
            ]);
            const lazyRow = page.locator('.agent-summary-table tbody tr.lazy-agent');
            expect(await lazyRow.count()).toBe(1);
            expect(await lazyRow.locator('td').first().textContent()).toBe('lazy');
            expect(await lazyRow.locator('td').last().textContent()).toBe(
                'lazy: 0 % of the credit under shapley, difference',
            );
            expect(await lazyRow.locator('td').nth(4).textContent()).toMatch(/^0 % · 0\.000$/);
            expect(await text(view, '.agent-summary-table tbody tr:first-child td:nth-child(5)')).toEqual([
                expect.stringMatching(/^50 % · /) as unknown as string,
            ]);
            expect(await page.locator('.agent-summary-note').textContent()).toBe(
                'lazy is flagged lazy: under 5 % of the credit under each of shapley and difference.',
            );
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await view.screenshot('trajectory-agent-summary');
        });

        it('steps through turns in the view alone and tells the host; opens another rollout from the group', async () => {
            const { view, delivered } = await openRun(FIXTURE_RUN);
            const page = view.page;
            expect(await heatmapMarker(view)).toEqual({ column: '0', outlined: [true, false, false] });
            await page.locator('#next-turn').click();
            await page.locator('#next-turn').click();
            expect(await page.locator('.turn-label').textContent()).toBe('turn 3 / 3');
            // The credit heatmap follows the selected turn, as the turn list does.
            expect(await heatmapMarker(view)).toEqual({ column: '2', outlined: [false, false, true] });
            await page.locator('.timeline .turn-row[data-turn="0"]').click();
            expect(await heatmapMarker(view)).toEqual({ column: '0', outlined: [true, false, false] });
            await page.locator('#next-turn').click();
            await page.locator('#next-turn').click();
            expect(await page.locator('.turn-row.selected .turn-agent').textContent()).toBe('lazy');
            await page.locator('#prev-turn').click();
            expect(await page.locator('.turn-info .turn-agent').textContent()).toBe('second');
            const posted = await view.posted();
            expect(posted.filter((m) => m.type === 'trajectory/focusTurn').map((m) => m['turn'])).toEqual([
                1, 2, 0, 1, 2, 1,
            ]);
            expect(await rolloutPicker(view)).toEqual({ value: '0', shown: expect.stringMatching(/^rollout 0 /) });
            await page.locator('.group-table a[data-rollout="2"]').click();
            await delivered('trajectory/rollout', 2);
            expect(await page.locator('.turn-label').textContent()).toBe('turn 1 / 3');
            // The Rollout picker shows the opened rollout once its new options have rendered (a signal, not a delay).
            await page.waitForFunction(
                () => {
                    const picker = document.querySelector(
                        'vscode-single-select[aria-label="Rollout"]',
                    ) as HTMLElement & { value: string };
                    return picker.value === '2';
                },
                undefined,
                { timeout: 10_000 },
            );
            expect(await rolloutPicker(view)).toEqual({ value: '2', shown: expect.stringMatching(/^rollout 2 /) });
            const state = (await view.state()) as { rollout: number; step: number };
            // The view opened at the run's latest step (3), and the group table moved within it.
            expect([state.step, state.rollout]).toEqual([3, 2]);
        });

        it('comes back where it was after a reload, and a heatmap cell click moves to that turn', async () => {
            const view = await harness.open('trajectory', {
                view: 'trajectory',
                root: FIXTURE_RUN,
                step: 3,
                rollout: 9,
                turn: 1,
                method: 'turn_level',
            });
            const host = await connectHost(view, new RunDirService(), FIXTURE_RUN);
            await host.delivered('trajectory/rollout', 1);
            const page = view.page;
            expect(await page.locator('.turn-label').textContent()).toBe('turn 2 / 3');
            expect(await page.locator('.turn-info .hint').textContent()).toMatch(/turn_level credit/);
            expect((await view.posted()).find((m) => m.type === 'trajectory/openRollout')).toEqual({
                type: 'trajectory/openRollout',
                step: 3,
                rollout: 9,
            });
            const box = (await page.locator('.heatmap canvas').first().boundingBox())!;
            // Label column 96 px, header 18 px (heatmap-canvas.ts); three turn columns share the rest.
            await page.mouse.click(
                box.x + 96 + ((box.width - 96) / 3) * 2.5,
                box.y + 18 + ((box.height - 18) / 3) * 2.5,
            );
            expect(await page.locator('.turn-label').textContent()).toBe('turn 3 / 3');
        });

        it('follows the debugger and re-scores an edited message (before / after)', async () => {
            const { view, delivered, controller } = await openRun(FIXTURE_RUN);
            await controller.follow(2, 5, 1, true);
            await delivered('trajectory/rollout', 2);
            await view.page.waitForFunction(
                () => document.querySelector('.turn-label')?.textContent === 'turn 2 / 3 (debugger)',
            );
            expect(await heatmapMarker(view)).toEqual({ column: '1', outlined: [false, true, false] });
            const task = JSON.parse(
                readFileSync(path.join(FIXTURE_RUN, 'trajectories/2.jsonl'), 'utf8').split('\n')[5]!,
            ).task as { second: string };
            await view.page.evaluate((v) => {
                (document.querySelector('vscode-textarea') as unknown as { value: string }).value = v;
            }, task.second);
            await view.page.locator('#whatif-run').click();
            await delivered('trajectory/whatIf', 1);
            const rows = await view.page.locator('.whatif-table tbody tr').allTextContents();
            expect(rows[0]).toMatch(/^reward/);
            expect(rows.find((r) => r.startsWith('second_part'))).toBe('second_part0.0001.000');
        });

        it("says which critic a what-if used: the run's latest export, not the one of the step on screen (first-hour bug B9)", async () => {
            const critic = {
                available: async () => true,
                credit: async () => [0.1, 0.2, 0.3],
                exportedStep: async () => 80,
            };
            const { view, delivered, controller } = await openRun(FIXTURE_RUN, { critic });
            await controller.follow(2, 5, 1, false);
            await delivered('trajectory/rollout', 2);
            await view.page.locator('#whatif-run').click();
            await delivered('trajectory/whatIf', 1);
            expect(await text(view, '.critic-step')).toEqual([
                "Critic credit from the run's latest critic.onnx, exported at step 80: not from the critic as it was at step 2.",
            ]);
            expect(await view.page.locator('.critic-table tbody tr').count()).toBe(3);
        });

        it('draws a counterfactual group as a tree from the parent ids', async () => {
            const root = path.join(scratch, 'tree');
            cpSync(FIXTURE_RUN, root, { recursive: true });
            // Step 3: the view opens at the run's latest step.
            const file = path.join(root, 'trajectories/3.jsonl');
            const lines = readFileSync(file, 'utf8')
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l) as TrajectoryRecord);
            // Group 0 as a tree: 0 is the root, 1 and 2 branch from 0, 3 branches from 1.
            const parents = [null, 0, 0, 1];
            lines.forEach((r) => {
                if (r.group === 0) r.parent = parents[r.sample]!;
            });
            writeFileSync(file, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
            const { view, delivered } = await openRun(root);
            await delivered('trajectory/group', 1);
            const page = view.page;
            expect(await page.locator('.section-body > ul.tree > li').count()).toBe(1);
            expect(await page.locator('.section-body > ul.tree > li > ul > li > a').allTextContents()).toEqual([
                expect.stringMatching(/^rollout 1 /),
                expect.stringMatching(/^rollout 2 /),
            ]);
            expect(
                await page
                    .locator('a[data-rollout="3"]')
                    .last()
                    .evaluate((a) => a.closest('ul')?.parentElement?.querySelector(':scope > a')?.textContent),
            ).toMatch(/^rollout 1 /);
            expect(await text(view, '.group-table tbody td:nth-child(3)')).toEqual(['', '0', '0', '1']);
        });

        it('re-scores the run with an edited rubric and shows ranking and per-agent credit changes', async () => {
            const { view, delivered } = await openRun(FIXTURE_RUN, {
                loadRubric: async (index) => {
                    const rubric = index.run.spec.rubrics[0]!;
                    // As if the user added a criterion to the .mas file: the lazy agent is now rewarded for saying 'F'.
                    const lazyF = {
                        name: 'lazy_f',
                        weight: 1,
                        expr: {
                            op: '==' as const,
                            left: { op: 'output' as const, agent: 'lazy' },
                            right: { op: 'str' as const, value: 'F' },
                        },
                    };
                    return {
                        rubric: { ...rubric, criteria: [...rubric.criteria, lazyF] },
                        level: 'trajectory',
                        source: 'lazy-team.mas',
                    };
                },
            });
            await view.page.locator('#rescore-run').click();
            await delivered('trajectory/rescore', 1);
            expect(await view.page.locator('.rescore-result p').first().textContent()).toMatch(
                /^Rubric 'parts' from lazy-team\.mas; credit: outcome; rank correlation of rewards before\/after: /,
            );
            expect(await text(view, '.agent-credit-table tbody td:first-child')).toEqual(['first', 'second', 'lazy']);
            const moves = await text(view, '.rescore-table tbody td:last-child');
            expect(moves).toHaveLength(36);
            expect(moves.some((m) => m.startsWith('▲'))).toBe(true);
        });

        it(`shows ≥ 500 hostile payloads as text: no script runs, no CSP violation, the page stays responsive`, async () => {
            const { root, payloads } = hostileRun();
            expect(payloads).toBeGreaterThanOrEqual(500);
            const { view, delivered } = await openRun(root);
            const page = view.page;
            // Every rollout, every turn: each output and prompt is rendered whole in the message view once.
            for (let rollout = 1; rollout < ROLLOUTS; rollout += 1) {
                await view.send({ type: 'trajectory/focus', step: 1, rollout, turn: 0, debugging: false });
                await delivered('trajectory/rollout', rollout + 1);
                await page.locator('#next-turn').click();
                await page.locator('#next-turn').click();
            }
            expect(await pwned(view)).toBeUndefined();
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(await page.locator('script').count()).toBe(1);
            expect(
                await page
                    .locator('#app img, #app iframe, #app object, #app svg script, #app a[href^="javascript"]')
                    .count(),
            ).toBe(0);
            expect(await page.locator('.run-name').textContent()).toContain('onerror');
            expect(await page.evaluate(() => 1 + 1)).toBe(2);
            expect(view.errors).toEqual([]);
        });

        it('keeps a 10 MB single-token output virtualised', async () => {
            const root = path.join(scratch, 'huge');
            cpSync(FIXTURE_RUN, root, { recursive: true });
            const record = JSON.parse(
                readFileSync(path.join(FIXTURE_RUN, 'trajectories/1.jsonl'), 'utf8').split('\n')[0]!,
            ) as TrajectoryRecord;
            record.turns[0]!.output = 'x'.repeat(10 * 1024 * 1024);
            writeFileSync(path.join(root, 'trajectories/1.jsonl'), JSON.stringify(record) + '\n');
            const { view } = await openRun(root);
            const lines = await view.page.locator('.text-view').first().locator('.text-line').count();
            expect(lines).toBeGreaterThan(0);
            expect(lines).toBeLessThan(40);
            expect(await view.page.locator('.token').count()).toBe(1);
            expect(view.errors).toEqual([]);
        });
    },
);
