// The trajectory view's step control (issue 15 item 6): a searchable, virtualised list of steps with the reward per
// step, opened at the latest step, usable with 10 000 steps and from the keyboard; and "Debug this rollout".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { rolloutView, summarizeRunFields } from '../../analysis/run-dir/view-model.js';
import type { RolloutSummary, RunHeads, StepHead } from '../../protocol/trajectory-messages.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from './browser-harness.js';
import { connectHost } from './trajectory-host.js';

const harness = new WebviewHarness();
const STEPS = 10_000;

const opened = async (view: ViewPage) =>
    (await view.posted()).filter((m) => m.type === 'trajectory/openRollout').map((m) => [m['step'], m['rollout']]);

/** Waits until the view has posted `count` openRollout messages (a signal, never a delay). */
const openedCount = (view: ViewPage, count: number) =>
    view.page.waitForFunction(
        (n) =>
            (window as unknown as { __posted: { type: string }[] }).__posted.filter(
                (m) => m.type === 'trajectory/openRollout',
            ).length >= n,
        count,
    );

/** Step s's one rollout in the stretched run: reward s / 10 000. */
const stepRollout = (step: number): RolloutSummary => ({
    rollout: 0,
    group: 0,
    sample: 0,
    parent: null,
    reward: step / STEPS,
    success: step % 2 === 1,
    turns: 3,
});

/**
 * The fixture run's open message stretched to 10 000 steps, as the host sends it: one head per step (step s has mean
 * reward s / 10 000, one rollout) and the rollouts of the latest step only.
 */
async function manyStepRun(): Promise<RunHeads> {
    const fields = summarizeRunFields(await new RunDirService().index(FIXTURE_RUN), false);
    const steps: StepHead[] = Array.from({ length: STEPS }, (_, i) => ({
        step: i + 1,
        rolloutCount: 1,
        meanReward: (i + 1) / STEPS,
        successRate: (i + 1) % 2,
    }));
    return { ...fields, steps, opened: { step: STEPS, rollouts: [stepRollout(STEPS)] } };
}

const stepRequests = async (view: ViewPage) =>
    (await view.posted()).filter((m) => m.type === 'trajectory/stepRollouts').map((m) => m['step']);

/** Waits for the view to ask for `step`'s rollouts (a signal, never a delay) and answers as the host would. */
async function answerStep(view: ViewPage, step: number): Promise<void> {
    await view.page.waitForFunction(
        (s) =>
            (window as unknown as { __posted: { type: string; step?: number }[] }).__posted.some(
                (m) => m.type === 'trajectory/stepRollouts' && m.step === s,
            ),
        step,
    );
    await view.send({ type: 'trajectory/stepRollouts', step, rollouts: [stepRollout(step)] });
}

/** Answers the view's openRollout as the host would: the fixture's first rollout, shown as `step`'s. */
async function answerOpen(view: ViewPage, step: number): Promise<void> {
    const reader = new RunDirService();
    const record = await reader.rollout(FIXTURE_RUN, 1, 0);
    const shown = rolloutView(await reader.index(FIXTURE_RUN), { ...record, step });
    await view.send({ type: 'trajectory/rollout', view: { ...shown, step } });
}

const searchField = (view: ViewPage) => view.page.locator('vscode-textfield[aria-label="Go to step"] input');

