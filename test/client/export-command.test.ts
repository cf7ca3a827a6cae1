// The command "MAS: Export Trained Agents…" driven through the stand-in `vscode` module with the real trainer: the
// run's complete checkpoints offered newest first, the picked step exported into the picked folder, "Reveal" in the
// result toast, and the refusals (untrusted workspace, a run without a checkpoint, a cancelled pick).
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trainerEnv } from '../../client/src/training/trainer-args.js';
import { tempDir, trusted, untrusted } from './helpers.js';
import { trainerRoot, trainLazyRun, venvPython } from './trained-run.js';
import type { VscodeFake } from './vscode-fake.js';

const fake = vi.hoisted(() => ({ current: undefined as VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('./vscode-fake.js');
    fake.current = createVscodeFake();
    return fake.current.vscode;
});

const { exportAgents } = await import('../../client/src/runs/export-command.js');
const { Uri } = await import('./vscode-fake.js');

describe.skipIf(!existsSync(venvPython))('MAS: Export Trained Agents…', () => {
    const tmp = tempDir('mas-export-command-');
    const runDir = path.join(tmp.dir, 'runs', 'lazy');
    const python = { resolve: async () => ({ command: venvPython }), env: () => trainerEnv(process.env), trainerRoot };
    const deps = { python: python as never, trust: trusted };

    beforeAll(() => trainLazyRun(tmp.dir, runDir, 4), 120_000);
    afterAll(() => tmp.cleanup());

    it('exports the picked checkpoint into the picked folder and offers Reveal', async () => {
        const vs = fake.current!;
        const out = path.join(tmp.dir, 'exported');
        mkdirSync(out);
        const offered: { label: string; description: string }[][] = [];
        vs.vscode.window.showQuickPick = (async (items: { label: string; description: string }[]) => {
            offered.push(items);
            return items[1];
        }) as never;
        vs.vscode.window.showOpenDialog = (async () => [Uri.file(out)]) as never;
        vs.state.answer = (message) => (message.actions.includes('Reveal') ? 'Reveal' : undefined);
        const result = await exportAgents(deps, runDir);
        expect(offered[0]!.map((item) => [item.label, item.description])).toEqual([
            ['step 4', 'newest'],
            ['step 2', ''],
        ]);
        expect(result).toMatchObject({ exported: { ok: true, result: { step: 2 } } });
        expect(readdirSync(out).sort()).toEqual(['first', 'idle', 'second']);
        await vi.waitFor(() => expect(vs.executed.map((e) => e.id)).toContain('revealFileInOS'));
        expect(
            vs.messages.some((m) => m.text.includes('exported first (model), idle (model), second (model) of step 2')),
        ).toBe(true);
    }, 60_000);

    it('says why it cannot act: untrusted, no checkpoint, a cancelled pick', async () => {
        const vs = fake.current!;
        expect(await exportAgents({ ...deps, trust: untrusted }, runDir)).toHaveProperty('unavailable');
        const empty = path.join(tmp.dir, 'runs', 'empty');
        mkdirSync(empty, { recursive: true });
        const none = await exportAgents(deps, empty);
        expect(none).toHaveProperty('unavailable', expect.stringContaining('no complete checkpoint'));
        vs.vscode.window.showQuickPick = (async () => undefined) as never;
        expect(await exportAgents(deps, runDir)).toEqual({ cancelled: 'step' });
    });
});
