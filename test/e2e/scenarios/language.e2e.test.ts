// The installed VSIX in a real VS Code (code-server) driven in Chromium: activation, colouring, diagnostics
// and a quick fix, template completion, rename. One workbench for the whole file; scenarios run in order.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../harness/figures.js';
import { startSession, type Session } from '../harness/session.js';
import { waitUntil } from '../harness/workbench.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
};
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const LEWIS = 'signal/lewis.mas';
const BROKEN_ROLE = 'Receivr'; // a typo for the declared role `Receiver`

/** 1-based line and column of the first occurrence of `needle` (plus `offset` characters) in `text`. */
function positionOf(text: string, needle: string, offset = 0): { line: number; column: number } {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    if (line < 0) throw new Error(`the example no longer contains ${JSON.stringify(needle)}: update the e2e scenario`);
    return { line: line + 1, column: lines[line].indexOf(needle) + offset + 1 };
}

let session: Session;
const read = (path: string) => readFileSync(join(session.workspace, path), 'utf8');

beforeAll(async () => {
    const lewis = readFileSync('examples/signal/lewis.mas', 'utf8');
    if (!lewis.includes('listener: Receiver'))
        throw new Error('examples/signal/lewis.mas changed: update the broken-file scenario');
    session = await startSession({
        files: { [LEWIS]: lewis.replace('listener: Receiver', `listener: ${BROKEN_ROLE}`) },
    });
});

afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && session)
        await session.workbench.screenshot(`failed-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
    const leftovers = await session?.stop();
    expect(leftovers ?? [], 'processes left behind by code-server or Chromium').toEqual([]);
});

describe('MAS Studio installed from the VSIX', () => {
    it('installs with code-server --install-extension and activates in the workspace', async () => {
        expect(session.server.installOutput).toMatch(/successfully installed/);
        const installed = join(session.server.extensionsDir, `${EXTENSION_ID}-${manifest.version}`);
        expect(existsSync(join(installed, 'out', 'client.cjs'))).toBe(true);
        await session.workbench.waitReady();
        const ready = Date.now();
        await waitUntil(
            () => session.server.readLogs(/remoteexthost\.log$/).includes(`_doActivateExtension ${EXTENSION_ID},`),
            'the extension host to activate MAS Studio',
        );
        recordFigure('workbench ready → extension activated', Date.now() - ready, 'ms');
        expect(session.server.readLogs(/remoteexthost\.log$/)).not.toMatch(
            new RegExp(`Activating extension '?${EXTENSION_ID}'? failed`, 'i'),
        );
        await session.workbench.screenshot('01-activated');
    });

    it('colours a .mas file with the TextMate grammar', async () => {
        const { workbench, browser } = session;
        await workbench.openFile('math-team.mas');
        const keyword = workbench
            .editor()
            .locator('.view-line span span', { hasText: /^workflow$/ })
            .first();
        await keyword.waitFor();
        // The language server answers too: its code lenses sit above the workflow.
        await workbench.editor().locator('.codelens-decoration', { hasText: 'Train' }).first().waitFor();
        const at = positionOf(read('math-team/math-team.mas'), 'workflow ', 1);
        await workbench.goTo(at.line, at.column);
        await workbench.runCommand('Developer: Inspect Editor Tokens and Scopes');
        const inspector = browser.page.locator('.token-inspect-widget', { hasText: 'textmate scopes' });
        await inspector.waitFor();
        const scopes = await inspector.innerText();
        expect(scopes).toMatch(/source\.mas/);
        expect(scopes).toMatch(/keyword\.[\w.]*mas/);
        // Different scopes render with different colours in the DOM (a keyword is not plain text).
        const plain = workbench
            .editor()
            .locator('.view-line span span', { hasText: /^MathTeam$/ })
            .first();
        expect(await keyword.getAttribute('class')).not.toBe(await plain.getAttribute('class'));
        await workbench.screenshot('02-colouring');
        await browser.page.keyboard.press('Escape');
    });

    it('shows the diagnostic of a broken file in Problems and applies its quick fix', async () => {
        const { workbench, browser } = session;
        const opened = Date.now();
        await workbench.openFile('lewis.mas');
        await workbench.editor().locator('.squiggly-error').first().waitFor();
        recordFigure('open .mas → first diagnostic', Date.now() - opened, 'ms');
        const row = (await workbench.problems(BROKEN_ROLE)).first();
        await row.waitFor();
        await workbench.screenshot('03-problems');
        const at = positionOf(read(LEWIS), `listener: ${BROKEN_ROLE}`, 'listener: '.length + 1);
        await workbench.goTo(at.line, at.column);
        await browser.page.keyboard.press('Control+.');
        const fix = browser.page
            .locator('.action-widget .monaco-list-row', { hasText: `Create the role '${BROKEN_ROLE}'` })
            .first();
        await fix.waitFor();
        await workbench.screenshot('04-quick-fix');
        // The action list sits under a pointer block: choose with the keyboard, as users do.
        for (let i = 0; i < 5 && !(await fix.evaluate((el) => el.classList.contains('focused'))); i++)
            await browser.page.keyboard.press('ArrowDown');
        await browser.page.keyboard.press('Enter');
        await fix.waitFor({ state: 'detached' });
        await workbench.save();
        const fixed = await waitUntil(() => {
            const t = read(LEWIS);
            return new RegExp(`^role ${BROKEN_ROLE}\\b`, 'm').test(t) && t;
        }, 'the fixed lewis.mas on disk');
        expect(fixed).toContain(`listener: ${BROKEN_ROLE}`);
        await browser.page
            .locator('.markers-panel .monaco-list-row', { hasText: BROKEN_ROLE })
            .waitFor({ state: 'detached' });
    });

    it('reports an error while typing and clears it on undo', async () => {
        const { workbench, browser } = session;
        await workbench.openFile('lazy-team.mas');
        const at = positionOf(read('lazy-team/lazy-team.mas'), 'agent lazy: Idle', 'agent lazy: Idle'.length);
        await workbench.goTo(at.line, at.column);
        await browser.page.keyboard.type('r');
        const row = (await workbench.problems(/Idler/)).first();
        await row.waitFor();
        await workbench.screenshot('05-typing-error');
        await workbench.editor().click({ position: { x: 200, y: 10 } });
        await browser.page.keyboard.press('Control+Z');
        await row.waitFor({ state: 'detached' });
    });

    it('completes an agent inside a prompt template', async () => {
        const { workbench, browser } = session;
        await workbench.openFile('signal.mas');
        const text = read('signal/signal.mas');
        const prompt = positionOf(text, 'prompt: "Signal: {{speaker.output}}');
        const line = text.split('\n')[prompt.line - 1];
        await workbench.goTo(prompt.line, line.lastIndexOf('"') + 1); // just before the closing quote
        await browser.page.keyboard.type(' {{spe');
        const suggestion = browser.page.locator('.suggest-widget .monaco-list-row', { hasText: 'speaker' }).first();
        if (!(await suggestion.isVisible())) await browser.page.keyboard.press('Control+Space');
        await suggestion.waitFor();
        await workbench.screenshot('06-completion');
        await browser.page.keyboard.press('Enter');
        await workbench.save();
        const saved = await waitUntil(() => {
            const l = read('signal/signal.mas').split('\n')[prompt.line - 1];
            return l !== line && l;
        }, 'signal.mas saved');
        expect(saved).toMatch(/ \{\{speaker\b[^"]*"\s*$/);
    });

    it('shows the workflow graph and reveals a declaration when a node is clicked', async () => {
        const { workbench, browser } = session;
        await workbench.openFile('math-team.mas');
        const text = read('math-team/math-team.mas');
        const declaration = positionOf(text, 'agent verifier');
        await workbench.goTo(text.split('\n').length, 1); // the cursor starts far from the declaration
        await workbench.runCommand('MAS: Show Workflow Graph');
        const view = browser.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        const node = view
            .locator('g.node', { has: view.locator('text.node-title', { hasText: /^verifier$/ }) })
            .first();
        await node.waitFor();
        await workbench.screenshot('07-graph');
        await node.click();
        const cursor = browser.page.locator('.statusbar-item', { hasText: `Ln ${declaration.line},` }).first();
        await cursor.waitFor();
        await workbench.screenshot('08-graph-revealed');
        await workbench.runCommand('View: Close All Editor Groups'); // the next scenario starts from one editor group
    });

    it('renames an agent and its template references', async () => {
        const { workbench, browser } = session;
        await workbench.openFile('math-team.mas');
        const before = read('math-team/math-team.mas');
        expect(before).toContain('{{planner.output}}');
        const at = positionOf(before, 'agent planner', 'agent '.length);
        await workbench.goTo(at.line, at.column);
        await browser.page.keyboard.press('F2');
        const input = browser.page.locator('.rename-box input');
        await input.waitFor();
        await input.fill('strategist');
        await browser.page.keyboard.press('Enter');
        await input.waitFor({ state: 'hidden' });
        await workbench.save();
        const after = await waitUntil(() => {
            const t = read('math-team/math-team.mas');
            return t.includes('{{strategist.output}}') && t;
        }, 'the renamed math-team.mas on disk');
        expect(after.replace(/\/\/.*$/gm, ''), 'every reference outside comments renamed').not.toMatch(/\bplanner\b/);
        expect(after).toMatch(/agent strategist\s*:/);
        expect(after).toMatch(/start\s*->\s*strategist\b/);
        await workbench.screenshot('09-rename');
    });
});
