// The MAS commands driven through a stand-in `vscode` module (test/client/vscode-fake.ts) and the fake trainer:
// code lens → compile → check-env → launch → status bar → end notification; trust; refusals with reasons.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompileResult } from '../../protocol/lsp.js';
import { fakeExtensionRoot, tempDir, testPython, waitForFile } from './helpers.js';
import type { VscodeFake } from './vscode-fake.js';

const fake = vi.hoisted(() => ({ current: undefined as VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('./vscode-fake.js');
    fake.current = createVscodeFake();
    return fake.current.vscode;
});

const { COMMAND_IDS } = await import('../../protocol/commands.js');
const { commandTable, registerCommandTable } = await import('../../client/src/command-table.js');
const { DisposableScope } = await import('../../client/src/scope.js');
const { Training } = await import('../../client/src/training/training.js');
const { Uri } = await import('./vscode-fake.js');

const cleanups: (() => void)[] = [];
let vs: VscodeFake;
let feature: InstanceType<typeof Training>;
let scope: InstanceType<typeof DisposableScope>;
/** What the view commands opened: the panels themselves are tested in views/panel-hosts.test.ts. */
let shown: unknown[];
let compiled: CompileResult;
let compileCalls: string[];
let workspace: string;

beforeEach(() => {
    vs = fake.current!;
    vs.messages.length = 0;
    vs.logs.length = 0;
    vs.state.isTrusted = true;
    vs.state.answer = () => undefined;
    process.env['PYTHONDONTWRITEBYTECODE'] = '1';
    const tmp = tempDir('mas-ws-');
    cleanups.push(tmp.cleanup);
    workspace = path.join(tmp.dir, 'my ws; $(touch x)');
    mkdirSync(workspace);
    vs.state.workspaceFolders = [{ uri: Uri.file(workspace) }];
    vs.settings.set('mas.trainer.pythonPath', testPython);
    compileCalls = [];
    compiled = {
        spec: { version: 1, workflow: 'lazy-team', train: { steps: 10 }, fake: { mode: 'finish', steps: 3 } } as never,
    };
    scope = new DisposableScope();
    feature = new Training(
        { extensionUri: Uri.file(fakeExtensionRoot) } as never,
        async (uri) => {
            compileCalls.push(uri);
            return compiled;
        },
        scope,
    );
    shown = [];
    const views = {
        showDashboard: (dir: string | undefined) => shown.push(['dashboard', dir]),
        compareInDashboard: (dir: string) => shown.push(['compare', dir]),
        showGraph: (uri: { fsPath: string }) => shown.push(['graph', uri.fsPath]),
        showTrajectories: (root: string) => shown.push(['trajectories', root]),
    };
    scope.pushAll(registerCommandTable(commandTable(feature, views as never), feature.log));
    cleanups.push(() => void scope.dispose());
});
afterEach(() =>
    cleanups
        .splice(0)
        .reverse()
        .forEach((c) => c()),
);

const masFile = (): string => Uri.file(path.join(workspace, 'team.mas')).toString();
const run = (id: string, ...args: unknown[]) => vs.vscode.commands.executeCommand(id, ...args);

describe('MAS commands', () => {
    it('every command is registered at once, under mas.<area>.<verb>', () => {
        for (const id of Object.values(COMMAND_IDS)) {
            expect(vs.commands.has(id)).toBe(true);
            expect(id).toMatch(/^mas\.[a-z]+\.[a-zA-Z]+$/);
        }
    });

    it('Train code lens: compiles, launches, shows step/total in the status bar, then "finished"', async () => {
        const ended = vs.nextMessage();
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { started: boolean; runDir: string };
        expect(compileCalls).toEqual([masFile()]);
        expect(result.started).toBe(true);
        expect(path.dirname(result.runDir)).toBe(path.join(workspace, 'runs'));
        expect(await ended).toMatchObject({ level: 'info', text: expect.stringContaining('finished') });
        expect(vs.logs.some((l) => l.includes('step 3 reward'))).toBe(true);
        expect(vs.logs.some((l) => l.startsWith('[info] launch:'))).toBe(true);
    });

    it('shows progress in the status bar while a run is going, and the dashboard on click', async () => {
        compiled = {
            spec: {
                version: 1,
                workflow: 'lazy-team',
                train: { steps: 10 },
                fake: { mode: 'wait', steps: 2 },
            } as never,
        };
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { runDir: string };
        const item = vs.statusItems.find((i) => i.visible)!;
        expect(item.text).toMatch(/^\$\(sync~spin\) MAS lazy-team [12]\/10/);
        expect(item.command).toMatchObject({ command: 'mas.dashboard.show', arguments: [result.runDir] });
        // VS Code re-registers a status bar command on every new object and drops the old registration: a click that
        // raced such an update did nothing. Progress updates the text only; the command is set once per session.
        expect(item.commandChanges).toBe(1);
        const stopped = vs.nextMessage();
        expect(await run(COMMAND_IDS.stopTraining)).toEqual({ stopped: [result.runDir] });
        expect((await stopped).text).toContain('was stopped');
        expect(item.visible).toBe(false);
    });

    it('the editor-title Stop button (a .mas URI) stops the run compiled from that file (first-hour bug B1)', async () => {
        const team = path.join(workspace, 'team.mas');
        compiled = {
            spec: {
                version: 1,
                workflow: 'lazy-team',
                source: { file: team, sha256: '0' },
                train: { steps: 10 },
                fake: { mode: 'wait', steps: 1 },
            } as never,
        };
        const { runDir } = (await run(COMMAND_IDS.startTraining, masFile())) as { runDir: string };
        const stopped = vs.nextMessage();
        expect(await run(COMMAND_IDS.stopTraining, Uri.file(team))).toEqual({ stopped: [runDir] });
        expect((await stopped).text).toContain('was stopped');
    });

    it("the Runs view shows a started run as running, and its row's Stop (the row's Uri) stops it", async () => {
        const { registerRunsView } = await import('../../client/src/runs/runs-view.js');
        const { TrainerAttachment } = await import('../../client/src/training/trainer-attachment.js');
        const { provider, disposables } = registerRunsView(
            {
                folders: () => [workspace],
                followed: () => feature.trainers.running.map((t) => t.runDir),
                alive: (dir) => TrainerAttachment.trainerAlive(dir),
            },
            (listener) => feature.trainers.onDidChange.on(listener),
        );
        cleanups.push(() => disposables.forEach((d) => d.dispose()));
        let refreshed = 0;
        provider.onDidChangeTreeData(() => refreshed++);
        compiled = {
            spec: {
                version: 1,
                workflow: 'lazy-team',
                train: { steps: 10 },
                fake: { mode: 'wait', steps: 1 },
            } as never,
        };
        const { runDir } = (await run(COMMAND_IDS.startTraining, masFile())) as { runDir: string };
        expect(refreshed).toBeGreaterThan(0); // the followed trainer was added
        const rows = provider.runs();
        expect(rows.map((u) => u.fsPath)).toEqual([runDir]);
        const item = provider.getTreeItem(rows[0]!) as unknown as { contextValue: string; description: string };
        expect(item.contextValue).toBe('masRun.running');
        expect(item.description).toMatch(/^running · step [01]\/10/);
        const stopped = vs.nextMessage();
        const before = refreshed;
        expect(await run(COMMAND_IDS.stopTraining, rows[0])).toEqual({ stopped: [runDir] });
        expect((await stopped).text).toContain('was stopped');
        expect(refreshed).toBeGreaterThan(before); // the trainer ended: the row is redrawn
        provider.runs();
        expect((provider.getTreeItem(rows[0]!) as unknown as { contextValue: string }).contextValue).not.toBe(
            'masRun.running',
        );
    });

    it('a failed environment check ends the start at once, while its error toast is still open (first-hour bug B5)', async () => {
        process.env['MAS_FAKE_NO_TORCH'] = '1';
        cleanups.push(() => delete process.env['MAS_FAKE_NO_TORCH']);
        vs.state.answer = () => new Promise<undefined>(() => undefined); // the user has not dismissed the toast
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { started: boolean; reason: string };
        expect(result).toMatchObject({ started: false, reason: expect.stringContaining('PyTorch is not installed') });
        expect(vs.messages.at(-1)).toMatchObject({ level: 'error', actions: ['Select Interpreter', 'Show Log'] });
    });

    it('after a window reload the new activation re-attaches to the live run; Open Run… offers Resume once stopped', async () => {
        compiled = {
            spec: {
                version: 1,
                workflow: 'lazy-team',
                train: { steps: 10 },
                fake: { mode: 'wait', steps: 1 },
            } as never,
        };
        const { runDir } = (await run(COMMAND_IDS.startTraining, masFile())) as { runDir: string };
        await scope.dispose(); // reload: the trainer keeps running, detached
        const nextScope = new DisposableScope();
        const next = new Training(
            { extensionUri: Uri.file(fakeExtensionRoot) } as never,
            async () => compiled,
            nextScope,
        );
        cleanups.push(() => void nextScope.dispose());
        expect(next.reattach()).toEqual([runDir]);
        expect(next.trainers.running.map((s) => s.runDir)).toEqual([runDir]);
        const stopped = vs.nextMessage();
        expect(await next.controller.stop()).toEqual({ stopped: [runDir] });
        expect((await stopped).text).toContain('was stopped');

        rmSync(path.join(runDir, 'ready')); // the fake trainer writes it again once resumed
        vs.state.answer = (m) => (m.actions.includes('Resume') ? 'Resume' : undefined);
        const opened = await next.controller.openRun(runDir);
        expect(opened.resumed).toMatchObject({ started: true, runDir });
        await waitForFile(path.join(runDir, 'ready'));
        expect(JSON.parse(readFileSync(path.join(runDir, 'argv.json'), 'utf8'))).toContain('--resume');
        expect(await next.controller.stop()).toEqual({ stopped: [runDir] });
    });

    it('a crash: one error notification whose "Show Log" opens the line naming the cause', async () => {
        compiled = {
            spec: {
                version: 1,
                workflow: 'lazy-team',
                train: { steps: 10 },
                fake: { mode: 'crash', steps: 1 },
            } as never,
        };
        vs.state.answer = (m) => (m.actions.includes('Show Log') ? 'Show Log' : undefined);
        const ended = vs.nextMessage();
        await run(COMMAND_IDS.startTraining, masFile());
        const message = await ended;
        expect(message).toMatchObject({ level: 'error', actions: ['Show Log'] });
        expect(message.text).toContain('RuntimeError: CUDA error');
        await vi.waitUntil(() => vs.shownDocuments.length > 0);
        expect(path.basename(vs.shownDocuments[0]!.uri.fsPath)).toBe('process.log');
    });

    it('a workflow that does not compile: file:line and the message, no run directory', async () => {
        compiled = {
            diagnostics: [
                {
                    uri: masFile(),
                    severity: 'error',
                    message: "Could not resolve reference to Agent named 'solvr'.",
                    range: { start: { line: 11, character: 4 }, end: { line: 11, character: 9 } },
                },
            ],
        };
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { started: boolean; reason: string };
        expect(result.started).toBe(false);
        expect(result.reason).toBe(
            "MAS: team.mas cannot be trained: team.mas:12: Could not resolve reference to Agent named 'solvr'.",
        );
        expect(existsSync(path.join(workspace, 'runs'))).toBe(false);
    });

    it('a missing interpreter stops the start with the fix, before any run directory exists', async () => {
        vs.settings.set('mas.trainer.pythonPath', path.join(workspace, 'no-python'));
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { started: boolean; reason: string };
        expect(result.started).toBe(false);
        expect(result.reason).toContain('does not exist; run "MAS: Select Python Interpreter"');
        expect(existsSync(path.join(workspace, 'runs'))).toBe(false);
    });

    it('untrusted workspace: nothing compiled, spawned or created; check-env refused; no re-attach', async () => {
        vs.state.isTrusted = false;
        const result = (await run(COMMAND_IDS.startTraining, masFile())) as { started: boolean; reason: string };
        expect(result).toMatchObject({ started: false, reason: expect.stringContaining('untrusted workspace') });
        expect(compileCalls).toEqual([]);
        expect(readdirSync(workspace)).toEqual([]);
        expect(await run(COMMAND_IDS.checkEnv)).toMatchObject({ unavailable: expect.stringContaining('untrusted') });
        expect(feature.reattach()).toEqual([]);
    });

    it('commands that cannot act say why: no .mas file, nothing to stop, no workflow to draw', async () => {
        expect(await run(COMMAND_IDS.startTraining)).toMatchObject({
            started: false,
            reason: expect.stringContaining('open a .mas workflow'),
        });
        expect(await run(COMMAND_IDS.stopTraining)).toMatchObject({
            stopped: [],
            reason: expect.stringContaining('no training run'),
        });
        expect(await run(COMMAND_IDS.showGraph)).toMatchObject({ unavailable: expect.stringContaining('graph') });
        expect(await run(COMMAND_IDS.showDashboard)).toEqual({ dashboard: null }); // the empty dashboard: "Open Run…" from there
        expect(shown).toEqual([['dashboard', undefined]]);
    });

    it('the views get what they show: the dashboard the run directory, the graph the lens document, the trajectories the run', async () => {
        await run(COMMAND_IDS.showDashboard, '/w/runs/lazy-team-1');
        await run(COMMAND_IDS.showGraph, masFile());
        await run(COMMAND_IDS.showTrajectories, '/w/runs/lazy-team-1');
        // A Runs view row passes its run as a file Uri (runs-view.ts).
        await run(COMMAND_IDS.compareInDashboard, Uri.file('/w/runs/lazy-team-2'));
        expect(shown).toEqual([
            ['dashboard', '/w/runs/lazy-team-1'],
            ['graph', path.join(workspace, 'team.mas')],
            ['trajectories', '/w/runs/lazy-team-1'],
            ['compare', '/w/runs/lazy-team-2'],
        ]);
    });

    it('Check Trainer Environment: CPU-only torch is fine, no CUDA warning unless the workflow asks for CUDA (issue 15 item 2)', async () => {
        const check = (await run(COMMAND_IDS.checkEnv)) as { ok: boolean };
        expect(check.ok).toBe(true);
        expect(vs.messages.at(-1)).toMatchObject({
            level: 'info',
            text: expect.stringContaining('trainer environment OK — Python: '),
        });
        expect(vs.messages.at(-1)?.text).toContain('CUDA: not available (CPU only)');

        const team = path.join(workspace, 'team.mas');
        writeFileSync(team, 'workflow team\ntrain {\n  device: cuda\n}\n');
        vs.vscode.window.activeTextEditor = { document: { uri: Uri.file(team), languageId: 'mas' } };
        cleanups.push(() => (vs.vscode.window.activeTextEditor = undefined));
        await run(COMMAND_IDS.checkEnv);
        expect(vs.messages.at(-1)).toMatchObject({ level: 'warning', text: expect.stringContaining('No CUDA GPU') });
    });
});
