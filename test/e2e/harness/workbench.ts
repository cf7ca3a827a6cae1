// What a user does in the VS Code workbench, as Playwright steps: open a file, run a command, go to a
// position, read notifications and the Problems view. Every wait is for something to appear or change.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const SCREENSHOT_DIR = join('test-results', 'e2e');

/** Polls a real condition (a file's content, a log line) until it holds; rejects with `what` on timeout. */
export async function waitUntil<T>(
    probe: () => T | undefined | false,
    what: string,
    timeoutMs = 60_000,
    everyMs = 100,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
}

export class Workbench {
    constructor(readonly page: Page) {}

    /** The workbench is ready when the Explorer lists the workspace's folders. */
    async waitReady(timeoutMs = 120_000): Promise<void> {
        await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
    }

    async screenshot(name: string): Promise<string> {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await this.page.screenshot({ path });
        return path;
    }

    /** The highlighted row of the quick input once it shows `text` (Enter then picks exactly that row). */
    private quickInputRow(text: string): Locator {
        return this.page
            .locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: text })
            .first();
    }

    /** Quick Open (Ctrl+P) by file name; resolves once the editor tab for it is active. */
    async openFile(fileName: string): Promise<void> {
        await this.page.keyboard.press('Control+P');
        await this.page.locator('.quick-input-widget input').waitFor();
        await this.page.keyboard.type(fileName);
        await this.quickInputRow(fileName).waitFor();
        await this.page.keyboard.press('Enter');
        await this.page.locator('.tab.active', { hasText: fileName }).waitFor();
        await this.editor().locator('.view-line').first().waitFor();
    }

    /** Runs a command from the Command Palette by its title, as a user would. */
    async runCommand(title: string): Promise<void> {
        await this.page.keyboard.press('F1');
        await this.page.locator('.quick-input-widget input').waitFor();
        await this.page.keyboard.type(title);
        await this.quickInputRow(title).waitFor();
        await this.page.keyboard.press('Enter');
    }

    /**
     * Like runCommand, for a title that other commands contain (`Debug: Start Debugging` under `Debug: Select and
     * Start Debugging`): moves down the list until the highlighted row's label is exactly `title`.
     */
    async runExactCommand(title: string): Promise<void> {
        await this.page.keyboard.press('F1');
        await this.page.locator('.quick-input-widget input').waitFor();
        await this.page.keyboard.type(title);
        await this.page
            .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title })
            .first()
            .waitFor();
        const focused = this.page
            .locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name')
            .first();
        for (let i = 0; i < 8 && (await focused.textContent())?.trim() !== title; i++)
            await this.page.keyboard.press('ArrowDown');
        expect((await focused.textContent())?.trim(), 'the highlighted command palette row').toBe(title);
        await this.page.keyboard.press('Enter');
    }

    /** Go to Line/Column (Ctrl+G), 1-based. */
    async goTo(line: number, column: number): Promise<void> {
        await this.editor().click({ position: { x: 200, y: 10 } });
        await this.page.keyboard.press('Control+G');
        await this.page.locator('.quick-input-widget input').waitFor();
        await this.page.keyboard.type(`${line}:${column}`);
        await this.page.keyboard.press('Enter');
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        await this.page.locator('.monaco-editor.focused').first().waitFor();
    }

    editor(): Locator {
        return this.page.locator('.editor-group-container.active .monaco-editor').first();
    }

    notification(text: string | RegExp): Locator {
        return this.page.locator('.notification-list-item-message', { hasText: text }).first();
    }

    /** Opens the Problems view and returns its rows matching `text`. */
    async problems(text: string | RegExp): Promise<Locator> {
        await this.runCommand('View: Focus Problems');
        await this.page.locator('.markers-panel').waitFor();
        return this.page.locator('.markers-panel .monaco-list-row', { hasText: text });
    }

    async save(): Promise<void> {
        await this.page.keyboard.press('Control+S');
        await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
    }
}
