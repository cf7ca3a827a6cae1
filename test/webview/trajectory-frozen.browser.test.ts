import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { copyFixtureRunWithShapley, freezeAgent } from '../analysis/run-dir/fixture-run.js';
import { chromiumMissing, WebviewHarness } from './browser-harness.js';
import { connectHost } from './trajectory-host.js';

const harness = new WebviewHarness();
const scratch = mkdtempSync(path.join(tmpdir(), 'mas-traj-frozen-'));

describe.skipIf(chromiumMissing !== undefined)(
    `frozen agents in the trajectory webview${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['trajectory']), 120_000);
        afterAll(async () => {
            await harness.stop();
            rmSync(scratch, { recursive: true, force: true });
        });

        it("greys out the frozen agent's heatmap row and summary row, labelled frozen, and flags nobody", async () => {
            const root = freezeAgent(copyFixtureRunWithShapley(path.join(scratch, 'run')), 'lazy');
            const view = await harness.open('trajectory');
            const host = await connectHost(view, new RunDirService(), root);
            await host.delivered('trajectory/rollout', 1);
            const page = view.page;
            const row = page.locator('.agent-summary-table tbody tr.frozen-agent');
            expect(await row.count()).toBe(1);
            expect(await row.locator('td').allTextContents()).toEqual([
                'lazy',
                'frozen',
                'frozen',
                'frozen',
                'frozen',
                'frozen',
                'frozen: never trained, no training credit',
            ]);
            expect(await page.locator('.agent-summary-table .lazy-agent').count()).toBe(0);
            // The turn list marks the frozen agent's turn, with no credit swatch.
            const frozenTurn = page.locator('.timeline .turn-row.frozen');
            expect(await frozenTurn.count()).toBe(1);
            expect(await frozenTurn.locator('.turn-agent').textContent()).toBe('lazy');
            expect(await frozenTurn.locator('.swatch').getAttribute('title')).toBe(
                'frozen: never trained, no training credit',
            );
            // The rollout heatmap: the frozen row (the third) is one flat grey, the others carry the colour scale.
            const rows = await page.evaluate(() => {
                const canvas = document.querySelector('.heatmap canvas') as HTMLCanvasElement;
                const ctx = canvas.getContext('2d')!;
                const label = 96,
                    header = 18,
                    columns = 3,
                    agents = 3; // geometry of heatmap-canvas.ts; the fixture: three agents, three turns
                const colW = (canvas.width - label) / columns,
                    rowH = (canvas.height - header) / agents;
                const pixel = (r: number, c: number) =>
                    Array.from(
                        ctx.getImageData(
                            Math.round(label + (c + 0.5) * colW),
                            Math.round(header + (r + 0.5) * rowH),
                            1,
                            1,
                        ).data,
                    );
                return {
                    frozen: canvas.getAttribute('data-frozen-rows'),
                    cells: [0, 1, 2].map((r) => [0, 1, 2].map((c) => pixel(r, c))),
                };
            });
            expect(rows.frozen).toBe('lazy');
            const [first, , lazy] = rows.cells;
            // A frozen row: every turn the same grey (r = g = b), whether or not the agent spoke there.
            expect(lazy!.every((p) => p.join() === lazy![0]!.join())).toBe(true);
            expect(lazy![0]![0]).toBe(lazy![0]![1]);
            expect(lazy![0]![1]).toBe(lazy![0]![2]);
            expect(lazy![0]![3]).toBeGreaterThan(0);
            // The first agent decided at turn 0: a colour of the scale, not the frozen grey.
            expect(first![0]!.join()).not.toBe(lazy![0]!.join());
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await view.screenshot('trajectory-frozen-agent');
        });
    },
);