describe.skipIf(chromiumMissing !== undefined)(
    `trajectory step list in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['trajectory']), 120_000);
        afterAll(async () => harness.stop());

        it('opens a 10 000-step run at its latest step and renders only the rows in view, with the reward per step', async () => {
            const view = await harness.open('trajectory');
            await view.send({ type: 'trajectory/run', run: await manyStepRun() });
            await openedCount(view, 1);
            expect(await opened(view)).toEqual([[STEPS, 0]]);
            await answerOpen(view, STEPS);
            const page = view.page;
            await page.locator('.step-row.selected').waitFor();
            // Virtualised: a few dozen rows in the DOM, not ten thousand options.
            const rows = await page.locator('.step-row').count();
            expect(rows).toBeGreaterThan(3);
            expect(rows).toBeLessThan(60);
            expect(await page.locator('vscode-option').count()).toBeLessThan(10);
            // Newest first; each row shows its step's reward and success rate, the open step is selected.
            expect(await page.locator('.step-row').first().locator('.step-number').textContent()).toBe('step 10000');
            expect(await page.locator('.step-row.selected .step-reward').textContent()).toBe('reward 1.000');
            expect(await page.locator('.step-row').nth(1).locator('.step-number').textContent()).toBe('step 9999');
            expect(await page.locator('.step-row').nth(1).locator('.step-success').textContent()).toBe(
                '100 % ✓ · 1 rollout',
            );
            expect(await page.locator('.step-status').textContent()).toBe('10000 steps');
            // The open message carried the latest step's rollouts: nothing else was asked for.
            expect(await stepRequests(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await view.screenshot('trajectory-step-list-10000');
        });

        it('jumps to a typed step number, or to the nearest recorded step, and opens it with Enter', async () => {
            const view = await harness.open('trajectory');
            await view.send({ type: 'trajectory/run', run: await manyStepRun() });
            await openedCount(view, 1);
            const page = view.page;
            await searchField(view).fill('5000');
            // Filtering by the typed prefix: 5000 itself and nothing else below 10 000.
            await page.locator('.step-status', { hasText: '1 of 10000 steps' }).waitFor();
            await searchField(view).press('Enter');
            await answerStep(view, 5000);
            await openedCount(view, 2);
            expect((await opened(view))[1]).toEqual([5000, 0]);
            await page.locator('.step-row.selected', { hasText: 'step 5000' }).waitFor();
            expect(await page.locator('.step-row.selected .step-reward').textContent()).toBe('reward 0.500');
            // No step starts with 0: the list stays whole and Enter opens the nearest step (1).
            await searchField(view).fill('0');
            await page.locator('.step-status', { hasText: 'no step starts with 0' }).waitFor();
            await searchField(view).press('Enter');
            await answerStep(view, 1);
            await openedCount(view, 3);
            expect((await opened(view))[2]).toEqual([1, 0]);
        });

        it('is usable from the keyboard: arrows, PageDown and End move in the list, Enter opens', async () => {
            const view = await harness.open('trajectory');
            await view.send({ type: 'trajectory/run', run: await manyStepRun() });
            await openedCount(view, 1);
            const page = view.page;
            const list = page.locator('.step-list');
            await list.focus();
            await page.keyboard.press('ArrowDown');
            await page.keyboard.press('PageDown');
            expect(await list.getAttribute('aria-activedescendant')).toBe('step-row-9989');
            await page.keyboard.press('Enter');
            await answerStep(view, 9989);
            await openedCount(view, 2);
            expect((await opened(view))[1]).toEqual([9989, 0]);
            await page.keyboard.press('End');
            expect(await list.getAttribute('aria-activedescendant')).toBe('step-row-1');
            // The active row is rendered (scrolled into the virtual window) so assistive tech can read it.
            expect(await page.locator('#step-row-1 .step-reward').textContent()).toBe('reward 0.000');
            await page.keyboard.press(' ');
            await answerStep(view, 1);
            await openedCount(view, 3);
            expect((await opened(view))[2]).toEqual([1, 0]);
            expect(await list.getAttribute('role')).toBe('listbox');
            expect(await page.locator('#step-row-1').getAttribute('role')).toBe('option');
        });

        it('a malformed answer for a step’s rollouts is a notice, not a page error, and opens nothing', async () => {
            const view = await harness.open('trajectory');
            await view.send({ type: 'trajectory/run', run: await manyStepRun() });
            await openedCount(view, 1);
            await view.page.locator('.step-row[data-step="9999"]').click();
            await view.page.waitForFunction(() =>
                (window as unknown as { __posted: { type: string }[] }).__posted.some(
                    (m) => m.type === 'trajectory/stepRollouts',
                ),
            );
            const bad = { ...stepRollout(9999), reward: null };
            await view.send({ type: 'trajectory/stepRollouts', step: 9999, rollouts: [bad] });
            await view.page.locator('.notice-error', { hasText: 'rollouts of step 9999 could not be read' }).waitFor();
            expect(await opened(view)).toEqual([[STEPS, 0]]);
            expect(view.errors).toEqual([]);
        });

        it('opens a trainer-written run at its latest step, the list showing each step’s mean reward', async () => {
            const view = await harness.open('trajectory');
            const index = await new RunDirService().index(FIXTURE_RUN);
            const host = await connectHost(view, new RunDirService(), FIXTURE_RUN);
            await host.delivered('trajectory/rollout', 1);
            expect(await opened(view)).toEqual([[3, 0]]);
            const page = view.page;
            expect(await page.locator('.step-row .step-number').allTextContents()).toEqual([
                'step 3',
                'step 2',
                'step 1',
            ]);
            const mean = (step: number) => {
                const rollouts = index.steps.find((s) => s.step === step)!.rollouts;
                return rollouts.reduce((sum, r) => sum + r.reward, 0) / rollouts.length;
            };
            expect(await page.locator('.step-row .step-reward').allTextContents()).toEqual(
                [3, 2, 1].map((s) => `reward ${mean(s).toFixed(3)}`),
            );
            expect(await page.locator('.step-row.selected .step-number').textContent()).toBe('step 3');
            await page.locator('.step-row[data-step="1"]').click();
            await host.delivered('trajectory/rollout', 2);
            expect(((await view.state()) as { step: number }).step).toBe(1);
        });

        it('asks the host for an older step’s rollouts when it is opened (list or dashboard jump) and shows them', async () => {
            const view = await harness.open('trajectory');
            const index = await new RunDirService().index(FIXTURE_RUN);
            const host = await connectHost(view, new RunDirService(), FIXTURE_RUN);
            await host.delivered('trajectory/rollout', 1);
            const page = view.page;
            const rolloutsOf = (step: number) => index.steps.find((s) => s.step === step)!.rollouts;
            // The list counts each step's rollouts from its head; only the latest step's rollouts came with the run.
            const count = rolloutsOf(1).length;
            expect(await page.locator('.step-row[data-step="1"] .step-success').textContent()).toContain(
                `· ${count} rollout${count === 1 ? '' : 's'}`,
            );
            expect(await stepRequests(view)).toEqual([]);
            /** Waits until the Rollout picker lists `step`'s rollouts of its first rollout's group. */
            const pickerShows = async (step: number) => {
                const first = rolloutsOf(step)[0]!;
                const labels = rolloutsOf(step)
                    .filter((r) => r.group === first.group)
                    .map((r) => `rollout ${r.rollout} · reward ${r.reward.toFixed(3)}${r.success ? ' ✓' : ''}`);
                await page.waitForFunction(
                    (want) =>
                        JSON.stringify(
                            [
                                ...document.querySelectorAll(
                                    'vscode-single-select[aria-label="Rollout"] vscode-option',
                                ),
                            ].map((o) => o.textContent),
                        ) === JSON.stringify(want),
                    labels,
                );
                return first;
            };
            await page.locator('.step-row[data-step="1"]').click();
            await host.delivered('trajectory/stepRollouts', 1);
            await host.delivered('trajectory/rollout', 2);
            const first1 = await pickerShows(1);
            expect(await stepRequests(view)).toEqual([1]);
            expect((await opened(view))[1]).toEqual([1, first1.rollout]);
            // A click on a dashboard point opens step 2 through the host: the view asks for its rollouts too.
            await host.controller.openStep(2);
            await host.delivered('trajectory/stepRollouts', 2);
            const first2 = await pickerShows(2);
            expect((await opened(view))[2]).toEqual([2, first2.rollout]);
            expect(await stepRequests(view)).toEqual([1, 2]);
            // A step the view already has is not asked for again.
            await page.locator('.step-row[data-step="1"]').click();
            await host.delivered('trajectory/rollout', 4);
            await pickerShows(1);
            expect(await stepRequests(view)).toEqual([1, 2]);
            expect(view.errors).toEqual([]);
        });

        it('"Debug this rollout" asks the host to debug the rollout on screen; a refusal shows as a notice', async () => {
            const view = await harness.open('trajectory');
            const asked: [number, number][] = [];
            const host = await connectHost(view, new RunDirService(), FIXTURE_RUN, {
                onDebugRollout: async (step, rollout) => {
                    asked.push([step, rollout]);
                    return { error: 'MAS: debugging is disabled in this window.' };
                },
            });
            await host.delivered('trajectory/rollout', 1);
            await view.page.locator('.group-table a[data-rollout="2"]').click();
            await host.delivered('trajectory/rollout', 2);
            // Right-clicking a rollout in VS Code offers "Debug this Rollout" (package.json webview/context) with this.
            expect(
                JSON.parse(
                    (await view.page.locator('.group-table a[data-rollout="1"]').getAttribute('data-vscode-context'))!,
                ),
            ).toEqual({ webviewSection: 'rollout', runDir: FIXTURE_RUN, step: 3, rollout: 1 });
            await view.page.locator('#debug-rollout').click();
            await host.delivered('trajectory/notice', 1);
            expect(asked).toEqual([[3, 2]]);
            expect((await view.posted()).filter((m) => m.type === 'trajectory/debugRollout')).toEqual([
                { type: 'trajectory/debugRollout', step: 3, rollout: 2 },
            ]);
            expect(await view.page.locator('.notice').allTextContents()).toEqual([
                'MAS: debugging is disabled in this window.',
            ]);
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
        });
    },
);
