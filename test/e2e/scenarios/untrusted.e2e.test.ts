// In an untrusted workspace (Restricted Mode) the language features still work, but starting training is
// refused: nothing from the folder may be run (DESIGN §6).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers } from '../harness/processes.js';
import { startSession, type Session } from '../harness/session.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: { commands: Array<{ command: string; title: string; category?: string }> };
};
const startTraining = manifest.contributes.commands.find((c) => c.command === 'mas.training.start');

function commandLine(pid: number): string {
    try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
        return '';
    }
}

let session: Session | undefined;

beforeAll(async () => {
    session = await startSession({
        settings: {
            'security.workspace.trust.enabled': true,
            'security.workspace.trust.startupPrompt': 'never',
            'security.workspace.trust.banner': 'always',
            'security.workspace.trust.untrustedFiles': 'open',
        },
    });
});

afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && session)
        await session.workbench.screenshot(`failed-untrusted-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
    const leftovers = await session?.stop();
    expect(leftovers ?? [], 'processes left behind by code-server or Chromium').toEqual([]);
});

describe('an untrusted workspace', () => {
    it.skipIf(!startTraining)('refuses to start training from the command palette', async () => {
        const { workbench, browser, server } = session!;
        await workbench.waitReady();
        await browser.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
        await workbench.openFile('signal.mas');
        // Language support still runs in Restricted Mode (the extension declares limited support).
        await workbench.editor().locator('.codelens-decoration', { hasText: 'Train' }).first().waitFor();
        await workbench.runCommand(
            `${startTraining!.category ? `${startTraining!.category}: ` : ''}${startTraining!.title}`,
        );
        const refusal = workbench.notification(/untrusted workspace/i);
        await refusal.waitFor();
        expect(await refusal.innerText()).toMatch(/training/i);
        await workbench.screenshot('10-untrusted-training-refused');
        const trainers = groupMembers(server.pid).filter((pid) => /mas_trainer/.test(commandLine(pid)));
        expect(trainers, 'no trainer process may be spawned in an untrusted workspace').toEqual([]);
    });
});
