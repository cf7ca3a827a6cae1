import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { chatFixtureRun } from '../analysis/run-dir/chat-fixture.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from './browser-harness.js';
import { connectHost } from './trajectory-host.js';

const harness = new WebviewHarness();
const scratch = mkdtempSync(path.join(tmpdir(), 'mas-traj-chat-'));
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const text = (view: ViewPage, selector: string) => view.page.locator(selector).allTextContents();
/** The visible lines of each text box under `selector` (the boxes are virtualised line lists). */
const lines = (view: ViewPage, selector: string) =>
    view.page.evaluate(
        (s) =>
            Array.from(document.querySelectorAll(s), (box) =>
                Array.from(box.querySelectorAll('.text-line'), (l) => l.textContent).join('\n'),
            ),
        selector,
    );

describe.skipIf(chromiumMissing !== undefined)(
    `trajectory webview, chat turns, in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['trajectory']), 120_000);
        afterAll(async () => {
            await harness.stop();
            rmSync(scratch, { recursive: true, force: true });
        });

        it('shows a chat turn as system, user and assistant messages; the template on demand; bad messages raw with the reason', async () => {
            const root = chatFixtureRun(path.join(scratch, 'run'), (role) => `${HOSTILE}You are ${role}.`);
            // The chat turns are in step 1; the view opens at the latest step unless it comes back to one.
            const view = await harness.open('trajectory', {
                view: 'trajectory',
                root,
                step: 1,
                rollout: 0,
                turn: 0,
                method: null,
            });
            const { delivered } = await connectHost(view, new RunDirService(), root);
            await delivered('trajectory/rollout', 1);
            await delivered('trajectory/group', 1);
            const page = view.page;
            expect(await text(view, '.chat-message > .text-label')).toEqual(['System', 'User', 'Assistant']);
            expect(await lines(view, '.chat-message .text-view')).toEqual([
                `${HOSTILE}You are First.`,
                'First part for d:',
                'E',
            ]);
            // The rendered template: present, closed until asked for, shown as text.
            const template = page.locator('details.chat-template');
            expect(await template.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
            expect(await template.locator('.text-line').first().isVisible()).toBe(false);
            await template.locator('summary').click();
            expect(await template.locator('.text-line').first().isVisible()).toBe(true);
            expect((await lines(view, 'details.chat-template .text-view'))[0]).toBe(
                `<|im_start|>system\n${HOSTILE}You are First.<|im_end|>\n<|im_start|>user\nFirst part for d:<|im_end|>\n<|im_start|>assistant\n`,
            );
            // The token strip covers the assistant's reply only (one sampled token here), and says so.
            expect(await page.locator('.token-box .token').count()).toBe(1);
            expect(await page.locator('.token-box.chat-tokens').count()).toBe(1);
            expect(await page.locator('.token-box').evaluate((e) => getComputedStyle(e, '::before').content)).toContain(
                "The assistant's tokens",
            );
            expect(await page.locator('.chat-note').isVisible()).toBe(false);
            await view.screenshot('trajectory-chat');

            // Rollout 1's messages name a role the contract does not allow: the turn is raw, the reason shown.
            await page.locator('.group-table a[data-rollout="1"]').click();
            await delivered('trajectory/rollout', 2);
            expect(await page.locator('.chat-note').textContent()).toBe(
                `chat messages ignored: messages[1].role is not 'system' or 'user'; showing the raw prompt`,
            );
            expect(await page.locator('.chat-message').count()).toBe(0);
            expect(await page.locator('details.chat-template').isVisible()).toBe(false);
            expect(await text(view, '.turn-messages .text-label')).toEqual(['Message', 'Rendered prompt']);
            expect((await lines(view, '.raw-prompt .text-view'))[0]).toContain('<|im_start|>system');
            expect(await page.locator('.token-box.chat-tokens').count()).toBe(0);

            expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
            expect(await page.locator('img').count()).toBe(0);
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
        });
    },
);
